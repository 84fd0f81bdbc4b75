"""The campaign's parties and their people's logins, kept by the secretary in the portal."""

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Assignment, Party, PartyKind, Role
from tests.factories import make_assignment, make_elevator, make_party, make_unit
from works.models import Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign_people():
    unit = make_unit()
    elevator = make_elevator(unit=unit)
    campaign = unit.building.campaign
    community = campaign.community
    return {
        "campaign": campaign,
        "elevator": elevator,
        "secretary": make_assignment(role=Role.SECRETARY, community=community).user,
        "lawyer": make_assignment(role=Role.LAWYER, community=community).user,
        "grid worker": make_assignment(role=Role.GRID_WORKER, unit=unit).user,
    }


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def party_post(**fields):
    return {
        "kind": PartyKind.CONTRACTOR,
        "name": "武汉某建设工程有限公司",
        "contact_name": "李工",
        "contact_phone": "13812345678",
        "notes": "",
        **fields,
    }


def test_the_secretary_adds_a_party_and_links_it_to_an_elevators_new_site(campaign_people):
    c = campaign_people
    url = reverse("works:new_party", args=[c["campaign"].slug])
    response = client_of(c["secretary"]).post(url, party_post(elevators=[c["elevator"].pk]))
    assert response.status_code == 302
    party = Party.objects.get()
    assert party.campaign == c["campaign"]
    assert list(party.sites.all()) == [Site.objects.get(elevator=c["elevator"])]


def test_editing_a_party_can_unlink_its_site(campaign_people):
    c = campaign_people
    party = make_party(campaign=c["campaign"])
    party.sites.add(Site.objects.create(elevator=c["elevator"]))
    url = reverse("works:edit_party", args=[c["campaign"].slug, party.pk])
    assert client_of(c["secretary"]).get(url).status_code == 200
    response = client_of(c["secretary"]).post(url, party_post(name=party.name))
    assert response.status_code == 302
    assert not party.sites.exists()


def test_a_second_party_of_the_same_name_is_refused_and_the_typed_fields_stay(campaign_people):
    c = campaign_people
    make_party(campaign=c["campaign"], name="同名公司")
    url = reverse("works:new_party", args=[c["campaign"].slug])
    data = party_post(name="同名公司", contact_name="赵经理")
    response = client_of(c["secretary"]).post(url, data)
    assert response.status_code == 422
    assert "本项目已有同名的单位" in response.content.decode()
    assert "赵经理" in response.content.decode()


def test_the_phone_is_shown_in_full_to_the_secretary_and_masked_to_everyone_else(
    campaign_people,
):
    c = campaign_people
    make_party(campaign=c["campaign"], contact_phone="13812345678")
    url = reverse("works:parties", args=[c["campaign"].slug])
    assert "13812345678" in client_of(c["secretary"]).get(url).content.decode()
    for who in ("lawyer", "grid worker"):
        page = client_of(c[who]).get(url).content.decode()
        assert "138****5678" in page and "13812345678" not in page


def test_only_the_secretary_adds_or_edits_parties(campaign_people):
    c = campaign_people
    party = make_party(campaign=c["campaign"])
    for who in ("lawyer", "grid worker"):
        client = client_of(c[who])
        assert client.get(reverse("works:new_party", args=[c["campaign"].slug])).status_code == 403
        edit = reverse("works:edit_party", args=[c["campaign"].slug, party.pk])
        assert client.post(edit, party_post()).status_code == 403


def test_the_secretary_opens_a_lawyers_login_and_sees_its_password_once(campaign_people):
    c = campaign_people
    url = reverse("works:new_account", args=[c["campaign"].slug])
    data = {"username": "lawyer-wang", "name": "王律师", "role": Role.LAWYER, "party": ""}
    response = client_of(c["secretary"]).post(url, data)
    assert response.status_code == 200
    password = response.context["created"]["password"]
    assert password in response.content.decode()
    assignment = Assignment.objects.get(user__username="lawyer-wang")
    assert (assignment.role, assignment.community) == (Role.LAWYER, c["campaign"].community)
    assert assignment.user.check_password(password)
    listing = client_of(c["secretary"]).get(reverse("works:accounts", args=[c["campaign"].slug]))
    assert "lawyer-wang" in listing.content.decode()
    assert password not in listing.content.decode()


def test_a_contractors_login_needs_its_party(campaign_people):
    c = campaign_people
    url = reverse("works:new_account", args=[c["campaign"].slug])
    data = {"username": "builder", "name": "李工", "role": Role.CONTRACTOR, "party": ""}
    response = client_of(c["secretary"]).post(url, data)
    assert response.status_code == 422
    assert "必须选择其单位" in response.content.decode()
    assert "builder" in response.content.decode()
    party = make_party(campaign=c["campaign"])
    response = client_of(c["secretary"]).post(url, {**data, "party": party.pk})
    assert Assignment.objects.get(user__username="builder").party == party


def test_a_username_already_taken_is_refused(campaign_people):
    c = campaign_people
    url = reverse("works:new_account", args=[c["campaign"].slug])
    taken = c["lawyer"].username.upper()
    data = {"username": taken, "name": "某人", "role": Role.REVIEWER, "party": ""}
    response = client_of(c["secretary"]).post(url, data)
    assert response.status_code == 422
    assert "已被使用" in response.content.decode()


def test_a_party_of_another_campaign_cannot_be_chosen(campaign_people):
    c = campaign_people
    stranger = make_party()
    url = reverse("works:new_account", args=[c["campaign"].slug])
    data = {"username": "x1", "name": "某人", "role": Role.CONTRACTOR, "party": stranger.pk}
    assert client_of(c["secretary"]).post(url, data).status_code == 422


def test_the_secretary_resets_a_lost_password_of_a_partys_person(campaign_people):
    c = campaign_people
    assignment = c["lawyer"].assignments.get()
    url = reverse("works:reset_password", args=[c["campaign"].slug, assignment.pk])
    response = client_of(c["secretary"]).post(url)
    password = response.context["created"]["password"]
    c["lawyer"].refresh_from_db()
    assert c["lawyer"].check_password(password)


def test_accounts_are_the_secretarys_only(campaign_people):
    c = campaign_people
    assignment = c["lawyer"].assignments.get()
    for who in ("lawyer", "grid worker"):
        client = client_of(c[who])
        assert client.get(reverse("works:accounts", args=[c["campaign"].slug])).status_code == 403
        reset = reverse("works:reset_password", args=[c["campaign"].slug, assignment.pk])
        assert client.post(reset).status_code == 403
