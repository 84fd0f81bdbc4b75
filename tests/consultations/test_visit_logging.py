import re
import threading
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.access import may
from campaigns.models import Assignment, Role
from consultations.models import Proposal, Visit
from consultations.views.household import OFFLINE_REPLAY
from households.models import Household, OwnerTrace
from tests.factories import (
    make_assignment,
    make_elevator,
    make_household,
    make_proposal,
    make_share,
    make_visit,
)

pytestmark = pytest.mark.django_db


def visit_form(**overrides) -> dict:
    now = timezone.localtime().replace(second=0, microsecond=0)
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "channel": "door",
        "reached": "owner",
        "attitude": "support",
        "concerns": ["cost", "noise"],
        "notes": "老人盼着换电梯，担心中午施工吵。",
        "next_step": "协调会后回访",
        "next_step_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
        "visited_at": now.strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def door(client):
    """A grid worker logged in, standing at one of their doors."""
    assignment = make_assignment()
    household = make_household(unit=assignment.unit, floor=3, room="301")
    client.force_login(assignment.user)
    return household, assignment.user


def post_visit(client, household, data, htmx=False, return_to="household"):
    headers = {"HX-Request": "true"} if htmx else {}
    url = reverse("consultations:log_visit", args=[household.pk])
    return client.post(url, {**data, "return_to": return_to}, headers=headers)


def test_a_visit_with_two_concerns_is_saved_and_the_browser_is_sent_back_to_the_household(
    client, door
):
    household, worker = door
    response = post_visit(client, household, visit_form())
    assert response.status_code == 302
    assert response.url == household.get_absolute_url() + "#visits"
    visit = Visit.objects.get(household=household)
    assert visit.visitor == worker
    assert visit.attitude == "support"
    assert sorted(visit.concern_values) == ["cost", "noise"]


def test_an_htmx_visit_returns_the_updated_timeline_with_a_fresh_form(client, door):
    household, _worker = door
    data = visit_form()
    response = post_visit(client, household, data, htmx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="visits"')
    assert "老人盼着换电梯" in response.text
    assert "走访记录已保存" in response.text
    assert data["idempotency_key"] not in response.text  # the next visit gets a new key


def test_a_visit_logged_from_the_list_returns_the_updated_row_and_counts(client, door):
    household, _worker = door
    response = post_visit(client, household, visit_form(), htmx=True, return_to="list")
    assert response.text.lstrip().startswith(f'<li id="door-{household.pk}"')
    assert "已走访：支持" in response.text
    assert 'id="door-counts" class="counts lead" hx-swap-oob="true"' in response.text
    assert "1 户：已接触 1 户，还差 0 户" in response.text


@pytest.mark.parametrize("neighbours", [2, 40])
def test_a_visit_saved_from_the_list_runs_the_same_queries_however_long_the_list(
    client, door, neighbours, django_assert_max_num_queries
):
    household, _worker = door
    for floor in range(neighbours):
        make_visit(household=make_household(unit=household.unit, floor=floor % 6 + 1))
    with django_assert_max_num_queries(23):  # each of the two concerns writes three rows
        response = post_visit(client, household, visit_form(), htmx=True, return_to="list")
    assert f"{neighbours + 1} 户：已接触 {neighbours + 1} 户，还差 0 户" in response.text


def test_the_same_form_posted_twice_creates_one_visit_and_both_answers_succeed(client, door):
    household, _worker = door
    data = visit_form()
    first = post_visit(client, household, data)
    second = post_visit(client, household, data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert second.url == first.url
    assert Visit.objects.filter(household=household).count() == 1


def test_a_retried_htmx_post_answers_like_the_first_and_saves_nothing_new(client, door):
    household, _worker = door
    data = visit_form()
    first = post_visit(client, household, data, htmx=True)
    retry = post_visit(client, household, data, htmx=True)
    assert retry.status_code == first.status_code == 200
    assert "走访记录已保存" in retry.text
    assert Visit.objects.filter(household=household).count() == 1


def test_a_key_already_used_for_another_household_is_refused(client, door):
    household, _worker = door
    neighbour = make_household(unit=household.unit, floor=3, room="302")
    data = visit_form()
    post_visit(client, household, data)
    response = post_visit(client, neighbour, data)
    assert response.status_code == 409
    assert not Visit.objects.filter(household=neighbour).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_of_the_same_form_create_exactly_one_visit():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that serves concurrent writers (PostgreSQL)")
    assignment = make_assignment()
    household = make_household(unit=assignment.unit)
    data = {**visit_form(), "return_to": "household"}
    url = reverse("consultations:log_visit", args=[household.pk])
    start = threading.Barrier(4)
    statuses = []

    def post():
        client = Client()
        client.force_login(assignment.user)
        start.wait()
        statuses.append(client.post(url, data).status_code)
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 4
    assert Visit.objects.filter(household=household).count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"visited_at": (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")},
            "走访时间不能晚于现在",
        ),
        (
            {"next_step_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "下一步日期不能早于今天",
        ),
        ({"notes": "很" * 100_000}, "5000"),
        ({"channel": "carrier-pigeon"}, "carrier-pigeon"),
        ({"concerns": ["cost", "aliens"]}, "aliens"),
        ({"reached": None}, "请选择接触对象"),
        ({"idempotency_key": "not-a-uuid"}, "UUID"),
        ({"visited_at": "yesterday-ish"}, "走访时间"),
        ({"next_step": "协调会后回访\x01"}, "控制字符"),
        ({"notes": "第一行\n\x1b[31m第二行"}, "控制字符"),
    ],
)
def test_bad_input_gets_a_clear_message_keeps_what_was_typed_and_saves_nothing(
    client, door, overrides, message
):
    household, _worker = door
    earlier = make_visit(household=household, notes="上次的记录")
    data = visit_form(**{"notes": "这次记下的话，不能丢", **overrides})
    for htmx in (False, True):
        response = post_visit(client, household, data, htmx=htmx)
        assert response.status_code == 422
        text = response.content.decode()
        assert message in text or message in str(response.context["form"].errors)
        assert "有几项需要修改" in text
        if "notes" not in overrides:
            assert "这次记下的话，不能丢" in text
    assert list(Visit.objects.filter(household=household)) == [earlier]


def open_form(client, household) -> str:
    url = reverse("consultations:log_visit", args=[household.pk])
    return client.get(url, headers={"HX-Request": "true"}).text


def test_the_visit_form_preselects_nobody_as_the_person_reached(client, door):
    pills = re.findall(r'<input[^>]*name="reached"[^>]*>', open_form(client, door[0]))
    assert len(pills) == len(Visit.Reached.choices)
    assert not [pill for pill in pills if "checked" in pill]


def test_an_attitude_tapped_when_nobody_was_home_is_ignored_and_the_visit_saved(client, door):
    household, _worker = door
    response = post_visit(client, household, visit_form(reached="nobody", attitude="support"))
    assert response.status_code == 302
    assert Visit.objects.get(household=household).attitude == ""


def test_a_visit_may_record_that_the_person_reached_said_nothing_either_way(client, door):
    household, _worker = door
    post_visit(client, household, visit_form(attitude="no_stance"))
    assert Visit.objects.get(household=household).get_attitude_display() == "未表态"


def untraced_absentee(household) -> Household:
    Household.objects.filter(pk=household.pk).update(
        occupancy=Household.Occupancy.ABSENTEE, owner_trace=OwnerTrace.UNKNOWN
    )
    return household


def test_saving_owner_reached_at_an_untraced_absentee_door_asks_to_confirm_and_saves_nothing(
    client, door
):
    household = untraced_absentee(door[0])
    for htmx in (False, True):
        response = post_visit(client, household, visit_form(), htmx=htmx)
        assert response.status_code == 422
        assert "还没有联系上" in response.text
        assert 'name="owner_confirmed"' in response.text
        assert "老人盼着换电梯" in response.text
    assert not Visit.objects.filter(household=household).exists()


def test_a_confirmed_owner_at_an_untraced_absentee_door_is_saved(client, door):
    household = untraced_absentee(door[0])
    response = post_visit(client, household, visit_form(owner_confirmed="on"))
    assert response.status_code == 302
    assert Visit.objects.get(household=household).reached == "owner"


@pytest.mark.parametrize(
    ("occupancy", "trace", "reached"),
    [
        ("owner_occupied", "unknown", "owner"),  # the owner lives here
        ("absentee", "reached", "owner"),  # the owner was found
        ("absentee", "unknown", "tenant"),  # nobody says it was the owner
    ],
)
def test_no_confirmation_is_asked_when_the_records_agree(client, door, occupancy, trace, reached):
    household = door[0]
    Household.objects.filter(pk=household.pk).update(occupancy=occupancy, owner_trace=trace)
    household.refresh_from_db()
    response = post_visit(client, household, visit_form(reached=reached))
    assert response.status_code == 302


def test_the_visit_form_asks_enter_to_move_to_the_next_field(client, door):
    assert open_form(client, door[0]).count('enterkeyhint="next"') == 3  # next step, date, time


def test_notes_keep_their_line_breaks_and_tabs(client, door):
    household, _worker = door
    post_visit(client, household, visit_form(notes="第一行\r\n\t第二行"))
    assert Visit.objects.get(household=household).notes == "第一行\r\n\t第二行"


def test_the_admin_refuses_control_characters_in_a_visit_too(door):
    household, _worker = door
    visit = make_visit(household=household)
    visit.notes, visit.next_step = "记录\x07", "回访\x01"
    with pytest.raises(ValidationError) as refused:
        visit.full_clean()
    assert set(refused.value.message_dict) == {"notes", "next_step"}


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "1999-12-31T23:59"])
def test_a_visit_dated_before_2000_is_refused_with_a_message_and_saves_nothing(client, door, when):
    household, _worker = door
    response = post_visit(client, household, visit_form(visited_at=when))
    assert response.status_code == 422 and "2000" in response.text
    assert not Visit.objects.exists()


def test_a_post_without_a_csrf_token_is_refused(door):
    household, worker = door
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    assert post_visit(client, household, visit_form()).status_code == 403
    assert not Visit.objects.exists()


def test_a_worker_cannot_log_a_visit_at_a_door_outside_their_assignment(client, door):
    _household, _worker = door
    elsewhere = make_household()
    assert post_visit(client, elsewhere, visit_form()).status_code == 404
    assert not Visit.objects.filter(household=elsewhere).exists()


def test_the_visit_form_opens_inline_for_htmx_and_on_the_household_page_without_it(client, door):
    household, _worker = door
    url = reverse("consultations:log_visit", args=[household.pk])
    inline = client.get(url + "?return_to=list", headers={"HX-Request": "true"})
    assert inline.text.lstrip().startswith(f'<li id="door-{household.pk}"')
    assert 'name="idempotency_key"' in inline.text
    plain = client.get(url)
    assert plain.status_code == 302
    assert plain.url == household.get_absolute_url() + "?log=1#log"
    page = client.get(plain.url)
    assert '<details id="log" class="log" open>' in page.text


def test_a_correction_is_an_edit_that_keeps_who_changed_what_and_when(client, door):
    household, worker = door
    visit = make_visit(household=household, visitor=worker, attitude="undecided", notes="原话")
    url = reverse("consultations:edit_visit", args=[visit.pk])
    data = visit_form(attitude="support", notes="更正后的记录", concerns=["fund"])
    data.pop("idempotency_key")
    response = client.post(url, data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.attitude, visit.notes, visit.concern_values) == (
        "support",
        "更正后的记录",
        ["fund"],
    )
    history = list(visit.history.order_by("history_date"))
    assert [h.attitude for h in history] == ["undecided", "support"]
    assert history[-1].history_user == worker
    assert idempotency_unchanged(visit)
    household.refresh_from_db()
    assert household.last_attitude == "support"  # the door lists show the correction
    page = client.get(url)
    assert "修改记录" in page.text


def idempotency_unchanged(visit) -> bool:
    return visit.history.values("idempotency_key").distinct().count() == 1


def test_workers_may_not_delete_visits(door):
    household, worker = door
    assert may(worker, "consultations.add_visit", household)
    assert not may(worker, "consultations.delete_visit", household)


def test_a_lead_may_log_visits_but_not_owner_traces(client):
    lead = make_assignment(role=Role.BUILDING_LEAD)
    from tests.factories import make_unit

    household = make_household(
        unit=make_unit(building=lead.building), occupancy="absentee", floor=2, room="201"
    )
    client.force_login(lead.user)
    assert post_visit(client, household, visit_form(reached="tenant")).status_code == 302
    trace = reverse("consultations:log_trace", args=[household.pk])
    assert client.post(trace, {"method": "phone", "result": "reached"}).status_code == 403


def test_a_visit_saved_on_the_household_page_offers_the_signature_next(client, door):
    household, _worker = door
    proposal = make_proposal(elevator=make_elevator(unit=household.unit))
    make_share(proposal=proposal, household=household)
    Proposal.objects.filter(pk=proposal.pk).update(status="published", published_at=timezone.now())
    response = post_visit(client, household, visit_form(), htmx=True)
    saved = response.text.split('class="saved"')[1].split("</p>")[0]
    assert reverse("consultations:sign", args=[household.pk]) in saved


def test_a_visit_saved_before_any_proposal_is_published_offers_no_signature(client, door):
    household, _worker = door
    response = post_visit(client, household, visit_form(), htmx=True)
    assert reverse("consultations:sign", args=[household.pk]) not in response.text


def test_a_visit_sent_from_the_offline_queue_keeps_the_second_it_was_taken(client, door):
    household, _worker = door
    taken = timezone.now().replace(microsecond=250000) - timedelta(minutes=40)
    data = visit_form(visited_at=taken.isoformat().replace("+00:00", "Z"))
    response = post_visit(client, household, data, htmx=True)
    assert response.status_code == 200
    visit = Visit.objects.get()
    assert visit.visited_at == taken
    assert visit.created_at > taken + timedelta(minutes=39)


def test_an_offline_visit_for_a_household_that_left_the_workers_scope_is_refused_in_words(
    client, door
):
    household, worker = door
    Assignment.objects.filter(user=worker).delete()  # the assignment ended meanwhile
    url = reverse("consultations:log_visit", args=[household.pk])
    headers = {"HX-Request": "true", OFFLINE_REPLAY: "1"}
    response = client.post(url, {**visit_form(), "return_to": "household"}, headers=headers)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/plain")
    assert "这一户已不在您负责的范围内，这条离线记录没有保存" in response.text
    assert not Visit.objects.exists()
    # a page's own post (not the offline queue) still gets the plain 404
    assert post_visit(client, household, visit_form(), htmx=True).status_code == 404
