"""The admin shows a secretary their own community's records, never another community's."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from campaigns.admin_scope import ScopedAdmin
from campaigns.models import Role
from consultations.models import Proposal
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
)

pytestmark = pytest.mark.django_db
DOMAIN_APPS = {"campaigns", "households", "consultations"}
DOMAIN_ADMINS = [
    (model, model_admin)
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label in DOMAIN_APPS
]


def a_community_with_everything():
    """One community's campaign with a signed household, its owner, a visit, a trace and
    the campaign's milestones, updates, meetings and questions; and its secretary."""
    draft = make_proposal()
    household = make_household(unit=draft.elevator.unit)
    make_share(proposal=draft, household=household)  # while it is a draft
    draft.status, draft.published_at = Proposal.Status.PUBLISHED, timezone.now()
    draft.save()
    make_consent(household=household, proposal=draft)
    campaign = household.unit.building.campaign
    make_owner(household=household, name="李桂兰")
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
