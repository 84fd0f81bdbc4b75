"""Owner-trace attempts get an idempotency key (a tablet that saved one offline sends it again
until it hears back) and the time they reached the server. Existing attempts get a key each
and arrived, as far as anyone knows, when they were made. Django's pattern for a new unique
field: add it nullable, fill it, then make it unique and required."""

import uuid

from django.db import migrations, models
from django.db.models import F


def fill_keys(apps, schema_editor):
    TraceAttempt = apps.get_model("households", "TraceAttempt")
    TraceAttempt.objects.filter(received_at__isnull=True).update(received_at=F("attempted_at"))
    attempts = list(TraceAttempt.objects.filter(idempotency_key__isnull=True).only("pk"))
    for attempt in attempts:
        attempt.idempotency_key = uuid.uuid4()
    TraceAttempt.objects.bulk_update(attempts, ["idempotency_key"], batch_size=500)
    keys = {attempt.pk: attempt.idempotency_key for attempt in attempts}
    HistoricalTraceAttempt = apps.get_model("households", "HistoricalTraceAttempt")
    HistoricalTraceAttempt.objects.filter(received_at__isnull=True).update(
        received_at=F("attempted_at")
    )
    rows = list(HistoricalTraceAttempt.objects.filter(id__in=keys).only("pk", "id"))
    for row in rows:  # a record's history carries its key
        row.idempotency_key = keys[row.id]
    HistoricalTraceAttempt.objects.bulk_update(rows, ["idempotency_key"], batch_size=500)
    if schema_editor.connection.vendor == "postgresql":
        # The updates leave deferred foreign-key checks pending, and PostgreSQL alters no
        # table with checks pending: run them now, so the migration can go on in one piece.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0009_household_needs_at_the_door"),
    ]

    operations = [
        migrations.AddField(
            model_name="traceattempt",
            name="idempotency_key",
            field=models.UUIDField(editable=False, null=True, verbose_name="提交编号"),
        ),
        migrations.AddField(
            model_name="traceattempt",
            name="received_at",
            field=models.DateTimeField(null=True, verbose_name="录入时间"),
        ),
        migrations.AddField(
            model_name="historicaltraceattempt",
            name="idempotency_key",
            field=models.UUIDField(
                db_index=True, default=uuid.uuid4, editable=False, verbose_name="提交编号"
            ),
        ),
        migrations.AddField(
            model_name="historicaltraceattempt",
            name="received_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="录入时间"),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="traceattempt",
            name="idempotency_key",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="提交编号"
            ),
        ),
        migrations.AlterField(
            model_name="traceattempt",
            name="received_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="录入时间"),
        ),
        migrations.AlterField(
            model_name="historicaltraceattempt",
            name="received_at",
            field=models.DateTimeField(blank=True, editable=False, verbose_name="录入时间"),
        ),
    ]
