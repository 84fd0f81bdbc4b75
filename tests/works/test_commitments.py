"""How each commitment was kept: checked, broken, on which days; the public record."""

from datetime import date

import pytest

from tests.factories import (
    make_decision,
    make_household,
    make_inspection,
    make_meeting,
    make_owner,
    make_site,
)
from works.commitments import public_record, records
from works.models import Check

pytestmark = pytest.mark.django_db


def check(commitment, site, day, result):
    inspection = make_inspection(site=site, inspected_on=day)
    Check.objects.create(inspection=inspection, commitment=commitment, result=result)


def test_a_commitment_counts_its_checks_and_breaches_with_their_days():
    site = make_site()
    campaign = site.elevator.unit.building.campaign
    promise = make_decision(meeting=make_meeting(campaign=campaign), is_commitment=True)
    check(promise, site, date(2026, 12, 1), "ok")
    check(promise, site, date(2026, 12, 2), "broken")
    check(promise, site, date(2026, 12, 3), "na")
    check(promise, site, date(2026, 12, 4), "broken")
    (record,) = records([promise])
    assert (record.checked, record.broken, record.kept) == (3, 2, 1)
    assert record.broken_on == [date(2026, 12, 4), date(2026, 12, 2)]
    assert record.last_checked == date(2026, 12, 4)


def test_the_public_record_lists_published_commitments_only_without_names(
    django_assert_max_num_queries,
):
    site = make_site()
    unit = site.elevator.unit
    campaign = unit.building.campaign
    make_owner(household=make_household(unit=unit), name="张三丰")
    shown = make_decision(
        meeting=make_meeting(campaign=campaign), text="张三丰家门口不堆料", is_commitment=True
    )
    make_decision(meeting=make_meeting(campaign=campaign, published_at=None), is_commitment=True)
    make_decision(meeting=make_meeting(campaign=campaign), is_commitment=False)
    check(shown, site, date(2026, 12, 2), "broken")
    with django_assert_max_num_queries(3):
        listed = public_record(campaign)
    assert [r.commitment.pk for r in listed] == [shown.pk]
    assert "张三丰" not in listed[0].commitment.text
    assert listed[0].broken == 1


def test_the_public_page_shows_how_each_commitment_was_kept(client):
    site = make_site()
    campaign = site.elevator.unit.building.campaign
    campaign.is_public = True
    campaign.save()
    promise = make_decision(
        meeting=make_meeting(campaign=campaign), text="材料走指定路线", is_commitment=True
    )
    check(promise, site, date(2026, 12, 1), "ok")
    check(promise, site, date(2026, 12, 2), "broken")
    response = client.get(campaign.get_absolute_url())
    section = response.text.split('id="commitments-kept"')[1].split("</section>")[0]
    assert "材料走指定路线" in section
    assert "2026-12-02" in section
    assert "检查 2 次，发现违反 1 次" in section
