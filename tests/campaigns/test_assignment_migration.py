"""Assignments moved from the households app to campaigns: the rows and their permissions stay."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campaigns.models import Assignment, Role

PARTY_LOGIN_ROLES = [Role.LAWYER, Role.REVIEWER, Role.CONTRACTOR, Role.MAINTAINER]

BEFORE = [("households", "0004_audit_imports"), ("campaigns", "0003_unit_revision")]
AFTER = [
    ("households", "0005_assignment_moves_to_campaigns"),
    ("campaigns", "0004_assignment_from_households"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_demos_assignments_survive_the_move_to_campaigns_and_back():
    call_command("seed_demo", verbosity=0)
    # The parties' logins (lawyer, reviewer, contractor) came with issue 19's roles, long after
    # this move: the schema before it has no place for them.
    Assignment.objects.filter(role__in=PARTY_LOGIN_ROLES).delete()
    before = sorted(
        Assignment.objects.values_list("user__username", "role", "community", "building", "unit")
    )
    assert before

    old = migrate(BEFORE)
    rows = old.get_model("households", "Assignment").objects.values_list(
        "user__username", "role", "community", "building", "unit"
    )
    assert sorted(rows) == before
    ContentType = old.get_model("contenttypes", "ContentType")
    assert ContentType.objects.filter(app_label="households", model="assignment").exists()

    new = migrate(AFTER)
    rows = new.get_model("campaigns", "Assignment").objects.values_list(
        "user__username", "role", "community", "building", "unit"
    )
    assert sorted(rows) == before
    assert "campaigns_assignment" in connection.introspection.table_names()
    assert "households_assignment" not in connection.introspection.table_names()
    ContentType = new.get_model("contenttypes", "ContentType")
    assert not ContentType.objects.filter(app_label="households", model="assignment").exists()
    assert ContentType.objects.filter(app_label="campaigns", model="assignment").count() == 1
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
