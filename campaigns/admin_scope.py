"""The admin shows a secretary only the records of the communities they are secretary of.

Only secretaries reach the admin (``portal.admin_site``). A secretary sees, changes, reverts
and deletes their own communities' campaigns, households, visits and signatures, and nothing of
another community: each of those answers 404 there, however it is asked (change, history,
revert, delete), and the list filters, autocompletes and foreign-key choices offer only their
own communities' records. A role held elsewhere (a grid worker's building in another community)
gives nothing here. What a secretary may do with a model is the secretary's role
(``campaigns.roles``), not a Django group. A superuser sees everything.

Each admin of the domain apps names how its model reaches a unit (``unit_path``) or a community
(``community_path``); its foreign-key choices are limited the same way, by the related model's
own admin.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.contrib.auth import get_permission_codename, get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from campaigns.forms import bound_dates
from campaigns.models import Assignment, Role, Unit, communities_managed_by
from campaigns.roles import role_gives
from core.text import RefuseControlCharacters


def secretary_may(user, action: str, opts) -> bool:
    """Whether the secretary's role gives ``action`` on the model (``opts``), for a user who
    is the secretary of some community (or a superuser)."""
    if user.is_superuser:
        return True
    permission = f"{opts.app_label}.{get_permission_codename(action, opts)}"
    return bool(communities_managed_by(user)) and role_gives(Role.SECRETARY, permission)


def people_for(user):
    """The people a secretary may pick (a visitor, a witness, whom to place): those placed in
    their communities, and those placed nowhere yet; never someone of another community."""
    here = Assignment.objects.filter(community__in=communities_managed_by(user))
    placed = Assignment.objects.values("user")
    people = get_user_model().objects.filter(is_superuser=False)
    return people.filter(~Q(pk__in=placed) | Q(pk__in=here.values("user")))


class AdminForm(RefuseControlCharacters, forms.ModelForm):
    """Every domain admin form refuses what the portal's own forms refuse: control characters
    in text, and a date outside the years a schedule may name (campaigns.forms.TARGET_DATES)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        dates = [name for name, f in self.fields.items() if type(f) is forms.DateField]
        bound_dates(self, *dates)


class ScopedChoices:
    """Foreign-key choices limited by the related model's own scoped admin, and people to
    those of the secretary's communities (``people_for``); forms are ``AdminForm``."""

    form = AdminForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs and not request.user.is_superuser:
            model = db_field.related_model
            registered = self.admin_site.is_registered(model)
            related = self.admin_site.get_model_admin(model) if registered else None
            if model is get_user_model():
                kwargs["queryset"] = people_for(request.user)
            elif isinstance(related, ScopedAdmin):
                kwargs["queryset"] = related.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedInline(ScopedChoices):
    """Mixed in before ``admin.TabularInline``: what the secretary's role gives on the inline's
    model (its parent's admin has already decided the parent is in scope)."""

    def has_view_permission(self, request, obj=None) -> bool:
        user = request.user
        opts = self.opts
        return secretary_may(user, "view", opts) or secretary_may(user, "change", opts)

    def has_change_permission(self, request, obj=None) -> bool:
        return secretary_may(request.user, "change", self.opts)

    def has_add_permission(self, request, obj=None) -> bool:
        return secretary_may(request.user, "add", self.opts)

    def has_delete_permission(self, request, obj=None) -> bool:
        return secretary_may(request.user, "delete", self.opts)


class ScopedAdmin(ScopedChoices):
    """Mixed in before ``admin.ModelAdmin`` (or ``ScopedHistoryAdmin`` before
    simple-history's admin)."""

    unit_path = ""  # the lookup from this model to its unit ("pk" for a unit)
    community_path = ""  # or to its community ("pk" for a community)

    def get_queryset(self, request):
        return self.scoped(super().get_queryset(request), request.user)

    def scoped(self, queryset, user):
        if user.is_superuser:
            return queryset
        communities = communities_managed_by(user)
        if self.unit_path:
            units = Unit.objects.filter(building__campaign__community__in=communities)
            return queryset.filter(**{f"{self.unit_path}__in": units})
        return queryset.filter(**{f"{self.community_path}__in": communities})

    def get_object(self, request, object_id, from_field=None):
        """The object if it is in the user's scope; 404 otherwise (change, delete, history)."""
        obj = super().get_object(request, object_id, from_field)  # from get_queryset
        if obj is None:
            raise Http404
        request.__dict__.setdefault("_admin_in_scope", {})[(self.opts.label, obj.pk)] = True
        return obj

    def in_scope(self, request, obj) -> bool:
        """Whether ``obj`` is one of the records this admin shows the user (asked once per
        object and request)."""
        if request.user.is_superuser:
            return True
        seen = request.__dict__.setdefault("_admin_in_scope", {})
        key = (self.opts.label, obj.pk)
        if key not in seen:
            seen[key] = self.get_queryset(request).filter(pk=obj.pk).exists()
        return seen[key]

    def secretary_may(self, request, action: str, obj=None) -> bool:
        if not secretary_may(request.user, action, self.opts):
            return False
        return obj is None or self.in_scope(request, obj)

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser or bool(communities_managed_by(request.user))

    def has_view_permission(self, request, obj=None) -> bool:
        return self.secretary_may(request, "view", obj) or self.secretary_may(
            request, "change", obj
        )

    def has_change_permission(self, request, obj=None) -> bool:
        return self.secretary_may(request, "change", obj)

    def has_add_permission(self, request) -> bool:
        return self.secretary_may(request, "add")

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.secretary_may(request, "delete", obj)

    def get_list_filter(self, request):
        """Filters on a related record list only the records of the rows in scope."""
        return [self.scoped_filter(item) for item in super().get_list_filter(request)]

    def scoped_filter(self, item):
        if isinstance(item, str) and get_fields_from_path(self.model, item)[-1].is_relation:
            return (item, admin.RelatedOnlyFieldListFilter)
        return item


class ScopedHistoryAdmin(ScopedAdmin):
    """For simple-history's admin, whose history and revert pages read the object by id
    without the admin's queryset: 404 outside the user's scope, and reverting is changing."""

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
