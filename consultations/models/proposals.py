"""Cost-sharing proposals (费用分摊方案), versioned per elevator, and each household's share."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import Elevator
from consultations.allocation import allocate
from core.money import yuan
from households.models import Household

MONEY = {"max_digits": 12, "decimal_places": 2}
PARTS = F("subsidy") + F("maintenance_fund") + F("self_funded")
HALF_CENT = Value(Decimal("0.005"))
# What households sign: once a version is published, none of these may change again.
FROZEN_FIELDS = (
    "elevator_id",
    "version",
    "total_cost",
    "subsidy",
    "maintenance_fund",
    "self_funded",
    "rule",
    "ground_floor",
    "ground_floor_amount",
    "notes",
)
# Stored status → the statuses a save may move it to.
ALLOWED_MOVES = {
    "draft": {"draft", "published"},
    "published": {"published", "superseded"},
    "superseded": {"superseded"},
}


class ProposalError(Exception):
    """Why a proposal cannot be drafted, changed or published, in words for the secretary."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = str(message)


class ProposalLocked(ProposalError):
    """A published or superseded version (or its coefficients or shares) was about to change."""


class ProposalQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Proposal.Status.PUBLISHED)

    def for_household(self, household: Household):
        """The proposals for the elevator of the household's unit."""
        return self.filter(elevator__unit=household.unit_id)


@dataclass(frozen=True)
class ShareLine:
    household: Household
    weight: Decimal
    amount: Decimal


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草案")
        PUBLISHED = "published", _("已公示（签字版本）")
        SUPERSEDED = "superseded", _("已被新版本取代")

    class Rule(models.TextChoices):
        FLOOR_AREA = "floor_area", _("楼层系数 × 面积")
        AREA = "area", _("按面积")
        EQUAL = "equal", _("按户均摊")
        FIXED = "fixed", _("逐户定额")

    class GroundFloor(models.TextChoices):
        PAYS = "pays", _("与其他楼层同样分摊")
        EXEMPT = "exempt", _("免出资")
        TOKEN = "token", _("象征性出资")

    elevator = models.ForeignKey(
        Elevator, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("电梯")
    )
    version = models.PositiveSmallIntegerField(_("版本"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    total_cost = models.DecimalField(_("总费用（元）"), **MONEY)
    subsidy = models.DecimalField(_("政府补贴（元）"), **MONEY)
    maintenance_fund = models.DecimalField(_("维修资金（元）"), **MONEY)
    self_funded = models.DecimalField(_("居民自筹（元）"), **MONEY, editable=False)
    rule = models.CharField(
        _("分摊规则"), max_length=20, choices=Rule.choices, default=Rule.FLOOR_AREA
    )
    ground_floor = models.CharField(
        _("一楼住户"), max_length=20, choices=GroundFloor.choices, default=GroundFloor.EXEMPT
    )
    ground_floor_amount = models.DecimalField(
        _("一楼象征性出资（元/户）"), **MONEY, default=Decimal("0.00")
    )
    notes = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("起草人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("费用分摊方案")
        verbose_name_plural = _("费用分摊方案")
        ordering = ["elevator", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["elevator", "version"], name="proposal_version_unique"),
            models.UniqueConstraint(
                fields=["elevator"],
                condition=Q(status="published"),
                name="proposal_one_published_per_elevator",
            ),
            models.CheckConstraint(name="proposal_version_positive", condition=Q(version__gt=0)),
            models.CheckConstraint(
                name="proposal_amounts_not_negative",
                condition=Q(
                    total_cost__gte=0,
                    subsidy__gte=0,
                    maintenance_fund__gte=0,
                    self_funded__gte=0,
                    ground_floor_amount__gte=0,
                ),
            ),
            # Within half a cent rather than "equal": SQLite does this sum in binary floating
            # point, and with amounts stored to the cent the two mean the same.
            models.CheckConstraint(
                name="proposal_parts_add_up",
                condition=Q(total_cost__gt=PARTS - HALF_CENT, total_cost__lt=PARTS + HALF_CENT),
            ),
            models.CheckConstraint(
                name="proposal_published_has_time",
                condition=Q(status="draft") | Q(published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return _("%(elevator)s 方案 v%(version)s") % {
            "elevator": self.elevator,
            "version": self.version,
        }

    def save(self, *args, **kwargs) -> None:
        self.self_funded = self.total_cost - self.subsidy - self.maintenance_fund
        refusal = self._refusal()
        if refusal:
            raise ProposalLocked(refusal)
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    # Immutability: what households sign never changes once published.

    def _refusal(self) -> str | None:
        """Why saving this object would change a published version; None when it may."""
        if self._state.adding or self.pk is None:
            return None
        stored = Proposal.objects.filter(pk=self.pk).values("status", *FROZEN_FIELDS).first()
        if stored is None:
            return None
        if self.status not in ALLOWED_MOVES[stored["status"]]:
            return gettext("方案状态不能从“%(old)s”改为“%(new)s”。") % {
                "old": self.Status(stored["status"]).label,
                "new": self.Status(self.status).label,
            }
        if stored["status"] == self.Status.DRAFT:
            return None
        if any(getattr(self, name) != stored[name] for name in FROZEN_FIELDS):
            return locked_message(self.version)
        return None

    def clean(self) -> None:
        refusal = self._refusal()
        if refusal:
            raise ValidationError(refusal)

    def ballot(self) -> list:
        """The matters put to the owners, in order (see ``consultations.models.matters``). A
        draft that names none asks one, from the campaign's rule; publishing stores it."""
        matters = list(self.matters.all())
        return matters or [self.default_matter()]

    def default_matter(self):
        """The one matter of a proposal that names none: the renewal and its cost split under
        the campaign's rule. Under a majority it is item 5, using the fund (replacing a lift
        like for like; Art. 281 names elevators); a campaign that asks three quarters or more
        treats it as item 7, altering the building's facilities."""
        from consultations.models.matters import Item, Matter

        rule = self.elevator.unit.building.campaign.consent_rule
        item = Item.USE_FUND if rule == "majority" else Item.ALTER
        title = gettext("电梯更新改造及费用分摊方案")
        return Matter(proposal=self, number=1, item=item, rule=rule, title=title)

    def coefficient_map(self) -> dict[int, Decimal]:
        return {c.floor: c.coefficient for c in self.coefficients.all()}

    def households(self):
        """The households that share this elevator, in the order shares are computed and shown."""
        return Household.objects.filter(unit__elevator=self.elevator_id).order_by(
            "floor", "room", "pk"
        )

    def weight_of(self, household: Household, coefficients: dict[int, Decimal]) -> Decimal:
        """The household's weight under the rule; 0 for an exempt or token ground floor."""
        if household.floor == 1 and self.ground_floor != self.GroundFloor.PAYS:
            return Decimal(0)
        if self.rule == self.Rule.FLOOR_AREA:
            return coefficients.get(household.floor, Decimal(1)) * household.area
        if self.rule == self.Rule.AREA:
            return household.area
        if self.rule == self.Rule.FIXED:
            return Decimal(0)
        return Decimal(1)

    def allocate(self, households=None) -> list[ShareLine]:
        """Every household's share of the self-funded part under this proposal's rule.

        Ground-floor households are exempt, pay a token amount first, or share like the rest.
        Fixed-amount proposals keep the amounts already recorded as shares.
        """
        if households is None:
            households = list(Household.objects.filter(unit=self.elevator.unit_id))
        if self.rule == self.Rule.FIXED:
            recorded = {s.household_id: s.amount for s in self.shares.all()}
            return [
                ShareLine(h, Decimal(0), recorded.get(h.pk, Decimal("0.00"))) for h in households
            ]
        coefficients = self.coefficient_map()
        token = self.ground_floor == self.GroundFloor.TOKEN
        remainder = self.self_funded
        if token:
            remainder -= self.ground_floor_amount * sum(1 for h in households if h.floor == 1)
        weights = [self.weight_of(household, coefficients) for household in households]
        amounts = allocate(remainder, weights)
        return [
            ShareLine(
                h,
                w,
                self.ground_floor_amount if token and h.floor == 1 else amount,
            )
            for h, w, amount in zip(households, weights, amounts, strict=True)
        ]

    def checked_allocation(self, households) -> list[ShareLine]:
        """allocate(), or a ProposalError saying in words why these shares cannot be signed:
        fixed amounts that do not add up to the self-funded part, token amounts larger than it,
        nobody left to pay."""
        households = list(households)
        if self.rule == self.Rule.FIXED:
            lines = self.allocate(households)
            recorded = sum((line.amount for line in lines), Decimal("0.00"))
            if recorded != self.self_funded:
                raise ProposalError(
                    gettext(
                        "逐户定额合计 %(recorded)s，与居民自筹 %(own)s 不一致（相差 %(diff)s）。"
                        "请修改逐户金额后再公示。"
                    )
                    % {
                        "recorded": yuan(recorded),
                        "own": yuan(self.self_funded),
                        "diff": yuan(abs(self.self_funded - recorded)),
                    }
                )
            return lines
        if not households and self.self_funded:
            raise ProposalError(gettext("本单元还没有登记住户，无法分摊居民自筹部分。"))
        if self.ground_floor == self.GroundFloor.TOKEN:
            tokens = self.ground_floor_amount * sum(1 for h in households if h.floor == 1)
            if tokens > self.self_funded:
                raise ProposalError(
                    gettext("一楼象征性出资合计 %(tokens)s，超过了居民自筹部分 %(own)s。")
                    % {"tokens": yuan(tokens), "own": yuan(self.self_funded)}
                )
        try:
            return self.allocate(households)
        except ValueError as error:
            raise ProposalError(
                gettext(
                    "没有需要出资的住户，无法分摊居民自筹部分：请检查楼层系数（不能全部为 0）"
                    "和一楼住户的出资方式。"
                )
            ) from error

    def signed_lines(self) -> list[ShareLine]:
        """A published or superseded version's shares exactly as written when it was published."""
        coefficients = self.coefficient_map()
        return [
            ShareLine(share.household, self.weight_of(share.household, coefficients), share.amount)
            for share in self.shares.all()
        ]

    def replaced_by(self) -> "Proposal | None":
        """For a superseded version: the version published after it."""
        if self.status != self.Status.SUPERSEDED:
            return None
        return (
            Proposal.objects.filter(elevator=self.elevator_id, version__gt=self.version)
            .exclude(status=self.Status.DRAFT)
            .order_by("version")
            .first()
        )

    # Versions: drafting, revising a draft, publishing.

    @classmethod
    def new_draft(cls, elevator: Elevator, by) -> "Proposal":
        """The elevator's next version, as a draft: a copy of the latest version's figures, rule,
        ground-floor policy, coefficients (and fixed amounts), or sensible defaults for v1."""
        with transaction.atomic():
            # One version number at a time per elevator.
            elevator = (
                Elevator.objects.select_for_update(of=("self",))
                .select_related("unit__building__campaign")
                .get(pk=elevator.pk)
            )
            latest = (
                cls.objects.filter(elevator=elevator)
                .prefetch_related("coefficients", "shares")
                .order_by("-version")
                .first()
            )
            if latest is None:
                return cls._first_draft(elevator, by)
            draft = cls.objects.create(
                elevator=elevator,
                version=latest.version + 1,
                total_cost=latest.total_cost,
                subsidy=latest.subsidy,
                maintenance_fund=latest.maintenance_fund,
                rule=latest.rule,
                ground_floor=latest.ground_floor,
                ground_floor_amount=latest.ground_floor_amount,
                notes=latest.notes,
                created_by=by,
            )
            FloorCoefficient.objects.bulk_create(
                FloorCoefficient(proposal=draft, floor=c.floor, coefficient=c.coefficient)
                for c in latest.coefficients.all()
            )
            draft.matters.bulk_create(
                draft.matters.model(proposal=draft, **m.content()) for m in latest.matters.all()
            )
            if latest.rule == cls.Rule.FIXED:
                Share.objects.bulk_create(
                    Share(proposal=draft, household_id=s.household_id, amount=s.amount)
                    for s in latest.shares.all()
                )
            return draft

    @classmethod
    def _first_draft(cls, elevator: Elevator, by) -> "Proposal":
        total = elevator.quote or Decimal("0.00")
        subsidy = min(elevator.unit.building.campaign.subsidy_per_elevator, total)
        draft = cls.objects.create(
            elevator=elevator,
            version=1,
            total_cost=total,
            subsidy=subsidy,
            maintenance_fund=Decimal("0.00"),
            rule=cls.Rule.FLOOR_AREA,
            ground_floor=cls.GroundFloor.EXEMPT,
            created_by=by,
        )
        FloorCoefficient.objects.bulk_create(
            FloorCoefficient(
                proposal=draft,
                floor=floor,
                coefficient=Decimal("0.000") if floor == 1 else Decimal("1.000"),
            )
            for floor in range(1, elevator.unit.floors + 1)
        )
        return draft

    def save_draft(
        self,
        coefficients: dict[int, Decimal],
        fixed_amounts: dict[int, Decimal] | None = None,
    ) -> None:
        """Save this draft with its per-floor coefficients and, for the fixed rule, the amount
        of each household (by household id). Raises ProposalLocked if it is no longer a draft."""
        with transaction.atomic():
            stored = Proposal.objects.select_for_update().filter(pk=self.pk).first()
            if stored is None or stored.status != self.Status.DRAFT:
                raise ProposalLocked(locked_message(self.version))
            self.save()
            self.coefficients.all().delete()
            FloorCoefficient.objects.bulk_create(
                FloorCoefficient(proposal=self, floor=floor, coefficient=coefficient)
                for floor, coefficient in sorted(coefficients.items())
            )
            if fixed_amounts is not None:
                self.shares.all().delete()
                Share.objects.bulk_create(
                    Share(proposal=self, household_id=household_id, amount=amount)
                    for household_id, amount in fixed_amounts.items()
                )

    def publish(self, by=None) -> None:
        """Make this draft the version households sign, in one transaction: the version
        published before it is superseded (its shares and consents stay as they are, and no
        longer count on the households' doors), and every household's share is written from
        allocate() (the fixed rule keeps its recorded amounts).

        ``by`` is who publishes (kept for symmetry with new_draft; not stored yet). Raises
        ProposalError with a message for people when the version cannot be published."""
        try:
            with transaction.atomic():
                self._publish()
        except IntegrityError as error:  # the one-published-per-elevator backstop
            raise ProposalError(
                gettext("公示没有成功：这部电梯的方案刚刚被其他人公示或修改，请刷新页面后再试。")
            ) from error

    def _publish(self) -> None:
        from consultations.models.door_state import refresh_door_status  # it imports Consent

        # The unit's doors first, as a worker signing at one of them locks it first: their
        # stored decisions are rewritten below, and one order of locks cannot deadlock.
        doors = Household.objects.filter(unit__elevator=self.elevator_id)
        list(doors.order_by("pk").select_for_update(of=("self",), no_key=True).values("pk"))
        # Lock every version of this elevator: two publishers wait for each other.
        versions = list(
            Proposal.objects.select_for_update().filter(elevator=self.elevator_id).order_by("pk")
        )
        me = next((p for p in versions if p.pk == self.pk), None)
        if me is None or me.status != self.Status.DRAFT:
            raise ProposalLocked(
                gettext("第 %(version)s 版已经公示过了，不能再次公示。") % {"version": self.version}
            )
        current = next((p for p in versions if p.status == self.Status.PUBLISHED), None)
        if current and current.version > me.version:
            raise ProposalError(
                gettext("比它更新的第 %(current)s 版已经公示。不能再公示旧草案，请起草新版本。")
                % {"current": current.version}
            )
        households = list(me.households())
        lines = me.checked_allocation(households)
        if not me.matters.exists():  # what the owners are asked is fixed with the figures
            me.default_matter().save()
        # Each owner's own maintenance-fund account pays its part, by area (Art. 281).
        areas = [h.area for h in households]
        fund_parts = allocate(me.maintenance_fund, areas) if areas else []
        funds = {h.pk: part for h, part in zip(households, fund_parts, strict=True)}
        if current:
            current.status = self.Status.SUPERSEDED
            current.save(update_fields=["status"])
        if me.rule == self.Rule.FIXED:
            recorded = list(me.shares.all())
            for share in recorded:
                share.fund_amount = funds.get(share.household_id, Decimal("0.00"))
            Share.objects.bulk_update(recorded, ["fund_amount"])
            done = {share.household_id for share in recorded}
            missing = [line for line in lines if line.household.pk not in done]
        else:
            me.shares.all().delete()
            missing = lines
        Share.objects.bulk_create(
            Share(
                proposal=me,
                household=line.household,
                amount=line.amount,
                fund_amount=funds[line.household.pk],
            )
            for line in missing
        )
        me.status = self.Status.PUBLISHED
        me.published_at = timezone.now()
        me.save(update_fields=["status", "published_at"])
        # The answers to the version superseded no longer count; any to this one now do.
        refresh_door_status(doors)
        for name in ("status", "published_at", *FROZEN_FIELDS):
            setattr(self, name, getattr(me, name))


def locked_message(version) -> str:
    return gettext(
        "第 %(version)s 版已经公示，居民按它签字，不能再修改。如需调整，请起草新版本。"
    ) % {"version": version}


def _refuse_if_not_draft(proposal_id) -> None:
    proposal = Proposal.objects.filter(pk=proposal_id).values("status", "version").first()
    if proposal and proposal["status"] != Proposal.Status.DRAFT:
        raise ProposalLocked(locked_message(proposal["version"]))


class PartOfDraft(models.Model):
    """A row that belongs to what households sign (a coefficient, a share, a matter): it may
    change only while its proposal is a draft."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        _refuse_if_not_draft(self.proposal_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_not_draft(self.proposal_id)
        return super().delete(*args, **kwargs)


class FloorCoefficient(PartOfDraft):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="coefficients", verbose_name=_("方案")
    )
    floor = models.PositiveSmallIntegerField(_("楼层"))
    coefficient = models.DecimalField(_("系数"), max_digits=6, decimal_places=3)

    class Meta:
        verbose_name = _("楼层系数")
        verbose_name_plural = _("楼层系数")
        ordering = ["proposal", "floor"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "floor"], name="coefficient_floor_unique"),
            models.CheckConstraint(name="coefficient_floor_positive", condition=Q(floor__gt=0)),
            models.CheckConstraint(
                name="coefficient_not_negative", condition=Q(coefficient__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.floor}F × {self.coefficient}"


class Share(PartOfDraft):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="shares", verbose_name=_("方案")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="shares", verbose_name=_("住户")
    )
    amount = models.DecimalField(_("应出资（元）"), **MONEY)
    # The part of the maintenance fund drawn from this household's own account, by area
    # (Civil Code Art. 281): written when the version is published, with ``amount``.
    fund_amount = models.DecimalField(
        _("从本户维修资金账户列支（元）"), **MONEY, default=Decimal("0.00")
    )

    class Meta:
        verbose_name = _("分摊份额")
        verbose_name_plural = _("分摊份额")
        ordering = ["proposal", "household__floor", "household__room"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "household"], name="share_household_unique"
            ),
            models.CheckConstraint(name="share_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.household} ¥{self.amount}"
