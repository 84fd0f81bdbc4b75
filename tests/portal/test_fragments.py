"""Whole staff pages kept in the cache: each visitor still gets their own token and messages."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from households.models import Role
from portal.fragments import csrf_stand_in
from tests.factories import make_assignment, make_campaign, make_household, make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


@pytest.fixture
def worker():
    assignment = make_assignment(user=make_user("wang-grid"))
    make_household(unit=assignment.unit, floor=1, room="101")
    return assignment.user


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def doors(client: Client):
    response = client.get(reverse("consultations:my_doors"))
    assert response.status_code == 200
    return response


def test_a_kept_page_carries_each_visitors_own_working_csrf_token(worker):
    tablet, phone = signed_in(worker), signed_in(worker)
    first, kept = doors(tablet), doors(phone)  # the second is served from the cache
    assert first.templates and not kept.templates
    for page in (first, kept):
        assert csrf_stand_in() not in page.text
    tablet_token, phone_token = TOKEN.search(first.text)[1], TOKEN.search(kept.text)[1]

    refused = phone.post(reverse("logout"), {"csrfmiddlewaretoken": tablet_token})
    assert refused.status_code == 403  # the tablet's token is no good on the phone
    signed_out = phone.post(reverse("logout"), {"csrfmiddlewaretoken": phone_token})
    assert signed_out.status_code == 302


def message_cookie(text: str) -> str:
    """The cookie Django's message storage sets for one message to show."""
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies["messages"].value


def test_a_message_shows_once_on_a_kept_page(worker):
    client = signed_in(worker)
    doors(client)  # kept
    client.cookies["messages"] = message_cookie("已保存 101 的走访记录。")
    assert "已保存 101 的走访记录。" in doors(client).text
    assert "已保存 101 的走访记录。" not in doors(client).text


def test_large_type_and_normal_type_are_kept_apart(worker):
    client = signed_in(worker)
    assert "text-large" not in doors(client).text
    client.cookies["textsize"] = "large"
    assert 'class="text-large"' in doors(client).text
    client.cookies["textsize"] = "normal"
    assert "text-large" not in doors(client).text


def test_a_kept_page_names_who_is_signed_in(worker):
    colleague = make_assignment(user=make_user("li-grid"), unit=worker.assignments.get().unit)
    assert "wang-grid" in doors(signed_in(worker)).text
    page = doors(signed_in(colleague.user)).text
    assert "li-grid" in page
    assert "wang-grid" not in page


def test_a_kept_dashboard_carries_each_visitors_own_token():
    campaign = make_campaign()
    secretary = make_user()
    make_assignment(user=secretary, role=Role.SECRETARY, community=campaign.community)
    url = reverse("dashboard:campaign", kwargs={"slug": campaign.slug})
    first, second = signed_in(secretary), signed_in(secretary)
    pages = [first.get(url), second.get(url)]
    assert [page.status_code for page in pages] == [200, 200]
    assert not pages[1].templates  # from the cache
    tokens = {TOKEN.search(page.text)[1] for page in pages}
    assert len(tokens) == 2
    assert all(csrf_stand_in() not in page.text for page in pages)


def test_a_worker_taken_off_the_unit_no_longer_sees_its_kept_list(worker):
    client = signed_in(worker)
    assert "101" in doors(client).text  # kept
    worker.assignments.all().delete()
    page = doors(client).text
    assert "101" not in page
    assert "您名下还没有住户" in page


def test_a_secretary_taken_off_the_community_no_longer_gets_its_kept_dashboard():
    campaign = make_campaign()
    secretary = make_user()
    make_assignment(user=secretary, role=Role.SECRETARY, community=campaign.community)
    url = reverse("dashboard:campaign", kwargs={"slug": campaign.slug})
    client = signed_in(secretary)
    assert client.get(url).status_code == 200  # kept
    secretary.assignments.all().delete()
    assert client.get(url).status_code == 404


def stand_in_of_a_new_process(secret_key: str) -> str:
    code = "from portal.fragments import csrf_stand_in; print(csrf_stand_in())"
    env = {**os.environ, "SECRET_KEY": secret_key}
    command = [sys.executable, "manage.py", "shell", "--no-imports", "-c", code]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_every_worker_sharing_the_cache_puts_the_token_in_the_same_place():
    key = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ"
    first, second = stand_in_of_a_new_process(key), stand_in_of_a_new_process(key)
    assert first == second and re.fullmatch(r"csrf[0-9a-f]{32}", first)
    assert stand_in_of_a_new_process(key + "x") != first  # unknown without the secret key
