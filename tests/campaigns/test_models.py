"""The database refuses impossible places, timelines and questions (named constraints)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import (
    Building,
    Community,
    Elevator,
    Milestone,
    ProgressUpdate,
    Question,
    Unit,
)
from tests.factories import (
    make_building,
    make_campaign,
    make_community,
    make_elevator,
    make_unit,
)

pytestmark = pytest.mark.django_db


# Community, campaign, building, unit


def test_database_rejects_a_second_community_with_the_same_name():
    make_community(name="宁康园社区")
    with pytest.raises(IntegrityError), transaction.atomic():
        Community.objects.create(name="宁康园社区", subdistrict="沌口街道", district="经开区")


def test_database_rejects_a_second_campaign_with_the_same_slug():
    make_campaign(slug="ningkangyuan")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_campaign(slug="ningkangyuan")


def test_database_rejects_a_negative_subsidy_per_elevator():
    with pytest.raises(IntegrityError, match="campaign_subsidy_not_negative"), transaction.atomic():
        make_campaign(subsidy_per_elevator=Decimal("-0.01"))


def test_a_campaign_without_subsidy_is_accepted():
    assert make_campaign(subsidy_per_elevator=Decimal("0.00")).pk


def test_database_rejects_a_second_building_with_the_same_name_in_a_campaign():
    building = make_building(name="1栋")
    with pytest.raises(IntegrityError), transaction.atomic():
        Building.objects.create(campaign=building.campaign, name="1栋")


def test_two_campaigns_may_each_have_a_building_with_the_same_name():
    make_building(name="1栋")
    assert make_building(name="1栋").pk


def test_database_rejects_a_second_unit_with_the_same_name_in_a_building():
    unit = make_unit(name="1单元")
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(building=unit.building, name="1单元", floors=7)


def test_two_buildings_may_each_have_a_unit_with_the_same_name():
    make_unit(name="1单元")
    assert make_unit(name="1单元").pk


def test_database_rejects_a_unit_without_floors():
    with pytest.raises(IntegrityError, match="unit_floors_positive"), transaction.atomic():
        make_unit(floors=0)


def test_database_rejects_changing_a_unit_to_have_no_floors():
    unit = make_unit(floors=7)
    with pytest.raises(IntegrityError, match="unit_floors_positive"), transaction.atomic():
        Unit.objects.filter(pk=unit.pk).update(floors=0)


# Elevator


def test_database_rejects_a_second_elevator_for_the_same_unit():
    elevator = make_elevator()
    with pytest.raises(IntegrityError), transaction.atomic():
        Elevator.objects.create(unit=elevator.unit, install_year=2010, floors_served=10)


@pytest.mark.parametrize("year", [1949, 2101])
def test_database_rejects_an_implausible_install_year(year):
    with (
        pytest.raises(IntegrityError, match="elevator_install_year_plausible"),
        transaction.atomic(),
    ):
        make_elevator(install_year=year)


@pytest.mark.parametrize("year", [1950, 2100])
def test_install_years_at_the_edges_of_the_plausible_range_are_accepted(year):
    assert make_elevator(install_year=year).pk


def test_database_rejects_an_elevator_serving_no_floors():
    with (
        pytest.raises(IntegrityError, match="elevator_floors_served_positive"),
        transaction.atomic(),
    ):
        make_elevator(floors_served=0)


def test_database_rejects_a_negative_quote():
    with pytest.raises(IntegrityError, match="elevator_quote_not_negative"), transaction.atomic():
        make_elevator(quote=Decimal("-1.00"))


def test_an_elevator_without_a_quote_yet_is_accepted():
    assert make_elevator(quote=None).pk


# Timeline and deliberation


def test_database_rejects_two_milestones_with_the_same_title_in_a_campaign():
    campaign = make_campaign()
    Milestone.objects.create(campaign=campaign, title="设备进场", planned_on=date(2025, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.create(campaign=campaign, title="设备进场", planned_on=date(2025, 6, 1))


def test_two_campaigns_may_each_have_a_milestone_with_the_same_title():
    for campaign in (make_campaign(), make_campaign()):
        Milestone.objects.create(campaign=campaign, title="设备进场", planned_on=date(2025, 5, 1))
    assert Milestone.objects.filter(title="设备进场").count() == 2


def test_database_rejects_a_published_update_without_a_publication_time():
    with pytest.raises(IntegrityError, match="update_published_has_time"), transaction.atomic():
        ProgressUpdate.objects.create(
            campaign=make_campaign(), title="进度", body="导轨已安装", status="published"
        )


def test_a_draft_update_needs_no_publication_time():
    update = ProgressUpdate.objects.create(campaign=make_campaign(), title="进度", body="草稿")
    assert update.published_at is None


def test_database_rejects_publishing_a_question_that_has_no_answer():
    question = Question.objects.create(campaign=make_campaign(), body="一楼要出钱吗？")
    with pytest.raises(IntegrityError, match="question_published_has_answer"), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(status="published")


def test_an_answered_question_may_be_published():
    question = Question.objects.create(campaign=make_campaign(), body="一楼要出钱吗？")
    Question.objects.filter(pk=question.pk).update(
        status="published", answer="一楼免出资。", published_at=timezone.now()
    )
    assert Question.objects.get(pk=question.pk).status == "published"


def test_database_rejects_a_published_question_without_a_publishing_time():
    question = Question.objects.create(campaign=make_campaign(), body="一楼要出钱吗？")
    with (
        pytest.raises(IntegrityError, match="question_published_has_time"),
        transaction.atomic(),
    ):
        Question.objects.filter(pk=question.pk).update(status="published", answer="免出资。")
