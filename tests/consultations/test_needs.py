"""Needs recorded at the door: grid workers and building leads write down who is over 70,
who has trouble walking, who lives alone, who needs help while the lift is out, how urgent
it is and a note, on the household page or in the 需求 fold of the visit form."""

import re

import pytest
from django.urls import reverse

from campaigns.models import Role
from consultations.models import Visit
from households.models import Household, Urgency
from tests.consultations.test_visit_logging import post_visit, visit_form
from tests.factories import make_assignment, make_building, make_household, make_unit

pytestmark = pytest.mark.django_db

NEEDS = {
    "elderly": "on",
    "lives_alone": "on",
    "needs_outage_help": "on",
    "urgency": "urgent",
    "needs_note": "独居老人，住七楼，停梯期间需要有人送餐。",
}


def post_needs(client, household, data, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    url = reverse("consultations:record_needs", args=[household.pk])
    return client.post(url, data, headers=headers)


@pytest.fixture
def lead(client):
    """A building lead logged in; a household in a unit of their building."""
    assignment = make_assignment(role=Role.BUILDING_LEAD)
    household = make_household(unit=make_unit(building=assignment.building), room="702")
    client.force_login(assignment.user)
    return household, assignment.user


def test_a_building_lead_records_the_needs_of_a_household_of_their_building(client, lead):
    household, _user = lead
    response = post_needs(client, household, NEEDS)
    assert response.status_code == 302 and response.url.endswith("#needs")
    household.refresh_from_db()
    assert household.elderly and household.lives_alone and household.needs_outage_help
    assert not household.mobility_impaired
    assert household.urgency == Urgency.URGENT
    assert household.needs_note.startswith("独居老人")


def test_the_history_records_who_changed_the_needs(client, lead):
    household, user = lead
    post_needs(client, household, NEEDS)
    latest = Household.history.filter(id=household.pk).latest("history_date")
    assert latest.history_user == user and latest.lives_alone


def test_a_grid_worker_records_needs_inline_and_gets_the_section_back(client):
    worker = make_assignment()
    household = make_household(unit=worker.unit)
    client.force_login(worker.user)
    response = post_needs(client, household, {**NEEDS, "urgency": "high"}, htmx=True)
    assert response.status_code == 200
    assert 'id="needs"' in response.text and "需求已更新" in response.text
    assert "<html" not in response.text
    household.refresh_from_db()
    assert household.urgency == Urgency.HIGH


def test_a_lead_may_not_record_needs_in_another_building(client, lead):
    _household, _user = lead
    stranger = make_household()
    assert post_needs(client, stranger, NEEDS).status_code == 404


def test_a_secretary_of_another_community_cannot_reach_the_needs(client):
    household = make_household()
    client.force_login(make_assignment(role=Role.SECRETARY).user)
    assert post_needs(client, household, NEEDS).status_code == 404


def test_bad_needs_get_a_clear_message_and_keep_what_was_typed(client, lead):
    household, _user = lead
    for htmx in (False, True):
        response = post_needs(client, household, {**NEEDS, "urgency": "very"}, htmx=htmx)
        assert response.status_code == 422
        assert "有几项需要修改" in response.text and "住七楼" in response.text
    household.refresh_from_db()
    assert household.urgency == "" and not household.elderly


def test_the_household_page_shows_the_needs_and_the_form_to_change_them(client, lead):
    household, _user = lead
    Household.objects.filter(pk=household.pk).update(lives_alone=True, urgency=Urgency.NORMAL)
    html = client.get(household.get_absolute_url()).text
    assert "独居" in html and "紧迫程度：一般" in html
    assert reverse("consultations:record_needs", args=[household.pk]) in html


def test_getting_the_needs_address_opens_the_household_page_with_the_form(client, lead):
    household, _user = lead
    response = client.get(reverse("consultations:record_needs", args=[household.pk]))
    assert response.status_code == 302 and response.url.endswith("?needs=1#needs")


def test_the_visit_form_carries_a_needs_fold_that_updates_the_household(client, lead):
    household, _user = lead
    data = visit_form(**{"needs-present": "1", "needs-mobility_impaired": "on"})
    data["needs-urgency"] = "high"
    assert post_visit(client, household, data).status_code == 302
    household.refresh_from_db()
    assert household.mobility_impaired and household.urgency == Urgency.HIGH
    assert Visit.objects.filter(household=household).count() == 1


def test_a_visit_posted_without_the_fold_leaves_the_needs_as_they_were(client, lead):
    household, _user = lead
    Household.objects.filter(pk=household.pk).update(elderly=True, urgency=Urgency.URGENT)
    assert post_visit(client, household, visit_form()).status_code == 302
    household.refresh_from_db()
    assert household.elderly and household.urgency == Urgency.URGENT


def test_a_bad_needs_fold_saves_no_visit_and_shows_the_form_again(client, lead):
    household, _user = lead
    data = visit_form(**{"needs-present": "1", "needs-urgency": "very"})
    response = post_visit(client, household, data, htmx=True)
    assert response.status_code == 422 and "needs-fold" in response.text
    assert not Visit.objects.filter(household=household).exists()


def test_the_open_visit_form_shows_the_fold_with_the_needs_on_record(client, lead):
    household, _user = lead
    Household.objects.filter(pk=household.pk).update(lives_alone=True)
    url = reverse("consultations:log_visit", args=[household.pk]) + "?return_to=list"
    html = client.get(url, headers={"HX-Request": "true"}).text
    assert re.search(r'<input type="checkbox" name="needs-lives_alone"[^>]* checked', html)


def test_the_walk_sheet_names_the_needs_in_a_word(client):
    household = make_household(lives_alone=True, needs_outage_help=True, urgency=Urgency.URGENT)
    assert household.need_labels == ["独居", "停梯需帮助", "紧急"]
    assert make_household(urgency=Urgency.NONE).need_labels == []


def test_leads_in_another_building_of_the_same_campaign_see_nothing(client, lead):
    household, _user = lead
    other = make_household(
        unit=make_unit(building=make_building(campaign=household.unit.building.campaign))
    )
    assert client.get(other.get_absolute_url()).status_code == 404


def test_a_refused_needs_form_shows_the_needs_on_record_beside_what_was_typed(client, lead):
    household, _user = lead
    response = post_needs(client, household, {**NEEDS, "urgency": "very"})
    section = response.text.split('id="needs"')[1].split("<details")[0]
    assert "尚未记录需求" in section  # nothing was saved, and the page does not pretend it was
