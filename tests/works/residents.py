"""Small builders the residents' side tests share: a campaign with a works site and its steps,
and a site photo."""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from campaigns.models import Role
from campaigns.photos import prepare_photo
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_elevator,
    make_inspection,
    make_site,
    make_unit,
)
from works.models import InspectionPhoto, ScheduleStep, StepKind


def jpeg_bytes(colour=(120, 160, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def campaign_with_site(**campaign):
    campaign = make_campaign(**campaign)
    unit = make_unit(building=make_building(campaign=campaign, name="4栋"), name="1单元")
    site = make_site(elevator=make_elevator(unit=unit))
    return campaign, site


def add_steps(site, today=None):
    """Survey done, contract late (started, its planned end passed), mobilise not started."""
    today = today or timezone.localdate()
    day = timedelta(days=1)
    rows = [
        (StepKind.SURVEY_DESIGN, today - 20 * day, today - 11 * day, today - 20 * day, today - 10 * day),
        (StepKind.CONTRACT, today - 9 * day, today - 3 * day, today - 8 * day, None),
        (StepKind.MOBILISE, today - 2 * day, today + 5 * day, None, None),
    ]  # fmt: skip
    for order, (kind, start, end, actual_start, actual_end) in enumerate(rows, start=1):
        ScheduleStep.objects.create(
            site=site,
            kind=kind,
            order=order,
            planned_start=start,
            planned_end=end,
            actual_start=actual_start,
            actual_end=actual_end,
        )


def add_photo(site, *, published=False, caption="围挡") -> InspectionPhoto:
    photo = InspectionPhoto(inspection=make_inspection(site=site), caption=caption)
    photo.image.save("p.jpg", prepare_photo(ContentFile(jpeg_bytes(), name="p.jpg")), save=False)
    if published:
        photo.published_at = timezone.now()
    photo.save()
    return photo


def secretary_of(campaign):
    return make_assignment(role=Role.SECRETARY, community=campaign.community).user


def grid_worker_of(site):
    return make_assignment(role=Role.GRID_WORKER, unit=site.elevator.unit).user
