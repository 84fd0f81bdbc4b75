"""Consents keep the household's place as signed, are sealed with hash version 3, and every
consent has its creation record in the history table (which ``verify_consents`` checks).

The snapshot columns of consents signed before this migration are filled from their household
(and their witness's account) as it stands now: that is the best available, and it is what their version 1 or 2 hash covered
(they hashed ``household.room`` as it stood), so a consent that verified before still does, and
a later correction of the room no longer breaks it. Their hashes are not recomputed: signed
history is not rewritten. Consents stored before the history table existed (migration 0005) get
the creation record they lack, from the row as it stands, so that from now on a deleted consent
is detected against the history.
"""

import importlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Concat

chain = importlib.import_module("consultations.migrations.0002_consent_supersedes_same_chain")
BATCH = 1000


def fill_signed_place(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    Unit = apps.get_model("campaigns", "Unit")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    place = {
        "signed_witness": Subquery(
            User.objects.filter(pk=OuterRef("witness_id")).values(
                get_user_model().USERNAME_FIELD
            )[:1]
        ),
        "signed_room": Subquery(
            Household.objects.filter(pk=OuterRef("household_id")).values("room")[:1]
        ),
        "signed_unit": Subquery(
            Unit.objects.filter(households=OuterRef("household_id"))
            .annotate(label=Concat("building__name", "name", output_field=models.CharField()))
            .values("label")[:1]
        ),
    }
    for name in ("Consent", "HistoricalConsent"):
        apps.get_model("consultations", name).objects.filter(signed_room="").update(**place)


def fill_missing_history(apps, schema_editor):
    Consent = apps.get_model("consultations", "Consent")
    HistoricalConsent = apps.get_model("consultations", "HistoricalConsent")
    recorded = HistoricalConsent.objects.filter(id=OuterRef("pk"), history_type="+")
    fields = [f.attname for f in Consent._meta.concrete_fields if f.name != "signature"]
    missing = Consent.objects.filter(~Exists(recorded)).order_by("pk").values(*fields)
    rows = []
    for consent in missing.iterator(chunk_size=BATCH):
        rows.append(
            HistoricalConsent(
                **consent,
                history_date=consent["created_at"],
                history_type="+",
                history_change_reason="0007: the record as it stood",
            )
        )
        if len(rows) == BATCH:
            HistoricalConsent.objects.bulk_create(rows)
            rows = []
    HistoricalConsent.objects.bulk_create(rows)


def recreate_sqlite_triggers(apps, schema_editor):
    """SQLite rebuilds the consent table to add a column and its triggers go with the old
    table: put the chain trigger of migration 0002 back."""
    if schema_editor.connection.vendor == "sqlite":
        chain.drop(apps, schema_editor)
        chain.create(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0001_initial'),
        ('consultations', '0006_fill_door_status'),
        ('households', '0002_owner_trace'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # undone last when migrating back: the table rebuilt by removing the columns needs them
        migrations.RunPython(migrations.RunPython.noop, recreate_sqlite_triggers),
        migrations.AddField(
            model_name='consent',
            name='signed_room',
            field=models.CharField(default='', max_length=10, verbose_name='签字时的房号'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='consent',
            name='signed_unit',
            field=models.CharField(default='', max_length=110, verbose_name='签字时的楼栋单元'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalconsent',
            name='signed_room',
            field=models.CharField(default='', max_length=10, verbose_name='签字时的房号'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalconsent',
            name='signed_unit',
            field=models.CharField(default='', max_length=110, verbose_name='签字时的楼栋单元'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='consent',
            name='signed_witness',
            field=models.CharField(default='', max_length=150, verbose_name='签字时的见证人账号'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalconsent',
            name='signed_witness',
            field=models.CharField(default='', max_length=150, verbose_name='签字时的见证人账号'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='consent',
            name='hash_version',
            field=models.PositiveSmallIntegerField(default=3, verbose_name='摘要版本'),
        ),
        migrations.AlterField(
            model_name='historicalconsent',
            name='hash_version',
            field=models.PositiveSmallIntegerField(default=3, verbose_name='摘要版本'),
        ),
        migrations.RunPython(fill_signed_place, migrations.RunPython.noop),
        migrations.RunPython(fill_missing_history, migrations.RunPython.noop),
        migrations.RunPython(recreate_sqlite_triggers, migrations.RunPython.noop),
    ]
