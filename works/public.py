"""What residents see of the works on the public project page: each elevator's step of the
day (planned against actual), the site photos staff chose to publish, the notice of working
hours, and where to report a problem. Nothing of a resident's report is ever shown here.

Three queries whatever the size (the sites, their steps, the published photos); one when the
campaign has no works site yet.
"""

from dataclasses import dataclass
from datetime import date

from core.redaction import Redactor
from works.models import InspectionPhoto, ScheduleStep, Site, StepState

LATEST_PHOTOS = 6


@dataclass(frozen=True)
class SiteToday:
    """One elevator's works as residents see them today."""

    site: Site
    step: ScheduleStep | None  # the step in progress, or the next one; None when all done
    state: StepState | None
    steps_done: int
    steps_total: int
    noise_notice: str  # redacted

    @property
    def finished(self) -> bool:
        return self.steps_total > 0 and self.step is None

    @property
    def days_late(self) -> int:
        """How many days past its planned end the step of the day is (0 when it is not)."""
        if self.step is None or self.state != StepState.LATE:
            return 0
        return (self.today - self.step.planned_end).days

    today: date = date.min


def step_of_the_day(steps: list[ScheduleStep]) -> ScheduleStep | None:
    """The first step not finished, in the schedule's order: the one in progress or next."""
    for step in sorted(steps, key=lambda s: s.order):
        if step.actual_end is None:
            return step
    return None


def sites_of(campaign):
    return (
        Site.objects.filter(elevator__unit__building__campaign=campaign)
        .select_related("elevator__unit__building")
        .prefetch_related("steps")
    )


def published_photos(campaign):
    """The site photos staff chose for the public page, newest first."""
    return (
        InspectionPhoto.objects.filter(
            published_at__isnull=False,
            inspection__site__elevator__unit__building__campaign=campaign,
        )
        .select_related("inspection__site__elevator__unit__building")
        .order_by("-published_at", "-pk")
    )


def works_section(campaign, today: date, redactor: Redactor) -> dict:
    """The 施工进展 section's context: empty lists when the campaign has no works site."""
    sites = list(sites_of(campaign))
    if not sites:
        return {"works_sites": [], "works_photos": [], "works_noise": False}
    rows = []
    for site in sites:
        steps = list(site.steps.all())
        step = step_of_the_day(steps)
        rows.append(
            SiteToday(
                site=site,
                step=step,
                state=None if step is None else step.state_on(today),
                steps_done=sum(1 for s in steps if s.actual_end is not None),
                steps_total=len(steps),
                noise_notice=redactor(site.noise_notice),
                today=today,
            )
        )
    photos = list(published_photos(campaign)[:LATEST_PHOTOS])
    for photo in photos:
        photo.caption = redactor(photo.caption)  # in memory only
    return {
        "works_sites": rows,
        "works_photos": photos,
        "works_noise": any(row.noise_notice for row in rows),
    }
