"""A resident asks a question without an account (portal.public.ask): what is refused, with
which message, and that nothing is stored that should not be."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from campaigns.models import Question
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def ask(client, campaign, body="一楼要出钱吗？", address="10.0.0.1", **extra):
    return client.post(
        reverse("ask", args=[campaign.slug]),
        {"body": body, **extra},
        REMOTE_ADDR=address,
    )


def test_a_resident_asks_without_an_account_and_the_question_waits_for_an_answer(client):
    campaign = make_campaign()
    response = ask(client, campaign, room="1栋1单元302")
    assert response.status_code == 302
    assert response["Location"].endswith("?sent=1")
    question = Question.objects.get()
    assert (question.campaign, question.body, question.room) == (
        campaign,
        "一楼要出钱吗？",
        "1栋1单元302",
    )
    assert question.status == Question.Status.NEW
    assert "您的问题已经收到" in client.get(response["Location"]).text
    assert "一楼要出钱吗" not in client.get(campaign.get_absolute_url()).text


def test_the_room_number_is_optional(client):
    assert ask(client, make_campaign()).status_code == 302
    assert Question.objects.get().room == ""


def test_an_empty_question_is_refused_with_a_message(client):
    response = ask(client, make_campaign(), body="   ")
    assert response.status_code == 422
    assert "请写下您的问题" in response.text
    assert not Question.objects.exists()


def test_a_question_with_a_link_is_refused_and_what_was_typed_is_kept(client):
    for body in ("加微信看 http://spam.example/x", "优惠 www.spam.cn", "点击 buy-now.top 领取"):
        response = ask(client, make_campaign(), body=body)
        assert response.status_code == 422
        assert "不能包含网址链接" in response.text
        assert body.split()[0] in response.text  # the form is shown again with the text
    assert not Question.objects.exists()


def test_an_overlong_question_is_refused_with_what_was_typed(client):
    body = "电" * 1001
    response = ask(client, make_campaign(), body=body)
    assert response.status_code == 422
    assert "最多 1000 字" in response.text
    assert body in response.text
    assert not Question.objects.exists()


def test_a_two_megabyte_question_is_refused_before_it_is_read(client):
    response = ask(client, make_campaign(), body="电梯" * (1024 * 1024))
    assert response.status_code == 413
    assert "提交的内容太长了" in response.text
    assert not Question.objects.exists()


def test_a_body_over_the_upload_limit_gets_a_400_page_not_a_server_error(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = ask(client, make_campaign(), body="电" * 3000)
    assert response.status_code == 400
    assert "提交的内容太大" in response.text
    assert not Question.objects.exists()


def test_fifty_questions_a_minute_from_one_address_stop_at_the_limit(client, settings):
    settings.QUESTION_RATE_LIMIT = 5
    campaign = make_campaign()
    codes = [ask(client, campaign, body=f"问题 {n}").status_code for n in range(50)]
    assert codes[:5] == [302] * 5
    assert set(codes[5:]) == {429}
    assert Question.objects.count() == 5
    refused = ask(client, campaign, body="还有一个问题")
    assert "提问太频繁了" in refused.text and "还有一个问题" in refused.text
    assert ask(client, campaign, body="邻居的问题", address="10.0.0.2").status_code == 302


def test_the_rate_limit_reads_the_configured_client_address_header(client, settings):
    settings.QUESTION_RATE_LIMIT = 1
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    campaign = make_campaign()
    url = reverse("ask", args=[campaign.slug])
    first = client.post(url, {"body": "一"}, HTTP_X_REAL_IP="1.1.1.1")
    second = client.post(url, {"body": "二"}, HTTP_X_REAL_IP="1.1.1.1")
    other = client.post(url, {"body": "三"}, HTTP_X_REAL_IP="2.2.2.2")
    assert [first.status_code, second.status_code, other.status_code] == [302, 429, 302]


def test_a_question_with_a_script_in_it_is_stored_as_typed_and_shown_as_text(client):
    campaign = make_campaign()
    ask(client, campaign, body='<script>alert("x")</script>')
    question = Question.objects.get()
    assert question.body == '<script>alert("x")</script>'
    question.give_answer("<b>答复</b>", by=None)
    question.publish(by=None)
    text = client.get(reverse("public_questions", args=[campaign.slug])).text
    assert "&lt;script&gt;" in text and "<script>alert" not in text
    assert "&lt;b&gt;答复&lt;/b&gt;" in text


def test_a_hidden_campaign_takes_no_questions(client):
    assert ask(client, make_campaign(is_public=False)).status_code == 404
    assert not Question.objects.exists()


def test_behind_a_proxy_a_spoofed_forwarded_for_does_not_reset_the_rate_limit(client, settings):
    settings.QUESTION_RATE_LIMIT = 1
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1
    campaign = make_campaign()
    url = reverse("ask", args=[campaign.slug])
    codes = [
        client.post(
            url, {"body": f"问题{i}"}, HTTP_X_FORWARDED_FOR=f"6.6.6.{i}, 203.0.113.5"
        ).status_code
        for i in range(3)
    ]
    other = client.post(url, {"body": "邻居"}, HTTP_X_FORWARDED_FOR="6.6.6.0, 203.0.113.6")
    assert [*codes, other.status_code] == [302, 429, 429, 302]


def test_by_default_the_rate_limit_ignores_a_forwarded_for_header(client, settings):
    settings.QUESTION_RATE_LIMIT = 1
    campaign = make_campaign()
    url = reverse("ask", args=[campaign.slug])
    first = client.post(url, {"body": "一"}, HTTP_X_FORWARDED_FOR="6.6.6.1")
    second = client.post(url, {"body": "二"}, HTTP_X_FORWARDED_FOR="6.6.6.2")
    assert [first.status_code, second.status_code] == [302, 429]


def described_by(html: str, field_id: str) -> list[str]:
    """The texts the field's aria-describedby points at, by id, as a screen reader reads them."""
    field = re.search(rf'<(?:textarea|input)[^>]*\bid="{field_id}"[^>]*>', html).group(0)
    ids = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
    texts = []
    for each in ids:
        element = re.search(rf'<(\w+)[^>]*\bid="{each}"[^>]*>(.*?)</\1>', html, re.S)
        assert element, f"{field_id} is described by {each}, which is not on the page"
        texts.append(re.sub(r"<[^>]+>", "", element.group(2)).strip())
    return texts


def test_the_privacy_hint_is_read_out_with_the_question_field(client):
    campaign = make_campaign()
    html = client.get(reverse("ask", args=[campaign.slug])).text
    assert described_by(html, "id_body") == [
        "请不要填写姓名、电话等个人信息。问题经工作人员回复并审核后公开。"
    ]
    assert described_by(html, "id_room") == ["例如 1栋1单元302；只有工作人员能看到。"]


def test_a_refused_question_is_described_by_its_hint_and_its_error(client):
    campaign = make_campaign()
    response = ask(client, campaign, body="", room="1 2")
    assert response.status_code == 422
    assert described_by(response.text, "id_body") == [
        "请不要填写姓名、电话等个人信息。问题经工作人员回复并审核后公开。",
        "请写下您的问题。",
    ]
    assert described_by(response.text, "id_room")[1] == "房号只能包含汉字、字母、数字和“-”。"
