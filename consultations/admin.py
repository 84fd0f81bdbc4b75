from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from campaigns.admin_scope import ScopedAdmin, ScopedHistoryAdmin, ScopedInline
from consultations.models import (
    Consent,
    FloorCoefficient,
    PacketFile,
    Proposal,
    Share,
    Visit,
    VisitConcern,
    refresh_door_status,
)
from households.models import Household


class VisitConcernInline(ScopedInline, admin.TabularInline):
    model = VisitConcern
    extra = 0


@admin.register(Visit)
class VisitAdmin(ScopedHistoryAdmin, SimpleHistoryAdmin):
    unit_path = "household__unit"

    list_display = [
        "household",
        "visitor",
        "visited_at",
        "channel",
        "reached",
        "attitude",
        "next_step_on",
    ]
    list_filter = ["attitude", "channel", "reached", "household__unit__building__campaign"]
    list_select_related = ["household__unit__building", "visitor"]
    date_hierarchy = "visited_at"
    inlines = [VisitConcernInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_related(self, request, form, formsets, change) -> None:
        """A visit added or corrected here moves its door's stored status, as
        ``Visit.objects.record`` and ``visit.correct`` do (in the admin's transaction)."""
        super().save_related(request, form, formsets, change)
        moved = {form.instance.household_id, form.initial.get("household")} - {None}
        refresh_door_status(Household.objects.filter(pk__in=moved))


class FloorCoefficientInline(ScopedInline, admin.TabularInline):
    model = FloorCoefficient
    extra = 0

    # Only a draft's coefficients change; a published version is what was signed.
    def has_change_permission(self, request, obj=None) -> bool:
        return drafting(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return drafting(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return drafting(obj) and super().has_delete_permission(request, obj)


def drafting(proposal) -> bool:
    """No proposal yet (the add page), or a draft."""
    return proposal is None or proposal.is_draft


@admin.register(Proposal)
class ProposalAdmin(ScopedAdmin, admin.ModelAdmin):
    unit_path = "elevator__unit"

    list_display = [
        "__str__",
        "status",
        "total_cost",
        "subsidy",
        "maintenance_fund",
        "self_funded",
        "rule",
        "published_at",
    ]
    list_filter = ["status", "rule", "elevator__unit__building__campaign"]
    list_select_related = ["elevator__unit__building"]
    readonly_fields = ["self_funded"]
    inlines = [FloorCoefficientInline]

    def has_change_permission(self, request, obj=None) -> bool:
        """Published and superseded versions are what households signed: read-only."""
        if obj is not None and obj.status != Proposal.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status != Proposal.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Share)
class ShareAdmin(ScopedAdmin, admin.ModelAdmin):
    """Shares are written by publishing a proposal; here they are only read."""

    unit_path = "household__unit"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    list_display = ["household", "proposal", "amount"]
    list_filter = ["proposal__elevator__unit__building__campaign"]
    list_select_related = ["household__unit__building", "proposal__elevator__unit__building"]


@admin.register(Consent)
class ConsentAdmin(ScopedAdmin, admin.ModelAdmin):
    """Read-only: signed consents are never edited or deleted, here or anywhere."""

    unit_path = "household__unit"

    list_display = ["household", "proposal", "decision", "method", "signed_at", "witness"]
    list_filter = ["decision", "method", "proposal__elevator__unit__building__campaign"]
    list_select_related = [
        "household__unit__building",
        "proposal__elevator__unit__building",
        "witness",
    ]
    date_hierarchy = "signed_at"
    exclude = ["signature"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PacketFile)
class PacketFileAdmin(ScopedAdmin, admin.ModelAdmin):
    """The record of every packet generated: read-only (the worker writes it)."""

    community_path = "campaign__community"

    list_display = ["campaign", "status", "requested_by", "requested_at", "pages", "sha256"]
    list_filter = ["status", "campaign"]
    list_select_related = ["campaign", "requested_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
