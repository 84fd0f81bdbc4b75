"""The admin shows a secretary their own community's records, never another community's."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from campaigns.admin_scope import AdminForm, ScopedAdmin
from campaigns.models import Role, Unit
from consultations.models import Consent, Proposal, Visit
from households.models import Household, Person
from tests.factories import (
    make_assignment,
    make_consent,
    make_decision,
    make_household,
    make_meeting,
    make_milestone,
    make_owner,
    make_proposal,
    make_question,
    make_share,
    make_update,
    make_user,
    make_visit,
    same_person,
)

pytestmark = pytest.mark.django_db
DOMAIN_APPS = {"campaigns", "households", "consultations"}
DOMAIN_ADMINS = [
    (model, model_admin)
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label in DOMAIN_APPS
]


def a_community_with_everything():
    """One community's campaign with a signed household, its owner (a work unit), a visit, a
    trace and the campaign's milestones, updates, meetings and questions; and its secretary."""
    draft = make_proposal()
    household = make_household(unit=draft.elevator.unit)
    make_share(proposal=draft, household=household)  # while it is a draft
    draft.status, draft.published_at = Proposal.Status.PUBLISHED, timezone.now()
    draft.save()
    make_consent(household=household, proposal=draft)
    campaign = household.unit.building.campaign
    same_person(make_owner(household=household, name="李桂兰"), kind=Person.Kind.WORK_UNIT)
    make_visit(household=household, notes="独居老人，腿脚不便")
    household.trace_attempts.create(
        worker=make_user(), method="phone", result="reached", attempted_at=timezone.now()
    )
    make_milestone(campaign=campaign)
    make_update(campaign=campaign)
    make_decision(meeting=make_meeting(campaign=campaign))
    make_question(campaign=campaign)
    secretary = make_user(is_staff=True)
    make_assignment(user=secretary, role=Role.SECRETARY, community=campaign.community)
    return campaign.community, secretary


def visible_to(user, model_admin):
    request = RequestFactory().get("/admin/")
    request.user = user
    return list(model_admin.get_queryset(request))


def test_every_admin_of_the_domain_says_whose_records_it_shows():
    unscoped = [model._meta.label for model, ma in DOMAIN_ADMINS if not isinstance(ma, ScopedAdmin)]
    assert unscoped == []


@pytest.mark.parametrize(
    ("model", "model_admin"), DOMAIN_ADMINS, ids=[m._meta.label for m, _ in DOMAIN_ADMINS]
)
def test_a_secretary_sees_none_of_another_communitys_records(model, model_admin):
    _here, secretary = a_community_with_everything()
    _there, other = a_community_with_everything()
    theirs = set(visible_to(other, model_admin))
    mine = set(visible_to(secretary, model_admin))
    assert not mine & theirs
    everything = set(model._default_manager.all())
    assert mine | theirs <= everything
    if everything:  # made by a_community_with_everything: each secretary sees their own
        assert mine and theirs
    assert mine | theirs <= set(visible_to(make_user(is_superuser=True), model_admin))


def test_the_visit_list_and_its_choices_show_only_the_secretarys_community(client):
    _here, secretary = a_community_with_everything()
    there, _other = a_community_with_everything()
    client.force_login(secretary)
    listed = client.get(reverse("admin:consultations_visit_changelist"))
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == 1
    form = client.get(reverse("admin:consultations_visit_add")).context["adminform"].form
    households = form.fields["household"].queryset
    assert households.count() == 1
    assert not households.filter(unit__building__campaign__community=there).exists()


def test_a_secretary_places_only_people_new_or_already_in_their_community(client):
    """The issue: a secretary of community 2 made a worker of community 1 secretary of
    community 2 through this form, whose user list was not scoped."""
    _here, secretary = a_community_with_everything()
    there, _other = a_community_with_everything()
    worker_there = make_assignment(role=Role.GRID_WORKER).user  # of a third community
    mine = secretary.assignments.get().community
    worker_here = make_assignment(
        role=Role.GRID_WORKER, unit=Unit.objects.filter(building__campaign__community=mine)[0]
    ).user
    newcomer = make_user()
    client.force_login(secretary)
    form = client.get(reverse("admin:campaigns_assignment_add")).context["adminform"].form
    users = set(form.fields["user"].queryset)
    assert {newcomer, worker_here, secretary} <= users
    assert worker_there not in users and _other not in users
    assert set(form.fields["community"].queryset) == {mine}
    buildings = form.fields["building"].queryset
    assert not buildings.filter(campaign__community=there).exists()
    assert buildings.exists()


def test_a_secretary_cannot_place_someone_of_another_community_even_by_posting_their_id(
    client,
):
    _here, secretary = a_community_with_everything()
    worker_there = make_assignment(role=Role.GRID_WORKER).user
    mine = secretary.assignments.get().community
    client.force_login(secretary)
    data = {"user": worker_there.pk, "role": Role.SECRETARY, "community": mine.pk}
    response = client.post(reverse("admin:campaigns_assignment_add"), data)
    assert response.status_code == 200  # the form again, with the choice refused
    assert not worker_there.assignments.filter(role=Role.SECRETARY).exists()


def test_a_staff_account_without_a_secretarys_role_does_not_reach_the_admin(client):
    worker = make_assignment(role=Role.GRID_WORKER).user
    worker.is_staff = True
    worker.save()
    client.force_login(worker)
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:consultations_visit_changelist")).status_code == 302


def test_a_secretary_may_change_their_communitys_records_but_not_delete_signed_ones():
    _here, secretary = a_community_with_everything()
    request = RequestFactory().get("/admin/")
    request.user = secretary
    visit_admin = admin.site.get_model_admin(Visit)
    visit = visible_to(secretary, visit_admin)[0]
    assert visit_admin.has_change_permission(request, visit)
    assert not visit_admin.has_delete_permission(request, visit)
    household_admin = admin.site.get_model_admin(Household)
    assert household_admin.has_delete_permission(request, visit.household)
    assert admin.site.get_model_admin(Consent).has_view_permission(request)
    assert not admin.site.get_model_admin(Consent).has_change_permission(request)


def test_the_people_offered_in_any_admin_form_are_of_the_secretarys_community(client):
    _here, secretary = a_community_with_everything()
    mine = secretary.assignments.get().community
    unit_here = Unit.objects.filter(building__campaign__community=mine)[0]
    worker_here = make_assignment(role=Role.GRID_WORKER, unit=unit_here).user
    worker_there = make_assignment(role=Role.GRID_WORKER).user
    client.force_login(secretary)
    form = client.get(reverse("admin:consultations_visit_add")).context["adminform"].form
    people = set(form.fields["visitor"].queryset)
    assert worker_here in people and worker_there not in people


# the session, the user, their assignments, the visit (scoped), the ModelBackend's permissions
# (asked about the user admin's "add" link), the concerns, the household and visitor choices
QUERIES = {"change": 14, "history": 15}


def test_a_visits_admin_pages_cost_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    _here, secretary = a_community_with_everything()
    visit = visible_to(secretary, admin.site.get_model_admin(Visit))[0]
    client.force_login(secretary)
    for name in ["change", "history"]:
        url = reverse(f"admin:consultations_visit_{name}", args=[visit.pk])
        client.get(url)  # the process's content types are cached after the first page
        with django_assert_max_num_queries(QUERIES[name]):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("model", "model_admin"), DOMAIN_ADMINS, ids=[m._meta.label for m, _ in DOMAIN_ADMINS]
)
def test_every_admin_form_of_the_domain_refuses_what_the_portals_forms_refuse(model, model_admin):
    assert issubclass(model_admin.form, AdminForm)
    for inline in model_admin.inlines:
        assert issubclass(inline.form, AdminForm)


def test_the_admin_refuses_a_milestone_in_year_one_or_a_title_with_a_control_character(client):
    community, secretary = a_community_with_everything()
    milestone = community.campaigns.get().milestones.get()
    client.force_login(secretary)
    url = reverse("admin:campaigns_milestone_change", args=[milestone.pk])
    data = {
        "campaign": milestone.campaign_id,
        "title": "电梯\x01进场",
        "lead_days": 0,
        "planned_on": "0001-01-01",
        "done_on": "9999-12-31",
        "notes": "第一行\n第二行",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with its errors
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"title", "planned_on", "done_on"}
    assert "2000-01-01" in str(errors["planned_on"])
    milestone.refresh_from_db()
    assert milestone.planned_on.year > 2000 and "\x01" not in milestone.title


def test_a_person_is_seen_in_the_admin_with_its_flats_but_linked_only_on_the_people_screen(
    client,
):
    community, secretary = a_community_with_everything()
    person = Person.objects.get(community=community)
    client.force_login(secretary)
    page = client.get(reverse("admin:households_person_change", args=[person.pk]))
    assert page.status_code == 200 and "李**" in page.text and "李桂兰" not in page.text
    owner = person.titles.get()
    form = client.get(reverse("admin:households_owner_change", args=[owner.pk]))
    assert "person" not in form.context["adminform"].form.fields  # read only
    _there, other = a_community_with_everything()
    client.force_login(other)
    assert (
        client.get(reverse("admin:households_person_change", args=[person.pk])).status_code == 404
    )
