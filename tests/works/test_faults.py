import pytest
from django.urls import reverse

from campaigns.models import Role
from tests.factories import (
    make_assignment,
    make_household,
    make_in_service,
    make_owner,
    make_site,
    make_unit,
)
from works import completion
from works.models import FaultReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return make_in_service()


@pytest.fixture
def campaign(site):
    return site.elevator.unit.building.campaign


def fault_url(campaign):
    return reverse("works:report_fault", args=[campaign.slug])


def maintainer_of(site):
    company = completion.standing(site).handover.maintainer
    return make_assignment(role=Role.MAINTAINER, party=company).user


def test_a_resident_reports_a_fault_without_an_account(client, campaign, site):
    page = client.get(fault_url(campaign))
    assert page.status_code == 200 and str(site.elevator.unit) in page.content.decode()
    response = client.post(
        fault_url(campaign), {"site": site.pk, "body": "电梯停在5楼不动", "room": "1-502"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    fault = FaultReport.objects.get()
    assert fault.maintainer == completion.standing(site).handover.maintainer
    assert (fault.body, fault.room) == ("电梯停在5楼不动", "1-502")


def test_an_elevator_not_yet_in_service_cannot_be_reported(client, campaign, site):
    other = make_site(unit=make_unit(building=site.elevator.unit.building))
    response = client.post(fault_url(campaign), {"site": other.pk, "body": "异响"})
    assert response.status_code == 422
    assert "请选择列表中的电梯" in response.content.decode()
    assert not FaultReport.objects.exists()


def test_bad_input_gets_a_message_and_keeps_the_typed_text(client, campaign, site):
    response = client.post(
        fault_url(campaign), {"site": site.pk, "body": "门关不上 http://spam.example", "room": ""}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "网址链接" in body and "门关不上" in body


def test_fault_reports_are_rate_limited_per_address(client, settings, campaign, site):
    settings.QUESTION_RATE_LIMIT = 2
    for _ in range(2):
        assert (
            client.post(fault_url(campaign), {"site": site.pk, "body": "异响"}).status_code == 302
        )
    response = client.post(fault_url(campaign), {"site": site.pk, "body": "第三次报修"})
    assert response.status_code == 429
    assert "报修太频繁" in response.content.decode() and "第三次报修" in response.content.decode()
    assert FaultReport.objects.count() == 2


def test_the_maintainer_starts_on_its_tickets(client, site):
    client.force_login(maintainer_of(site))
    assert client.get(reverse("start"))["Location"] == reverse("works:my_tickets")


def test_the_maintainer_sees_only_its_own_sites_tickets(client, campaign, site):
    other = make_in_service(make_site(unit=make_unit(building=site.elevator.unit.building)))
    mine = completion.report_fault(campaign, site, body="我们的电梯异响")
    theirs = completion.report_fault(campaign, other, body="别家的电梯停梯")
    client.force_login(maintainer_of(site))
    page = client.get(reverse("works:my_tickets")).content.decode()
    assert "我们的电梯异响" in page and "别家的电梯停梯" not in page
    assert client.get(reverse("works:ticket", args=[mine.pk])).status_code == 200
    assert client.get(reverse("works:ticket", args=[theirs.pk])).status_code == 404
    answer = reverse("works:answer_ticket", args=[theirs.pk])
    assert client.post(answer, {"answer-note": "x"}).status_code == 404


def test_the_maintainer_answers_then_marks_fixed(client, campaign, site):
    fault = completion.report_fault(campaign, site, body="门关不上")
    user = maintainer_of(site)
    client.force_login(user)
    answer = reverse("works:answer_ticket", args=[fault.pk])
    assert client.post(answer, {"answer-note": ""}).status_code == 422
    assert client.post(answer, {"answer-note": "已派人，30分钟到"}).status_code == 302
    assert client.post(answer, {"answer-note": "再答一次"}).status_code == 422
    fix = reverse("works:fix_ticket", args=[fault.pk])
    assert client.post(fix, {"fix-note": "更换门机皮带"}).status_code == 302
    fault.refresh_from_db()
    assert fault.answered_by == user and fault.fixed_by == user
    assert fault.answer_note == "已派人，30分钟到"


def test_the_secretary_sees_every_ticket_of_the_community(client, campaign, site):
    other = make_in_service(make_site(unit=make_unit(building=site.elevator.unit.building)))
    completion.report_fault(campaign, site, body="甲梯异响")
    completion.report_fault(campaign, other, body="乙梯停梯")
    client.force_login(make_assignment(role=Role.SECRETARY, community=campaign.community).user)
    page = client.get(reverse("works:my_tickets")).content.decode()
    assert "甲梯异响" in page and "乙梯停梯" in page


def test_names_and_numbers_in_a_report_are_blanked_for_staff(client, campaign, site):
    make_owner(household=make_household(unit=site.elevator.unit), name="欧阳明月")
    fault = completion.report_fault(campaign, site, body="欧阳明月说电梯异响，电话13912345678")
    client.force_login(maintainer_of(site))
    page = client.get(reverse("works:ticket", args=[fault.pk])).content.decode()
    assert "13912345678" not in page and "欧阳明月" not in page and "***" in page


@pytest.mark.parametrize("size", [3, 30])
def test_the_ticket_list_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, campaign, site, size
):
    others = [
        make_in_service(
            make_site(unit=make_unit(building=site.elevator.unit.building)),
            maintainer=completion.standing(site).handover.maintainer,
        )
        for _ in range(2)
    ]
    for n in range(size):
        completion.report_fault(campaign, [site, *others][n % 3], body=f"故障{n}")
    client.force_login(maintainer_of(site))
    # session, user, assignments, count, the page of tickets, the owners' names to redact
    with django_assert_num_queries(6):
        response = client.get(reverse("works:my_tickets"))
    assert response.content.decode().count("故障") >= size
