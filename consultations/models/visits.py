"""Door-knock visits (走访记录): who went, whom they reached, what they heard."""

import uuid

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import refuse_control_characters, refuse_control_characters_in_notes
from households.models import Household


class Concern(models.TextChoices):
    COST = "cost", _("费用分摊")
    NOISE = "noise", _("噪音与施工干扰")
    FUND = "fund", _("维修资金使用")
    LOW_FLOOR = "low_floor", _("低楼层不受益")
    SAFETY = "safety", _("施工与使用安全")
    OTHER = "other", _("其他")


class VisitQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(household__in=Household.objects.for_user(user))

    def record(self, household, visitor, *, concerns=(), **fields) -> tuple["Visit", bool]:
        """Save a new visit and its concerns once per idempotency key (in ``fields``, or a new
        one), and where the household's door now stands (the household passed in shows it
        too): a replay, or a twin request a moment ago, returns the visit saved before and
        False. The insert comes first (a replay is rare): the key's unique index refuses a
        second."""
        from consultations.models.door_state import refresh_door_status_of  # it imports Visit

        key = fields.setdefault("idempotency_key", uuid.uuid4())
        try:
            with transaction.atomic():
                visit = self.model(household=household, visitor=visitor, **fields)
                visit.save(force_insert=True)
                for concern in sorted(set(concerns)):
                    VisitConcern.objects.create(visit=visit, concern=concern)
                refresh_door_status_of(household)
                return visit, True
        except IntegrityError:
            saved = self.filter(idempotency_key=key).first()
            if saved is None:
                raise
            return saved, False


class Visit(models.Model):
    class Channel(models.TextChoices):
        DOOR = "door", _("上门")
        PHONE = "phone", _("电话")
        WECHAT = "wechat", _("微信")
        VIA_LEAD = "via_lead", _("经牵头人")

    class Reached(models.TextChoices):
        OWNER = "owner", _("产权人")
        FAMILY = "family", _("家属")
        TENANT = "tenant", _("租户")
        NOBODY = "nobody", _("无人在家")

    class Attitude(models.TextChoices):
        SUPPORT = "support", _("支持")
        UNDECIDED = "undecided", _("观望")
        OPPOSE = "oppose", _("反对")
        NO_STANCE = "no_stance", _("未表态")  # reached, but they would not say

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="visits", verbose_name=_("住户")
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("走访人"),
    )
    visited_at = models.DateTimeField(_("走访时间"))
    channel = models.CharField(_("方式"), max_length=20, choices=Channel.choices)
    reached = models.CharField(_("接触对象"), max_length=20, choices=Reached.choices)
    attitude = models.CharField(_("态度"), max_length=20, choices=Attitude.choices, blank=True)
    notes = models.TextField(_("记录"), blank=True, validators=[refuse_control_characters_in_notes])
    next_step = models.CharField(
        _("下一步"), max_length=200, blank=True, validators=[refuse_control_characters]
    )
    next_step_on = models.DateField(_("下一步日期"), null=True, blank=True)
    idempotency_key = models.UUIDField(
        _("提交编号"), default=uuid.uuid4, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = VisitQuerySet.as_manager()
    # Workers never delete visits; a correction is an edit, and the history keeps who changed
    # what and when.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_at", "-pk"]
        indexes = [models.Index(fields=["household", "-visited_at"], name="visit_household_latest")]
        constraints = [
            models.CheckConstraint(
                name="visit_attitude_needs_someone_reached",
                condition=~Q(reached="nobody") | Q(attitude=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_at:%Y-%m-%d}"

    def correct(self, *, concerns=(), **fields) -> None:
        """Correct this visit and its concerns (nothing is deleted: the history keeps who
        changed what and when), and where its household's door now stands, at once."""
        from consultations.models.door_state import refresh_door_status_of  # it imports Visit

        with transaction.atomic():
            for name, value in fields.items():
                setattr(self, name, value)
            self.save()
            wanted = set(concerns)
            have = set(self.concerns.values_list("concern", flat=True))
            for concern in have - wanted:
                self.concerns.filter(concern=concern).first().delete()  # kept in the history
            for concern in sorted(wanted - have):
                VisitConcern.objects.create(visit=self, concern=concern)
            refresh_door_status_of(self.household)

    @property
    def concern_labels(self) -> list[str]:
        return [Concern(c.concern).label for c in self.concerns.all()]

    @property
    def was_corrected(self) -> bool:
        return (self.updated_at - self.created_at).total_seconds() > 2

    @property
    def concern_values(self) -> list[str]:
        return [c.concern for c in self.concerns.all()]


class VisitConcern(models.Model):
    """One worry a household raised during a visit; a table so the database can rank them."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="concerns", verbose_name=_("走访记录")
    )
    concern = models.CharField(_("顾虑"), max_length=20, choices=Concern.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("顾虑")
        verbose_name_plural = _("顾虑")
        ordering = ["visit", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "concern"], name="visit_concern_unique"),
        ]

    def __str__(self) -> str:
        return self.get_concern_display()
