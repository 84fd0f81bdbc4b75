"""The matters a proposal puts to the owners (表决事项), each counted on its own (Art. 278).

A renewal often asks two or three things at once: using the maintenance fund (item 5), altering
the building's shaft (item 7), and the campaign may demand that everyone agrees to the cost
split. Each matter has its Art. 278 item, and a rule that defaults from the item; the campaign
may demand more, never less. A matter is part of what is signed: once its proposal is
published it never changes (like the floor coefficients).
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import ConsentRule
from consultations.models.proposals import (
    PartOfDraft,
    Proposal,
    ProposalError,
    ProposalLocked,
    locked_message,
)


class Item(models.IntegerChoices):
    """The items of Civil Code Art. 278 para. 1 that an elevator renewal puts to the owners."""

    USE_FUND = 5, _("使用建筑物及其附属设施的维修资金（第二百七十八条第一款第五项）")
    RAISE_FUND = 6, _("筹集建筑物及其附属设施的维修资金（第六项）")
    ALTER = 7, _("改建、重建建筑物及其附属设施（第七项）")
    CHANGE_USE = 8, _("改变共有部分的用途或者利用共有部分从事经营活动（第八项）")
    OTHER = 9, _("有关共有和共同管理权利的其他重大事项（第九项）")


# What Art. 278 para. 2 demands of each item: items 6 to 8 at least three quarters of the
# participants' area and heads, the others more than half.
LEGAL_RULE = {
    Item.USE_FUND: ConsentRule.MAJORITY,
    Item.RAISE_FUND: ConsentRule.THREE_QUARTERS,
    Item.ALTER: ConsentRule.THREE_QUARTERS,
    Item.CHANGE_USE: ConsentRule.THREE_QUARTERS,
    Item.OTHER: ConsentRule.MAJORITY,
}
STRICTNESS = [ConsentRule.MAJORITY, ConsentRule.THREE_QUARTERS, ConsentRule.UNANIMOUS]


def at_least_as_strict(rule: str, item: int) -> bool:
    return STRICTNESS.index(ConsentRule(rule)) >= STRICTNESS.index(LEGAL_RULE[Item(item)])


def locked_draft(proposal: Proposal) -> Proposal:
    """The draft's row, locked until the transaction ends so that two secretaries editing its
    matters number them one after the other; ProposalLocked once it is published."""
    stored = Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    if stored is None or stored.status != Proposal.Status.DRAFT:
        raise ProposalLocked(locked_message(proposal.version))
    return stored


class MatterQuerySet(models.QuerySet):
    def append(self, proposal: Proposal, **fields) -> "Matter":
        """Add a matter at the end of a draft's ballot. A draft that named none asked the
        implicit default one (``Proposal.ballot``): it is stored first, as number 1, so the
        ballot the secretary saw keeps its first question and gains this one."""
        with transaction.atomic():
            locked_draft(proposal)
            numbers = list(self.filter(proposal=proposal).values_list("number", flat=True))
            if not numbers:
                proposal.default_matter().save()
                numbers = [1]
            return self.create(proposal=proposal, number=max(numbers) + 1, **fields)


class Matter(PartOfDraft):
    """One matter of a proposal, numbered from 1 in the order the ballot asks them."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="matters", verbose_name=_("方案")
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    item = models.PositiveSmallIntegerField(_("《民法典》第二百七十八条事项"), choices=Item.choices)
    rule = models.CharField(_("表决规则"), max_length=20, choices=ConsentRule.choices)
    title = models.CharField(_("表决事项"), max_length=100)

    objects = MatterQuerySet.as_manager()

    class Meta:
        verbose_name = _("表决事项")
        verbose_name_plural = _("表决事项")
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="matter_number_unique"),
            models.CheckConstraint(name="matter_number_positive", condition=Q(number__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def keep(self) -> None:
        """Save a change to this matter of a draft (or store the draft's implicit default)."""
        with transaction.atomic():
            locked_draft(self.proposal)
            if self.pk is None and Matter.objects.filter(proposal=self.proposal_id).exists():
                raise ProposalError(_("表决事项刚刚被其他人修改，请刷新页面后再试。"))
            self.save()

    def remove(self) -> None:
        """Take this matter off its draft's ballot; the later ones move up so the numbers stay
        1..n with no gap (the answers and the packet refer to them by number). The last
        matter stays: a ballot asks at least one question."""
        with transaction.atomic():
            locked_draft(self.proposal)
            matters = list(Matter.objects.filter(proposal=self.proposal_id).order_by("number"))
            if len(matters) <= 1:
                raise ProposalError(_("选票至少要有一个表决事项：可以修改它，不能删除。"))
            self.delete()
            for matter in matters:  # one at a time, lowest first: each number it takes is free
                if matter.number > self.number:
                    matter.number -= 1
                    matter.save(update_fields=["number"])

    def clean(self) -> None:
        if self.item and self.rule and not at_least_as_strict(self.rule, self.item):
            raise ValidationError(
                {
                    "rule": _("这一事项依法至少需要“%(rule)s”，项目可以要求更高，不能更低。")
                    % {"rule": LEGAL_RULE[Item(self.item)].label}
                }
            )

    @property
    def legal_rule(self) -> ConsentRule:
        return LEGAL_RULE[Item(self.item)]

    @property
    def legal_basis(self) -> str:
        """The text printed under the matter's tally: the item and what it takes to pass."""
        return f"{Item(self.item).label} {ConsentRule(self.rule).legal_basis}"

    def content(self) -> dict:
        """The matter as the consent hash (version 4) covers it."""
        return {"number": self.number, "item": self.item, "rule": self.rule, "title": self.title}
