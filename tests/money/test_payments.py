"""Payments: recorded with a receipt number per campaign, never edited or deleted, corrected by a
reversing entry; what each household and unit still owes; the receipt PDF."""

import shutil
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from money.accounts import household_account, unit_accounts
from money.models import Entry, LedgerRefused
from tests.factories import (
    make_elevator,
    make_households,
    make_proposal,
    make_unit,
    make_user,
    make_voted_unit,
)
from tests.money.pdfs import cjk_embedded, read_pdf

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("pdftotext", "pdffonts")),
    reason="needs poppler-utils (make test)",
)
D = Decimal


def pay(household, amount, **kw):
    fields = {"amount": D(amount), "paid_on": date(2026, 5, 1), "method": "cash", **kw}
    return Entry.objects.record(household=household, by=make_user(), **fields)


def test_receipts_are_numbered_one_after_another_per_campaign(voted):
    first, second = pay(voted.households[0], "100.00"), pay(voted.households[1], "200.00")
    _unit, others, _proposal = make_voted_unit(["agree"])
    elsewhere = pay(others[0], "50.00")
    assert (first.receipt_number, second.receipt_number) == (1, 2)
    assert elsewhere.receipt_number == 1  # another campaign counts on its own
    assert first.number == "000001"


def test_a_recorded_entry_can_be_neither_changed_nor_deleted(voted):
    entry = pay(voted.households[0], "100.00")
    entry.amount = D("1.00")
    with pytest.raises(LedgerRefused):
        entry.save()
    with pytest.raises(LedgerRefused):
        entry.delete()
    assert Entry.objects.get(pk=entry.pk).amount == D("100.00")


def test_a_mistake_is_undone_by_a_reversing_entry_with_its_own_receipt(voted):
    household = voted.households[0]
    entry = pay(household, "100.00")
    reversal = entry.reverse(make_user(), "重复登记")
    assert (reversal.amount, reversal.reverses, reversal.receipt_number) == (D("-100.00"), entry, 2)
    assert household_account(household).paid == 0
    with pytest.raises(LedgerRefused):
        entry.reverse(make_user())  # once only


def test_a_refund_cannot_exceed_what_the_household_paid(voted):
    household = voted.households[0]
    pay(household, "100.00")
    with pytest.raises(LedgerRefused):
        pay(household, "-100.01", kind="refund")
    assert Entry.objects.count() == 1  # and the refused one took no receipt number
    assert pay(household, "-100.00", kind="refund").receipt_number == 2


def test_outstanding_counts_the_household_and_others_who_cover_its_share(voted):
    money = unit_accounts([voted.unit])[0]
    unwilling = next(each for each in money.households if each.agreed_not_paying)
    pay(unwilling.household, str(unwilling.due), paid_by="community_fund")
    payer = next(each for each in money.households if not each.agreed_not_paying)
    pay(payer.household, "1000.00")
    money = unit_accounts([voted.unit])[0]
    by_pk = {each.household.pk: each for each in money.households}
    assert by_pk[unwilling.household.pk].outstanding == 0
    assert by_pk[unwilling.household.pk].covered == unwilling.due
    assert by_pk[payer.household.pk].outstanding == payer.due - D("1000.00")
    books = money.reconciliation()
    assert books.reconciles
    assert books.other_cover == unwilling.due
    assert books.outstanding == money.outstanding


def test_the_secretary_records_a_payment_and_the_page_shows_the_receipt(voted):
    household = voted.households[0]
    response = voted.secretary.post(
        reverse("money:record_entry", args=[household.pk]),
        {
            "kind": "payment",
            "paid_by": "household",
            "amount": "1234.50",
            "paid_on": "2026-05-01",
            "method": "transfer",
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.amount, entry.recorded_by, entry.method) == (
        D("1234.50"),
        voted.secretary_user,
        "transfer",
    )
    page = voted.worker.get(reverse("money:household", args=[household.pk]))
    assert page.status_code == 200
    assert "000001" in page.content.decode()
    assert "登记缴款或退款" not in page.content.decode()  # grid workers see, do not record


def test_grid_workers_may_not_record_payments(voted):
    url = reverse("money:record_entry", args=[voted.households[0].pk])
    response = voted.worker.post(url, {"amount": "1.00"})
    assert response.status_code == 403


def test_a_refund_beyond_what_was_paid_is_refused_with_a_message_and_the_typed_values(voted):
    household = voted.households[0]
    response = voted.secretary.post(
        reverse("money:record_entry", args=[household.pk]),
        {
            "kind": "refund",
            "paid_by": "household",
            "amount": "77.77",
            "paid_on": "2026-05-01",
            "method": "cash",
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "退款不能超过" in text and "77.77" in text


def test_a_proof_that_is_not_an_image_or_pdf_is_refused(voted):
    household = voted.households[0]
    fake = SimpleUploadedFile("proof.jpg", b"<html>not a scan</html>", content_type="image/jpeg")
    response = voted.secretary.post(
        reverse("money:record_entry", args=[household.pk]),
        {
            "kind": "payment",
            "paid_by": "household",
            "amount": "10.00",
            "paid_on": "2026-05-01",
            "method": "cash",
            "proof": fake,
        },
    )
    assert response.status_code == 422
    assert not Entry.objects.exists()


@needs_poppler
def test_the_receipt_pdf_embeds_its_chinese_font_and_shows_the_recorded_numbers(voted, tmp_path):
    household = voted.households[0]
    entry = pay(household, "8123.45", method="transfer")
    response = voted.worker.get(reverse("money:receipt", args=[entry.pk]))
    assert response["Content-Type"] == "application/pdf"
    fonts, text = read_pdf(response.content, tmp_path)
    assert cjk_embedded(fonts)
    assert "收据" in text and "000001" in text and "¥8,123.45" in text and household.room in text
    assert "欧阳" not in text.replace("欧*", "")  # owners' names masked


def test_the_outstanding_page_answers_in_the_same_number_of_queries_at_two_sizes(
    voted, django_assert_num_queries
):
    url = reverse("money:outstanding", args=[voted.unit.building.campaign.slug])
    with django_assert_num_queries(9) as small:
        assert voted.secretary.get(url).status_code == 200
    bigger = make_unit(building=voted.unit.building, floors=20)
    households = make_households(bigger, 60)
    proposal = make_proposal(elevator=make_elevator(unit=bigger))
    proposal.publish()
    for household in households[10:30]:
        pay(household, "10.00")
    with django_assert_num_queries(9) as large:
        assert voted.secretary.get(url).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_secretary_reverses_a_mistaken_entry_from_the_ledger_page(voted):
    household = voted.households[0]
    entry = pay(household, "300.00")
    url = reverse("money:reverse_entry", args=[entry.pk])
    assert voted.worker.post(url, {"note": "重复登记"}).status_code == 403
    assert voted.secretary.post(url, {"note": ""}).status_code == 422
    assert voted.secretary.post(url, {"note": "重复登记"}).status_code == 302
    reversal = Entry.objects.get(reverses=entry)
    assert (reversal.amount, reversal.note, reversal.receipt_number) == (
        D("-300.00"),
        "重复登记",
        2,
    )
    page = voted.secretary.get(reverse("money:household", args=[household.pk])).content.decode()
    assert "已冲正" in page and 'id="reverse-note-' not in page  # nothing left to reverse
