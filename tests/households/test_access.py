"""Who may see or change a household."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from campaigns.models import Role
from households.access import get_household_for
from tests.factories import make_assignment, make_household, make_user

pytestmark = pytest.mark.django_db


def test_a_worker_gets_a_household_of_their_unit_and_nobody_elses():
    mine, theirs = make_assignment(), make_assignment()
    here = make_household(unit=mine.unit)
    there = make_household(unit=theirs.unit)
    assert get_household_for(mine.user, here.pk) == here
    for pk in (there.pk, there.pk + 1000):
        with pytest.raises(Http404):
            get_household_for(mine.user, pk)


def test_someone_without_an_assignment_gets_no_household_and_a_superuser_gets_any():
    household = make_household()
    with pytest.raises(Http404):
        get_household_for(make_user(), household.pk)
    assert get_household_for(make_user(is_superuser=True), household.pk) == household


def test_writing_needs_the_permission_asked_for():
    lead = make_assignment(role=Role.BUILDING_LEAD)
    household = make_household(unit=lead.building.units.create(name="1单元", floors=6))
    with pytest.raises(PermissionDenied):
        get_household_for(lead.user, household.pk, write=True, perm="auth.add_user")
