"""How one household's share of a proposal was computed, in plain values and plain words.

``explain_share`` re-runs ``proposal.allocate()`` once and picks this household's line, so the
explanation can never drift from the allocation itself. Once a version is published, the amount
is the recorded share (what people sign); a step says so if the unit's data has changed since.

The maintenance fund is each owner's own money (Civil Code Art. 281): the household's part of it
is drawn from its own account, by area, as ``publish()`` splits it with ``allocate``. A published
version shows the part written then (``Share.fund_amount``); a draft's is computed the same way,
over the elevator's households, and never stored.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from consultations.allocation import allocate
from consultations.models import Proposal
from core.money import yuan
from households.models import Household

Rule, GroundFloor = Proposal.Rule, Proposal.GroundFloor


@dataclass(frozen=True)
class ShareExplanation:
    amount: Decimal  # what this household pays
    rule: str  # a Proposal.Rule value
    rule_label: str
    area: Decimal
    floor: int
    coefficient: Decimal | None  # the floor coefficient used (floor × area rule only)
    weight: Decimal  # this household's weight (0 when exempt, token or fixed)
    total_weight: Decimal  # all the unit's weights
    remainder: Decimal  # the self-funded part less the ground floor's token amounts
    sharing_households: int  # households with a weight above zero
    ground_floor: str  # a Proposal.GroundFloor value: how the unit's ground floor pays
    ground_floor_households: int
    is_ground_floor_exempt: bool
    token_amount: Decimal | None  # the token this ground-floor household pays
    is_published: bool
    is_recorded: bool  # the amount is this household's recorded share of a published version
    total_cost: Decimal
    subsidy: Decimal
    maintenance_fund: Decimal
    self_funded: Decimal
    steps: list[str]
    # This household's part of the maintenance fund, drawn from its own account (分户账).
    fund_amount: Decimal
    total_area: Decimal  # the areas of every household sharing the elevator
    fund_steps: list[str]


def number(value: Decimal, places: int = 2) -> str:
    """1234.56700 → "1,234.567": thousands separators, trailing zeros dropped down to
    ``places`` decimals, never rounded (the steps say "=" and must mean it)."""
    exponent = value.normalize().as_tuple().exponent
    return f"{value:,.{max(places, -exponent)}f}"


def explain_share(proposal: Proposal, household: Household) -> ShareExplanation:
    """Explain ``household``'s share under ``proposal`` in three queries, whatever the unit's
    size: its households, the coefficients, the recorded shares.

    Raises ValueError for a household outside the proposal's unit, or when there is no amount
    to explain: no recorded share, and the unit's data allows no split (nobody left to pay)."""
    prefetch_related_objects([proposal], "coefficients", "shares")  # allocate() uses them too
    households = list(proposal.households())  # in publish()'s order
    mine = next((each for each in households if each.pk == household.pk), None)
    if mine is None:
        raise ValueError(f"household {household.pk} is not in the unit of proposal {proposal.pk}")
    share = None
    if proposal.status != Proposal.Status.DRAFT:
        share = next((s for s in proposal.shares.all() if s.household_id == mine.pk), None)
    recorded = share.amount if share else None
    fund = fund_part(proposal, households, mine) if share is None else share.fund_amount
    try:
        lines = proposal.allocate(households)
        weights = {line.household.pk: line.weight for line in lines}
        computed = next(line.amount for line in lines if line.household.pk == mine.pk)
    except ValueError:  # a published split the unit's data no longer allows: explain the rest
        if recorded is None:
            raise
        coefficients = proposal.coefficient_map()
        weights = {each.pk: proposal.weight_of(each, coefficients) for each in households}
        computed = None
    fixed = proposal.rule == Rule.FIXED
    on_ground = not fixed and mine.floor == 1 and proposal.ground_floor != GroundFloor.PAYS
    token = proposal.ground_floor == GroundFloor.TOKEN
    ground_count = sum(1 for each in households if each.floor == 1)
    tokens = proposal.ground_floor_amount * ground_count if token and not fixed else Decimal(0)
    coefficient = None
    if proposal.rule == Rule.FLOOR_AREA and not on_ground:
        coefficient = proposal.coefficient_map().get(mine.floor, Decimal("1.000"))
    explanation = ShareExplanation(
        amount=computed if recorded is None else recorded,
        rule=proposal.rule,
        rule_label=str(proposal.get_rule_display()),
        area=mine.area,
        floor=mine.floor,
        coefficient=coefficient,
        weight=weights[mine.pk],
        total_weight=sum(weights.values(), Decimal(0)),
        remainder=proposal.self_funded - tokens,
        sharing_households=sum(1 for weight in weights.values() if weight > 0),
        ground_floor=proposal.ground_floor,
        ground_floor_households=ground_count,
        is_ground_floor_exempt=on_ground and not token,
        token_amount=proposal.ground_floor_amount if on_ground and token else None,
        is_published=proposal.status == Proposal.Status.PUBLISHED,
        is_recorded=recorded is not None,
        total_cost=proposal.total_cost,
        subsidy=proposal.subsidy,
        maintenance_fund=proposal.maintenance_fund,
        self_funded=proposal.self_funded,
        steps=[],
        fund_amount=fund,
        total_area=sum((each.area for each in households), Decimal(0)),
        fund_steps=[],
    )
    explanation.steps.extend(steps_for(explanation, computed))
    explanation.fund_steps.extend(fund_steps(explanation))
    return explanation


def fund_part(proposal: Proposal, households: list[Household], mine: Household) -> Decimal:
    """The household's part of the maintenance fund as publish() computes it: the fund split
    by area over the elevator's households in their order, to the cent (allocate)."""
    parts = allocate(proposal.maintenance_fund, [each.area for each in households])
    return parts[households.index(mine)]


def fund_steps(e: ShareExplanation) -> list[str]:
    """How the fund part was computed, in one sentence (none when no fund is used)."""
    if not e.maintenance_fund:
        return []
    return [
        _(
            "维修资金 %(fund)s × 本户建筑面积 %(area)s㎡ ÷ 本单元面积合计 %(total)s㎡ ≈ %(part)s"
            "（从本户维修资金账户列支，按分取整，全单元合计正好等于维修资金总额）"
        )
        % {
            "fund": yuan(e.maintenance_fund),
            "area": number(e.area),
            "total": number(e.total_area),
            "part": yuan(e.fund_amount),
        }
    ]


def steps_for(e: ShareExplanation, computed: Decimal | None) -> list[str]:
    """The sums in short sentences, in the order a grid worker would do them on paper, then
    how the amount relates to the recorded one. ``computed`` is allocate()'s amount (None when
    the unit's data allows no split any more)."""
    return [*sums(e, computed), *caveats(e, computed)]


def sums(e: ShareExplanation, computed: Decimal | None) -> list[str]:
    if e.rule == Rule.FIXED:
        return [_("逐户定额"), _("本户定额 %(amount)s") % {"amount": yuan(e.amount)}]
    if e.is_ground_floor_exempt:
        return [_("一楼住户免出资")]
    if e.token_amount is not None:
        return [_("一楼住户象征性出资 %(amount)s") % {"amount": yuan(e.token_amount)}]
    steps = []
    if e.rule == Rule.FLOOR_AREA:
        steps.append(
            _("楼层系数 %(coefficient)s × 建筑面积 %(area)s㎡ = 分摊权重 %(weight)s")
            % {
                "coefficient": f"{e.coefficient:.3f}",
                "area": number(e.area),
                "weight": number(e.weight),
            }
        )
    elif e.rule == Rule.AREA:
        steps.append(_("按建筑面积分摊：分摊权重 = 建筑面积 %(area)s㎡") % {"area": number(e.area)})
    ground = e.ground_floor_households and e.ground_floor != GroundFloor.PAYS
    if ground and e.ground_floor == GroundFloor.EXEMPT:
        steps.append(_("一楼住户免出资，不参与分摊"))
    label = _("居民自筹")
    if ground and e.ground_floor == GroundFloor.TOKEN:
        label = _("待分摊")
        steps.append(
            _("居民自筹 %(own)s − 一楼住户象征性出资 %(token)s × %(count)s 户 = 待分摊 %(rest)s")
            % {
                "own": yuan(e.self_funded),
                "token": yuan((e.self_funded - e.remainder) / e.ground_floor_households),
                "count": e.ground_floor_households,
                "rest": yuan(e.remainder),
            }
        )
    if computed is None:
        return steps
    rounding = _("（按分取整，全单元合计正好等于居民自筹总额）")
    if e.rule == Rule.EQUAL:
        steps.append(
            _("按户均摊：%(total)s ÷ %(count)s 户 ≈ %(amount)s")
            % {"total": yuan(e.remainder), "count": e.sharing_households, "amount": yuan(computed)}
            + rounding
        )
    elif e.total_weight > 0:
        steps.append(_("本单元分摊权重合计 %(total)s") % {"total": number(e.total_weight)})
        steps.append(
            _("%(label)s %(total)s × %(weight)s ÷ %(total_weight)s ≈ %(amount)s")
            % {
                "label": label,
                "total": yuan(e.remainder),
                "weight": number(e.weight),
                "total_weight": number(e.total_weight),
                "amount": yuan(computed),
            }
            + rounding
        )
    return steps


def caveats(e: ShareExplanation, computed: Decimal | None) -> list[str]:
    if computed is None:
        return [
            _("按现有住户资料已无法重新计算分摊，以已公示的本户应出资 %(amount)s 为准")
            % {"amount": yuan(e.amount)}
        ]
    if e.is_published and not e.is_recorded:
        return [_("本户不在已公示的分摊名单中，以上金额按现有住户资料测算，仅供参考")]
    if e.amount != computed:
        return [
            _("已公示的本户应出资为 %(amount)s，与按现有住户资料重算的结果不同，以公示金额为准")
            % {"amount": yuan(e.amount)}
        ]
    return []
