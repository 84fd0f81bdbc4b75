"""The secretary's audit trail shows who created, changed, exported or looked at what."""

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Role
from consultations.models import Visit
from households.models import AuditEvent, Owner
from tests.consultations.test_visit_logging import visit_form
from tests.factories import make_assignment, make_household, make_owner, make_visit, make_voted_unit

pytestmark = pytest.mark.django_db


def audit_page(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("audit_trail"))
    assert response.status_code == 200
    return response.text


def test_changes_made_through_the_portal_are_recorded_with_who_made_them():
    unit, households, _proposal = make_voted_unit(["agree"])
    household = households[0]
    worker = make_assignment(unit=unit).user
    client = Client()
    client.force_login(worker)
    response = client.post(
        reverse("consultations:log_visit", args=[household.pk]), visit_form(notes="第一次上门")
    )
    assert response.status_code == 302
    record = Visit.objects.get(household=household).history.get()
    assert record.history_user == worker and record.history_type == "+"
    client.post(
        reverse("consultations:edit_visit", args=[record.id]),
        visit_form(notes="第一次上门，已更正"),
    )
    assert [r.history_type for r in Visit.history.filter(id=record.id)] == ["~", "+"]


def test_the_trail_lists_history_and_events_of_the_secretarys_community_only():
    unit, households, _proposal = make_voted_unit(["agree"])
    household = households[0]
    community = unit.building.campaign.community
    secretary = make_assignment(role=Role.SECRETARY, community=community).user
    make_visit(household=household)
    owner = household.owners.get()
    owner.phone = "13812345678"
    owner.save()  # a change
    AuditEvent.record(secretary, AuditEvent.Action.EXPORTED, "登记表", community=community)
    stranger = make_household()
    make_owner(household=stranger, name="外人")
    html = audit_page(secretary)
    place = f"{unit.building.name}{unit.name} {household.room}"
    for words in ("住户", "产权人", "走访记录", "签字", "费用分摊方案", "修改", "导出", place):
        assert words in html, words
    elsewhere = f"{stranger.unit.building.name}{stranger.unit.name} {stranger.room}"
    assert elsewhere not in html
    assert "13812345678" not in html  # what changed is not shown, only that it changed


def test_the_trail_runs_the_same_queries_for_a_few_or_many_records(django_assert_max_num_queries):
    unit, _households, _proposal = make_voted_unit(["agree"])
    secretary = make_assignment(
        role=Role.SECRETARY, community=unit.building.campaign.community
    ).user
    client = Client()
    client.force_login(secretary)
    with django_assert_max_num_queries(14):
        client.get(reverse("audit_trail"))
    for i in range(30):
        household = make_household(unit=unit, room=f"x{i}", floor=1)
        make_owner(household=household)
        make_visit(household=household)
    with django_assert_max_num_queries(14):
        client.get(reverse("audit_trail"))


def test_only_secretaries_see_the_trail(client):
    client.force_login(make_assignment().user)
    assert client.get(reverse("audit_trail")).status_code == 403
    client.logout()
    assert client.get(reverse("audit_trail")).status_code == 302


def test_audit_events_are_never_edited():
    unit, _h, _p = make_voted_unit(["agree"])
    actor = make_assignment(unit=unit).user
    event = AuditEvent.record(
        actor, AuditEvent.Action.EXPORTED, "x", community=unit.building.campaign.community
    )
    event.subject = "changed"
    with pytest.raises(ValueError):
        event.save()
    assert Owner.objects.exists()
