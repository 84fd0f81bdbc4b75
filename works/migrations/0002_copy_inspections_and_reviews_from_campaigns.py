"""Inspections, their issues and reviews move from campaigns to works: copy the rows, then
campaigns 0008 drops the old tables. An inspection is now of one elevator's site, and a
review of one unit: an old inspection goes to its unit's site, an old campaign-wide review
to every unit of the campaign (with no frozen packet, so it does not open the gate)."""

from django.db import migrations
from django.utils import timezone

OUTCOMES = {"approved": "approved", "changes_requested": "returned"}


def copy_rows(apps, schema_editor):
    OldInspection = apps.get_model("campaigns", "Inspection")
    OldReview = apps.get_model("campaigns", "Review")
    Unit = apps.get_model("campaigns", "Unit")
    Site = apps.get_model("works", "Site")
    Inspection = apps.get_model("works", "Inspection")
    Issue = apps.get_model("works", "Issue")
    Review = apps.get_model("works", "Review")

    homeless = OldInspection.objects.filter(unit__elevator__isnull=True)
    if homeless.exists():
        ids = ", ".join(str(pk) for pk in homeless.values_list("pk", flat=True)[:20])
        raise RuntimeError(
            "Inspections without a unit that has an elevator cannot move to a works site; "
            f"set their unit in the admin first (campaigns.Inspection ids {ids})."
        )
    for old in OldInspection.objects.select_related("unit__elevator").order_by("pk"):
        site, _ = Site.objects.get_or_create(elevator=old.unit.elevator)
        day = timezone.localdate(old.inspected_at)
        new = Inspection.objects.create(
            site=site,
            inspected_on=day,
            inspected_at=old.inspected_at,
            inspector_id=old.inspector_id,
            summary=old.summary,
        )
        for issue in old.issues.order_by("pk"):
            Issue.objects.create(
                site=site,
                inspection=new,
                source="inspection",
                description=issue.description,
                deadline=day,
                status=issue.status,
                opened_by_id=old.inspector_id,
                opened_at=old.inspected_at,
                closed_at=issue.closed_at,
                resolution=issue.resolution,
            )
    for old in OldReview.objects.order_by("pk"):
        reviewer = old.reviewer
        if old.organisation:
            reviewer = f"{old.reviewer}（{old.organisation}）"[:100]
        outcome = OUTCOMES[old.outcome]
        comments = old.notes or ("（迁移前的记录，未写明理由）" if outcome == "returned" else "")
        for unit in Unit.objects.filter(building__campaign=old.campaign_id).order_by("pk"):
            Review.objects.create(
                unit=unit,
                kind=old.kind,
                outcome=outcome,
                comments=comments,
                reviewer=reviewer,
                reviewed_on=old.reviewed_on,
                recorded_by_id=old.recorded_by_id,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0007_parties_and_their_roles"),
        ("works", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_rows, migrations.RunPython.noop)]
