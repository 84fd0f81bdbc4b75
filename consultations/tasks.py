"""Background work, run by ``python manage.py db_worker`` from the queue in the database."""

import logging

from django.conf import settings
from django_tasks import task

from consultations.models import PacketFile
from consultations.packet import build_packet, render_packet

logger = logging.getLogger(__name__)


@task()
def generate_campaign_packet(packet_file_id: int) -> int:
    """Render the campaign's consent packet for the ``PacketFile`` queued for it, one unit's
    section at a time (the page shows how far it got), and keep the file. Returns its pages."""
    job = PacketFile.objects.select_related("campaign__community").get(pk=packet_file_id)
    if job.status != PacketFile.Status.QUEUED:
        return job.pages  # run twice (a retried task): the first run did the work
    try:
        packet = build_packet(job.campaign, base_url=job.base_url)
        if not packet.sections:
            job.fail("no unit of the campaign has a published proposal")
            return 0
        job.start(parts_total=len(packet.sections) + 1)  # each unit, then the joined file
        pdf, pages = render_packet(packet, jobs=settings.PACKET_JOBS, progress=job.advance)
        job.finish(pdf, pages)
    except Exception as error:
        logger.exception("The consent packet of %s failed", job.campaign)
        job.fail(f"{type(error).__name__}: {error}"[:2000])
        raise
    return pages
