"""The secretary's people screen: proposed matches shown masked, confirmed, refused when the
count could not be made, split, a person's kind set, and who did what, when."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Role
from households.models import Owner, Person
from tests.factories import (
    make_assignment,
    make_building,
    make_household,
    make_owner,
    make_unit,
    make_voted_unit,
    same_person,
)

pytestmark = pytest.mark.django_db
PHONE = "13812345678"
# the session, the user, their roles, the campaign; the entries sharing a name (matches and
# groups); the history of entries and of people; the people, and their flats
QUERIES = 9


@pytest.fixture
def screen(client):
    """张三 in 1栋1单元 302 and 502, the same phone and ID tail; the community's secretary,
    logged in."""
    unit, households, _proposal = make_voted_unit(["agree", None, "disagree"])
    owners = [h.owners.get() for h in households]
    for owner in owners[:2]:
        owner.name, owner.phone, owner.id_tail = "张三", PHONE, "123X"
        owner.save()
    campaign = unit.building.campaign
    secretary = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    client.force_login(secretary)
    return {"campaign": campaign, "unit": unit, "owners": owners, "secretary": secretary}


def url(screen, name="consultations:people", *args):
    return reverse(name, args=[screen["campaign"].slug, *args])


def test_the_secretary_sees_a_proposed_match_masked(client, screen):
    html = client.get(url(screen)).text
    a, b, _c = screen["owners"]
    assert "张*" in html and "138****5678" in html
    assert f"{a.household.room}" in html and f"{b.household.room}" in html
    assert "身份证后4位相同" in html and "电话相同" in html
    assert PHONE not in html and "张三" not in html and "123X" not in html


def test_confirming_a_match_links_the_two_entries_and_says_who_did_it(client, screen):
    a, b, _c = screen["owners"]
    response = client.post(url(screen, "consultations:link_owners"), {"owners": [a.pk, b.pk]})
    assert response.status_code == 302 and response["Location"] == url(screen)
    person = Person.objects.get()
    assert set(person.titles.all()) == {a, b}
    page = client.get(url(screen))
    assert "没有建议合并的产权人" in page.text
    changes = page.context["changes"]
    assert {c.who for c in changes} == {screen["secretary"].username}
    assert any(f"关联到产权主体 {person.pk}" in c.what for c in changes)


def test_a_link_the_count_could_not_make_is_refused_with_the_reason_and_nothing_changes(
    client, screen
):
    a, _b, c = screen["owners"]
    c.name, c.phone = "张三", PHONE
    c.save()
    response = client.post(url(screen, "consultations:link_owners"), {"owners": [a.pk, c.pk]})
    assert response.status_code == 422
    assert "签字意见不同" in response.text and "没有做任何修改" in response.text
    assert not Person.objects.exists()
    assert {str(a.pk), str(c.pk)} == response.context["ticked"]


def test_one_entry_alone_is_linked_only_as_a_body(client, screen):
    a = screen["owners"][0]
    link = url(screen, "consultations:link_owners")
    assert client.post(link, {"owners": [a.pk]}).status_code == 422
    assert client.post(link, {"owners": [a.pk], "kind": "developer"}).status_code == 302
    assert Person.objects.get().kind == Person.Kind.DEVELOPER


def test_co_owners_of_one_flat_are_never_linked_as_one(client, screen):
    a = screen["owners"][0]
    co = make_owner(household=a.household, name="张三", phone=PHONE, is_primary=False)
    response = client.post(url(screen, "consultations:link_owners"), {"owners": [a.pk, co.pk]})
    assert response.status_code == 422 and "共有人" in response.text
    assert not Person.objects.exists()


def test_an_entry_of_another_community_cannot_be_linked(client, screen):
    stranger = make_owner(name="张三", phone=PHONE)
    a = screen["owners"][0]
    response = client.post(
        url(screen, "consultations:link_owners"), {"owners": [a.pk, stranger.pk]}
    )
    assert response.status_code == 422 and "不在本社区" in response.text
    assert not Person.objects.exists()


def test_splitting_unlinks_the_entry_and_a_person_left_with_one_flat_goes(client, screen):
    a, b, _c = screen["owners"]
    person = same_person(a, b)
    response = client.post(url(screen, "consultations:split_owner", a.pk))
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Owner.objects.filter(person__isnull=False).exists()
    assert "拆分（不再关联）" in [c.what for c in client.get(url(screen)).context["changes"]]


def test_the_developers_unsold_flats_are_linked_as_one_body(client, screen):
    unit = screen["unit"]
    unsold = [
        make_owner(
            household=make_household(unit=unit, room=room, floor=9), name="某某置业公司", phone=""
        )
        for room in ("901", "902", "903")
    ]
    page = client.get(url(screen))
    assert any(len(g.owners) == 3 for g in page.context["groups"])  # offered, not proposed
    assert len(page.context["matches"]) == 1
    response = client.post(
        url(screen, "consultations:link_owners"),
        {"owners": [o.pk for o in unsold], "kind": "developer"},
    )
    assert response.status_code == 302
    developer = Person.objects.get()
    assert developer.kind == Person.Kind.DEVELOPER and developer.titles.count() == 3


def test_the_secretary_sets_what_a_person_is(client, screen):
    person = same_person(*screen["owners"][:2])
    kind = url(screen, "consultations:person_kind", person.pk)
    assert client.post(kind, {"kind": "work_unit"}).status_code == 302
    person.refresh_from_db()
    assert person.kind == Person.Kind.WORK_UNIT
    response = client.post(kind, {"kind": "castle"})
    assert response.status_code == 422 and response.context["kind_error"][0] == person.pk


def test_only_the_communitys_secretary_reaches_the_screen(client, screen):
    unit = screen["unit"]
    answers = {}
    visitors = {
        "grid worker": make_assignment(unit=unit).user,
        "building lead": make_assignment(role=Role.BUILDING_LEAD, building=unit.building).user,
        "secretary elsewhere": make_assignment(role=Role.SECRETARY).user,
        "secretary": screen["secretary"],
    }
    a, b, _c = screen["owners"]
    for who, user in visitors.items():
        client.force_login(user)
        answers[who] = (
            client.get(url(screen)).status_code,
            client.post(
                url(screen, "consultations:link_owners"), {"owners": [a.pk, b.pk]}
            ).status_code,
        )
    assert answers == {
        "grid worker": (403, 403),
        "building lead": (403, 403),
        "secretary elsewhere": (404, 404),
        "secretary": (200, 302),
    }


def queries_for(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_the_screen_reads_a_bigger_community_in_as_many_queries(client, screen):
    same_person(*screen["owners"][:2])
    before = queries_for(client, url(screen))
    building = make_building(campaign=screen["campaign"])
    for n in range(6):
        unit = make_unit(building=building)
        pair = [
            make_owner(household=make_household(unit=unit, room=r), name=f"王{n}", phone=PHONE)
            for r in ("301", "401")
        ]
        if n % 2:
            same_person(*pair)
    assert queries_for(client, url(screen)) == before == QUERIES


def test_the_campaigns_pages_lead_the_secretary_and_only_the_secretary_to_the_screen(
    client, screen
):
    hub = reverse("campaigns:hub", args=[screen["campaign"].slug])
    assert url(screen) in client.get(hub).text
    client.force_login(make_assignment(unit=screen["unit"]).user)
    assert url(screen) not in client.get(hub).text
