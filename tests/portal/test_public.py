"""The residents' project page and the other public pages: what they show, what they never
show, how they are cached, and how many queries they take."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Role, UpdatePhoto
from consultations.models import Consent, Proposal
from consultations.packet import verification_code
from households.models import Owner
from households.privacy import mask_name, mask_phone
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_consent,
    make_decision,
    make_elevator,
    make_household,
    make_meeting,
    make_milestone,
    make_owner,
    make_proposal,
    make_question,
    make_share,
    make_unit,
    make_update,
    make_visit,
    make_voted_unit,
)

pytestmark = pytest.mark.django_db

NAMES = ["欧阳建国", "司马秀英", "诸葛德福", "上官桂兰"]


def populated_campaign(size: int):
    """A campaign of ``size`` households with everything a page might leak: owners with names,
    phones and ID tails, staff notes, vulnerability flags, visits, shares and consents; and a
    published record (update, meeting, question) that mentions a neighbour by name and number."""
    campaign = make_campaign(target_open_date=timezone.localdate() + timedelta(days=90))
    unit = make_unit(building=make_building(campaign=campaign), floors=max(size, 2))
    proposal = make_proposal(elevator=make_elevator(unit=unit))
    for i in range(size):
        household = make_household(
            unit=unit,
            floor=i % unit.floors + 1,
            room=f"{i % unit.floors + 1}{i:02d}",
            elderly=i % 3 == 0,
            needs_note="独居老人，腿脚不便，需要送餐",
        )
        make_owner(
            household=household,
            name=NAMES[i % len(NAMES)] + str(i),
            phone=f"1391234{i:04d}",
            id_tail=f"{i % 10}8X7"[:4],
        )
        make_visit(household=household, notes="家里有老人，盼着换电梯")
        make_share(proposal=proposal, household=household, amount=Decimal("8000.00") + i)
    publish(proposal)
    for i, household in enumerate(unit.households.order_by("pk")):
        if i % 2 == 0:
            make_consent(household=household, proposal=proposal, signer_name="欧阳建国0")
    neighbour = Owner.objects.filter(household__unit=unit).first()
    make_update(
        campaign=campaign, body=f"今天{neighbour.name}家门口的材料已清走，电话{neighbour.phone}"
    )
    make_decision(meeting=make_meeting(campaign=campaign), text="中午不施工", is_commitment=True)
    make_question(
        campaign=campaign,
        body=f"我是{neighbour.name}，电话 {neighbour.phone}，一楼要出钱吗？",
        answer=f"{neighbour.name}您好，一楼免出资。",
        status="published",
        room="B座0909",
    )
    make_milestone(campaign=campaign, title="旧电梯拆除", lead_days=60)
    return campaign, unit


def publish(proposal) -> None:
    """Published with its shares as they are (publish() would recompute them)."""
    Proposal.objects.filter(pk=proposal.pk).update(
        status=Proposal.Status.PUBLISHED, published_at=timezone.now()
    )


def public_urls(campaign) -> list[str]:
    return [
        reverse("home"),
        campaign.get_absolute_url(),
        reverse("public_questions", args=[campaign.slug]),
        reverse("public_questions", args=[campaign.slug]) + "?q=一楼",
        reverse("ask", args=[campaign.slug]),
        reverse("ask", args=[campaign.slug]) + "?sent=1",
    ]


def test_no_public_page_shows_an_owner_name_phone_id_or_note_from_the_database(client):
    campaign, _unit = populated_campaign(8)
    consent = Consent.objects.first()  # the consent packet's public verification page too
    verify = reverse("verify_consent", args=[verification_code(consent)])
    for url in [*public_urls(campaign), verify]:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.text
        for owner in Owner.objects.all():
            for personal in (
                owner.name,
                mask_name(owner.name),
                owner.phone,
                mask_phone(owner.phone),
            ):
                assert personal not in text, (url, personal)
            assert f"{owner.id_tail}" not in text, (url, owner.id_tail)
        for note in ("独居老人", "家里有老人", "B座0909"):
            assert note not in text, (url, note)


def test_the_project_page_shows_the_campaign_in_the_open(client):
    campaign, _unit = populated_campaign(4)
    text = client.get(campaign.get_absolute_url()).text
    assert "材料已清走" in text  # the published update, its name and number hidden
    assert "***" in text
    assert "中午不施工" in text and "待落实" in text  # the commitment with its status
    assert "旧电梯拆除" in text
    assert "一楼免出资" in text
    assert "共 4 户，已签字 2 户（50%），其中同意 2 户（50%）" in text
    assert "2 户家中有高龄或行动不便的居民" in text  # vulnerability only as a count


def test_drafts_unpublished_meetings_and_unapproved_answers_stay_internal(client):
    campaign = make_campaign()
    make_update(campaign=campaign, title="内部草稿进展", status="draft")
    make_decision(meeting=make_meeting(campaign=campaign, published_at=None), text="内部决定")
    make_question(campaign=campaign, body="待审核的问题", answer="待审核的回复", status="answered")
    make_question(campaign=campaign, body="不公开的问题", answer="不公开的回复", status="hidden")
    for url in public_urls(campaign):
        text = client.get(url).text
        for internal in ("内部草稿进展", "内部决定", "待审核的", "不公开的问题"):
            assert internal not in text, (url, internal)


def test_photos_show_only_for_published_updates(client):
    campaign = make_campaign()
    published = make_update(campaign=campaign)
    draft = make_update(campaign=campaign, status="draft")
    photos = {
        update.pk: UpdatePhoto.objects.create(
            update=update, image=ContentFile(jpeg_bytes(), "a.jpg")
        )
        for update in (published, draft)
    }
    text = client.get(campaign.get_absolute_url()).text
    assert photos[published.pk].image.url in text
    assert photos[draft.pk].image.url not in text


def test_a_photo_caption_naming_an_owner_is_blanked_out(client):
    campaign, _unit = populated_campaign(3)
    name = Owner.objects.filter(household__unit__building__campaign=campaign).first().name
    UpdatePhoto.objects.create(
        update=make_update(campaign=campaign),
        image=ContentFile(jpeg_bytes(), "a.jpg"),
        caption=f"{name}家门口的施工围挡",
    )
    text = client.get(campaign.get_absolute_url()).text
    assert "家门口的施工围挡" in text and name not in text


def test_every_promise_of_every_published_meeting_is_listed(client):
    campaign = make_campaign()
    oldest = make_meeting(campaign=campaign, held_at=timezone.now() - timedelta(days=60))
    make_decision(meeting=oldest, text="恢复草坪绿化。", is_commitment=True)
    for days in range(1, 12):  # more meetings than the page shows
        make_meeting(campaign=campaign, held_at=timezone.now() - timedelta(days=days))
    assert "恢复草坪绿化" in client.get(campaign.get_absolute_url()).text


def jpeg_bytes() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_the_policy_gives_a_worked_example_per_floor_from_the_published_proposal(client):
    campaign = make_campaign()
    unit = make_unit(building=make_building(campaign=campaign), floors=3)
    proposal = make_proposal(
        elevator=make_elevator(unit=unit),
        total_cost=Decimal("400000.00"),
        subsidy=Decimal("150000.00"),
        maintenance_fund=Decimal("100000.00"),
    )
    for floor, area, amount in [(2, "100.00", "60000.00"), (3, "100.00", "90000.00")]:
        household = make_household(unit=unit, floor=floor, area=Decimal(area))
        make_share(proposal=proposal, household=household, amount=Decimal(amount))
    publish(proposal)
    text = client.get(campaign.get_absolute_url()).text
    assert "¥150,000.00" in text  # what residents pay, after subsidy and fund
    assert "¥600.00" in text and "¥900.00" in text  # per square metre, floors 2 and 3
    assert "¥60,000.00" in text and "¥90,000.00" in text


def test_the_worked_example_shows_the_fund_part_and_the_part_to_pay_for_its_example_flat(
    client,
):
    campaign = make_campaign()
    unit = make_unit(building=make_building(campaign=campaign), floors=3)
    proposal = make_proposal(
        elevator=make_elevator(unit=unit),
        total_cost=Decimal("400000.00"),
        subsidy=Decimal("150000.00"),
        maintenance_fund=Decimal("100000.00"),
    )
    for floor, area, amount in [(2, "90.00", "60000.00"), (3, "110.00", "90000.00")]:
        household = make_household(unit=unit, floor=floor, area=Decimal(area))
        make_share(proposal=proposal, household=household, amount=Decimal(amount))
    publish(proposal)
    text = client.get(campaign.get_absolute_url()).text
    # the example flat is 100 m² of the unit's 200 m²: half the fund, from its own account
    assert "100 ㎡ 的住房：从您的维修资金账户列支约 ¥50,000.00" in text
    assert "另需您支付" in text


def test_the_example_flats_fund_part_is_allocated_by_area_to_the_cent():
    from portal.project import example_fund

    assert example_fund(Decimal("100.00"), Decimal("1"), Decimal("3")) == Decimal("33.33")
    assert example_fund(Decimal("100.00"), Decimal("2"), Decimal("3")) == Decimal("66.67")
    assert example_fund(Decimal("88000.00"), Decimal("81"), Decimal("80.6")) == Decimal("88000.00")
    assert example_fund(Decimal("88000.00"), None, Decimal("0")) is None


def test_the_policy_lists_the_matters_put_to_the_owners_with_item_and_rule(client):
    from consultations.models import Item
    from tests.factories import make_matter

    campaign = make_campaign()
    unit = make_unit(building=make_building(campaign=campaign), floors=3)
    proposal = make_proposal(elevator=make_elevator(unit=unit))
    make_matter(proposal, 1, Item.USE_FUND, "majority", "使用本单元维修资金更新电梯")
    make_matter(proposal, 2, Item.ALTER, "unanimous", "电梯更新费用分摊方案")
    make_share(proposal=proposal, household=make_household(unit=unit, floor=2))
    publish(proposal)
    text = client.get(campaign.get_absolute_url()).text
    fund, split = text.index("使用本单元维修资金更新电梯"), text.index("电梯更新费用分摊方案")
    assert fund < split
    assert "第二百七十八条第一款第五项" in text[fund:split] and "过半数" in text[fund:split]
    assert "第七项" in text[split:] and "全体同意" in text[split:]


def test_the_top_of_the_page_says_in_one_line_how_many_units_have_reached_the_vote(client):
    passing, _households, _proposal = make_voted_unit(["agree", "agree", "agree"])
    campaign = passing.building.campaign
    make_voted_unit(["disagree", None, None], campaign=campaign)  # signed, not passed
    text = client.get(campaign.get_absolute_url()).text
    line = text.index("签字进度：2 个单元中 1 个已达到表决要求")
    assert line < text.index('id="contents"') < text.index('id="policy"')
    # the same votes as the 签字进度 section below, which details each unit
    assert text.count("尚未达到表决要求") == 1


def test_the_contents_lead_to_each_section_and_each_section_leads_back(client):
    campaign, _unit = populated_campaign(2)
    text = client.get(campaign.get_absolute_url()).text
    sections = ["policy", "timeline", "updates", "meetings", "progress", "questions"]
    for section in sections:
        assert f'<a href="#{section}">' in text[: text.index('id="policy"')]
    assert text.count('<a href="#contents">') == len(sections)


def test_on_a_phone_each_floors_figures_carry_their_own_label(client):
    campaign, _unit = populated_campaign(2)
    text = client.get(campaign.get_absolute_url()).text
    rows = text[text.index("<tbody>") : text.index("</tbody>")]
    assert rows.count('<span class="cell-label">每户需支付</span>') == rows.count("<tr>")


def test_the_residents_pages_load_no_htmx_but_the_question_search_does(client):
    campaign = make_campaign()
    for url in [campaign.get_absolute_url(), reverse("ask", args=[campaign.slug])]:
        text = client.get(url).text
        assert "htmx" not in text, url
    questions = client.get(reverse("public_questions", args=[campaign.slug])).text
    assert "django_htmx/htmx" in questions and 'name="htmx-config"' in questions


def test_a_campaign_that_is_not_public_has_no_public_pages(client):
    campaign = make_campaign(is_public=False)
    for url in public_urls(campaign)[1:]:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("size", [3, 30])
def test_the_project_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, size
):
    campaign, _unit = populated_campaign(size)
    for _ in range(size // 3):
        make_update(campaign=campaign)
        make_decision(meeting=make_meeting(campaign=campaign))
        make_question(campaign=campaign, status="published")
    # 26: 15, the matters of the published proposals listed, and the votes' published
    # proposals, their matters, owner keys and consents; the running fund notices and the
    # published settlements (money.public); one for the works sites (while there are none:
    # works.completion.public_after_sales); each elevator's schedule (works.scheduling); the
    # commitments' checks (works.commitments); the works sites (works.public)
    with django_assert_max_num_queries(26):
        response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_the_question_list_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, size
):
    campaign = make_campaign()
    for _ in range(size):
        make_question(campaign=campaign, status="published")
    with django_assert_max_num_queries(4):
        client.get(reverse("public_questions", args=[campaign.slug]))


def test_anonymous_visitors_get_a_shared_cacheable_page_with_no_token_and_no_cookie(client):
    campaign, _unit = populated_campaign(2)
    for url in public_urls(campaign)[1:4]:
        response = client.get(url)
        assert response["Cache-Control"] == "public, max-age=60", url
        assert "Cookie" in response["Vary"]
        assert not response.cookies, url
        assert "csrfmiddlewaretoken" not in response.text
        assert "X-CSRFToken" not in response.text


def test_signed_in_staff_get_a_private_copy_of_the_project_page(client):
    campaign = make_campaign()
    client.force_login(make_assignment(role=Role.SECRETARY, community=campaign.community).user)
    response = client.get(campaign.get_absolute_url())
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_ask_page_with_its_csrf_token_is_never_cached(client):
    campaign = make_campaign()
    response = client.get(reverse("ask", args=[campaign.slug]))
    assert "csrfmiddlewaretoken" in response.text
    assert "no-store" in response["Cache-Control"]


def test_the_question_list_is_searchable_and_answers_htmx_with_the_results_only(client):
    campaign = make_campaign()
    make_question(
        campaign=campaign, body="一楼要出钱吗？", answer="一楼免出资。", status="published"
    )
    make_question(campaign=campaign, body="几点施工？", answer="八点以后。", status="published")
    url = reverse("public_questions", args=[campaign.slug])
    text = client.get(url, {"q": "一楼"}).text
    assert "一楼要出钱吗" in text and "几点施工" not in text
    partial = client.get(url, {"q": "八点"}, headers={"HX-Request": "true"}).text
    assert "几点施工" in partial and "<html" not in partial


def test_a_name_blanked_out_in_the_answers_cannot_be_found_by_searching_for_it(client):
    campaign = make_campaign()
    owner = make_owner(
        household=make_household(unit=make_unit(building=make_building(campaign=campaign))),
        name="司马长风",
        phone="13712345678",
    )
    make_question(
        campaign=campaign,
        body="出资怎么算？",
        answer=f"已和{owner.name}（{owner.phone}）核对过。",
        status="published",
    )
    url = reverse("public_questions", args=[campaign.slug])
    for secret in (owner.name, owner.phone):
        text = client.get(url, {"q": secret}).text
        assert "出资怎么算" not in text, secret  # (the search box shows what was typed)
    assert "出资怎么算" in client.get(url, {"q": "出资"}).text


def test_a_search_with_a_nul_byte_in_it_finds_the_words_around_it(client):
    campaign = make_campaign()
    make_question(campaign=campaign, body="几点施工？", answer="八点以后。", status="published")
    url = reverse("public_questions", args=[campaign.slug])
    response = client.get(url, {"q": "施工\x00八点"})  # PostgreSQL refuses NUL in a query
    assert response.status_code == 200 and "几点施工" in response.text


def test_a_question_with_html_in_it_is_shown_as_text(client):
    campaign = make_campaign()
    make_question(
        campaign=campaign,
        body='<script>alert("x")</script><b>粗体</b>',
        answer="<img src=x onerror=alert(1)>",
        status="published",
    )
    for url in public_urls(campaign)[1:3]:
        text = client.get(url).text
        assert "<script>alert" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert" in text


def test_the_large_type_switch_is_a_link_that_sets_a_cookie_and_goes_back(client):
    campaign = make_campaign()
    page = campaign.get_absolute_url()
    assert "大字" in client.get(page).text
    response = client.get(reverse("display"), {"size": "large", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert response.cookies["textsize"].value == "large"
    text = client.get(page).text
    assert 'class="text-large"' in text and "标准字号" in text


def test_the_display_switch_never_sends_anyone_to_another_site(client):
    response = client.get(reverse("display"), {"size": "large", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_the_language_switch_on_public_pages_is_a_link(client):
    campaign = make_campaign()
    text = client.get(campaign.get_absolute_url()).text
    assert f"{reverse('display')}?language=en" in text
    client.get(reverse("display"), {"language": "en", "next": "/"})
    assert "Staff login" in client.get(reverse("home")).text


def test_the_home_page_links_to_the_project_page(client):
    campaign = make_campaign()
    assert campaign.get_absolute_url() in client.get(reverse("home")).text


def test_a_rush_of_anonymous_visitors_costs_one_render_a_minute(client, django_assert_num_queries):
    campaign, _unit = populated_campaign(3)
    first = client.get(campaign.get_absolute_url())
    with django_assert_num_queries(0):
        again = client.get(campaign.get_absolute_url())
    assert again.content == first.content


def test_the_cached_copy_is_never_served_to_staff_or_to_a_large_type_reader(client):
    campaign = make_campaign()
    client.get(campaign.get_absolute_url())  # cached for anonymous visitors
    client.cookies["textsize"] = "large"
    assert 'class="text-large"' in client.get(campaign.get_absolute_url()).text
    del client.cookies["textsize"]
    user = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    client.force_login(user)
    text = client.get(campaign.get_absolute_url()).text
    assert user.get_username() in text and "工作人员登录" not in text


def test_a_unit_without_households_yet_shows_zero_and_no_error(client):
    campaign = make_campaign()
    make_unit(building=make_building(campaign=campaign), name="2单元")
    text = client.get(campaign.get_absolute_url()).text
    assert "共 0 户，已签字 0 户（0%）" in text


def found(client, campaign, words: str) -> str:
    """The search results only (the HTMX fragment, without the search box and its words)."""
    url = reverse("public_questions", args=[campaign.slug])
    return client.get(url, {"q": words}, headers={"HX-Request": "true"}).text


def test_parts_of_a_blanked_out_phone_number_find_nothing(client):
    campaign = make_campaign()
    owner = make_owner(
        household=make_household(unit=make_unit(building=make_building(campaign=campaign))),
        name="张建国",
        phone="13900271000",
    )
    make_question(
        campaign=campaign,
        body="出资怎么算？",
        answer=f"已和业主（{owner.phone}）核对过。",
        status="published",
    )
    assert "出资怎么算" in found(client, campaign, "核对")
    for length in (3, 4, 5, 7, 9):
        for start in range(0, len(owner.phone) - length + 1, 2):
            part = owner.phone[start : start + length]
            assert "出资怎么算" not in found(client, campaign, part), part


def test_parts_of_a_blanked_out_name_find_nothing(client):
    campaign = make_campaign()
    make_owner(
        household=make_household(unit=make_unit(building=make_building(campaign=campaign))),
        name="张建国",
    )
    make_question(
        campaign=campaign,
        body="張 建國家门口能堆料吗？",
        answer="张建国您好，可以。",
        status="published",
    )
    assert "家门口能堆料吗" in found(client, campaign, "堆料")
    for part in ("张建", "建国", "張建", "建國", "张 建"):
        assert "家门口能堆料吗" not in found(client, campaign, part), part


def test_the_public_search_ignores_spacing_and_traditional_forms(client):
    campaign = make_campaign()
    make_question(
        campaign=campaign, body="一楼要出钱吗？", answer="一楼免出资。", status="published"
    )
    assert "一楼要出钱吗" in found(client, campaign, "一 樓")
