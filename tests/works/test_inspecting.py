"""The daily inspection's rules: the checklist, breaches, closing with an "after" photo, the
days missed."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from hypothesis import given
from hypothesis import strategies as st

from campaigns.models import MeetingDecision
from tests.factories import (
    make_decision,
    make_inspection,
    make_issue,
    make_meeting,
    make_site,
    make_unit,
    make_user,
)
from works import inspecting
from works.inspecting import CannotClose, IssueDraft, Mark
from works.models import Check, Issue, IssuePhoto, ScheduleStep, StandingItem, StepKind

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)


def jpeg() -> ContentFile:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def site_with_commitments():
    site = make_site()
    unit = site.elevator.unit
    campaign = unit.building.campaign
    ours = make_decision(
        meeting=make_meeting(campaign=campaign, unit=unit), text="中午不施工", is_commitment=True
    )
    everyone = make_decision(
        meeting=make_meeting(campaign=campaign, unit=None, published_at=None),
        text="材料走指定路线",
        is_commitment=True,
    )
    return site, ours, everyone


def test_the_checklist_is_the_standing_items_and_the_commitments_of_the_unit_and_campaign():
    site, ours, everyone = site_with_commitments()
    campaign = site.elevator.unit.building.campaign
    other_unit = make_unit(building=site.elevator.unit.building)
    make_decision(meeting=make_meeting(campaign=campaign, unit=other_unit), is_commitment=True)
    make_decision(meeting=make_meeting(campaign=campaign), text="只是决定", is_commitment=False)
    make_decision(is_commitment=True)  # another campaign's
    lines = inspecting.checklist(site)
    assert [line.item for line in lines[:5]] == list(StandingItem.values)
    assert {line.commitment for line in lines[5:]} == {ours, everyone}


def line_of(site, commitment=None, item=""):
    for line in inspecting.checklist(site):
        if (commitment and line.commitment == commitment) or (item and line.item == item):
            return line
    raise LookupError


def test_a_broken_commitment_opens_an_issue_and_is_marked_breached():
    site, ours, _everyone = site_with_commitments()
    inspection = inspecting.record_inspection(
        site,
        make_user(),
        marks=[Mark(line_of(site, ours), Check.Result.BROKEN, "12:30 还在切割")],
    )
    issue = inspection.issues.get()
    assert issue.source == Issue.Source.COMMITMENT
    assert issue.commitment == ours
    assert "12:30 还在切割" in issue.description
    ours.refresh_from_db()
    assert ours.status == MeetingDecision.Status.BREACHED


def test_a_broken_standing_item_opens_an_issue_only_when_drafted():
    site = make_site()
    fencing = line_of(site, item="fencing")
    dust = line_of(site, item="dust")
    draft = IssueDraft("围挡缺口", Issue.Severity.HIGH, None, TODAY + timedelta(days=1))
    inspection = inspecting.record_inspection(
        site,
        make_user(),
        marks=[
            Mark(fencing, Check.Result.BROKEN, "缺口", draft),
            Mark(dust, Check.Result.BROKEN, "已当场处理", None),
        ],
    )
    assert [i.description for i in inspection.issues.all()] == ["围挡缺口"]
    assert inspection.checks.count() == 2


def test_closing_needs_an_after_photo_and_a_note():
    issue = make_issue()
    with pytest.raises(CannotClose):
        inspecting.close_issue(issue, make_user(), resolution="已修好", after_photos=[])
    with pytest.raises(CannotClose):
        inspecting.close_issue(issue, make_user(), resolution=" ", after_photos=[jpeg()])
    issue.refresh_from_db()
    assert issue.status == Issue.Status.OPEN
    closed = inspecting.close_issue(issue, make_user(), resolution="已修好", after_photos=[jpeg()])
    assert closed.status == Issue.Status.CLOSED and closed.closed_at
    assert closed.photos.get().stage == IssuePhoto.Stage.AFTER


def test_closing_the_last_breach_issue_puts_the_commitment_back_to_done():
    site, ours, _everyone = site_with_commitments()
    for _ in range(2):
        inspecting.record_inspection(
            site, make_user(), marks=[Mark(line_of(site, ours), Check.Result.BROKEN)]
        )
    first, second = Issue.objects.filter(commitment=ours)
    inspecting.close_issue(first, make_user(), resolution="改了", after_photos=[jpeg()])
    ours.refresh_from_db()
    assert ours.status == MeetingDecision.Status.BREACHED
    inspecting.close_issue(second, make_user(), resolution="改了", after_photos=[jpeg()])
    ours.refresh_from_db()
    assert ours.status == MeetingDecision.Status.DONE


def test_reopening_keeps_the_record_and_breaches_the_commitment_again():
    site, ours, _everyone = site_with_commitments()
    inspecting.record_inspection(
        site, make_user(), marks=[Mark(line_of(site, ours), Check.Result.BROKEN)]
    )
    issue = Issue.objects.get(commitment=ours)
    inspecting.close_issue(issue, make_user(), resolution="改了", after_photos=[jpeg()])
    reopened = inspecting.reopen_issue(issue, make_user("secretary-x"), reason="又犯了")
    assert reopened.status == Issue.Status.OPEN and reopened.closed_at is None
    assert "改了" in reopened.resolution and "又犯了" in reopened.resolution
    assert reopened.photos.count() == 1
    ours.refresh_from_db()
    assert ours.status == MeetingDecision.Status.BREACHED


@given(
    start=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    length=st.integers(0, 60),
    done=st.sets(st.integers(0, 60)),
)
def test_missed_days_are_exactly_the_days_without_an_inspection(start, length, done):
    end = start + timedelta(days=length)
    done_days = {start + timedelta(days=n) for n in done}
    missed = inspecting.missed_days(start, end, done_days)
    assert len(missed) + len(done_days & set(missed)) == len(missed)
    assert len(missed) == length + 1 - len({d for d in done_days if start <= d <= end})
    assert missed == sorted(missed)


def test_days_count_from_the_start_of_mobilisation_or_else_the_first_inspection():
    today = TODAY
    started = make_site()
    ScheduleStep.objects.create(
        site=started,
        kind=StepKind.MOBILISE,
        order=3,
        planned_start=today - timedelta(days=10),
        planned_end=today,
        actual_start=today - timedelta(days=3),
    )
    make_inspection(site=started, inspected_on=today - timedelta(days=2))
    first_only = make_site()
    make_inspection(site=first_only, inspected_on=today - timedelta(days=2))
    make_inspection(site=first_only, inspected_on=today)
    untouched = make_site()
    rows = {row.site: row for row in inspecting.site_days([started, first_only, untouched], today)}
    assert rows[started].missed == [today - timedelta(days=3), today - timedelta(days=1)]
    assert not rows[started].done_today
    assert rows[first_only].missed == [today - timedelta(days=1)]
    assert rows[first_only].done_today
    assert rows[untouched].missed == [] and rows[untouched].start is None
