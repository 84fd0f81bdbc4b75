"""works 0002 copies the old inspections with their issues and the old campaign-wide reviews
out of campaigns, as its docstring says: an inspection to its unit's site, a review to every
unit of its campaign with no packet (so it opens no gate)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import make_building, make_elevator, make_unit, make_user

BEFORE = [("campaigns", "0007_parties_and_their_roles"), ("works", "0001_initial")]
AFTER = [("works", "0002_copy_inspections_and_reviews_from_campaigns")]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_inspections_issues_and_reviews_are_copied_to_works():
    first = make_unit()
    campaign = first.building.campaign
    second = make_unit(building=make_building(campaign=campaign))
    make_elevator(unit=first)
    make_elevator(unit=second)
    inspector, secretary = make_user("inspector"), make_user("secretary-old")

    old = migrate(BEFORE)
    Inspection = old.get_model("campaigns", "Inspection")
    Issue = old.get_model("campaigns", "InspectionIssue")
    Review = old.get_model("campaigns", "Review")
    at = datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)
    inspection = Inspection.objects.create(
        campaign_id=campaign.pk,
        unit_id=first.pk,
        inspected_at=at,
        inspector_id=inspector.pk,
        summary="围挡完好",
    )
    Issue.objects.create(inspection=inspection, description="材料堆放占用消防通道")
    Issue.objects.create(
        inspection=inspection,
        description="草坪被压坏",
        status="closed",
        closed_at=datetime(2026, 3, 3, 10, 0, tzinfo=SHANGHAI),
        resolution="已补种",
    )
    common = {"campaign_id": campaign.pk, "recorded_by_id": secretary.pk}
    Review.objects.create(
        kind="lawyer",
        reviewer="王律师",
        organisation="某律师事务所",
        reviewed_on=date(2026, 3, 1),
        outcome="approved",
        **common,
    )
    Review.objects.create(
        kind="subdistrict",
        reviewer="李科长",
        reviewed_on=date(2026, 3, 4),
        outcome="changes_requested",
        **common,
    )

    new = migrate(AFTER)
    Site = new.get_model("works", "Site")
    site = Site.objects.get()
    assert site.elevator.unit_id == first.pk
    copied = new.get_model("works", "Inspection").objects.get()
    assert (copied.site_id, copied.inspected_on, copied.inspector_id, copied.summary) == (
        site.pk,
        date(2026, 3, 2),
        inspector.pk,
        "围挡完好",
    )
    issues = new.get_model("works", "Issue").objects.order_by("pk")
    assert [(i.description, i.status, i.resolution) for i in issues] == [
        ("材料堆放占用消防通道", "open", ""),
        ("草坪被压坏", "closed", "已补种"),
    ]
    assert all(i.inspection_id == copied.pk and i.site_id == site.pk for i in issues)
    assert all(i.opened_by_id == inspector.pk for i in issues)
    reviews = new.get_model("works", "Review").objects.order_by("kind", "unit")
    rows = [(r.unit_id, r.kind, r.outcome, r.reviewer, r.packet_id) for r in reviews]
    assert rows == [
        (first.pk, "lawyer", "approved", "王律师（某律师事务所）", None),
        (second.pk, "lawyer", "approved", "王律师（某律师事务所）", None),
        (first.pk, "subdistrict", "returned", "李科长", None),
        (second.pk, "subdistrict", "returned", "李科长", None),
    ]
    returned = reviews.filter(outcome="returned").first()
    assert returned.comments  # a returned review always gives reasons
    assert all(r.recorded_by_id == secretary.pk for r in reviews)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert "campaigns_review" not in connection.introspection.table_names()
