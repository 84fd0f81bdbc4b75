"""Proposal pages: the secretary drafts, edits, previews and publishes; workers and leads of the
unit only look; nobody else even learns the unit exists."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from campaigns.models import Role
from consultations.models import FloorCoefficient, Proposal
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_community,
    make_elevator,
    make_household,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.django_db

D = Decimal
Status, Rule = Proposal.Status, Proposal.Rule
FLATS = [("101", 1, "60.00"), ("102", 1, "75.50"), ("201", 2, "88.50"), ("301", 3, "88.50")]
FLATS += [("302", 3, "101.30"), ("501", 5, "120.00"), ("601", 6, "88.77")]


@pytest.fixture
def place():
    community = make_community()
    building = make_building(campaign=make_campaign(community=community))
    unit = make_unit(building=building, floors=6)
    for room, floor, area in FLATS:
        make_household(unit=unit, room=room, floor=floor, area=D(area))
    elevator = make_elevator(unit=unit, quote=D("420000.00"))
    secretary = make_assignment(role=Role.SECRETARY, community=community).user
    return SimpleNamespace(community=community, building=building, unit=unit, elevator=elevator,
                           secretary=secretary)  # fmt: skip


@pytest.fixture
def secretary_client(client, place):
    client.force_login(place.secretary)
    return client


def url(name: str, pk: int) -> str:
    return reverse(f"consultations:{name}", args=[pk])


def draft_for(place, **figures) -> Proposal:
    draft = Proposal.new_draft(place.elevator, by=place.secretary)
    for name, value in figures.items():
        setattr(draft, name, value)
    draft.save()
    return draft


def edit_data(proposal: Proposal, **overrides) -> dict:
    """Everything the edit form posts, as the page would send it, with some values changed."""
    unit = proposal.elevator.unit
    households = list(proposal.households())
    coefficients = proposal.coefficient_map()
    data = {
        "total_cost": str(proposal.total_cost),
        "subsidy": str(proposal.subsidy),
        "maintenance_fund": str(proposal.maintenance_fund),
        "rule": proposal.rule,
        "ground_floor": proposal.ground_floor,
        "ground_floor_amount": str(proposal.ground_floor_amount),
        "notes": proposal.notes,
        "floors-TOTAL_FORMS": str(unit.floors),
        "floors-INITIAL_FORMS": str(unit.floors),
        "amounts-TOTAL_FORMS": str(len(households)),
        "amounts-INITIAL_FORMS": str(len(households)),
    }
    for index in range(unit.floors):
        data[f"floors-{index}-coefficient"] = str(coefficients.get(index + 1, D("1.000")))
    for index, household in enumerate(households):
        data[f"amounts-{index}-household"] = str(household.pk)
        data[f"amounts-{index}-amount"] = ""
    data.update(overrides)
    return data


def amount_fields(proposal: Proposal, amounts: dict[str, str]) -> dict:
    rooms = [h.room for h in proposal.households()]
    return {f"amounts-{rooms.index(room)}-amount": value for room, value in amounts.items()}


# The unit's versions


def test_the_unit_page_lists_every_version_newest_first(secretary_client, place):
    v1 = draft_for(place)
    v1.publish(by=place.secretary)
    draft_for(place, maintenance_fund=D("90000.00"))
    response = secretary_client.get(url("unit_proposals", place.unit.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert [p.version for p in response.context["proposals"]] == [2, 1]
    assert page.index(">v2</a>") < page.index(">v1</a>")  # not a bare "v1": CSRF tokens vary
    assert "¥180,000.00" in page  # v2's self-funded part
    assert "已公示（签字版本）" in page
    assert "起草新版本" in page


def test_the_secretary_drafts_a_new_version_and_lands_on_its_edit_page(secretary_client, place):
    response = secretary_client.post(url("new_proposal", place.unit.pk))
    draft = Proposal.objects.get(elevator=place.elevator)
    assert (draft.version, draft.status, draft.created_by) == (1, Status.DRAFT, place.secretary)
    assert response.status_code == 302
    assert response.url == url("edit_proposal", draft.pk)
    second = secretary_client.post(url("new_proposal", place.unit.pk))
    assert second.status_code == 302
    assert place.elevator.proposals.count() == 2


def test_a_unit_without_an_elevator_has_no_proposals_page(secretary_client, place):
    bare = make_unit(building=place.building)
    assert secretary_client.get(url("unit_proposals", bare.pk)).status_code == 404
    assert secretary_client.post(url("new_proposal", bare.pk)).status_code == 404


# The preview


def test_the_draft_preview_shows_every_households_share_adding_up_to_the_self_funded_part(
    secretary_client, place
):
    draft = draft_for(place, maintenance_fund=D("12345.67"))
    response = secretary_client.get(url("proposal", draft.pk))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.household.room for row in rows] == [room for room, _f, _a in FLATS]
    assert response.context["total"] == draft.self_funded == D("257654.33")
    page = response.content.decode()
    assert "¥257,654.33" in page
    assert "预览" in page
    assert url("publish_proposal", draft.pk) in page
    assert "一楼免出资" in page


def test_a_published_version_shows_the_shares_written_when_it_was_published(
    secretary_client, place
):
    v1 = draft_for(place)
    v1.publish(by=place.secretary)
    make_household(unit=place.unit, room="401", floor=4)  # arrives after publishing
    response = secretary_client.get(url("proposal", v1.pk))
    assert len(response.context["rows"]) == 7
    assert response.context["total"] == v1.self_funded
    page = response.content.decode()
    assert "已公示（签字版本）" in page
    assert url("publish_proposal", v1.pk) not in page
    assert url("edit_proposal", v1.pk) not in page


def test_a_superseded_version_says_which_version_replaced_it(secretary_client, place):
    v1 = draft_for(place)
    v1.publish(by=place.secretary)
    v2 = draft_for(place)
    v2.publish(by=place.secretary)
    page = secretary_client.get(url("proposal", v1.pk)).content.decode()
    assert "已被" in page
    assert f'<a href="{url("proposal", v2.pk)}">第 2 版</a>' in page


# Editing a draft


def test_editing_a_draft_saves_figures_coefficients_and_shows_the_preview(secretary_client, place):
    draft = draft_for(place)
    data = edit_data(
        draft,
        maintenance_fund="100000.00",
        rule=Rule.FLOOR_AREA,
        notes="维修资金十万",
        **{"floors-5-coefficient": "1.250"},
    )
    response = secretary_client.post(url("edit_proposal", draft.pk), data)
    assert response.status_code == 302
    assert response.url == url("proposal", draft.pk)
    draft.refresh_from_db()
    assert (draft.maintenance_fund, draft.self_funded) == (D("100000.00"), D("170000.00"))
    assert draft.notes == "维修资金十万"
    assert draft.coefficient_map()[6] == D("1.250")
    assert draft.coefficients.count() == 6


def test_the_edit_page_offers_one_coefficient_per_floor_and_one_amount_per_household(
    secretary_client, place
):
    draft = draft_for(place)
    response = secretary_client.get(url("edit_proposal", draft.pk))
    assert response.status_code == 200
    assert len(response.context["floors"].forms) == 6
    assert len(response.context["amounts"].forms) == 7
    assert 'name="floors-5-coefficient"' in response.content.decode()


def test_parts_exceeding_the_total_give_a_clear_message_and_save_nothing(secretary_client, place):
    draft = draft_for(place)
    data = edit_data(
        draft, total_cost="300000.00", subsidy="150000.00", maintenance_fund="150000.01"
    )
    response = secretary_client.post(url("edit_proposal", draft.pk), data)
    assert response.status_code == 422
    assert "政府补贴和维修资金之和" in response.content.decode()
    assert "不能超过总费用" in response.content.decode()
    draft.refresh_from_db()
    assert draft.total_cost == D("420000.00")


def test_a_negative_coefficient_is_a_field_error_and_saves_nothing(secretary_client, place):
    draft = draft_for(place)
    data = edit_data(draft, maintenance_fund="1.00", **{"floors-2-coefficient": "-0.100"})
    response = secretary_client.post(url("edit_proposal", draft.pk), data)
    assert response.status_code == 422
    assert response.context["floors"].forms[2].errors["coefficient"] == ["系数不能为负数。"]
    assert "系数不能为负数" in response.content.decode()
    draft.refresh_from_db()
    assert draft.maintenance_fund == D("0.00")
    assert draft.coefficient_map()[3] == D("1.000")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subsidy", "-1.00"),
        ("maintenance_fund", "-0.01"),
        ("ground_floor_amount", "-5"),
        ("total_cost", "420000.001"),
        ("subsidy", "abc"),
    ],
)
def test_negative_or_oddly_typed_money_is_a_field_error_shown_back(
    secretary_client, place, field, value
):
    draft = draft_for(place)
    data = edit_data(draft, notes="我写的说明", **{field: value})
    response = secretary_client.post(url("edit_proposal", draft.pk), data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    page = response.content.decode()
    assert f'value="{value}"' in page  # what was typed is still there
    assert "我写的说明" in page
    assert Proposal.objects.get(pk=draft.pk).notes == ""


def test_more_than_two_decimals_of_money_is_refused_with_a_message(secretary_client, place):
    draft = draft_for(place)
    response = secretary_client.post(
        url("edit_proposal", draft.pk), edit_data(draft, subsidy="100.123")
    )
    assert response.status_code == 422
    assert "2" in response.context["form"].errors["subsidy"][0]


def test_a_coefficient_with_more_than_three_decimals_is_refused(secretary_client, place):
    draft = draft_for(place)
    data = edit_data(draft, **{"floors-3-coefficient": "1.0001"})
    response = secretary_client.post(url("edit_proposal", draft.pk), data)
    assert response.status_code == 422
    assert response.context["floors"].forms[3].errors


def test_a_tampered_number_of_floor_rows_is_refused_with_a_message(secretary_client, place):
    draft = draft_for(place)
    data = edit_data(draft, **{"floors-TOTAL_FORMS": "2"})
    response = secretary_client.post(url("edit_proposal", draft.pk), data)
    assert response.status_code == 422
    assert "楼层数与本单元不一致" in response.content.decode()


def test_token_amounts_larger_than_the_self_funded_part_are_a_field_error(secretary_client, place):
    draft = draft_for(place)
    data = edit_data(
        draft, total_cost="150100.00", ground_floor="token", ground_floor_amount="50.01"
    )
    response = secretary_client.post(url("edit_proposal", draft.pk), data)
    assert response.status_code == 422
    assert "ground_floor_amount" in response.context["form"].errors


def test_fixed_amounts_are_saved_per_household(secretary_client, place):
    draft = draft_for(place, total_cost=D("150100.00"))
    amounts = {"101": "0", "102": "0", "201": "20.00", "301": "20.00", "302": "20.00"}
    amounts |= {"501": "20.00", "601": "20.00"}
    data = edit_data(draft, rule="fixed", **amount_fields(draft, amounts))
    response = secretary_client.post(url("edit_proposal", draft.pk), data)
    assert response.status_code == 302
    shares = {s.household.room: s.amount for s in draft.shares.select_related("household")}
    assert shares["201"] == D("20.00")
    assert sum(shares.values()) == D("100.00")
    preview = secretary_client.get(url("proposal", draft.pk))
    assert preview.context["total"] == D("100.00")
    assert preview.context["problem"] is None


def test_fixed_amounts_must_all_be_filled_in(secretary_client, place):
    draft = draft_for(place)
    data = edit_data(draft, rule="fixed", **amount_fields(draft, {"201": "5.00"}))
    response = secretary_client.post(url("edit_proposal", draft.pk), data)
    assert response.status_code == 422
    assert not draft.shares.exists()


def test_fixed_amounts_that_do_not_add_up_refuse_to_publish_with_a_message(secretary_client, place):
    draft = draft_for(place, total_cost=D("150100.00"))
    amounts = {"101": "0", "102": "0", "201": "20.00", "301": "20.00", "302": "20.00"}
    amounts |= {"501": "20.00", "601": "19.99"}
    data = edit_data(draft, rule="fixed", **amount_fields(draft, amounts))
    assert secretary_client.post(url("edit_proposal", draft.pk), data).status_code == 302

    preview = secretary_client.get(url("proposal", draft.pk)).content.decode()
    assert "相差 ¥0.01" in preview
    assert url("publish_proposal", draft.pk) not in preview
    response = secretary_client.post(url("publish_proposal", draft.pk))
    assert response.status_code == 409
    assert "相差 ¥0.01" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


# Publishing


def test_publishing_through_the_confirm_page_makes_it_the_version_households_sign(
    secretary_client, place
):
    v1 = draft_for(place)
    v1.publish(by=place.secretary)
    v2 = draft_for(place, maintenance_fund=D("50000.00"))
    confirm = secretary_client.get(url("publish_proposal", v2.pk))
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "确认公示第 2 版" in page
    assert "将被取代" in page
    response = secretary_client.post(url("publish_proposal", v2.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("proposal", v2.pk)
    assert "已公示" in response.content.decode()
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (Status.SUPERSEDED, Status.PUBLISHED)
    assert sum(v2.shares.values_list("amount", flat=True)) == D("220000.00")


def test_a_proposal_that_cannot_be_allocated_refuses_to_publish_with_a_message(
    secretary_client, place
):
    draft = draft_for(place)
    FloorCoefficient.objects.filter(proposal=draft).update(coefficient=D("0"))
    confirm = secretary_client.get(url("publish_proposal", draft.pk)).content.decode()
    assert "没有需要出资的住户" in confirm
    assert "确认公示" not in confirm
    response = secretary_client.post(url("publish_proposal", draft.pk))
    assert response.status_code == 409
    assert "没有需要出资的住户" in response.content.decode()
    assert Proposal.objects.get(pk=draft.pk).status == Status.DRAFT


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_published_version_cannot_be_edited_through_the_page(secretary_client, place, method):
    v1 = draft_for(place)
    v1.publish(by=place.secretary)
    data = edit_data(v1, maintenance_fund="1.00") if method == "post" else None
    response = getattr(secretary_client, method)(url("edit_proposal", v1.pk), data)
    assert response.status_code == 409
    assert "不能再修改" in response.content.decode()
    assert (
        "起草新版本" in response.content.decode() or "本单元全部方案" in response.content.decode()
    )
    v1.refresh_from_db()
    assert v1.maintenance_fund == D("0.00")


def test_a_published_version_cannot_be_published_again(secretary_client, place):
    v1 = draft_for(place)
    v1.publish(by=place.secretary)
    assert secretary_client.post(url("publish_proposal", v1.pk)).status_code == 409
    assert secretary_client.get(url("publish_proposal", v1.pk)).status_code == 409


def test_a_draft_published_by_someone_else_meanwhile_is_refused_on_save(secretary_client, place):
    draft = draft_for(place)
    page = secretary_client.get(url("edit_proposal", draft.pk))
    assert page.status_code == 200
    data = edit_data(draft, maintenance_fund="1.00")
    draft.publish(by=place.secretary)  # in another tab, a moment ago
    response = secretary_client.post(url("edit_proposal", draft.pk), data)
    assert response.status_code == 409
    assert Proposal.objects.get(pk=draft.pk).maintenance_fund == D("0.00")


# Who may see and change


def test_a_secretary_of_another_community_gets_404_everywhere(client, place):
    draft = draft_for(place)
    client.force_login(make_assignment(role=Role.SECRETARY).user)
    for name, pk in [("unit_proposals", place.unit.pk), ("proposal", draft.pk)]:
        assert client.get(url(name, pk)).status_code == 404
    for name, pk in [("edit_proposal", draft.pk), ("publish_proposal", draft.pk)]:
        assert client.get(url(name, pk)).status_code == 404
        assert client.post(url(name, pk)).status_code == 404
    assert client.post(url("new_proposal", place.unit.pk)).status_code == 404
    assert place.elevator.proposals.count() == 1


@pytest.mark.parametrize("role", ["grid_worker_of_the_unit", "lead_of_the_building"])
def test_grid_workers_and_leads_of_the_unit_may_look_but_not_change(client, place, role):
    if role == "grid_worker_of_the_unit":
        user = make_assignment(role=Role.GRID_WORKER, unit=place.unit).user
    else:
        user = make_assignment(role=Role.BUILDING_LEAD, building=place.building).user
    draft = draft_for(place)
    client.force_login(user)
    unit_page = client.get(url("unit_proposals", place.unit.pk))
    assert unit_page.status_code == 200
    assert url("new_proposal", place.unit.pk) not in unit_page.content.decode()
    preview = client.get(url("proposal", draft.pk))
    assert preview.status_code == 200
    assert url("edit_proposal", draft.pk) not in preview.content.decode()
    assert client.post(url("new_proposal", place.unit.pk)).status_code == 403
    assert client.get(url("edit_proposal", draft.pk)).status_code == 403
    assert client.post(url("edit_proposal", draft.pk), edit_data(draft)).status_code == 403
    assert client.get(url("publish_proposal", draft.pk)).status_code == 403
    assert client.post(url("publish_proposal", draft.pk)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert place.elevator.proposals.count() == 1


def test_a_grid_worker_of_another_building_gets_404(client, place):
    draft = draft_for(place)
    other = make_building(campaign=place.building.campaign)
    client.force_login(make_assignment(role=Role.GRID_WORKER, building=other).user)
    assert client.get(url("unit_proposals", place.unit.pk)).status_code == 404
    assert client.get(url("proposal", draft.pk)).status_code == 404


def test_a_stranger_gets_404(client, place):
    draft = draft_for(place)
    client.force_login(make_user())
    assert client.get(url("unit_proposals", place.unit.pk)).status_code == 404
    assert client.get(url("proposal", draft.pk)).status_code == 404
    assert client.post(url("new_proposal", place.unit.pk)).status_code == 404
    assert client.post(url("publish_proposal", draft.pk)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, place):
    draft = draft_for(place)
    for name, pk in [("unit_proposals", place.unit.pk), ("proposal", draft.pk)]:
        response = client.get(url(name, pk))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    response = client.post(url("publish_proposal", draft.pk))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Proposal.objects.get(pk=draft.pk).status == Status.DRAFT


def test_a_secretary_who_is_only_a_grid_worker_in_this_community_may_not_change(client, place):
    user = make_assignment(role=Role.SECRETARY).user  # secretary elsewhere
    make_assignment(user=user, role=Role.GRID_WORKER, unit=place.unit)
    draft = draft_for(place)
    client.force_login(user)
    assert client.get(url("proposal", draft.pk)).status_code == 200
    assert client.post(url("new_proposal", place.unit.pk)).status_code == 403
    assert client.post(url("publish_proposal", draft.pk)).status_code == 403


def test_a_superuser_may_draft_and_publish(client, place):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    assert client.post(url("new_proposal", place.unit.pk)).status_code == 302
    draft = place.elevator.proposals.get()
    assert client.post(url("publish_proposal", draft.pk)).status_code == 302


# A fixed number of queries whatever the number of households


def stairwell_of(size: int, community) -> tuple:
    unit = make_unit(building=make_building(campaign=make_campaign(community=community)), floors=20)
    for index in range(size):
        make_household(unit=unit, room=f"{index + 1:03d}", floor=index % 20 + 1)
    return unit, make_elevator(unit=unit)


@pytest.mark.parametrize("size", [5, 40])
@pytest.mark.parametrize("state", ["draft", "published", "superseded", "fixed"])
def test_the_proposal_page_runs_a_fixed_number_of_queries(
    secretary_client, place, django_assert_max_num_queries, size, state
):
    _unit, elevator = stairwell_of(size, place.community)
    proposal = Proposal.new_draft(elevator, by=place.secretary)
    if state == "fixed":
        proposal.rule = Rule.FIXED
        proposal.save_draft(
            proposal.coefficient_map(), {h.pk: D("1.00") for h in proposal.households()}
        )
    if state in {"published", "superseded"}:
        proposal.publish(by=place.secretary)
    if state == "superseded":
        Proposal.new_draft(elevator, by=place.secretary).publish(by=place.secretary)
    with django_assert_max_num_queries(9):  # with the matters put to the owners
        response = secretary_client.get(url("proposal", proposal.pk))
    assert response.status_code == 200
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [5, 40])
def test_the_publish_and_edit_pages_run_a_fixed_number_of_queries(
    secretary_client, place, django_assert_max_num_queries, size
):
    _unit, elevator = stairwell_of(size, place.community)
    draft = Proposal.new_draft(elevator, by=place.secretary)
    with django_assert_max_num_queries(10):  # with the matters put to the owners
        assert secretary_client.get(url("publish_proposal", draft.pk)).status_code == 200
    with django_assert_max_num_queries(9):
        assert secretary_client.get(url("edit_proposal", draft.pk)).status_code == 200


@pytest.mark.parametrize("versions", [1, 8])
def test_the_unit_page_runs_a_fixed_number_of_queries(
    secretary_client, place, django_assert_max_num_queries, versions
):
    for _ in range(versions):
        Proposal.new_draft(place.elevator, by=place.secretary)
    with django_assert_max_num_queries(6):
        response = secretary_client.get(url("unit_proposals", place.unit.pk))
    assert response.status_code == 200
