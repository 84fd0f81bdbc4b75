import pytest
from django.urls import reverse

from households.models import Role
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


def test_permissions_come_from_the_user_and_their_groups_in_one_query(
    django_assert_num_queries,
):
    from django.contrib.auth.models import Group

    user = make_user("perm1")
    user.user_permissions.add(permission("view_unit"))
    group = Group.objects.create(name="readers")
    group.permissions.add(permission("view_building"))
    user.groups.add(group)
    fresh = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert fresh.has_perm("campaigns.view_unit")
        assert fresh.has_perm("campaigns.view_building")
        assert not fresh.has_perm("campaigns.delete_unit")


def test_an_inactive_user_has_no_permissions_and_a_superuser_has_all():
    inactive = make_user("perm2")
    inactive.user_permissions.add(permission("view_unit"))
    inactive.is_active = False
    inactive.save()
    assert not type(inactive).objects.get(pk=inactive.pk).has_perm("campaigns.view_unit")
    boss = make_user("perm3", is_superuser=True)
    assert boss.get_all_permissions() >= {"campaigns.view_unit", "consultations.add_visit"}


def test_the_permissions_read_are_exactly_those_of_djangos_own_backend():
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import Group

    from portal.auth import PermissionsInOneQuery

    user = make_user("perm4")
    user.user_permissions.add(permission("view_unit"), permission("add_visit"))
    for name in ("readers", "visitors"):  # two groups sharing a permission, one also direct
        group = Group.objects.create(name=name)
        group.permissions.add(permission("view_building"), permission("add_visit"))
        user.groups.add(group)
    boss = make_user("perm5", is_superuser=True)
    for who in (user, boss):
        ours = PermissionsInOneQuery().get_all_permissions(type(who).objects.get(pk=who.pk))
        stock = ModelBackend().get_all_permissions(type(who).objects.get(pk=who.pk))
        assert ours == stock and ours


def test_the_signed_in_user_is_read_exactly_as_djangos_own_backend_reads_them(client):
    from django.contrib.auth.backends import ModelBackend
    from django.forms.models import model_to_dict

    from portal.auth import PermissionsInOneQuery

    user = make_user("reader1", first_name="桂兰", email="a@example.org", is_staff=True)
    client.post(reverse("login"), {"username": "reader1", "password": PASSWORD})  # last_login
    ours = PermissionsInOneQuery().get_user(user.pk)
    stock = ModelBackend().get_user(user.pk)
    assert ours.pk == stock.pk and ours._state.db == stock._state.db and not ours._state.adding
    assert model_to_dict(ours) == model_to_dict(stock)
    assert ours.last_login is not None and ours.last_login == stock.last_login


def test_no_user_comes_back_for_an_inactive_a_missing_or_a_malformed_id():
    from portal.auth import PermissionsInOneQuery

    inactive = make_user("reader2", is_active=False)
    backend = PermissionsInOneQuery()
    assert backend.get_user(inactive.pk) is None
    assert backend.get_user(inactive.pk + 1000) is None
    assert backend.get_user("not-a-number") is None
