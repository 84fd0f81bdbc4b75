"""The secretary imports the register: the report of a bad file, then a clean file's preview and
its confirmation, all in place (HTMX) without leaving the import page."""

import pytest
from playwright.sync_api import Browser, expect

from campaigns.models import Role
from households.models import Household
from tests.factories import PASSWORD, make_assignment, make_campaign

BAD = "楼栋,单元,楼层,房号,建筑面积（㎡）,产权人\n1栋,1单元,1,101,八十,张三\n1栋,1单元,1,101,90,李四\n"
GOOD = "楼栋,单元,楼层,房号,建筑面积（㎡）,产权人,电话\n1栋,1单元,1,101,88.5,张三,13812341234\n"


@pytest.mark.django_db(transaction=True)
def test_the_secretary_sees_every_problem_then_imports_a_clean_file(
    live_server, browser: Browser, tmp_path
):
    campaign = make_campaign()
    secretary = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    page = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN").new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(secretary.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()
    page.goto(f"{live_server.url}/dashboard/{campaign.slug}/import/")
    page.evaluate("window.__marker = 1")

    (tmp_path / "bad.csv").write_text(BAD, encoding="utf-8")
    page.get_by_label("住户台账文件").set_input_files(tmp_path / "bad.csv")
    page.get_by_role("button", name="检查并预览").click()
    report = page.locator("#import-result")
    expect(report).to_contain_text("2 行中有 2 行有问题，什么都没有写入")
    expect(report).to_contain_text("建筑面积“八十”不是数字")
    expect(report).to_contain_text("第 2、3 行是同一户")
    assert page.evaluate("window.__marker") == 1, "the check reloaded the page"
    assert not Household.objects.exists()

    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    page.get_by_label("住户台账文件").set_input_files(tmp_path / "good.csv")
    page.get_by_role("button", name="检查并预览").click()
    expect(report).to_contain_text("新增 1 户，更新 0 户，0 户无变化。")
    expect(report).to_contain_text("1栋1单元 · 1 层")
    assert not Household.objects.exists()
    page.get_by_role("button", name="确认导入").click()

    expect(page).to_have_url(f"{live_server.url}/dashboard/{campaign.slug}/")
    expect(page.locator(".messages")).to_contain_text("台账已导入：新增 1 户")
    household = Household.objects.get()
    assert (household.room, household.owners.get().phone) == ("101", "13812341234")
