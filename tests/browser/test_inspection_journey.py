"""On a phone: a grid worker inspects 1栋1单元's site with a photo and finds an issue; the
contractor logs in and closes it with an "after" photo; the secretary sees it closed."""

from io import BytesIO, StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import Page, expect

from campaigns.models import Campaign, MeetingDecision, Party, Role
from tests.factories import make_assignment, make_decision, make_meeting
from works.models import Issue, IssuePhoto, Site

PASSWORD = "ningkang-demo"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": PHONE}


def photo(path, colour: str) -> str:
    buffer = BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def log_in(page: Page, base: str, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()


def contractor_of(campaign: Campaign):
    """The demo's contractor login, made here when the demo has none."""
    user = get_user_model().objects.filter(username="contractor").first()
    assignment = user and user.assignments.filter(role=Role.CONTRACTOR).first()
    if assignment is None:
        party = Party.objects.create(campaign=campaign, kind="contractor", name="宁康施工队")
        user = user or get_user_model().objects.create_user("contractor")
        assignment = make_assignment(user, Role.CONTRACTOR, party=party)
    user.set_password(PASSWORD)
    user.save()
    return user, assignment.party


@pytest.mark.django_db(transaction=True)
def test_an_issue_found_on_a_phone_is_closed_by_the_contractor_with_an_after_photo(
    live_server, page: Page, tmp_path
):
    call_command("seed_demo", stdout=StringIO())
    campaign = Campaign.objects.get(slug="ningkang-2026")
    unit = campaign.buildings.get(name="1栋").units.get(name="1单元")
    site, _created = Site.objects.get_or_create(elevator=unit.elevator)
    contractor, party = contractor_of(campaign)
    site.parties.add(party)
    promise = make_decision(
        meeting=make_meeting(campaign=campaign, unit=unit),
        text="中午12:00–14:00不施工",
        is_commitment=True,
    )
    base = live_server.url

    # The grid worker inspects, with a photo, and finds the fencing open.
    log_in(page, base, "grid1", "/works/inspections/")
    expect(page.get_by_role("heading", name="工地巡查", level=1)).to_be_visible()
    row = page.locator(f"#site-{site.pk}")
    expect(row).to_contain_text("今日未巡查")
    row.get_by_role("link", name="开始巡查").click()
    expect(page.locator(f"#line-commitment-{promise.pk}")).to_contain_text("中午12:00–14:00不施工")
    for line in page.locator("section.check-line").all():
        line.get_by_role("radio", name="符合", exact=True).check()
    fencing = page.locator("#line-item-fencing")
    fencing.get_by_role("radio", name="不符合", exact=True).check()
    fencing.get_by_label("说明").fill("东侧围挡缺口约两米")
    fencing.locator("summary").click()
    expect(fencing.get_by_label("不符合时登记整改问题")).to_be_checked()
    fencing.get_by_label("严重程度").select_option("high")
    expect(fencing.get_by_label("责任单位")).to_have_value(str(party.pk))
    page.get_by_label("巡查情况").fill("材料堆放整齐，围挡东侧有缺口。")
    page.locator("#id_photos").set_input_files(photo(tmp_path / "site.jpg", "orange"))
    page.screenshot(path=tmp_path / "form.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways
    page.get_by_role("button", name="提交巡查记录").click()
    expect(page.locator(".messages")).to_contain_text("登记整改问题 1 项")
    expect(page.locator("#issues")).to_contain_text("安全围挡：东侧围挡缺口约两米")
    expect(page.locator(".photos img")).to_have_count(1)
    page.screenshot(path=tmp_path / "inspection.png", full_page=True)
    issue = Issue.objects.get(site=site)
    assert (issue.responsible, issue.severity) == (party, "high")

    # The contractor sees its open issue and closes it with the photo after.
    log_in(page, base, "contractor", "/works/issues/")
    expect(page).to_have_url(f"{base}/works/issues/")
    waiting = Issue.objects.filter(responsible=party, status="open").count()  # the demo's too
    expect(page.locator("#open")).to_contain_text(f"待整改 {waiting} 项")
    expect(page.locator(f"#issue-{issue.pk}")).to_be_visible()
    page.locator(f"#issue-{issue.pk}").get_by_role("link").click()
    page.get_by_role("button", name="确认整改完成").click()  # no photo: refused, kept
    expect(page.locator("#close")).to_contain_text("请")
    page.get_by_label("整改情况").fill("已补齐东侧围挡并加固。")
    page.get_by_label("整改后照片").set_input_files(photo(tmp_path / "after.jpg", "green"))
    page.get_by_role("button", name="确认整改完成").click()
    expect(page.locator(".messages")).to_contain_text("已整改，问题已关闭。")
    expect(page.locator("#open")).to_contain_text(f"待整改 {waiting - 1} 项")
    expect(page.locator(f"#open #issue-{issue.pk}")).to_have_count(0)
    page.screenshot(path=tmp_path / "contractor.png", full_page=True)

    # The secretary sees it closed, with the photo after.
    log_in(page, base, "secretary", f"/works/campaign/{campaign.slug}/issues/?show=closed")
    closed = page.locator(f"#issue-{issue.pk}")
    expect(closed).to_contain_text("已整改")
    closed.get_by_role("link").click()
    expect(page.locator("#issue")).to_contain_text("已补齐东侧围挡并加固。")
    expect(page.locator("#issue figure")).to_contain_text("整改后")
    issue.refresh_from_db()
    assert issue.status == Issue.Status.CLOSED and issue.closed_by == contractor
    assert issue.photos.filter(stage=IssuePhoto.Stage.AFTER).count() == 1
    promise.refresh_from_db()
    assert promise.status == MeetingDecision.Status.OPEN  # kept: not breached
