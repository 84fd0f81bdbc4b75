# Fill the households' new door status columns (households 0006) from the visits and consents
# already recorded: the computation of consultations.models.door_state as it stands today,
# written out here so that this migration keeps meaning the same when that code changes.

from django.db import migrations, models
from django.db.models import Count, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    Visit = apps.get_model("consultations", "Visit")
    Consent = apps.get_model("consultations", "Consent")
    visits = Visit.objects.filter(household=OuterRef("pk"))
    latest = visits.order_by("-visited_at", "-pk")

    def last(field):
        return Subquery(latest.values(field)[:1])

    count = visits.order_by().values("household").annotate(n=Count("pk")).values("n")
    decision = (
        Consent.objects.filter(
            household=OuterRef("pk"),
            superseded_by__isnull=True,
            proposal__status="published",
        )
        .order_by("-signed_at")
        .values("decision")[:1]
    )
    Household.objects.update(
        last_visit_at=last("visited_at"),
        last_reached=Coalesce(last("reached"), Value("")),
        last_attitude=Coalesce(last("attitude"), Value("")),
        follow_up_on=last("next_step_on"),
        follow_up_step=Coalesce(last("next_step"), Value("")),
        visit_count=Coalesce(Subquery(count, output_field=models.IntegerField()), Value(0)),
        ever_reached=Exists(visits.exclude(reached="nobody")),
        decision=Coalesce(Subquery(decision), Value("")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0005_erasable_consents_and_history"),
        ("households", "0006_door_status_columns"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
