from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from campaigns.admin_scope import ScopedAdmin, ScopedInline
from households.models import Household, Owner, TraceAttempt


class OwnerInline(ScopedInline, admin.TabularInline):
    model = Owner
    extra = 0


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin, admin.ModelAdmin):
    unit_path = "unit"

    list_display = [
        "__str__",
        "floor",
        "area",
        "occupancy",
        "owner_trace",
        "elderly",
        "mobility_impaired",
    ]
    list_filter = [
        "unit__building__campaign",
        "unit__building",
        "occupancy",
        "owner_trace",
        "elderly",
        "mobility_impaired",
    ]
    list_select_related = ["unit__building"]
    search_fields = ["room"]
    inlines = [OwnerInline]


@admin.register(Owner)
class OwnerAdmin(ScopedAdmin, admin.ModelAdmin):
    unit_path = "household__unit"

    list_display = ["masked_name", "household", "masked_phone", "is_primary", "lives_elsewhere"]
    list_filter = ["lives_elsewhere", "household__unit__building__campaign"]
    list_select_related = ["household__unit__building"]
    search_fields = ["household__room"]

    @admin.display(description=_("姓名"))
    def masked_name(self, owner: Owner) -> str:
        return owner.masked_name

    @admin.display(description=_("电话"))
    def masked_phone(self, owner: Owner) -> str:
        return owner.masked_phone


@admin.register(TraceAttempt)
class TraceAttemptAdmin(ScopedAdmin, admin.ModelAdmin):
    unit_path = "household__unit"

    list_display = ["household", "worker", "attempted_at", "method", "result"]
    list_filter = ["result", "method", "household__unit__building__campaign"]
    list_select_related = ["household__unit__building", "worker"]
    date_hierarchy = "attempted_at"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
