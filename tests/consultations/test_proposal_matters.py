"""The matters of a draft proposal on the secretary's pages: listed (the implicit default one
included), added, changed and removed with their numbers kept 1..n; a rule weaker than the law's
is refused on the field with what was typed kept; a published version shows them read-only."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from campaigns.models import Role
from consultations.models import Item, Matter, Proposal
from consultations.models.proposals import ProposalError, ProposalLocked
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_community,
    make_elevator,
    make_household,
    make_matter,
    make_unit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    community = make_community()
    campaign = make_campaign(community=community, consent_rule="unanimous")
    unit = make_unit(building=make_building(campaign=campaign), floors=3)
    for room, floor in [("101", 1), ("201", 2), ("301", 3)]:
        make_household(unit=unit, room=room, floor=floor, area=Decimal("80.00"))
    elevator = make_elevator(unit=unit, quote=Decimal("300000.00"))
    secretary = make_assignment(role=Role.SECRETARY, community=community).user
    draft = Proposal.new_draft(elevator, by=secretary)
    return SimpleNamespace(unit=unit, elevator=elevator, secretary=secretary, draft=draft)


@pytest.fixture
def secretary_client(client, place):
    client.force_login(place.secretary)
    return client


def url(name: str, *args) -> str:
    return reverse(f"consultations:{name}", args=args)


def stored(proposal) -> list[tuple]:
    return list(proposal.matters.order_by("number").values_list("number", "item", "rule", "title"))


FUND = {"title": "使用维修资金更新电梯", "item": "5", "rule": ""}
SPLIT = {"title": "费用分摊方案", "item": "7", "rule": "unanimous"}


# The model: append, keep, remove


def test_appending_to_a_draft_without_matters_stores_the_default_first(place):
    added = Matter.objects.append(
        place.draft, item=Item.USE_FUND, rule="majority", title="维修资金"
    )
    assert added.number == 2
    assert [m[0] for m in stored(place.draft)] == [1, 2]
    assert stored(place.draft)[0][2] == "unanimous"  # the default: the campaign's rule


def test_removing_a_matter_moves_the_later_ones_up_with_no_gap(place):
    for number, title in enumerate(["一", "二", "三", "四"], start=1):
        make_matter(place.draft, number, Item.OTHER, "majority", title)
    place.draft.matters.get(number=2).remove()
    assert [(n, t) for n, _i, _r, t in stored(place.draft)] == [(1, "一"), (2, "三"), (3, "四")]


def test_the_last_matter_of_a_ballot_cannot_be_removed(place):
    only = make_matter(place.draft, 1, Item.USE_FUND, "majority")
    with pytest.raises(ProposalError):
        only.remove()
    assert stored(place.draft) == [(1, 5, "majority", only.title)]


def test_a_published_proposals_matters_cannot_be_appended_changed_or_removed(place):
    first = make_matter(place.draft, 1, Item.USE_FUND, "majority")
    make_matter(place.draft, 2, Item.ALTER, "unanimous")
    place.draft.publish(by=place.secretary)
    with pytest.raises(ProposalLocked):
        Matter.objects.append(place.draft, item=Item.OTHER, rule="majority", title="又一项")
    first.title = "改过"
    with pytest.raises(ProposalLocked):
        first.keep()
    with pytest.raises(ProposalLocked):
        first.remove()
    assert len(stored(place.draft)) == 2


# The pages


def test_a_draft_without_matters_shows_the_implicit_default_one(secretary_client, place):
    response = secretary_client.get(url("proposal", place.draft.pk))
    assert [m.number for m in response.context["ballot"]] == [1]
    assert "默认事项" in response.content.decode()
    assert url("add_matter", place.draft.pk) in response.content.decode()


def test_the_secretary_adds_a_matter_whose_rule_defaults_from_its_item(secretary_client, place):
    response = secretary_client.post(url("add_matter", place.draft.pk), FUND)
    assert response.status_code == 302
    assert response["Location"].endswith("#matters")
    assert stored(place.draft)[1] == (2, 5, "majority", "使用维修资金更新电梯")


def test_a_rule_weaker_than_the_law_is_refused_on_the_field_with_what_was_typed_kept(
    secretary_client, place
):
    typed = {"title": "加装电梯井道", "item": "7", "rule": "majority"}
    response = secretary_client.post(url("add_matter", place.draft.pk), typed)
    assert response.status_code == 422
    form = response.context["form"]
    assert "不能更低" in " ".join(form.errors["rule"])
    page = response.content.decode()
    assert "加装电梯井道" in page
    assert re.search(r'value="majority"[^>]*checked', page) and re.search(
        r'value="7"[^>]*checked', page
    )
    assert stored(place.draft) == []


def test_a_campaign_may_demand_more_than_the_law(secretary_client, place):
    stricter = {"title": "使用维修资金", "item": "5", "rule": "unanimous"}
    assert secretary_client.post(url("add_matter", place.draft.pk), stricter).status_code == 302
    assert stored(place.draft)[1][2] == "unanimous"


def test_a_missing_title_or_item_is_a_field_error(secretary_client, place):
    response = secretary_client.post(url("add_matter", place.draft.pk), {"rule": "majority"})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"title", "item"}


def test_editing_the_implicit_default_stores_it(secretary_client, place):
    response = secretary_client.post(url("edit_matter", place.draft.pk, 1), SPLIT)
    assert response.status_code == 302
    assert stored(place.draft) == [(1, 7, "unanimous", "费用分摊方案")]


def test_editing_a_stored_matter_changes_it_in_place(secretary_client, place):
    make_matter(place.draft, 1, Item.USE_FUND, "majority", "旧标题")
    make_matter(place.draft, 2, Item.ALTER, "three_quarters")
    changed = {"title": "新标题", "item": "5", "rule": "three_quarters"}
    assert secretary_client.post(url("edit_matter", place.draft.pk, 1), changed).status_code == 302
    assert stored(place.draft)[0] == (1, 5, "three_quarters", "新标题")
    assert len(stored(place.draft)) == 2


def test_removing_a_matter_through_the_page_renumbers_the_rest(secretary_client, place):
    for number in (1, 2, 3):
        make_matter(place.draft, number, Item.OTHER, "majority", f"事项{number}")
    response = secretary_client.post(url("remove_matter", place.draft.pk, 1))
    assert response.status_code == 302
    assert [(n, t) for n, _i, _r, t in stored(place.draft)] == [(1, "事项2"), (2, "事项3")]


def test_the_only_matter_cannot_be_removed_through_the_page(secretary_client, place):
    make_matter(place.draft, 1, Item.USE_FUND, "majority")
    response = secretary_client.post(url("remove_matter", place.draft.pk, 1), follow=True)
    assert "至少要有一个表决事项" in response.content.decode()
    assert len(stored(place.draft)) == 1


def test_an_unknown_matter_number_is_404(secretary_client, place):
    assert secretary_client.get(url("edit_matter", place.draft.pk, 3)).status_code == 404


def test_a_published_version_shows_its_matters_read_only(secretary_client, place):
    make_matter(place.draft, 1, Item.USE_FUND, "majority", "使用维修资金")
    make_matter(place.draft, 2, Item.ALTER, "unanimous", "费用分摊方案")
    place.draft.publish(by=place.secretary)
    page = secretary_client.get(url("proposal", place.draft.pk)).content.decode()
    assert "使用维修资金" in page and "费用分摊方案" in page and "高于法定要求" in page
    assert url("add_matter", place.draft.pk) not in page
    assert url("edit_matter", place.draft.pk, 1) not in page
    for name, args in [("add_matter", ()), ("edit_matter", (1,)), ("remove_matter", (1,))]:
        response = secretary_client.post(url(name, place.draft.pk, *args), SPLIT)
        assert response.status_code == 409
    assert len(stored(place.draft)) == 2


@pytest.mark.parametrize("role", [Role.GRID_WORKER, Role.BUILDING_LEAD])
def test_workers_and_leads_see_the_matters_but_cannot_change_them(client, place, role):
    place_kw = (
        {"unit": place.unit} if role == Role.GRID_WORKER else {"building": place.unit.building}
    )
    client.force_login(make_assignment(role=role, **place_kw).user)
    page = client.get(url("proposal", place.draft.pk)).content.decode()
    assert "表决事项" in page and url("add_matter", place.draft.pk) not in page
    assert client.post(url("add_matter", place.draft.pk), FUND).status_code == 403
    assert client.post(url("edit_matter", place.draft.pk, 1), SPLIT).status_code == 403
    assert stored(place.draft) == []


def test_a_secretary_of_another_community_gets_404(client, place):
    client.force_login(make_assignment(role=Role.SECRETARY).user)
    assert client.get(url("add_matter", place.draft.pk)).status_code == 404
    assert client.post(url("remove_matter", place.draft.pk, 1)).status_code == 404
