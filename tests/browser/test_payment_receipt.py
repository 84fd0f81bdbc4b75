"""The secretary records a household's payment on the tablet and prints its receipt."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from households.models import Household
from money.models import Entry

PASSWORD = "ningkang-demo"


@pytest.mark.django_db(transaction=True)
def test_the_secretary_records_a_payment_and_downloads_its_receipt(
    live_server, page: Page, tmp_path
):
    call_command("seed_demo", stdout=StringIO())
    household = Household.objects.get(unit__building__name="1栋", unit__name="1单元", room="402")
    campaign = household.unit.building.campaign
    # the next receipt of the campaign (the demo's completed unit has been given its own)
    number = f"{Entry.objects.filter(household__unit__building__campaign=campaign).count() + 1:06d}"

    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("secretary")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()

    page.goto(f"{live_server.url}/money/households/{household.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("402")
    page.get_by_label("金额（元）").fill("5000.00")
    page.get_by_label("方式").select_option("transfer")
    page.get_by_role("button", name="登记并开收据").click()

    expect(page.get_by_text(f"已登记，收据编号 {number}。")).to_be_visible()
    entry = Entry.objects.get(household=household)
    assert (str(entry.amount), entry.method, entry.recorded_by.username) == (
        "5000.00",
        "transfer",
        "secretary",
    )
    with page.expect_download() as download:
        page.locator("#entries").get_by_role("link", name="收据", exact=True).click()
    path = tmp_path / "receipt.pdf"
    download.value.save_as(path)
    text = PdfReader(path).pages[0].extract_text()
    assert number in text and "5,000.00" in text
    page.screenshot(path=tmp_path / "ledger.png", full_page=True)
