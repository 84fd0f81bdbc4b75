"""Staff answer residents' questions in the portal; only an approved answer is published."""

import pytest
from django.urls import reverse

from campaigns.models import Question, Role
from tests.factories import make_assignment, make_question

pytestmark = pytest.mark.django_db


def answer(client, question, text="一楼免出资。", **headers):
    url = reverse("campaigns:answer_question", args=[question.campaign.slug, question.pk])
    return client.post(url, {"answer": text}, headers=headers)


def moderate(client, question, action):
    url = reverse("campaigns:moderate_question", args=[question.campaign.slug, question.pk])
    return client.post(url, {"action": action})


def test_a_grid_worker_answers_and_the_answer_waits_for_approval(client, campaign, grid_worker):
    question = make_question(campaign=campaign, body="一楼要出钱吗？")
    client.force_login(grid_worker)
    assert answer(client, question).status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert (question.answer, question.answered_by) == ("一楼免出资。", grid_worker)
    assert "一楼要出钱吗" not in client.get(campaign.get_absolute_url()).text


def test_a_grid_worker_cannot_publish_an_answer(client, campaign, grid_worker):
    question = make_question(campaign=campaign, answer="好的", status="answered")
    client.force_login(grid_worker)
    assert moderate(client, question, "publish").status_code == 403
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED


def test_the_secretary_approves_an_answer_and_it_is_published(client, campaign, secretary):
    question = make_question(
        campaign=campaign, body="施工几点开始？", answer="八点。", status="answered"
    )
    client.force_login(secretary)
    assert moderate(client, question, "publish").status_code == 302
    question.refresh_from_db()
    assert (question.status, question.published_by) == (Question.Status.PUBLISHED, secretary)
    client.logout()
    assert "施工几点开始" in client.get(campaign.get_absolute_url()).text


def test_a_question_without_an_answer_cannot_be_published(client, campaign, secretary):
    question = make_question(campaign=campaign)
    client.force_login(secretary)
    assert moderate(client, question, "publish").status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.NEW


def test_correcting_a_published_answer_takes_it_off_the_page_until_approved_again(
    client, campaign, secretary
):
    question = make_question(campaign=campaign, body="谁来维保？", status="published")
    client.force_login(secretary)
    answer(client, question, "电梯公司维保五年。")
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert question.published_at is None
    client.logout()
    assert "谁来维保" not in client.get(campaign.get_absolute_url()).text


def test_a_question_can_be_kept_off_the_page(client, campaign, secretary):
    question = make_question(campaign=campaign, answer="好的", status="published")
    client.force_login(secretary)
    moderate(client, question, "hide")
    question.refresh_from_db()
    assert question.status == Question.Status.HIDDEN


def test_an_empty_answer_is_refused_with_a_message(client, campaign, grid_worker):
    question = make_question(campaign=campaign)
    client.force_login(grid_worker)
    response = answer(client, question, "  ")
    assert response.status_code == 422
    assert "请填写回复内容" in response.text
    question.refresh_from_db()
    assert question.status == Question.Status.NEW


def test_with_htmx_the_answer_replaces_just_the_question_card(client, campaign, grid_worker):
    question = make_question(campaign=campaign)
    client.force_login(grid_worker)
    response = answer(client, question, "会的。", **{"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="question-{question.pk}"' in response.text
    assert "<html" not in response.text and "会的。" in response.text


def test_a_building_lead_may_not_see_or_answer_questions(client, campaign):
    from tests.factories import make_building

    lead = make_assignment(role=Role.BUILDING_LEAD, building=make_building(campaign=campaign)).user
    question = make_question(campaign=campaign)
    client.force_login(lead)
    assert client.get(reverse("campaigns:questions", args=[campaign.slug])).status_code == 403
    assert answer(client, question).status_code == 403


def test_staff_of_another_community_get_a_404(client, campaign):
    stranger = make_assignment(role=Role.SECRETARY).user
    question = make_question(campaign=campaign)
    client.force_login(stranger)
    assert client.get(reverse("campaigns:questions", args=[campaign.slug])).status_code == 404
    assert answer(client, question).status_code == 404
    assert moderate(client, question, "publish").status_code == 404


def test_staff_see_the_room_number_but_the_public_never_does(client, campaign, secretary):
    make_question(campaign=campaign, room="3栋2单元1101", answer="好的", status="published")
    client.force_login(secretary)
    url = reverse("campaigns:questions", args=[campaign.slug])
    assert "3栋2单元1101" in client.get(url, {"show": "published"}).text
    client.logout()
    assert "3栋2单元1101" not in client.get(campaign.get_absolute_url()).text


def test_the_staff_question_list_filters_by_status_and_searches(client, campaign, secretary):
    make_question(campaign=campaign, body="噪音怎么办？")
    make_question(campaign=campaign, body="维修资金够吗？")
    make_question(campaign=campaign, body="已经公开的", status="published")
    client.force_login(secretary)
    url = reverse("campaigns:questions", args=[campaign.slug])
    text = client.get(url, {"show": "new", "q": "噪音"}).text
    assert "噪音怎么办" in text and "维修资金够吗" not in text and "已经公开的" not in text


def test_a_staff_search_with_a_nul_byte_in_it_finds_the_words_around_it(
    client, campaign, secretary
):
    make_question(campaign=campaign, body="噪音怎么办？")
    client.force_login(secretary)
    url = reverse("campaigns:questions", args=[campaign.slug])
    response = client.get(url, {"q": "\x00噪音\x00"})
    assert response.status_code == 200 and "噪音怎么办" in response.text


@pytest.mark.parametrize("size", [3, 30])
def test_the_staff_question_list_runs_a_fixed_number_of_queries(
    client, campaign, secretary, django_assert_max_num_queries, size
):
    for _ in range(size):
        make_question(campaign=campaign, answer="好的", answered_by=secretary, status="answered")
    client.force_login(secretary)
    with django_assert_max_num_queries(9):
        client.get(reverse("campaigns:questions", args=[campaign.slug]), {"show": "answered"})
