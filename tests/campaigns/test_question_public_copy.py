"""Each question keeps the copy the public page shows: its text and answer with the campaign's
owner names and numbers blanked out, and the normalised text the public search matches."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campaigns.models import Question
from households.register import check, commit, read_table
from tests.factories import (
    make_building,
    make_campaign,
    make_household,
    make_owner,
    make_question,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.django_db


def owner_in(campaign, **kw):
    unit = make_unit(building=make_building(campaign=campaign))
    return make_owner(household=make_household(unit=unit), **kw)


def test_a_new_question_stores_its_public_copy_blanked_out():
    campaign = make_campaign()
    owner_in(campaign, name="张建国")
    question = make_question(
        campaign=campaign, body="我是張 建國，电话 139.0027.1000，一楼要出钱吗？"
    )
    question.refresh_from_db()
    assert question.public_body == "我是***，电话 ***，一楼要出钱吗？"
    assert "建" not in question.public_search and "1390027" not in question.public_search
    assert "一楼要出钱吗" in question.public_search


def test_giving_an_answer_updates_its_public_copy():
    campaign = make_campaign()
    owner_in(campaign, name="欧阳秀英")
    question = make_question(campaign=campaign, body="几点施工？")
    question.give_answer("已和欧阳秀英（13712345678）核对：八点以后。", make_user())
    question.refresh_from_db()
    assert question.public_answer == "已和***（***）核对：八点以后。"
    assert "欧阳" not in question.public_search and "八点以后" in question.public_search


def test_saving_only_other_fields_leaves_the_public_copy_alone(django_assert_num_queries):
    question = make_question(body="几点施工？")
    question.room = "101"
    with django_assert_num_queries(1):  # the update, no owner names looked up
        question.save(update_fields=["room"])


def test_saving_the_text_with_update_fields_writes_the_public_copy_too():
    campaign = make_campaign()
    owner_in(campaign, name="刘丽华")
    question = make_question(campaign=campaign, body="几点施工？")
    question.body = "刘丽华问几点施工？"
    question.save(update_fields=["body"])
    question.refresh_from_db()
    assert question.public_body == "***问几点施工？"


def test_the_public_copy_is_made_again_after_an_owner_is_added():
    campaign = make_campaign()
    question = make_question(campaign=campaign, body="陈志刚问几点施工？")
    owner_in(campaign, name="陈志刚")
    call_command("refresh_public_copies", verbosity=0)
    question.refresh_from_db()
    assert question.public_body == "***问几点施工？"
    assert "志刚" not in question.public_search


def test_adding_or_renaming_an_owner_blanks_them_out_of_questions_asked_before():
    campaign = make_campaign()
    question = make_question(campaign=campaign, body="周红梅和李国强问几点施工？")
    owner = owner_in(campaign, name="周红梅")  # as the admin adds one
    question.refresh_from_db()
    assert question.public_body == "***和李国强问几点施工？"
    owner.name = "李国强"  # a correction in the admin
    owner.save()
    question.refresh_from_db()
    assert question.public_body == "***和***问几点施工？"  # the old name stays blanked too
    assert not Question.objects.search_public("国强").exists()
    assert not Question.objects.search_public("红梅").exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_public_copy_of_questions_already_asked():
    campaign = make_campaign()
    owner_in(campaign, name="张建国")
    question = make_question(campaign=campaign, body="张建国问：13900271000 能打通吗？")
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("campaigns", "0004_assignment_from_households")])
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    question = Question.objects.get(pk=question.pk)
    assert question.public_body == "***问：*** 能打通吗？"
    assert question.public_search == "***问:***能打通吗?\n"


def test_importing_the_register_blanks_the_new_owners_out_of_questions_asked_before():
    campaign = make_campaign()
    question = make_question(campaign=campaign, body="王德福家什么时候装？", status="published")
    header = "楼栋,单元,楼层,房号,建筑面积（㎡）,产权人,电话,居住情况"
    table = read_table(f"{header}\n1栋,1单元,2,201,102.30,王德福,,自住".encode())
    commit(check(campaign, table))
    question.refresh_from_db()
    assert question.public_body == "***家什么时候装？"
    assert "德福" not in question.public_search
