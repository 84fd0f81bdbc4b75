"""The admin shows a staff member only the records of the places they work on.

A secretary (the one role with admin access) sees their community's campaigns, households,
visits and signatures, never another community's; a superuser sees everything. Each admin of
the domain apps names how its model reaches a unit (``unit_path``) or a community
(``community_path``), and its foreign-key choices are limited the same way, by the related
model's own admin.
"""

from campaigns.models import assignments_of, unit_ids_for


class ScopedAdmin:
    """Mixed in before ``admin.ModelAdmin`` (or simple-history's admin)."""

    unit_path = ""  # the lookup from this model to its unit ("pk" for a unit)
    community_path = ""  # or to its community ("pk" for a community)

    def get_queryset(self, request):
        return self.scoped(super().get_queryset(request), request.user)

    def scoped(self, queryset, user):
        if user.is_superuser:
            return queryset
        if self.unit_path:
            return queryset.filter(**{f"{self.unit_path}__in": unit_ids_for(user) or []})
        communities = sorted({place.community for place in assignments_of(user)})
        return queryset.filter(**{f"{self.community_path}__in": communities})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        model = db_field.related_model
        if "queryset" not in kwargs and self.admin_site.is_registered(model):
            related = self.admin_site.get_model_admin(model)
            if isinstance(related, ScopedAdmin):
                kwargs["queryset"] = related.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
