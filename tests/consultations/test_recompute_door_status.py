"""recompute_door_status: the stored door status checked against the records, and repaired."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from households.models import Household
from tests.factories import make_consent, make_household, make_visit

pytestmark = pytest.mark.django_db

fill_migration = importlib.import_module("consultations.migrations.0006_fill_door_status")


def recompute(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("recompute_door_status", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def doors() -> list[Household]:
    visited = make_household()
    make_visit(household=visited, attitude="undecided", next_step_on=None)
    signed = make_consent(household=make_household()).household
    return [visited, signed, make_household()]


def test_the_check_passes_when_every_stored_status_matches_the_records(doors):
    out, err = recompute("--check")
    assert "Every stored door status matches." in out
    assert err == ""


def test_the_check_fails_and_names_a_household_changed_behind_the_domain_methods_back(doors):
    visited, signed, _ = doors
    Household.objects.filter(pk=visited.pk).update(last_attitude="support", visit_count=5)
    Household.objects.filter(pk=signed.pk).update(decision="")
    err = StringIO()
    with pytest.raises(CommandError, match="2 households' stored door status differs") as error:
        call_command("recompute_door_status", "--check", stdout=StringIO(), stderr=err)
    assert error.value.returncode == 1  # the exit status of manage.py
    assert f"MISMATCH household {visited.pk}" in err.getvalue()
    assert "last_attitude 'support' ≠ 'undecided'" in err.getvalue()
    assert "visit_count 5 ≠ 1" in err.getvalue()
    assert f"MISMATCH household {signed.pk}" in err.getvalue()
    assert Household.objects.get(pk=visited.pk).visit_count == 5  # a check changes nothing


def test_without_check_it_repairs_the_households_that_differ_and_says_how_many(doors):
    visited, signed, _ = doors
    Household.objects.filter(pk=visited.pk).update(ever_reached=False)
    Household.objects.filter(pk=signed.pk).update(decision="disagree")
    out, _err = recompute()
    assert "Repaired 2 households." in out
    assert Household.objects.get(pk=visited.pk).ever_reached is True
    assert Household.objects.get(pk=signed.pk).decision == "agree"
    assert "Every stored door status matches." in recompute("--check")[0]
    assert "Repaired 0 households." in recompute()[0]


def test_the_migration_fills_the_columns_of_households_recorded_before_them(doors):
    Household.objects.update(visit_count=0, ever_reached=False, decision="", last_reached="")
    with pytest.raises(CommandError):
        recompute("--check")
    fill_migration.fill(apps, schema_editor=None)
    assert "Every stored door status matches." in recompute("--check")[0]


def test_the_demo_campaign_leaves_no_stored_status_to_repair():
    call_command("seed_demo", stdout=StringIO())
    assert Household.objects.exclude(visit_count=0).exists()
    assert Household.objects.exclude(decision="").exists()
    assert "Every stored door status matches." in recompute("--check")[0]
