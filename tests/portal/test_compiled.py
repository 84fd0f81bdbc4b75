"""Queries built by the ORM once per process give what the ORM itself gives."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import Unit
from consultations.models import Visit
from households.models import _scope_rows
from portal import compiled
from tests.factories import make_building, make_household, make_unit, make_visit

pytestmark = pytest.mark.django_db


def orm_rows(queryset) -> list[tuple]:
    return sorted(queryset)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    picks=st.tuples(
        st.lists(st.integers(0, 2), max_size=3, unique=True),
        st.lists(st.integers(0, 2), max_size=3, unique=True),
        st.lists(st.integers(0, 3), max_size=4, unique=True),
    )
)
def test_a_users_units_come_out_as_the_orm_gives_them_whatever_the_places(picks):
    buildings = [make_building() for _ in range(3)]
    units = [make_unit(building=buildings[i % 3]) for i in range(4)]
    communities = [b.campaign.community_id for b in buildings]
    groups = (
        [communities[i] for i in picks[0]],
        [buildings[i].pk for i in picks[1]],
        [units[i].pk for i in picks[2]],
    )
    if not any(groups):
        return  # the caller answers "no units" without asking
    assert sorted(compiled.rows(_scope_rows, *groups)) == orm_rows(_scope_rows(*groups))


def visits_latest_first(households):
    visits = Visit.objects.filter(household__in=households).order_by("-visited_at")
    return visits.values_list("visited_at", "next_step_on", "reached")


def test_dates_and_times_are_converted_as_the_orm_converts_them():
    household = make_household()
    now = timezone.now().replace(microsecond=0)
    make_visit(household=household, visited_at=now - timedelta(days=2))
    make_visit(household=household, visited_at=now, next_step_on=now.date() + timedelta(days=3))
    rows = compiled.rows(visits_latest_first, [household.pk])
    assert rows == [tuple(row) for row in visits_latest_first([household.pk])]
    assert rows[0][0] == now  # an aware datetime on SQLite as on PostgreSQL


def test_a_constant_the_query_carries_is_kept_in_every_run():
    household = make_household()
    make_visit(household=household, reached=Visit.Reached.NOBODY, attitude="")
    make_visit(household=household, reached=Visit.Reached.OWNER)

    def reached_someone(households):
        visits = Visit.objects.filter(household__in=households)
        return visits.exclude(reached=Visit.Reached.NOBODY).values_list("reached")

    assert compiled.rows(reached_someone, [household.pk]) == [("owner",)]


def test_each_shape_of_values_is_built_once():
    unit = make_unit()
    compiled._query_of.cache_clear()
    for _ in range(3):
        compiled.rows(_scope_rows, [], [], [unit.pk])
    compiled.rows(_scope_rows, [], [unit.building_id], [unit.pk])
    info = compiled._query_of.cache_info()
    assert (info.misses, info.hits) == (2, 2)


def test_a_query_that_does_not_use_every_value_given_is_refused():
    def first_only(ids):
        return Unit.objects.filter(pk__in=ids[:1]).values_list("pk")

    with pytest.raises(ValueError, match="each value given must be one parameter"):
        compiled.rows(first_only, [1, 2])
