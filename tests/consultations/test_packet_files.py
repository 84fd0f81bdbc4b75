"""The campaign's consent packet, made in the background and kept until the data changes.

The queue is the real database backend of django-tasks: asking queues a task row, and the
worker (``manage.py db_worker --batch``, run here in-process) picks it up and renders the PDF.
"""

import hashlib
from datetime import timedelta
from io import StringIO
from unittest.mock import patch

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaigns.models import Meeting, MeetingDecision, Role
from consultations.models import Consent, PacketFile
from consultations.packet_files import fingerprint, request_packet
from households.models import Owner
from tests.factories import (
    make_assignment,
    make_consent,
    make_household,
    make_user,
    make_visit,
    make_voted_unit,
)

pytestmark = pytest.mark.django_db
BASE = "http://testserver/"


def run_worker() -> None:
    """What ``python manage.py db_worker`` does, until the queue is empty. (The worker closes
    connections between tasks, as a request does; inside a test's transaction that would close
    PostgreSQL's test connection, so that step is skipped here.)"""
    with patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v0", stdout=StringIO()
        )


@pytest.fixture
def voted():
    """A campaign whose one unit voted, and its secretary logged in."""
    unit, households, proposal = make_voted_unit(["agree", "agree", None])
    campaign = unit.building.campaign
    secretary = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    client = Client()
    client.force_login(secretary)
    return {
        "campaign": campaign,
        "unit": unit,
        "households": households,
        "proposal": proposal,
        "client": client,
    }


def page(campaign) -> str:
    return reverse("consultations:packet_page", args=[campaign.slug])


def generate(client, campaign):
    return client.post(reverse("consultations:request_packet", args=[campaign.slug]))


# --- asking for it ------------------------------------------------------------------------


def test_asking_for_the_packet_queues_one_task_in_the_database(voted):
    client, campaign = voted["client"], voted["campaign"]
    response = generate(client, campaign)
    assert response.status_code == 302 and response["Location"] == page(campaign)
    job = PacketFile.objects.get()
    assert job.status == PacketFile.Status.QUEUED
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == "READY"
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}


def test_asking_twice_for_the_same_data_reuses_the_job(voted):
    client, campaign = voted["client"], voted["campaign"]
    generate(client, campaign)
    generate(client, campaign)
    assert PacketFile.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_a_queued_packet_waits_for_a_worker_and_shows_that_it_is_queued(voted):
    client, campaign = voted["client"], voted["campaign"]
    generate(client, campaign)
    html = client.get(page(campaign)).content.decode()
    assert "已排队" in html
    assert 'hx-trigger="every 2s"' in html  # htmx polls the status box
    assert 'http-equiv="refresh"' in html  # and without JavaScript the page reloads


# --- the worker -----------------------------------------------------------------------------


def test_the_worker_renders_the_packet_and_keeps_it_with_its_sha256(voted):
    client, campaign = voted["client"], voted["campaign"]
    generate(client, campaign)
    run_worker()
    job = PacketFile.objects.get()
    assert job.status == PacketFile.Status.DONE
    assert job.parts_done == job.parts_total == 2  # one unit, then the joined file
    pdf = job.path.read_bytes()
    assert pdf.startswith(b"%PDF") and job.size == len(pdf)
    assert job.sha256 == hashlib.sha256(pdf).hexdigest()
    assert job.pages == 1 + 4 + 3  # the list of units, then the unit's 4 + 3 households
    assert job.path.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    html = client.get(page(campaign)).content.decode()
    assert job.sha256 in html and "已生成，数据无变化" in html
    assert "hx-trigger" not in html and "refresh" not in html


def test_the_kept_file_downloads_as_it_was_stored(voted):
    client, campaign = voted["client"], voted["campaign"]
    generate(client, campaign)
    run_worker()
    job = PacketFile.objects.get()
    response = client.get(reverse("consultations:packet_download", args=[job.pk]))
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(body).hexdigest() == job.sha256 == response["X-Content-SHA256"]
    assert response["Cache-Control"] == "private, no-store"
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_the_campaign_pdf_address_serves_the_kept_file_once_it_is_ready(voted):
    client, campaign = voted["client"], voted["campaign"]
    pdf_url = reverse("consultations:campaign_packet", args=[campaign.slug])
    response = client.get(pdf_url)
    assert response.status_code == 302 and response["Location"] == page(campaign)
    generate(client, campaign)
    run_worker()
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == (
        PacketFile.objects.get().sha256
    )


def test_progress_is_reported_part_by_part_to_the_polling_page(voted):
    client, campaign = voted["client"], voted["campaign"]
    job = request_packet(campaign, None, BASE)
    job.start(parts_total=3)
    job.advance()
    status = reverse("consultations:packet_status", args=[job.pk])
    response = client.get(status, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'value="33"' in html and "已完成 1 / 3 部分" in html
    assert f'hx-get="{status}"' in html
    assert response["Vary"] == "HX-Request" or "HX-Request" in response["Vary"]
    assert client.get(status)["Location"] == page(campaign)  # without htmx: the whole page


def test_a_finished_packet_whose_requester_account_was_deleted_still_shows_its_status(voted):
    client, campaign = voted["client"], voted["campaign"]
    requester = make_user()
    job = request_packet(campaign, requester, BASE)
    job.start(parts_total=1)
    job.finish(b"%PDF-1.4\n%%EOF\n", pages=1)
    requester.delete()  # the job keeps no requester (SET_NULL)
    status = reverse("consultations:packet_status", args=[job.pk])
    response = client.get(status, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "申请人</dt><dd>—</dd>" in response.content.decode()


def test_progress_never_passes_the_total(voted):
    job = request_packet(voted["campaign"], None, BASE)
    job.start(parts_total=1)
    job.advance()
    job.advance()
    job.refresh_from_db()
    assert job.parts_done == 1


def test_a_render_that_fails_is_recorded_with_its_reason_and_can_be_retried(voted, monkeypatch):
    client, campaign = voted["client"], voted["campaign"]
    generate(client, campaign)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("consultations.tasks.render_packet", broken)
    run_worker()
    job = PacketFile.objects.get()
    assert job.status == PacketFile.Status.FAILED and job.error == "OSError: disk full"
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
    html = client.get(page(campaign)).content.decode()
    assert "上次生成失败" in html and "disk full" not in html  # the log has the details
    generate(client, campaign)
    assert PacketFile.objects.filter(status=PacketFile.Status.QUEUED).count() == 1


def test_a_job_whose_worker_died_is_shown_as_interrupted_and_can_be_asked_again(voted):
    client, campaign = voted["client"], voted["campaign"]
    job = request_packet(campaign, None, BASE)
    job.start(parts_total=2)
    PacketFile.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert "上次生成中断了" in client.get(page(campaign)).content.decode()
    generate(client, campaign)
    job.refresh_from_db()
    assert job.status == PacketFile.Status.FAILED
    assert PacketFile.objects.live().get().pk != job.pk


# --- kept until the data changes --------------------------------------------------------------


def test_a_new_signature_makes_the_kept_file_out_of_date(voted):
    client, campaign = voted["client"], voted["campaign"]
    generate(client, campaign)
    run_worker()
    unsigned = voted["households"][2]
    proposal = voted["proposal"]
    make_consent(household=unsigned, proposal=proposal, share_amount=proposal.shares.last().amount)
    html = client.get(page(campaign)).content.decode()
    assert "已过期" in html and "生成最新的签字材料" in html
    pdf_url = reverse("consultations:campaign_packet", args=[campaign.slug])
    assert client.get(pdf_url).status_code == 302  # the old file is not served as current


def test_a_newer_file_replaces_the_older_one_and_removes_it(voted):
    client, campaign = voted["client"], voted["campaign"]
    generate(client, campaign)
    run_worker()
    first = PacketFile.objects.get()
    Owner.objects.filter(household=voted["households"][0]).update(name="欧阳新名")
    generate(client, campaign)
    run_worker()
    first.refresh_from_db()
    newest = PacketFile.objects.live().get()
    assert newest.pk != first.pk and newest.status == PacketFile.Status.DONE
    assert first.status == PacketFile.Status.REPLACED and not first.path.exists()
    response = client.get(reverse("consultations:packet_download", args=[first.pk]))
    assert response.status_code == 404


def test_the_fingerprint_stays_the_same_while_nothing_changes(voted):
    campaign = voted["campaign"]
    assert fingerprint(campaign, BASE) == fingerprint(campaign, BASE)


@pytest.mark.parametrize(
    "change",
    ["owner name", "area", "visit", "meeting decision", "change of mind", "base url"],
)
def test_the_fingerprint_changes_with_anything_the_packet_prints(voted, change):
    campaign, household = voted["campaign"], voted["households"][0]
    before = fingerprint(campaign, BASE)
    base = BASE
    if change == "owner name":
        Owner.objects.filter(household=household).update(name="司马改名")
    elif change == "area":
        type(household).objects.filter(pk=household.pk).update(area=household.area + 1)
    elif change == "visit":
        make_visit(household=household)
    elif change == "meeting decision":
        meeting = Meeting.objects.create(
            campaign=campaign, title="协调会", held_at=timezone.now(), attendees="物业"
        )
        MeetingDecision.objects.create(meeting=meeting, text="中午不施工")
    elif change == "change of mind":
        consent = Consent.objects.current().get(household=household)
        consent.supersede(
            share_amount=consent.share_amount,
            decision="disagree",
            signer_name="欧阳一华",
            method=Consent.Method.TABLET,
            signature=bytes(consent.signature),
            signature_type="image/png",
            witness=consent.witness,
            signed_at=timezone.now(),
        )
    else:
        base = "https://portal.example/"
    assert fingerprint(campaign, base) != before


def test_households_of_another_campaign_do_not_change_the_fingerprint(voted):
    campaign = voted["campaign"]
    before = fingerprint(campaign, BASE)
    make_household()
    assert fingerprint(campaign, BASE) == before


def test_the_packet_page_runs_the_same_queries_for_3_or_30_households(voted):
    client, campaign = voted["client"], voted["campaign"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page(campaign)).status_code == 200
        return len(captured)

    small = queries()
    for i in range(27):
        make_household(unit=voted["unit"], floor=1 + i % 12, room=f"x{i}")
    assert queries() == small <= 25


# --- who may --------------------------------------------------------------------------------


def test_only_the_communitys_secretary_sees_or_asks_for_the_packet(voted):
    campaign, unit = voted["campaign"], voted["unit"]
    generate(voted["client"], campaign)
    run_worker()
    job = PacketFile.objects.get()
    urls = [
        page(campaign),
        reverse("consultations:packet_status", args=[job.pk]),
        reverse("consultations:packet_download", args=[job.pk]),
        reverse("consultations:campaign_packet", args=[campaign.slug]),
    ]
    others = [
        make_assignment(unit=unit).user,
        make_assignment(role=Role.BUILDING_LEAD, building=unit.building).user,
        make_assignment(role=Role.SECRETARY).user,
        make_user(),
    ]
    for user in others:
        client = Client()
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert generate(client, campaign).status_code == 404
    anonymous = Client()
    for url in urls:
        assert anonymous.get(url)["Location"].startswith(reverse("login"))
    assert PacketFile.objects.count() == 1


def test_asking_for_the_packet_must_be_a_post(voted):
    url = reverse("consultations:request_packet", args=[voted["campaign"].slug])
    assert voted["client"].get(url).status_code == 405
