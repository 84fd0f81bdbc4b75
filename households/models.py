"""Households and their owners, the search for owners who live elsewhere, the audit trail."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import Community, Question, Unit, unit_ids_for
from core.text import refuse_control_characters, refuse_control_characters_in_notes
from households.privacy import mask_name, mask_phone


class OwnerTrace(models.TextChoices):
    """How far the search for an owner who lives elsewhere has come."""

    UNKNOWN = "unknown", _("未找到产权人")
    CONTACT_FOUND = "contact_found", _("已找到联系方式")
    REACHED = "reached", _("已联系上产权人")
    REFUSED = "refused", _("产权人拒绝沟通")


# The door status columns of Household (see there): the latest visit, how many visits, whether
# anyone was ever reached, and the decision in force.
DOOR_STATUS_FIELDS = [
    "last_visit_at",
    "last_reached",
    "last_attitude",
    "follow_up_on",
    "follow_up_step",
    "visit_count",
    "ever_reached",
    "decision",
]


class AreaSource(models.TextChoices):
    """Where a flat's area comes from, in the order the law prefers them (SPC art. 8)."""

    REGISTER = "register", _("不动产登记簿")
    SURVEY = "survey", _("测绘报告")
    CONTRACT = "contract", _("购房合同")


class Urgency(models.TextChoices):
    """How much the household needs the new lift, as the worker judged it at the door."""

    URGENT = "urgent", _("紧急")
    HIGH = "high", _("较急")
    NORMAL = "normal", _("一般")
    NONE = "none", _("无需求（年轻家庭）")


# Each need recorded at the door, in one word, as walk sheets and lists show it.
NEED_WORDS = [
    ("elderly", _("高龄")),
    ("mobility_impaired", _("行动不便")),
    ("lives_alone", _("独居")),
    ("needs_outage_help", _("停梯需帮助")),
]


class HouseholdQuerySet(models.QuerySet):
    def for_user(self, user):
        """The households this user may see: a secretary's community, a worker's or lead's
        buildings and units. Superusers see everything; everyone else sees nothing."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        # The unit ids first, as a list: with a subquery PostgreSQL plans for most of the
        # district and works out each row's annotations before filtering.
        return self.filter(unit__in=unit_ids_for(user))

    def in_campaign(self, campaign):
        return self.filter(unit__building__campaign=campaign)

    def vulnerable(self):
        return self.filter(Q(elderly=True) | Q(mobility_impaired=True))

    def needing_outage_help(self):
        """Who needs help while the lift is out (stairs, meals, doctor visits)."""
        return self.filter(needs_outage_help=True)

    def owner_elsewhere(self):
        """Rented flats and absentee owners (人户分离): the owner must be found and reached."""
        return self.filter(occupancy__in=Household.OWNER_ELSEWHERE)

    def owner_untraced(self):
        return self.owner_elsewhere().exclude(owner_trace=OwnerTrace.REACHED)


class Household(models.Model):
    class Occupancy(models.TextChoices):
        OWNER_OCCUPIED = "owner_occupied", _("自住")
        RENTED = "rented", _("出租")
        ABSENTEE = "absentee", _("人户分离")
        VACANT = "vacant", _("空置")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="households", verbose_name=_("单元")
    )
    room = models.CharField(_("房号"), max_length=10, validators=[refuse_control_characters])
    floor = models.PositiveSmallIntegerField(_("楼层"))
    area = models.DecimalField(
        _("建筑面积（㎡）"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0.01)],
    )
    # Where the area was taken from (SPC interpretation 法释〔2009〕7号 art. 8): the register
    # first, failing that the survey report, failing that the sales contract.
    area_source = models.CharField(
        _("面积依据"), max_length=20, choices=AreaSource.choices, blank=True
    )
    occupancy = models.CharField(
        _("居住情况"), max_length=20, choices=Occupancy.choices, default=Occupancy.OWNER_OCCUPIED
    )
    elderly = models.BooleanField(_("有70岁以上老人"), default=False)
    mobility_impaired = models.BooleanField(_("有行动不便者（含轮椅）"), default=False)
    lives_alone = models.BooleanField(_("独居"), default=False)
    needs_outage_help = models.BooleanField(
        _("停梯施工期间需要帮助"), default=False, help_text=_("例如：上下楼、送餐、就医")
    )
    urgency = models.CharField(
        _("紧迫程度"),
        max_length=20,
        choices=Urgency.choices,
        blank=True,
        help_text=_("留空表示尚未了解"),
    )
    needs_note = models.TextField(
        _("需求备注（仅工作人员可见）"), blank=True, validators=[refuse_control_characters_in_notes]
    )
    owner_trace = models.CharField(
        _("产权人联系情况"), max_length=20, choices=OwnerTrace.choices, default=OwnerTrace.UNKNOWN
    )

    # Where the door stands, kept as columns (as healthchecks keeps a check's status and last
    # ping) so that lists filter and count them without a subquery per row. Written only by
    # consultations.models.door_state.refresh_door_status, in the transaction of the visit,
    # consent or proposal that changed them; left out of the history, which keeps what people
    # said, not what was worked out from it. ``manage.py recompute_door_status`` checks them.
    last_visit_at = models.DateTimeField(_("最近走访时间"), null=True, blank=True, editable=False)
    last_reached = models.CharField(_("最近接触对象"), max_length=20, blank=True, editable=False)
    last_attitude = models.CharField(_("最近态度"), max_length=20, blank=True, editable=False)
    follow_up_on = models.DateField(_("跟进日期"), null=True, blank=True, editable=False)
    follow_up_step = models.CharField(_("跟进事项"), max_length=200, blank=True, editable=False)
    visit_count = models.PositiveIntegerField(_("走访次数"), default=0, editable=False)
    ever_reached = models.BooleanField(_("曾接触到人"), default=False, editable=False)
    decision = models.CharField(_("签字意见"), max_length=20, blank=True, editable=False)

    objects = HouseholdQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=DOOR_STATUS_FIELDS)

    class Meta:
        verbose_name = _("住户")
        verbose_name_plural = _("住户")
        permissions = [
            ("export_household", _("可按住户申请导出其个人信息")),
            ("erase_household", _("可按申请删除住户的个人信息")),
        ]
        ordering = [
            "unit__building__sort_order",
            "unit__building__name",
            "unit__name",
            "floor",
            "room",
        ]
        indexes = [models.Index(fields=["follow_up_on"], name="household_follow_up_on")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "room"], name="household_room_unique"),
            models.CheckConstraint(name="household_floor_positive", condition=Q(floor__gt=0)),
            models.CheckConstraint(name="household_area_positive", condition=Q(area__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.room}"

    def save(self, **kwargs) -> None:
        """A household read a while ago and saved again (the admin, an erasure) never writes
        its door status columns back over what a visit or a signature has since written."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in DOOR_STATUS_FIELDS
            ]
        super().save(**kwargs)

    def get_absolute_url(self) -> str:
        return reverse("consultations:household", args=[self.pk])

    def clean(self) -> None:
        if self.unit_id and self.floor and self.floor > self.unit.floors:
            raise ValidationError({"floor": _("楼层超出该单元的楼层数。")})

    OWNER_ELSEWHERE = (Occupancy.RENTED, Occupancy.ABSENTEE)

    def record_trace(
        self, worker, *, method: str, result: str, note: str = "", at=None, key=None
    ) -> "TraceAttempt":
        """Record one try at finding or reaching the owner, and where the search now stands
        (both kept in the history), once per idempotency key ``key`` (or a new one): a
        replay, say a tablet sending again what it saved offline, returns the attempt saved
        before and changes nothing. ``at`` is when it was made (on the device), now if not
        given; the attempt also keeps when it arrived."""
        key = key or uuid.uuid4()
        try:
            with transaction.atomic():
                attempt = TraceAttempt(
                    household=self,
                    worker=worker,
                    attempted_at=at or timezone.now(),
                    method=method,
                    result=result,
                    note=note,
                    idempotency_key=key,
                )
                attempt.save(force_insert=True)
                self.owner_trace = result
                self.save(update_fields=["owner_trace"])
                return attempt
        except IntegrityError:
            saved = TraceAttempt.objects.filter(idempotency_key=key).first()
            if saved is None:
                raise
            return saved

    @property
    def is_vulnerable(self) -> bool:
        return self.elderly or self.mobility_impaired

    @property
    def need_labels(self) -> list[str]:
        """The needs recorded at the door, in a word each (高龄、行动不便、独居、停梯需帮助),
        and the urgency when it is urgent or high: for walk sheets and lists."""
        words = [str(word) for name, word in NEED_WORDS if getattr(self, name)]
        if self.urgency in (Urgency.URGENT, Urgency.HIGH):
            words.append(str(self.get_urgency_display()))
        return words

    @property
    def owner_lives_elsewhere(self) -> bool:
        return self.occupancy in self.OWNER_ELSEWHERE


phone_validator = RegexValidator(
    r"^\+?[0-9][0-9\- ]{6,18}[0-9]$", _("请输入有效的电话号码，例如 13812341234。")
)
id_tail_validator = RegexValidator(r"^[0-9Xx]{0,4}$", _("身份证号最多只记录后4位。"))


class Person(models.Model):
    """An owner as one person or one body (产权主体) behind the owner entries of every flat they
    hold: one head in the count (SPC interpretation 法释〔2009〕7号 art. 9). An owner entry not
    linked to a Person is a person of its own who holds only that flat. The developer's unsold
    parts are entries linked to one Person of kind DEVELOPER, and so count once together."""

    class Kind(models.TextChoices):
        PERSON = "person", _("个人")
        DEVELOPER = "developer", _("开发建设单位（未售出部分）")
        WORK_UNIT = "work_unit", _("单位产")
        HOUSING_AUTHORITY = "housing_authority", _("直管公房（房管部门）")

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("产权主体")
        verbose_name_plural = _("产权主体")
        ordering = ["community", "pk"]

    def __str__(self) -> str:
        first = self.titles.first()
        name = first.masked_name if first else ""
        return f"{self.get_kind_display()} {name}".strip()

    @property
    def is_body(self) -> bool:
        return self.kind != self.Kind.PERSON


class OwnerQuerySet(models.QuerySet):
    def keys_by_household(self, households) -> dict[int, frozenset]:
        """Each household's owner key for ``consultations.thresholds.heads``, in one query: the
        frozenset of its owners, each named by the Person it is linked to or else by the
        entry itself (an unlinked entry holds this flat alone). Households with no owner
        recorded are left out: the caller counts them as a head of their own (key None)."""
        keys: dict[int, set] = {}
        rows = self.filter(household__in=households).values_list("household", "person", "pk")
        for household_id, person_id, owner_id in rows:
            token = ("person", person_id) if person_id else ("owner", owner_id)
            keys.setdefault(household_id, set()).add(token)
        return {household_id: frozenset(tokens) for household_id, tokens in keys.items()}


class Owner(models.Model):
    """A property owner (产权人) as entered for one flat. Co-owners share one vote: the household
    votes once. The same person holding several flats has one entry per flat, each linked to
    one ``Person``; linking is proposed by ``households.people`` and confirmed by the secretary."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="owners", verbose_name=_("住户")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="titles",
        verbose_name=_("产权主体"),
    )
    name = models.CharField(_("姓名"), max_length=50, validators=[refuse_control_characters])
    phone = models.CharField(_("电话"), max_length=20, blank=True, validators=[phone_validator])
    id_tail = models.CharField(
        _("身份证后4位"), max_length=4, blank=True, validators=[id_tail_validator]
    )
    is_primary = models.BooleanField(_("主要联系人"), default=True)
    lives_elsewhere = models.BooleanField(_("不在本处居住"), default=False)

    objects = OwnerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("产权人")
        verbose_name_plural = _("产权人")
        ordering = ["household", "-is_primary", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(is_primary=True),
                name="owner_one_primary_per_household",
            ),
            models.CheckConstraint(
                name="owner_id_tail_at_most_four",
                condition=LessThanOrEqual(Length("id_tail"), 4),
            ),
        ]

    def __str__(self) -> str:
        return self.masked_name

    def save(self, *args, **kwargs) -> None:
        """Saved with the campaign's questions made public again without this name in them
        (an owner added or renamed in the admin: the public search must not find them)."""
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "name" in update_fields:
            campaign = Unit.objects.filter(households=self.household_id).values(
                "building__campaign"
            )
            Question.objects.filter(campaign__in=campaign).refresh_public_copies()

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)


class TraceAttempt(models.Model):
    """One try at finding or reaching an owner who lives elsewhere (人户分离)."""

    class Method(models.TextChoices):
        PHONE = "phone", _("电话")
        WECHAT = "wechat", _("微信")
        RELATIVE = "relative", _("通过亲属")
        NEIGHBOUR = "neighbour", _("通过邻居")
        TENANT = "tenant", _("通过租户")
        PROPERTY = "property", _("通过物业或房管")
        OTHER = "other", _("其他")

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="trace_attempts", verbose_name=_("住户")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="trace_attempts",
        verbose_name=_("经办人"),
    )
    attempted_at = models.DateTimeField(_("时间"))
    method = models.CharField(_("途径"), max_length=20, choices=Method.choices)
    result = models.CharField(_("结果"), max_length=20, choices=OwnerTrace.choices)
    note = models.CharField(
        _("说明"), max_length=500, blank=True, validators=[refuse_control_characters]
    )
    # A tablet that saved the attempt offline sends it again until it hears back: the key
    # makes the second time a no-op, and ``received_at`` keeps when it reached the server
    # (``attempted_at`` is when it was made).
    idempotency_key = models.UUIDField(
        _("提交编号"), default=uuid.uuid4, unique=True, editable=False
    )
    received_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("寻找产权人记录")
        verbose_name_plural = _("寻找产权人记录")
        ordering = ["-attempted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.household} {self.get_result_display()}"


class AuditEvent(models.Model):
    """What the history tables cannot see: who exported what, who looked at a full phone
    number, who erased a household's personal data. Never edited or deleted."""

    class Action(models.TextChoices):
        VIEWED_PHONE = "viewed_phone", _("查看完整电话号码")
        EXPORTED = "exported", _("导出")
        IMPORTED = "imported", _("导入")
        ERASED = "erased", _("删除个人信息")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audit_events",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("住户"),
    )
    subject = models.CharField(_("对象"), max_length=200)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        default_permissions = ("view",)  # written by the code, never edited or deleted
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["community", "-at"], name="audit_event_recent")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.subject}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("Audit events are never edited.")
        super().save(*args, **kwargs)

    @classmethod
    def record(cls, actor, action: str, subject: str, *, household=None, community=None):
        if household is not None:
            community = household.unit.building.campaign.community
        return cls.objects.create(
            actor=actor, action=action, subject=subject, household=household, community=community
        )
