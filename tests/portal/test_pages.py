import pytest
from django.urls import reverse

from campaigns.models import Role
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_consent,
    make_elevator,
    make_household,
    make_owner,
    make_proposal,
    make_unit,
    make_visit,
)

pytestmark = pytest.mark.django_db


def campaign_with_households(count: int):
    """A campaign with one unit of ``count`` households, each with an owner, a visit and a
    signed consent, so that every per-row relation a page might touch is populated."""
    campaign = make_campaign()
    unit = make_unit(building=make_building(campaign=campaign), floors=max(count, 1))
    proposal = make_proposal(elevator=make_elevator(unit=unit), status="published")
    for i in range(count):
        household = make_household(unit=unit, floor=i + 1, room=f"{i + 1}01", elderly=i % 3 == 0)
        make_owner(household=household, name="王秀英", phone="13912345678")
        make_visit(household=household, notes="家里有老人，盼着换电梯")
        make_consent(household=household, proposal=proposal)
    return campaign, unit


def test_the_home_page_lists_public_campaigns(client):
    campaign = make_campaign(title="宁康园社区老旧电梯更新")
    hidden = make_campaign(title="内部测试项目", is_public=False)
    response = client.get(reverse("home"))
    assert campaign.title in response.text
    assert hidden.title not in response.text


@pytest.mark.parametrize("size", [3, 30])
def test_the_secretary_overview_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, size
):
    campaign, _unit = campaign_with_households(size)
    secretary = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    client.force_login(secretary)
    # 10: the votes add matters, owner keys and consents (the proposals were loaded already)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("secretary"))
    row = f'<td class="num">{size}</td>'
    assert row in response.text


def test_the_secretary_sees_only_their_own_communitys_campaigns(client):
    mine, _ = campaign_with_households(1)
    other, _ = campaign_with_households(1)
    client.force_login(make_assignment(role=Role.SECRETARY, community=mine.community).user)
    text = client.get(reverse("secretary")).text
    assert mine.title in text
    assert other.title not in text


def test_pages_switch_to_english_when_asked(client):
    make_campaign(title="宁康园社区老旧电梯更新")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = client.get(reverse("home")).text
    assert "Staff login" in text
    assert "工作人员登录" not in text


def test_pages_are_chinese_even_when_the_browser_asks_for_english(client):
    text = client.get(reverse("home"), headers={"accept-language": "en-US,en;q=0.9"}).text
    assert "工作人员登录" in text
    assert 'lang="zh-hans"' in text


def test_every_page_links_the_icon_and_favicon_ico_leads_to_it(client):
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    text = client.get(reverse("home")).text
    assert f'<link rel="icon" href="{static("favicon.ico")}" sizes="32x32">' in text
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in text
    assert finders.find("favicon.ico") and finders.find("favicon.svg")
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, static("favicon.ico"))
    assert response["Cache-Control"] == "public, max-age=86400"
