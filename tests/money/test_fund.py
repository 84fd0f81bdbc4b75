"""The maintenance-fund application: allowed once the fund-use matter passes, amounts by area as
published, accounts that would fall below the minimum flagged, the notice on the public page
while it runs, the PDFs, and the fund office's approval."""

import io
import shutil
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from campaigns.models import Role
from money.fund import fund_lines, parse_accounts
from money.models import Books, FundAccount, FundApplication
from tests.factories import make_assignment, make_voted_unit
from tests.money.pdfs import cjk_embedded, read_pdf

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("pdftotext", "pdffonts")),
    reason="needs poppler-utils (make test)",
)
D = Decimal


def post_notice(voted, start=None, **extra):
    start = start or timezone.localdate()
    return voted.secretary.post(
        reverse("money:post_notice", args=[voted.unit.pk]), {"start": start.isoformat(), **extra}
    )


def test_the_amounts_are_the_published_shares_of_the_fund_by_area(voted):
    lines = fund_lines(voted.proposal, Books.of(voted.unit.building.campaign))
    shares = {s.household_id: s.fund_amount for s in voted.proposal.shares.all()}
    assert [line.amount for line in lines] == [shares[h.pk] for h in voted.households]
    assert sum(line.amount for line in lines) == voted.proposal.maintenance_fund


def test_a_household_whose_balance_would_fall_below_the_minimum_must_top_up(voted):
    books = Books.of(voted.unit.building.campaign)
    first, second = fund_lines(voted.proposal, books)[:2]
    FundAccount.objects.create(
        household=first.household, first_deposit=D("10000.00"), balance=first.amount + D("2999.99")
    )
    FundAccount.objects.create(
        household=second.household,
        first_deposit=D("10000.00"),
        balance=second.amount + D("3000.00"),
    )
    lines = fund_lines(voted.proposal, books)
    assert [line.needs_top_up for line in lines[:3]] == [True, False, False]  # unknown: no flag
    books.fund_minimum_percent = D("20.00")
    assert not fund_lines(voted.proposal, books)[0].needs_top_up


def test_accounts_are_imported_from_pasted_lines_and_bad_lines_are_named(voted):
    households = voted.households
    found, errors = parse_accounts(
        f"房号,首次交存额,余额\n{households[0].room},9000,5000.5\n", households
    )
    assert errors == [] and found == {households[0].pk: (D("9000"), D("5000.5"))}
    found, errors = parse_accounts("999,1,2\n201,-5,1\n201\n", households)
    assert len(errors) == 3
    response = voted.secretary.post(
        reverse("money:fund_accounts", args=[voted.unit.pk]), {"rows": "201\t8000\t"}
    )
    assert response.status_code == 302
    account = FundAccount.objects.get(household__room="201", household__unit=voted.unit)
    assert (account.first_deposit, account.balance) == (D("8000"), None)


def test_no_notice_before_the_fund_use_matter_passes(db):
    unit, _households, _proposal = make_voted_unit(["agree", "disagree", "disagree"])
    secretary = make_assignment(role=Role.SECRETARY, community=unit.building.campaign.community)
    client = Client()
    client.force_login(secretary.user)
    today = timezone.localdate().isoformat()
    response = client.post(reverse("money:post_notice", args=[unit.pk]), {"start": today})
    assert response.status_code == 422
    assert not FundApplication.objects.exists()


def test_the_notice_runs_for_the_campaigns_period_and_shows_on_the_public_page(voted):
    campaign = voted.unit.building.campaign
    Books.objects.filter(pk=Books.of(campaign).pk).update(notice_days=10)
    assert post_notice(voted).status_code == 302
    application = FundApplication.objects.get()
    assert application.notice_end - application.notice_start == timedelta(days=9)  # 10 days
    page = voted.worker.get(reverse("public_campaign", args=[campaign.slug])).content.decode()
    assert "维修资金使用公示" in page
    line = fund_lines(voted.proposal, Books.of(campaign))[0]
    assert f"¥{line.amount:,.2f}" in page
    assert "欧阳" not in page  # rooms and amounts, no names
    FundApplication.objects.update(
        notice_start=timezone.localdate() - timedelta(days=20),
        notice_end=timezone.localdate() - timedelta(days=10),
    )
    cache.clear()
    page = voted.worker.get(reverse("public_campaign", args=[campaign.slug])).content.decode()
    assert "维修资金使用公示" not in page  # over


def test_the_approval_is_recorded_only_after_the_notice(voted):
    post_notice(voted)
    url = reverse("money:record_approval", args=[voted.unit.pk])
    today = timezone.localdate()
    fields = {"approved_on": today.isoformat(), "amount_released": "120000.00"}
    assert voted.secretary.post(url, fields).status_code == 422
    FundApplication.objects.update(
        notice_start=today - timedelta(days=8), notice_end=today - timedelta(days=1)
    )
    assert voted.worker.post(url, fields).status_code == 403
    assert voted.secretary.post(url, fields).status_code == 302
    application = FundApplication.objects.get()
    assert (application.approved_on, application.amount_released) == (today, D("120000.00"))
    assert post_notice(voted).status_code == 422  # the notice is final once approved


@needs_poppler
def test_the_notice_and_the_packet_pdfs_show_the_amounts_as_stored(voted, tmp_path):
    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(200, 200)
    writer.write(out)
    contract = out.getvalue()
    upload = SimpleUploadedFile("contract.pdf", contract, content_type="application/pdf")
    assert post_notice(voted, contract=upload).status_code == 302
    lines = fund_lines(voted.proposal, Books.of(voted.unit.building.campaign))
    fonts, text = read_pdf(
        voted.worker.get(reverse("money:notice_pdf", args=[voted.unit.pk])).content, tmp_path
    )
    assert cjk_embedded(fonts)
    assert "住宅专项维修资金使用公示" in text and "欧阳" not in text
    for line in lines:
        assert f"¥{line.amount:,.2f}" in text
    assert voted.worker.get(reverse("money:fund_packet", args=[voted.unit.pk])).status_code == 403
    packet = voted.secretary.get(reverse("money:fund_packet", args=[voted.unit.pk])).content
    fonts, text = read_pdf(packet, tmp_path)
    assert cjk_embedded(fonts)
    application = FundApplication.objects.get()
    assert "业主表决结果" in text and "通过" in text
    assert (
        application.notice_start.isoformat() in text and application.notice_end.isoformat() in text
    )
    assert "¥120,000.00" in text and "附后，共 1 页" in text
    assert PdfReader(io.BytesIO(packet)).get_num_pages() >= 2  # the contract appended


def test_a_contract_that_is_not_a_pdf_is_refused(voted):
    fake = SimpleUploadedFile("contract.pdf", b"<html>", content_type="application/pdf")
    assert post_notice(voted, contract=fake).status_code == 422
    assert not FundApplication.objects.exists()
