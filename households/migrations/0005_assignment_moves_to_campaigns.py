# Role and Assignment move to the campaigns app: every foreign key on them points there. The
# table and its rows stay; only Django's idea of which app owns the model changes here, and
# campaigns 0004 renames the table.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0004_audit_imports"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Assignment")],
            database_operations=[],
        ),
    ]
