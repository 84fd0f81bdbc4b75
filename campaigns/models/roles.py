"""Who works where: a secretary's community, a worker's buildings or units, a lead's one
building. What each role may do there is declared in campaigns/roles.py; the two meet in
``campaigns.access.may``."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models.parties import Party
from campaigns.models.places import Building, Community, Unit


class Role(models.TextChoices):
    SECRETARY = "secretary", _("社区书记")
    GRID_WORKER = "grid_worker", _("网格员")
    BUILDING_LEAD = "building_lead", _("楼栋长/牵头人")
    # The parties' people: they see their community's campaigns, never its households.
    LAWYER = "lawyer", _("律师")
    REVIEWER = "reviewer", _("街道审核人")
    CONTRACTOR = "contractor", _("施工单位")
    MAINTAINER = "maintainer", _("维保单位")


# The roles that speak for a party (Assignment.party): they see what concerns that party only.
PARTY_ROLES = (Role.CONTRACTOR, Role.MAINTAINER)


@dataclass(frozen=True)
class Place:
    """One of a user's assignments, as ids: where they work, in which role."""

    role: str
    community: int
    building: int | None
    unit: int | None


def assignments_of(user) -> tuple[Place, ...]:
    """The user's assignments, read once per user object, so once per request (one small
    query; none for anonymous users): the navigation, the unit scope and the role checks of
    one request all ask. Saving or deleting an assignment forgets what its user had read."""
    if not user.is_authenticated:
        return ()
    if not hasattr(user, "_assignments_cache"):
        rows = Assignment.objects.filter(user=user).order_by()
        places = rows.values_list("role", "community", "building", "unit")
        user._assignments_cache = tuple(Place(*row) for row in places)
    return user._assignments_cache


def roles_of(user) -> set[str]:
    """The roles a user holds through their assignments (empty for anonymous users)."""
    return {place.role for place in assignments_of(user)}


def communities_managed_by(user) -> list[int]:
    """The ids of the communities the user is secretary of."""
    return sorted({p.community for p in assignments_of(user) if p.role == Role.SECRETARY})


def unit_ids_for(user) -> list[int] | None:
    """The ids of the units whose households the user may see: a secretary's communities',
    a worker's or lead's buildings and units; None for a superuser (every unit). Read once
    per user object, so once per request, as the assignments are: by literal ids, the
    assignments read first, so the units are found by index."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    if not hasattr(user, "_unit_ids_cache"):
        user._unit_ids_cache = _unit_ids_of(user)
    return user._unit_ids_cache


def _unit_ids_of(user) -> list[int]:
    places = assignments_of(user)
    communities = communities_managed_by(user)
    buildings = sorted({p.building for p in places if p.building})
    units = sorted({p.unit for p in places if p.unit})
    if not (communities or buildings or units):
        return []
    in_scope = Unit.objects.filter(  # an empty IN drops out of the OR
        Q(building__campaign__community__in=communities)
        | Q(building__in=buildings)
        | Q(pk__in=units)
    )
    return list(in_scope.order_by("pk").values_list("pk", flat=True))


class AssignmentQuerySet(models.QuerySet):
    def of(self, user):
        return self.filter(user=user) if user.is_authenticated else self.none()


class Assignment(models.Model):
    """Where a staff member works, and in which role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("用户"),
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("社区")
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("楼栋"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("单元"),
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("所属单位"),
        help_text=_("施工单位、维保单位的账号必须选择其单位"),
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("分工")
        verbose_name_plural = _("分工")
        ordering = ["user__username", "role"]
        constraints = [
            models.CheckConstraint(
                name="assignment_scope_fits_role",
                condition=(
                    Q(role=Role.SECRETARY, building__isnull=True, unit__isnull=True)
                    | Q(role=Role.BUILDING_LEAD, building__isnull=False, unit__isnull=True)
                    | Q(role=Role.GRID_WORKER, building__isnull=False, unit__isnull=True)
                    | Q(role=Role.GRID_WORKER, building__isnull=True, unit__isnull=False)
                    | Q(
                        role__in=[Role.LAWYER, Role.REVIEWER],
                        building__isnull=True,
                        unit__isnull=True,
                    )
                    | Q(role__in=PARTY_ROLES, building__isnull=True, unit__isnull=True)
                ),
            ),
            models.CheckConstraint(
                name="assignment_party_fits_role",
                condition=Q(role__in=PARTY_ROLES, party__isnull=False)
                | (~Q(role__in=PARTY_ROLES) & Q(party__isnull=True)),
            ),
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(role=Role.SECRETARY),
                name="assignment_secretary_once_per_community",
            ),
            models.UniqueConstraint(
                fields=["user", "building"],
                condition=Q(building__isnull=False),
                name="assignment_building_once",
            ),
            models.UniqueConstraint(
                fields=["user", "unit"],
                condition=Q(unit__isnull=False),
                name="assignment_unit_once",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role=Role.BUILDING_LEAD),
                name="assignment_lead_has_one_building",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit or self.building or self.community
        return f"{self.user} · {self.get_role_display()} · {where}"

    def clean(self) -> None:
        building = self.unit.building if self.unit_id else self.building
        if building and building.campaign.community_id != self.community_id:
            raise ValidationError(_("楼栋或单元不属于所选社区。"))
        if self.party_id and self.party.campaign.community_id != self.community_id:
            raise ValidationError({"party": _("所选单位不属于该社区的项目。")})


def assignment_changed(sender, instance, **kwargs) -> None:
    """After every save or delete of an assignment (campaigns/apps.py): what its user object
    read of their places is gone."""
    user = instance.user
    user.__dict__.pop("_assignments_cache", None)
    user.__dict__.pop("_unit_ids_cache", None)
