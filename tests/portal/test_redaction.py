"""Names of the campaign's owners and phone or ID numbers never reach public text."""

import pytest

from core.redaction import Redactor
from tests.factories import make_building, make_campaign, make_household, make_owner, make_unit


def test_owner_names_and_numbers_are_hidden_and_dates_and_money_stay():
    redact = Redactor(["张建国", "欧阳秀英"])
    text = redact(
        "张建国说 13812345678 和 138 1234 5678，座机 027-84561234，身份证 42010619800101123X；"
        "欧阳秀英家 2026-12-01 交 ¥8,123.45（398000.00 元）"
    )
    assert "张建国" not in text and "欧阳秀英" not in text
    assert "1381234" not in text and "84561234" not in text and "420106" not in text
    assert "2026-12-01" in text and "¥8,123.45" in text and "398000.00" in text


def test_the_longest_name_is_hidden_whole():
    assert Redactor(["王秀", "王秀英"])("王秀英来了") == "***来了"


def test_one_character_names_are_left_alone():
    assert Redactor(["李"])("李大爷") == "李大爷"


def test_no_names_still_hides_numbers():
    assert Redactor([])("电话13912345678") == "电话***"


@pytest.mark.django_db
def test_for_campaign_knows_only_that_campaigns_owners():
    campaign = make_campaign()
    unit = make_unit(building=make_building(campaign=campaign))
    make_owner(household=make_household(unit=unit), name="诸葛德福")
    make_owner(name="司马桂兰")  # another campaign
    redact = Redactor.for_campaign(campaign)
    assert redact("诸葛德福和司马桂兰") == "***和司马桂兰"
