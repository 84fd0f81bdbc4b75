"""Who may see or change a household: the household alone is found by the same rule."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from households.access import get_household_for
from households.models import Role
from tests.factories import make_assignment, make_household, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("alone", [False, True])
def test_a_worker_gets_a_household_of_their_unit_and_nobody_elses(alone):
    mine, theirs = make_assignment(), make_assignment()
    here = make_household(unit=mine.unit)
    there = make_household(unit=theirs.unit)
    assert get_household_for(mine.user, here.pk, alone=alone) == here
    for pk in (there.pk, there.pk + 1000):
        with pytest.raises(Http404):
            get_household_for(mine.user, pk, alone=alone)


@pytest.mark.parametrize("alone", [False, True])
def test_someone_without_an_assignment_gets_no_household_and_a_superuser_gets_any(alone):
    household = make_household()
    with pytest.raises(Http404):
        get_household_for(make_user(), household.pk, alone=alone)
    assert get_household_for(make_user(is_superuser=True), household.pk, alone=alone) == household


@pytest.mark.parametrize("alone", [False, True])
def test_writing_needs_the_permission_asked_for(alone):
    lead = make_assignment(role=Role.BUILDING_LEAD)
    household = make_household(unit=lead.building.units.create(name="1单元", floors=6))
    with pytest.raises(PermissionDenied):
        get_household_for(lead.user, household.pk, write=True, perm="auth.add_user", alone=alone)


def test_the_household_alone_carries_its_own_fields_as_the_orm_reads_them():
    household = make_household(area="88.50", elderly=True)
    alone = get_household_for(make_user(is_superuser=True), household.pk, alone=True)
    assert (alone.elderly, alone.unit_id) == (True, household.unit_id)
    assert alone.area == Decimal("88.50") and isinstance(alone.area, Decimal)  # on SQLite too
