"""The register in and out: Excel and CSV export, and the import's preview → confirm flow."""

import csv
import io
import os
import stat
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Role
from households.models import AuditEvent, Household, Owner
from portal.dashboard import uploads
from tests.factories import make_assignment, make_campaign, make_owner

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, user, campaign, kind="xlsx"):
    client.force_login(user)
    return client.get(reverse(f"dashboard:export_{kind}", args=[campaign.slug]))


def xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_excel_register_has_chinese_headers_and_one_row_per_household(client, hand_counted):
    response = download(client, hand_counted.secretary, hand_counted.campaign)
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="register-')
    header, *rows = xlsx_rows(response.content)
    assert header[:8] == [
        "楼栋",
        "单元",
        "楼层",
        "房号",
        "建筑面积（㎡）",
        "产权人",
        "电话",
        "居住情况",
    ]
    assert header[8:11] == ["看板状态", "当前状态", "签字意见"]
    assert [row[3] for row in rows] == ["101", "102", "201", "202", "301", "302", "401"]
    assert rows[0][:8] == ["1栋", "1单元", 1, "101", 100, "业主101", "138****0101", "自住"]


def test_the_exported_numbers_match_the_dashboard(client, hand_counted):
    header, *rows = xlsx_rows(
        download(client, hand_counted.secretary, hand_counted.campaign).content
    )
    client.force_login(hand_counted.secretary)
    slug = hand_counted.campaign.slug
    grid = client.get(reverse("dashboard:grid", args=[slug])).context["grids"][0]
    dashboard = client.get(reverse("dashboard:campaign", args=[slug])).context
    column = {name: i for i, name in enumerate(header)}
    states = Counter(row[column["看板状态"]] for row in rows)
    assert states == {str(state.label): n for state, n in grid.counts if n}
    decisions = Counter(row[column["签字意见"]] for row in rows)
    [result] = dashboard["units"][0].vote.results
    tally = result.tally
    signed = decisions["同意"] + decisions["同意暂不出资"]
    assert signed == dashboard["funnel"].signed == 2
    voted = [row for row in rows if row[column["签字意见"]]]
    area = sum(Fraction(str(row[4])) for row in voted) / sum(Fraction(str(row[4])) for row in rows)
    assert area == tally.participation_area
    assert Fraction(len(voted), len(rows)) == tally.participation_count


def test_the_csv_register_neutralises_formula_injection(client, hand_counted):
    household = hand_counted.households["101"]
    household.owners.all().delete()
    make_owner(household=household, name='=HYPERLINK("http://x","点我")', phone="")
    make_owner(
        household=hand_counted.households["102"], name="@SUM(A1)", phone="", is_primary=False
    )
    rows = csv_rows(download(client, hand_counted.secretary, hand_counted.campaign, "csv").content)
    assert rows[1][5] == '\'=HYPERLINK("http://x","点我")'
    assert rows[2][5] == "业主102、@SUM(A1)"  # only a cell's first character can start a formula
    assert rows[0][0] == "楼栋"
    xlsx = xlsx_rows(download(client, hand_counted.secretary, hand_counted.campaign).content)
    book = openpyxl.load_workbook(
        io.BytesIO(download(client, hand_counted.secretary, hand_counted.campaign).content)
    )
    assert xlsx[1][5] == '=HYPERLINK("http://x","点我")'
    assert book.worksheets[0]["F2"].data_type == "s"  # text in Excel, never a formula


def test_the_register_shows_phones_masked(client, hand_counted):
    text = download(client, hand_counted.secretary, hand_counted.campaign, "csv").content.decode(
        "utf-8-sig"
    )
    assert "138****0101" in text
    assert "13800000101" not in text


def test_only_the_communitys_secretary_may_export_or_import(client, hand_counted):
    worker = hand_counted.workers[0]
    slug = hand_counted.campaign.slug
    client.force_login(worker)
    for name in ("dashboard:export_xlsx", "dashboard:export_csv", "dashboard:import"):
        assert client.get(reverse(name, args=[slug])).status_code == 403
    stranger = make_assignment(role=Role.SECRETARY).user
    assert download(client, stranger, hand_counted.campaign).status_code == 404


@pytest.mark.parametrize("size", [20, 2000])
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_export_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, campaign_of, size, kind
):
    campaign, secretary = campaign_of(size)
    client.force_login(secretary)
    with django_assert_max_num_queries(
        10
    ):  # 8 (one reads the answers per matter), and the audit event that records the export
        response = client.get(reverse(f"dashboard:export_{kind}", args=[campaign.slug]))
    rows = xlsx_rows(response.content) if kind == "xlsx" else csv_rows(response.content)
    assert len(rows) == size + 1
    event = AuditEvent.objects.get()
    assert event.actor == secretary and event.action == AuditEvent.Action.EXPORTED
    assert kind in event.subject


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_head_on_the_export_builds_no_file_and_records_no_export(client, campaign_of, kind):
    campaign, secretary = campaign_of(20)
    client.force_login(secretary)
    response = client.head(reverse(f"dashboard:export_{kind}", args=[campaign.slug]))
    assert response.status_code == 200 and response.content == b""
    assert response["Content-Disposition"].startswith("attachment;")
    assert not AuditEvent.objects.exists()


# Import: preview, then confirm.


def upload(client, campaign, data: bytes, name="register.xlsx", **headers):
    return client.post(
        reverse("dashboard:import", args=[campaign.slug]),
        {"file": SimpleUploadedFile(name, data)},
        headers=headers,
    )


def confirm(client, campaign, token: str, **headers):
    return client.post(
        reverse("dashboard:import", args=[campaign.slug]), {"token": token}, headers=headers
    )


def test_the_export_imports_again_without_a_change(client, hand_counted):
    for kind in ("xlsx", "csv"):
        exported = download(client, hand_counted.secretary, hand_counted.campaign, kind).content
        preview = upload(client, hand_counted.campaign, exported, f"register.{kind}")
        assert preview.status_code == 200
        checked = preview.context["checked"]
        assert checked.clean, [r.problems for r in checked.rows_with_problems]
        assert (len(checked.new), len(checked.updated), len(checked.unchanged)) == (0, 0, 7)


def test_an_edited_export_changes_exactly_what_was_edited(client, hand_counted):
    content = download(client, hand_counted.secretary, hand_counted.campaign).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    book.worksheets[0]["E3"] = 81.25  # room 102's area
    book.worksheets[0].append(["3栋", "1单元", 2, "202", 66, "新业主", "13612341234", "自住"])
    out = io.BytesIO()
    book.save(out)
    preview = upload(client, hand_counted.campaign, out.getvalue())
    assert "面积 80.00 → 81.25" in preview.text
    assert "3栋1单元 · 2 层" in preview.text
    response = confirm(client, hand_counted.campaign, preview.context["token"])
    assert response.status_code == 302
    changed = Household.objects.get(pk=hand_counted.households["102"].pk)
    assert changed.area == Decimal("81.25")
    latest = changed.history.first()  # the import is in the household's history, by whom
    assert latest.history_type == "~" and latest.history_user == hand_counted.secretary
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORTED)
    assert event.actor == hand_counted.secretary and "新增 1 户，更新 1 户" in event.subject
    new = Household.objects.get(unit__building__name="3栋")
    assert new.owners.get().phone == "13612341234"
    again = download(client, hand_counted.secretary, hand_counted.campaign).content
    assert upload(client, hand_counted.campaign, again).context["checked"].updated == []


def test_a_register_built_by_import_round_trips(client, hand_counted):
    campaign = make_campaign(community=hand_counted.campaign.community)
    original = (
        "楼栋,单元,楼层,房号,建筑面积（㎡）,产权人,电话,居住情况\n"
        "5栋,2单元,1,101,88.50,张建国、李秀英,13812341234、13912341234,自住\n"
        "5栋,2单元,2,201,102.30,王德福,,人户分离\n"
    ).encode()
    client.force_login(hand_counted.secretary)
    token = upload(client, campaign, original, "r.csv").context["token"]
    assert confirm(client, campaign, token).status_code == 302
    rows = csv_rows(download(client, hand_counted.secretary, campaign, "csv").content)
    assert [row[:6] for row in rows[1:]] == [
        ["5栋", "2单元", "1", "101", "88.50", "张建国、李秀英"],
        ["5栋", "2单元", "2", "201", "102.30", "王德福"],
    ]
    exported = download(client, hand_counted.secretary, campaign, "csv").content
    assert len(upload(client, campaign, exported, "r.csv").context["checked"].unchanged) == 2


def test_a_file_with_problems_writes_nothing_and_keeps_nothing(client, hand_counted, settings):
    data = "楼栋,单元,楼层,房号,建筑面积（㎡）,产权人\n9栋,1单元,1,101,88,张三\n9栋,1单元,1,102,abc,李四\n"
    client.force_login(hand_counted.secretary)
    response = upload(client, hand_counted.campaign, data.encode(), "r.csv")
    assert response.status_code == 422
    assert "2 行中有 1 行有问题，什么都没有写入" in response.text
    assert "建筑面积“abc”不是数字" in response.text
    assert 'name="token"' not in response.text
    assert not Household.objects.filter(unit__building__name="9栋").exists()
    assert not uploads.folder().exists() or not any(uploads.folder().iterdir())


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(client, hand_counted):
    client.force_login(hand_counted.secretary)
    response = upload(client, hand_counted.campaign, b"%PDF-1.4 not a register", "r.xlsx")
    assert response.status_code == 422
    assert "这不是表格文件" in response.text
    assert "什么都没有写入" in response.text


def test_an_upload_without_a_file_asks_for_one(client, hand_counted):
    client.force_login(hand_counted.secretary)
    response = client.post(reverse("dashboard:import", args=[hand_counted.campaign.slug]))
    assert response.status_code == 422
    assert "这个字段是必填项" in response.text


def test_htmx_swaps_only_the_report(client, hand_counted):
    client.force_login(hand_counted.secretary)
    response = upload(client, hand_counted.campaign, b"%PDF-1.4", "r.pdf", HX_Request="true")
    assert response.text.lstrip().startswith('<div id="import-result">')
    assert "HX-Request" in response["Vary"]


def test_a_confirmed_import_cannot_be_confirmed_twice_or_by_someone_else(client, hand_counted):
    data = "楼栋,单元,楼层,房号,建筑面积（㎡）,产权人\n8栋,1单元,1,101,88,张三\n".encode()
    client.force_login(hand_counted.secretary)
    token = upload(client, hand_counted.campaign, data, "r.csv").context["token"]
    other = make_assignment(role=Role.SECRETARY, community=hand_counted.campaign.community).user
    client.force_login(other)
    assert confirm(client, hand_counted.campaign, token).status_code == 422
    client.force_login(hand_counted.secretary)
    assert confirm(client, hand_counted.campaign, token + "x").status_code == 422
    response = confirm(client, hand_counted.campaign, token, HX_Request="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse(
        "dashboard:campaign", args=[hand_counted.campaign.slug]
    )
    assert Household.objects.filter(unit__building__name="8栋").count() == 1
    again = confirm(client, hand_counted.campaign, token)
    assert again.status_code == 422
    assert "预览已过期或已导入" in again.text
    assert Household.objects.filter(unit__building__name="8栋").count() == 1


def test_a_preview_gone_stale_is_checked_again_before_writing(client, hand_counted):
    data = "楼栋,单元,楼层,房号,建筑面积（㎡）,产权人\n1栋,1单元,10,1001,88,张三\n".encode()
    client.force_login(hand_counted.secretary)
    token = upload(client, hand_counted.campaign, data, "r.csv").context["token"]
    hand_counted.unit.floors = 9
    hand_counted.unit.save()
    response = confirm(client, hand_counted.campaign, token)
    assert response.status_code == 422
    assert "楼层 10 超出" in response.text
    assert "这个字段是必填项" not in response.text  # the confirmation carries no file
    assert not Household.objects.filter(room="1001").exists()


@pytest.mark.parametrize("size", [20, 2000])
def test_checking_an_upload_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, campaign_of, size
):
    campaign, secretary = campaign_of(size)
    client.force_login(secretary)
    exported = client.get(reverse("dashboard:export_csv", args=[campaign.slug])).content
    with django_assert_max_num_queries(9):
        preview = upload(client, campaign, exported, "r.csv")
    assert len(preview.context["checked"].unchanged) == size


def test_a_secretary_elsewhere_who_knocks_doors_here_may_not_take_the_register(
    client, hand_counted
):
    worker = hand_counted.workers[0]
    make_assignment(user=worker, role=Role.SECRETARY)  # of another community
    assert download(client, worker, hand_counted.campaign).status_code == 403
    assert dashboard_status(client, worker, hand_counted.campaign) == 200


def dashboard_status(client, user, campaign) -> int:
    client.force_login(user)
    return client.get(reverse("dashboard:campaign", args=[campaign.slug])).status_code


def test_a_confirmed_import_shows_on_the_dashboard_at_once(client, hand_counted):
    content = download(client, hand_counted.secretary, hand_counted.campaign).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    # a new household in the unit shown: written in bulk, which sends no signals
    book.worksheets[0].append(["1栋", "1单元", 5, "501", 90, "新业主", "13612341234", "自住"])
    out = io.BytesIO()
    book.save(out)
    dashboard = reverse("dashboard:campaign", args=[hand_counted.campaign.slug])
    before = client.get(dashboard).context["units"][0].vote.tallies
    token = upload(client, hand_counted.campaign, out.getvalue()).context["token"]
    assert confirm(client, hand_counted.campaign, token).status_code == 302
    after = client.get(dashboard)
    assert after.context is not None  # rendered afresh, not the kept figures
    assert after.context["units"][0].vote.tallies != before


# Control characters, where the kept upload lives, and a register as an office keeps it.


def test_the_export_leaves_out_a_control_character_stored_before_it_was_refused(
    client, hand_counted
):
    household = hand_counted.households["101"]
    household.owners.all().delete()
    make_owner(household=household, name="张\x01三\x1b", phone="")  # saved without validation
    xlsx = download(client, hand_counted.secretary, hand_counted.campaign)
    assert xlsx.status_code == 200
    assert xlsx_rows(xlsx.content)[1][5] == "张三"
    rows = csv_rows(download(client, hand_counted.secretary, hand_counted.campaign, "csv").content)
    assert rows[1][5] == "张三"


def test_an_upload_with_a_nul_in_a_name_is_refused_before_anything_is_kept(client, hand_counted):
    rows = [f"8栋,1单元,1,{room},88,住户{room}" for room in range(100, 300)]
    data = "\n".join(
        ["楼栋,单元,楼层,房号,建筑面积（㎡）,产权人", *rows, "8栋,1单元,1,999,88,张\x00三"]
    )
    assert data.index("\x00") > 4096  # past the look that tells a text file from a binary one
    client.force_login(hand_counted.secretary)
    response = upload(client, hand_counted.campaign, data.encode(), "r.csv")
    assert response.status_code == 422
    assert "产权人含有不可见的控制字符" in response.text
    assert "token" not in response.context
    assert not Household.objects.filter(unit__building__name="8栋").exists()


def test_the_upload_kept_for_the_preview_is_outside_media_and_private(
    client, hand_counted, settings
):
    data = "楼栋,单元,楼层,房号,建筑面积（㎡）,产权人,电话\n8栋,1单元,1,101,88,张三,13812341234\n"
    client.force_login(hand_counted.secretary)
    umask = os.umask(0)  # the modes are the server's choice, not the umask's
    try:
        assert upload(client, hand_counted.campaign, data.encode(), "r.csv").status_code == 200
    finally:
        os.umask(umask)
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))
    folder = Path(settings.REGISTER_UPLOAD_ROOT)
    [kept] = list(folder.iterdir())
    assert kept.read_bytes() == data.encode()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert client.get(f"/media/tmp/register/{kept.name}").status_code == 404


def test_the_preview_says_what_was_not_read(client, hand_counted):
    data = "\n".join(
        [
            "宁康园1栋住户台账,,,,,,,",
            "序号,楼栋,单元,楼层,房号,面积,业主,备注",
            "1,8栋,1单元,1,101,88㎡,张三,",
            ",,,,,,,",
            "合计,,,,88,,,",
        ]
    )
    client.force_login(hand_counted.secretary)
    response = upload(client, hand_counted.campaign, data.encode(), "r.csv")
    assert response.status_code == 200
    assert "表头在第 2 行，上方 1 行（标题）未读取。" in response.text
    assert "未读取这些列：序号、备注。" in response.text
    assert "跳过 1 个空行：第 4 行。" in response.text
    assert "跳过合计行：第 5 行。" in response.text


def test_after_an_import_the_secretary_is_told_of_matches_to_confirm_and_none_is_linked(
    client, hand_counted
):
    data = (
        "楼栋,单元,楼层,房号,建筑面积（㎡）,产权人,电话\n"
        "1栋,1单元,5,501,90,业主101,13800000101\n"  # the owner of 101, by name and phone
        "1栋,1单元,5,502,90,新业主,13612341234\n"
    ).encode()
    client.force_login(hand_counted.secretary)
    token = upload(client, hand_counted.campaign, data, "r.csv").context["token"]
    response = confirm(client, hand_counted.campaign, token)
    page = client.get(response["Location"])
    screen = reverse("consultations:people", args=[hand_counted.campaign.slug])
    told = [str(m) for m in page.context["messages"]]
    assert any("有 1 组产权人可能是同一人" in m and f'href="{screen}"' in m for m in told)
    assert f'<a href="{screen}">' in page.text  # the link, not its escaped text
    assert not Owner.objects.filter(person__isnull=False).exists()


def test_the_register_lists_each_matter_s_answer_of_a_two_matter_ballot(client):
    from consultations.models import Item
    from tests.factories import make_consent, make_household, make_matter, make_proposal

    proposal = make_proposal()
    household = make_household(unit=proposal.elevator.unit, room="301", floor=3)
    make_owner(household=household)
    make_matter(proposal, 1, Item.USE_FUND, "majority")
    make_matter(proposal, 2, Item.ALTER, "unanimous")
    proposal.publish()
    make_consent(
        household=household,
        proposal=proposal,
        answers={"2": "disagree", "1": "agree"},
        decision="disagree",
    )
    campaign = proposal.elevator.unit.building.campaign
    secretary = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    header, row = xlsx_rows(download(client, secretary, campaign).content)
    answers = dict(zip(header, row, strict=True))
    assert (answers["签字意见"], answers["各事项意见"]) == ("不同意", "1 同意；2 不同意")


def test_the_export_carries_the_needs_and_an_edited_need_imports(client, hand_counted):
    household = hand_counted.households["101"]
    Household.objects.filter(pk=household.pk).update(
        elderly=True, needs_outage_help=True, urgency="urgent", needs_note="住一楼也要人扶"
    )
    content = download(client, hand_counted.secretary, hand_counted.campaign).content
    header, *rows = xlsx_rows(content)
    needs = header.index("70岁以上")
    assert header[needs:] == ["70岁以上", "行动不便", "独居", "停梯需帮助", "紧迫程度", "需求备注"]
    assert rows[0][needs:] == ["是", "否", "否", "是", "紧急", "住一楼也要人扶"]
    book = openpyxl.load_workbook(io.BytesIO(content))
    book.worksheets[0].cell(row=2, column=needs + 3).value = "是"  # 101 lives alone
    out = io.BytesIO()
    book.save(out)
    preview = upload(client, hand_counted.campaign, out.getvalue())
    assert "需求：独居" in preview.text
    confirm(client, hand_counted.campaign, preview.context["token"])
    household.refresh_from_db()
    assert household.lives_alone and household.elderly and household.urgency == "urgent"
