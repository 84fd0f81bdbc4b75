"""The owner, chosen from the flat's registered owners, signs on the tablet with a finger (here:
the mouse), and the unit's tally moves."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from consultations.models import Consent
from households.models import Household

PASSWORD = "ningkang-demo"


def participation(page: Page) -> str:
    return page.locator(".measure").nth(1).locator(".num").inner_text()


@pytest.mark.django_db(transaction=True)
def test_grid1_takes_a_signature_on_the_pad_and_the_tally_moves(live_server, page: Page, tmp_path):
    call_command("seed_demo", stdout=StringIO())
    household = Household.objects.get(unit__building__name="1栋", unit__name="1单元", room="102")
    owner = household.owners.get(is_primary=True)

    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("grid1")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()
    expect(page).to_have_url(live_server.url + "/doors/")

    page.goto(f"{live_server.url}/units/{household.unit_id}/consent/")
    before = participation(page)
    # 14 of the 20 flats have signed; by owners (the two-flat owner counts once) 13 of 19
    assert before.startswith("68.4%")

    page.goto(live_server.url + household.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text("102")
    page.locator("#consent").get_by_role("link", name="签字", exact=True).click()
    expect(
        page.get_by_text("本户应出资：从维修资金账户列支")
    ).to_be_visible()  # what is signed, first
    expect(page.get_by_text("您家的出资是怎么算的", exact=True)).to_be_hidden()  # folded below
    expect(page.get_by_label("平板签名")).to_be_checked()  # the pad works: offered first
    expect(page.locator('input[name="scan"]')).to_be_hidden()

    agree = page.get_by_label("同意", exact=True)
    expect(agree).to_have_count(2)  # the unit puts two matters: using the fund, the cost split
    for choice in agree.all():
        choice.check()
    expect(page.get_by_label("产权人本人")).to_be_checked()
    page.locator(f'input[name="signer_owner"][value="{owner.pk}"]').check()  # chosen, not typed
    canvas = page.locator("[data-signature] canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + box["height"] * 0.6)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(
            box["x"] + 40 + step * 30, box["y"] + box["height"] * (0.3 if step % 2 else 0.7)
        )
    page.mouse.up()
    signature = page.locator('[data-signature] input[name="signature"]').input_value()
    assert signature.startswith("data:image/png;base64,")
    page.screenshot(path=tmp_path / "signing.png", full_page=True)
    page.get_by_role("button", name="确认签字").click()

    expect(page).to_have_url(live_server.url + household.get_absolute_url() + "#consent")
    expect(page.locator("#consent")).to_contain_text(owner.name)
    consent = Consent.objects.current().get(household=household, proposal__status="published")
    assert (consent.decision, consent.method, consent.witness.username) == (
        "agree",
        "tablet",
        "grid1",
    )
    assert consent.hash_matches()
    assert consent.answers == {"1": "agree", "2": "agree"}
    assert (consent.signer_capacity, consent.signer_owner) == ("owner", owner)

    page.goto(f"{live_server.url}/units/{household.unit_id}/consent/")
    assert participation(page).startswith("73.7%")  # 14 of the 19 owners


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_sign_page_offers_the_paper_form_and_hides_the_dead_pad(
    live_server, browser, tmp_path
):
    call_command("seed_demo", stdout=StringIO())
    household = Household.objects.get(unit__building__name="1栋", unit__name="1单元", room="102")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("grid1")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()
    page.goto(f"{live_server.url}/households/{household.pk}/sign/")
    expect(page.get_by_label("纸质表扫描件")).to_be_checked()
    expect(page.locator('input[name="scan"]')).to_be_visible()
    expect(page.locator("[data-signature] canvas")).to_be_hidden()
    page.get_by_text("出资明细：您家的出资是怎么算的").click()  # <details> opens without JavaScript
    expect(page.get_by_text("您家的出资是怎么算的", exact=True)).to_be_visible()
    context.close()
