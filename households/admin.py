from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from campaigns.admin_scope import ScopedAdmin, ScopedInline
from households.models import Household, Owner, Person, TraceAttempt


class OwnerInline(ScopedInline, admin.TabularInline):
    model = Owner
    extra = 0
    # linked on the people screen, which refuses a link the count could not make
    readonly_fields = ["person"]


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
    readonly_fields = ["person"]  # see OwnerInline

    @admin.display(description=_("姓名"))
    def masked_name(self, owner: Owner) -> str:
        return owner.masked_name

    @admin.display(description=_("电话"))
    def masked_phone(self, owner: Owner) -> str:
        return owner.masked_phone


class TitleInline(ScopedInline, admin.TabularInline):
    """The flats a person or body holds, as a list: linking and splitting is done on the
    people screen (consultations:people), which checks the count can still be made."""

    model = Owner
    fields = ["household", "masked_name", "is_primary"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("名下房屋")
    verbose_name_plural = _("名下房屋")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("姓名"))
    def masked_name(self, owner: Owner) -> str:
        return owner.masked_name


@admin.register(Person)
class PersonAdmin(ScopedAdmin, admin.ModelAdmin):
    """What a person or body is; the flats come and go on the people screen."""

    community_path = "community"

    list_display = ["__str__", "kind", "community", "created_at"]
    list_filter = ["kind", "community"]
    list_select_related = ["community"]
    inlines = [TitleInline]

    def get_readonly_fields(self, request, obj=None):
        return ["community"] if obj else []


@admin.register(TraceAttempt)
class TraceAttemptAdmin(ScopedAdmin, admin.ModelAdmin):
    unit_path = "household__unit"

    list_display = ["household", "worker", "attempted_at", "method", "result"]
    list_filter = ["result", "method", "household__unit__building__campaign"]
    list_select_related = ["household__unit__building", "worker"]
    date_hierarchy = "attempted_at"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
