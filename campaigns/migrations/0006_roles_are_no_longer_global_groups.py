# A role no longer is a Django group: what it may do is declared in campaigns/roles.py and
# counts only where the user's assignment is (campaigns.access.may). The role groups, their
# permissions and their memberships go, so no role reaches past its own community.

from django.db import migrations

ROLE_GROUPS = ["secretary", "grid_worker", "building_lead"]


def delete_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0005_question_public_copy"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        # Nothing to restore going back: the groups gave what the assignments now give.
        migrations.RunPython(delete_role_groups, migrations.RunPython.noop),
    ]
