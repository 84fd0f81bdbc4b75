"""What each role may do, as Django groups and permissions. Where they may do it is each
user's Assignment (campaigns.models.roles). Groups are brought in line after every migrate."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from campaigns.models import Role

DOMAIN_APPS = ("campaigns", "households", "consultations")

# What everyone who knocks on doors may do: see their buildings, households, proposals and
# signatures, and log and correct visits.
DOOR_KNOCKER_PERMISSIONS = [
    "campaigns.view_campaign",
    "campaigns.view_building",
    "campaigns.view_unit",
    "campaigns.view_elevator",
    "campaigns.view_milestone",
    "campaigns.view_meeting",
    "campaigns.view_meetingdecision",
    "households.view_household",
    "households.view_owner",
    "households.view_traceattempt",
    "consultations.add_visit",
    "consultations.change_visit",
    "consultations.view_visit",
    "consultations.view_proposal",
    "consultations.view_share",
    "consultations.view_consent",
]
BUILDING_LEAD_PERMISSIONS = DOOR_KNOCKER_PERMISSIONS
# Grid workers also trace absentee owners, keep household data right, take signatures, and
# report progress and site inspections; they post progress updates with photos, record
# meetings and their decisions, mark milestones reached and answer residents' questions
# (publishing an answer is the secretary's campaigns.publish_question).
GRID_WORKER_PERMISSIONS = [
    *DOOR_KNOCKER_PERMISSIONS,
    "campaigns.add_progressupdate",
    "campaigns.view_progressupdate",
    "campaigns.add_updatephoto",
    "campaigns.add_meeting",
    "campaigns.change_meeting",
    "campaigns.add_meetingdecision",
    "campaigns.change_meetingdecision",
    "campaigns.change_milestone",
    "campaigns.change_question",
    "campaigns.add_inspection",
    "campaigns.view_inspection",
    "campaigns.add_inspectionissue",
    "campaigns.view_inspectionissue",
    "campaigns.view_question",
    "households.change_household",
    "households.change_owner",
    "households.add_traceattempt",
    "consultations.add_consent",
]
# Signed and said records are never deleted, not even by the secretary.
NEVER_DELETED = {
    "consent",
    "visit",
    "visitconcern",
    "share",
    "meeting",
    "meetingdecision",
    "traceattempt",
}


def secretary_permissions() -> list[Permission]:
    permissions = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS)
    return [
        p
        for p in permissions.select_related("content_type")
        if not (p.codename.startswith("delete_") and p.content_type.model in NEVER_DELETED)
        and p.codename != "change_consent"
        # the audit history is read, never written by hand
        and not (p.content_type.model.startswith("historical") and p.codename[:5] != "view_")
    ]


def permissions_named(names: list[str]) -> list[Permission]:
    wanted = {tuple(name.split(".")) for name in names}
    found = [
        p
        for p in Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS).select_related(
            "content_type"
        )
        if (p.content_type.app_label, p.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise LookupError(f"Unknown permissions for roles: {sorted(missing)}")
    return found


def sync_role_groups(using: str = "default", **kwargs) -> None:
    """Create each role's group with exactly its permissions (idempotent)."""
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    wanted = {
        Role.SECRETARY: secretary_permissions(),
        Role.GRID_WORKER: permissions_named(GRID_WORKER_PERMISSIONS),
        Role.BUILDING_LEAD: permissions_named(BUILDING_LEAD_PERMISSIONS),
    }
    for role, permissions in wanted.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        group.permissions.set(permissions)
