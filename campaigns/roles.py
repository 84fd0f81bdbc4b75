"""What each role may do, as permission names ("app.codename") declared here in code. Where
they may do it is each user's Assignment (campaigns.models.roles); the two meet in one check,
``campaigns.access.may``. No Django group carries a role: a role held in one community gives
nothing in another."""

from functools import cache

from django.apps import apps
from django.contrib.auth import get_permission_codename

from campaigns.models import Role

DOMAIN_APPS = ("campaigns", "households", "consultations", "works", "money")

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
# What everyone who inspects the works sites daily may do (grid workers and building leads):
# see the sites and their schedules, record an inspection with its checklist and photos, and
# open issues for the responsible party.
INSPECTOR_PERMISSIONS = [
    "campaigns.view_party",
    "works.view_site",
    "works.view_schedulestep",
    "works.add_inspection",
    "works.view_inspection",
    "works.add_check",
    "works.add_inspectionphoto",
    "works.add_issue",
    "works.view_issue",
    "works.add_issuephoto",
]
# Leads also write down what they hear of a household's needs (elderly, mobility, who needs
# help while the lift is out): the only household facts a lead's pages let them change
# (consultations.forms.NeedsForm); area, occupancy and owners stay the worker's and secretary's.
RECORD_NEEDS = "households.change_household"
BUILDING_LEAD_PERMISSIONS = [*DOOR_KNOCKER_PERMISSIONS, RECORD_NEEDS, *INSPECTOR_PERMISSIONS]
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
    *INSPECTOR_PERMISSIONS,
    "campaigns.view_question",
    RECORD_NEEDS,
    "households.change_owner",
    "households.add_traceattempt",
    "consultations.add_consent",
    # Money: they see their households' balances, receipts, the fund application and the
    # settlement, to answer residents at the door; only the secretary records or changes money
    # (one accountable person handles it). Building leads, volunteers among the neighbours, see
    # no one's money.
    "money.view_fundapplication",
    "money.view_entry",
    "money.view_settlement",
    # and record the daily stand-up of the works, closing the actions it carries over
    "works.add_standup",
    "works.view_standup",
    "works.add_actionitem",
    "works.change_actionitem",
]
# The lawyer and the sub-district reviewer read the campaign's units, proposals, tally and
# frozen packets, and record their reviews; they never see a household's page.
REVIEWER_PERMISSIONS = [
    "campaigns.view_campaign",
    "campaigns.view_unit",
    "campaigns.view_elevator",
    "campaigns.view_party",
    "consultations.view_proposal",
    "consultations.view_share",
    "works.view_site",
    "works.view_reviewpacket",
    "works.view_review",
    "works.add_review",
    "works.add_reviewdocument",
    "works.view_workscontract",
]
# A contractor's people see the sites and schedules their party works on and answer the
# issues assigned to it, closing each with an "after" photo.
CONTRACTOR_PERMISSIONS = [
    "campaigns.view_campaign",
    "works.view_site",
    "works.view_schedulestep",
    "works.view_issue",
    "works.change_issue",
    "works.add_issuephoto",
]
# A maintenance company's people see the elevators handed over to it and answer the fault
# tickets residents send it, marking each fixed (works.completion.tickets_for scopes them).
MAINTAINER_PERMISSIONS = [
    "campaigns.view_campaign",
    "works.view_site",
    "works.view_handover",
    "works.view_faultreport",
    "works.change_faultreport",
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
    "reviewpacket",
    "review",
    "reviewdocument",
    "workscontract",
    "standup",
    "actionitem",
    "inspection",
    "check",
    "issue",
    "issuephoto",
    "residentreport",
    "entry",
    "fundapplication",
    "settlement",
    "settledshare",
    "acceptanceinspection",
    "useregistration",
    "opening",
    "handover",
    "faultreport",
}


def domain_permissions() -> set[str]:
    """Every permission of the domain apps' models, by name, read from the models (the
    permission rows ``migrate`` creates are the same names)."""
    names = set()
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            opts = model._meta
            codenames = [get_permission_codename(a, opts) for a in opts.default_permissions]
            codenames += [codename for codename, _name in opts.permissions]
            names |= {f"{label}.{codename}" for codename in codenames}
    return names


def secretary_permission(name: str) -> bool:
    """Whether the secretary's role gives ``name``: everything of the domain apps but deleting
    what was signed or said, editing a signature, and writing the audit history by hand."""
    codename = name.split(".", 1)[1]
    action, _sep, model = codename.partition("_")
    return not (
        (action == "delete" and model in NEVER_DELETED)
        or codename == "change_consent"
        or (model.startswith("historical") and action != "view")
    )


@cache
def role_permissions() -> dict[str, frozenset[str]]:
    """Each role's permission names (read once per process, after the apps are loaded)."""
    everything = domain_permissions()
    named = {
        *GRID_WORKER_PERMISSIONS,
        *BUILDING_LEAD_PERMISSIONS,
        *REVIEWER_PERMISSIONS,
        *CONTRACTOR_PERMISSIONS,
        *MAINTAINER_PERMISSIONS,
    }
    if named - everything:
        raise LookupError(f"Unknown permissions for roles: {sorted(named - everything)}")
    return {
        Role.SECRETARY: frozenset(filter(secretary_permission, everything)),
        Role.GRID_WORKER: frozenset(GRID_WORKER_PERMISSIONS),
        Role.BUILDING_LEAD: frozenset(BUILDING_LEAD_PERMISSIONS),
        Role.LAWYER: frozenset(REVIEWER_PERMISSIONS),
        Role.REVIEWER: frozenset(REVIEWER_PERMISSIONS),
        Role.CONTRACTOR: frozenset(CONTRACTOR_PERMISSIONS),
        Role.MAINTAINER: frozenset(MAINTAINER_PERMISSIONS),
    }


def role_gives(role: str, permission: str) -> bool:
    return permission in role_permissions().get(role, frozenset())
