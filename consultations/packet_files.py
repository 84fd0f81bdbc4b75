"""The campaign's consent packet as a kept file: asked for on the web, rendered in the background.

A whole campaign's packet takes tens of seconds to render (about 0.1 s a household), far too
long for a web request. The secretary asks for it (``request_packet``); a ``PacketFile`` row is
queued and the task ``consultations.tasks.generate_campaign_packet`` renders it in a worker
process (``manage.py db_worker``; the queue lives in the database, so a request made while no
worker runs, or across a restart, waits for one). The page polls the row for progress.

A finished file is served again for as long as the data it was printed from is unchanged: its
``fingerprint`` is a SHA-256 over every row the packet is built from (the campaign, its
buildings, units, elevators, households, owners, proposals, shares, consents, visits,
meetings and their decisions, reviews), the address its QR codes point at, and the print
templates themselves. Any change (a new signature, an edited area, a meeting decision marked
done) gives a new fingerprint, and the kept file no longer counts as current.
"""

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from campaigns.models import (
    Building,
    Campaign,
    Community,
    Elevator,
    Meeting,
    MeetingDecision,
    Unit,
)
from consultations.models import (
    Consent,
    FloorCoefficient,
    PacketFile,
    Proposal,
    Share,
    Visit,
)
from consultations.tasks import generate_campaign_packet
from households.models import Household, Owner

PRINT_TEMPLATES = ("templates/print", "templates/consultations/print")


def fingerprint(campaign: Campaign, base_url: str) -> str:
    """A digest of everything the campaign's packet is printed from (15 small queries)."""
    in_campaign = {
        Community: {"pk": campaign.community_id},
        Campaign: {"pk": campaign.pk},
        Building: {"campaign": campaign},
        Unit: {"building__campaign": campaign},
        Elevator: {"unit__building__campaign": campaign},
        Household: {"unit__building__campaign": campaign},
        Owner: {"household__unit__building__campaign": campaign},
        Proposal: {"elevator__unit__building__campaign": campaign},
        FloorCoefficient: {"proposal__elevator__unit__building__campaign": campaign},
        Share: {"proposal__elevator__unit__building__campaign": campaign},
        Consent: {"household__unit__building__campaign": campaign},
        Visit: {"household__unit__building__campaign": campaign},
        Meeting: {"campaign": campaign},
        MeetingDecision: {"meeting__campaign": campaign},
    }
    digest = hashlib.sha256()
    digest.update(f"{base_url}\n{templates_digest()}\n".encode())
    for model, scope in in_campaign.items():
        rows = model.objects.filter(**scope).order_by("pk").values_list(*fields_of(model))
        digest.update(f"{model._meta.label}\n".encode())
        digest.update(json.dumps(list(rows), default=str, ensure_ascii=False).encode())
    return digest.hexdigest()


def fields_of(model) -> list[str]:
    """Every stored column of ``model`` but raw signature bytes (a consent's own content hash
    stands for them, and ``verify_consents`` checks that it still matches)."""
    return [
        f.attname for f in model._meta.concrete_fields if f.get_internal_type() != "BinaryField"
    ]


@cache
def templates_digest() -> str:
    """A digest of the print templates, so a changed layout prints anew after a deploy."""
    digest = hashlib.sha256()
    for folder in PRINT_TEMPLATES:
        for path in sorted((Path(settings.BASE_DIR) / folder).glob("*.html")):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def latest_for(campaign: Campaign) -> PacketFile | None:
    """The campaign's newest packet job that was not replaced."""
    return (
        PacketFile.objects.filter(campaign=campaign)
        .exclude(status=PacketFile.Status.REPLACED)
        .select_related("requested_by")
        .first()
    )


def current_file(campaign: Campaign, base_url: str) -> PacketFile | None:
    """The finished packet of the campaign's data as it is now, if one is kept."""
    return PacketFile.objects.filter(
        campaign=campaign,
        status=PacketFile.Status.DONE,
        fingerprint=fingerprint(campaign, base_url),
    ).first()


def request_packet(campaign: Campaign, user, base_url: str) -> PacketFile:
    """The job that prints the campaign's data as it is now: the one already queued, running
    or finished for the same data, or a new one queued for the background worker."""
    PacketFile.objects.filter(campaign=campaign).stalled().update(
        status=PacketFile.Status.FAILED, error="stalled: the worker stopped answering"
    )
    data = fingerprint(campaign, base_url)
    existing = PacketFile.objects.live().filter(campaign=campaign, fingerprint=data).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            job = PacketFile.objects.create(
                campaign=campaign, fingerprint=data, base_url=base_url, requested_by=user
            )
    except IntegrityError:  # someone asked for the same data a moment ago
        return PacketFile.objects.live().get(campaign=campaign, fingerprint=data)
    result = generate_campaign_packet.enqueue(job.pk)
    PacketFile.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)
    return job
