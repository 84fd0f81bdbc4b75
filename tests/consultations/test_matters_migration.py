"""Migration 0009: every version already published keeps asking what it asked, as one matter
under its campaign's rule, and each household's fund part is drawn from its own account."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from consultations.allocation import allocate
from consultations.models import Item, Matter, Share
from tests.factories import (
    make_building,
    make_campaign,
    make_elevator,
    make_household,
    make_proposal,
    make_unit,
)

BEFORE = [("consultations", "0008_visit_text_refuses_control_characters")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_a_version_published_before_matters_gets_its_one_matter_and_fund_parts_by_area():
    unit = make_unit(building=make_building(campaign=make_campaign(consent_rule="unanimous")))
    households = [
        make_household(unit=unit, floor=floor, room=f"{floor}01", area=Decimal(area))
        for floor, area in [(2, "80.15"), (3, "92.40"), (4, "61.00")]
    ]
    proposal = make_proposal(
        elevator=make_elevator(unit=unit), maintenance_fund=Decimal("100000.00")
    )
    draft = make_proposal(elevator=proposal.elevator, version=2)
    proposal.publish()
    try:
        migrate(BEFORE)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert [m.content() for m in Matter.objects.filter(proposal=proposal)] == [
        {
            "number": 1,
            "item": Item.ALTER,
            "rule": "unanimous",
            "title": "电梯更新改造及费用分摊方案",
        }
    ]
    assert not Matter.objects.filter(proposal=draft).exists()  # a draft still asks nothing fixed
    parts = dict(Share.objects.filter(proposal=proposal).values_list("household", "fund_amount"))
    expected = allocate(Decimal("100000.00"), [h.area for h in households])
    assert [parts[h.pk] for h in households] == expected
    assert sum(parts.values()) == Decimal("100000.00")
