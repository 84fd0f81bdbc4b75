from django.contrib import admin

from campaigns.admin_scope import ScopedAdmin, ScopedInline
from campaigns.models import (
    Assignment,
    Building,
    Campaign,
    Community,
    Elevator,
    Meeting,
    MeetingDecision,
    Milestone,
    Party,
    ProgressUpdate,
    Question,
    Unit,
    UpdatePhoto,
)


@admin.register(Community)
class CommunityAdmin(ScopedAdmin, admin.ModelAdmin):
    community_path = "pk"

    list_display = ["name", "subdistrict", "district", "city"]
    search_fields = ["name", "subdistrict"]


class BuildingInline(ScopedInline, admin.TabularInline):
    model = Building
    extra = 0


class MilestoneInline(ScopedInline, admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(ScopedAdmin, admin.ModelAdmin):
    community_path = "community"

    list_display = ["title", "slug", "community", "status", "consent_rule", "target_open_date"]
    list_filter = ["status", "consent_rule", "community"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [BuildingInline, MilestoneInline]


class UnitInline(ScopedInline, admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Building)
class BuildingAdmin(ScopedAdmin, admin.ModelAdmin):
    community_path = "campaign__community"

    list_display = ["name", "campaign", "sort_order"]
    list_filter = ["campaign"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(ScopedAdmin, admin.ModelAdmin):
    unit_path = "pk"

    list_display = ["__str__", "building", "floors"]
    list_filter = ["building__campaign", "building"]
    list_select_related = ["building"]


@admin.register(Elevator)
class ElevatorAdmin(ScopedAdmin, admin.ModelAdmin):
    unit_path = "unit"

    list_display = ["__str__", "install_year", "floors_served", "quote", "maker"]
    list_filter = ["unit__building__campaign", "install_year"]
    list_select_related = ["unit__building"]


@admin.register(Milestone)
class MilestoneAdmin(ScopedAdmin, admin.ModelAdmin):
    community_path = "campaign__community"

    list_display = ["title", "campaign", "planned_on", "done_on"]
    list_filter = ["campaign"]
    date_hierarchy = "planned_on"


class UpdatePhotoInline(ScopedInline, admin.TabularInline):
    model = UpdatePhoto
    extra = 0
    fields = ["image", "caption", "width", "height"]
    readonly_fields = ["image", "width", "height"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # photos come in through the portal, which strips their EXIF data


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ScopedAdmin, admin.ModelAdmin):
    community_path = "campaign__community"

    inlines = [UpdatePhotoInline]
    list_display = ["title", "campaign", "status", "published_at", "author"]
    list_filter = ["status", "campaign"]
    search_fields = ["title", "body"]


class MeetingDecisionInline(ScopedInline, admin.TabularInline):
    model = MeetingDecision
    extra = 1


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin, admin.ModelAdmin):
    community_path = "campaign__community"

    list_display = ["title", "campaign", "unit", "held_at", "place"]
    list_filter = ["campaign"]
    date_hierarchy = "held_at"
    inlines = [MeetingDecisionInline]


@admin.register(MeetingDecision)
class MeetingDecisionAdmin(ScopedAdmin, admin.ModelAdmin):
    community_path = "meeting__campaign__community"

    list_display = ["__str__", "meeting", "is_commitment", "status"]
    list_filter = ["status", "is_commitment", "meeting__campaign"]


@admin.register(Party)
class PartyAdmin(ScopedAdmin, admin.ModelAdmin):
    community_path = "campaign__community"

    list_display = ["name", "kind", "campaign", "contact_name"]
    list_filter = ["kind", "campaign"]
    search_fields = ["name", "contact_name"]


@admin.register(Question)
class QuestionAdmin(ScopedAdmin, admin.ModelAdmin):
    community_path = "campaign__community"

    list_display = ["__str__", "campaign", "room", "status", "asked_at", "answered_at"]
    list_filter = ["status", "campaign"]
    search_fields = ["body", "answer"]


@admin.register(Assignment)
class AssignmentAdmin(ScopedAdmin, admin.ModelAdmin):
    community_path = "community"

    list_display = ["user", "role", "community", "building", "unit"]
    list_filter = ["role", "community"]
    list_select_related = ["user", "community", "building", "unit__building"]
    search_fields = ["user__username"]
