# Assignment (who works where) now belongs to the campaigns app. The table households 0004
# made, with its rows and constraints, is taken over as it is, then renamed; the content type
# follows, so the permissions granted on it stay granted.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old = ContentType.objects.using(db).filter(app_label="households", model="assignment")
    if ContentType.objects.using(db).filter(app_label="campaigns", model="assignment").exists():
        old.delete()  # made by an earlier post_migrate: nothing refers to the old one then
    else:
        old.update(app_label="campaigns")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="campaigns", model="assignment").update(
        app_label="households"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_unit_revision"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("households", "0005_assignment_moves_to_campaigns"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Assignment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("secretary", "社区书记"),
                                    ("grid_worker", "网格员"),
                                    ("building_lead", "楼栋长/牵头人"),
                                ],
                                max_length=20,
                                verbose_name="角色",
                            ),
                        ),
                        (
                            "building",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="assignments",
                                to="campaigns.building",
                                verbose_name="楼栋",
                            ),
                        ),
                        (
                            "community",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="assignments",
                                to="campaigns.community",
                                verbose_name="社区",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="assignments",
                                to="campaigns.unit",
                                verbose_name="单元",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="assignments",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="用户",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "分工",
                        "verbose_name_plural": "分工",
                        "ordering": ["user__username", "role"],
                        "db_table": "households_assignment",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("building__isnull", True),
                                        ("role", "secretary"),
                                        ("unit__isnull", True),
                                    ),
                                    models.Q(
                                        ("building__isnull", False),
                                        ("role", "building_lead"),
                                        ("unit__isnull", True),
                                    ),
                                    models.Q(
                                        ("building__isnull", False),
                                        ("role", "grid_worker"),
                                        ("unit__isnull", True),
                                    ),
                                    models.Q(
                                        ("building__isnull", True),
                                        ("role", "grid_worker"),
                                        ("unit__isnull", False),
                                    ),
                                    _connector="OR",
                                ),
                                name="assignment_scope_fits_role",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("role", "secretary")),
                                fields=("user", "community"),
                                name="assignment_secretary_once_per_community",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("building__isnull", False)),
                                fields=("user", "building"),
                                name="assignment_building_once",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("unit__isnull", False)),
                                fields=("user", "unit"),
                                name="assignment_unit_once",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("role", "building_lead")),
                                fields=("user",),
                                name="assignment_lead_has_one_building",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="assignment", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
        migrations.RemoveField(model_name="unit", name="revision"),
    ]
