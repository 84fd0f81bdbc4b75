import pytest
from django.urls import reverse

from campaigns.models import Role
from tests.factories import PASSWORD, make_assignment, make_user

pytestmark = pytest.mark.django_db


def test_the_login_page_is_at_accounts_login_and_speaks_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "工作人员登录" in response.text


def test_a_wrong_password_shows_the_form_again_with_the_username_kept(client):
    make_user("grid9")
    response = client.post("/accounts/login/", {"username": "grid9", "password": "wrong"})
    assert response.status_code == 200
    assert 'value="grid9"' in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (Role.SECRETARY, "secretary"),
        (Role.GRID_WORKER, "consultations:my_doors"),
        (Role.BUILDING_LEAD, "consultations:my_doors"),
    ],
)
def test_each_role_lands_on_its_own_start_page_after_login(client, role, landing):
    assignment = make_assignment(role=role)
    response = client.post(
        "/accounts/login/",
        {"username": assignment.user.username, "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(landing)
    assert response.status_code == 200


def test_a_user_without_an_assignment_is_told_to_ask_the_secretary(client):
    client.force_login(make_user())
    response = client.get(reverse("start"))
    assert response.status_code == 403
    assert "尚未分配工作" in response.text


def test_a_superuser_lands_on_the_secretary_overview(client):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    assert client.get(reverse("start")).url == reverse("secretary")


def test_logout_is_a_post_that_ends_the_session(client):
    client.force_login(make_assignment().user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("consultations:my_doors")).status_code == 302


@pytest.mark.parametrize("name", ["start", "secretary", "consultations:my_doors"])
def test_anonymous_visitors_are_sent_to_login_from_staff_pages(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_anonymous_visitors_cannot_open_a_household(client):
    from tests.factories import make_household

    household = make_household()
    response = client.get(household.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_a_grid_worker_may_not_open_the_secretary_overview(client):
    client.force_login(make_assignment().user)
    assert client.get(reverse("secretary")).status_code == 403


def permission(codename: str):
    from django.contrib.auth.models import Permission

    return Permission.objects.get(codename=codename)
