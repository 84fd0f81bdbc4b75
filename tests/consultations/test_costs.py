"""explain_share: how one household's share was computed, in plain values and plain words."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultations.allocation import allocate
from consultations.costs import explain_share, number
from consultations.models import FloorCoefficient, Proposal, Share
from tests.factories import make_elevator, make_household, make_proposal, make_share, make_unit

pytestmark = pytest.mark.django_db

D = Decimal
Rule, GroundFloor = Proposal.Rule, Proposal.GroundFloor
ROUNDING = "（按分取整，全单元合计正好等于居民自筹总额）"


@pytest.fixture
def stairwell():
    """A ground-floor flat and three flats of 77.58㎡ on floors 2 to 4."""
    unit = make_unit(floors=4)
    make_household(unit=unit, room="101", floor=1, area=D("60.00"))
    for floor in (2, 3, 4):
        make_household(unit=unit, room=f"{floor}01", floor=floor, area=D("77.58"))
    return make_elevator(unit=unit)


def proposal_for(elevator, coefficients=None, *, publish=False, **kw) -> Proposal:
    """A proposal whose residents fund ¥160,000.00 themselves; published (its shares written
    by publish()) if asked."""
    kw.setdefault("total_cost", D("430000.00"))
    proposal = make_proposal(elevator=elevator, **kw)
    for floor, value in (coefficients or {}).items():
        FloorCoefficient.objects.create(proposal=proposal, floor=floor, coefficient=D(value))
    if publish:
        proposal.publish()
    return Proposal.objects.get(pk=proposal.pk)  # as a view would load it: nothing cached


def room(elevator, name: str):
    return elevator.unit.households.get(room=name)


# Examples


def test_floor_coefficient_times_area_is_explained_step_by_step(stairwell):
    proposal = proposal_for(stairwell, {2: "1.000", 3: "1.200", 4: "1.400"})
    explanation = explain_share(proposal, room(stairwell, "401"))
    assert explanation.amount == D("62222.22")
    assert explanation.rule == Rule.FLOOR_AREA
    assert (explanation.floor, explanation.area) == (4, D("77.58"))
    assert explanation.coefficient == D("1.400")
    assert explanation.weight == D("108.612")
    assert explanation.total_weight == D("279.288")
    assert explanation.remainder == explanation.self_funded == D("160000.00")
    assert (explanation.total_cost, explanation.subsidy) == (D("430000.00"), D("150000.00"))
    assert explanation.maintenance_fund == D("120000.00")
    assert explanation.sharing_households == 3
    assert not explanation.is_ground_floor_exempt
    assert explanation.token_amount is None
    assert not explanation.is_published
    assert explanation.steps == [
        "楼层系数 1.400 × 建筑面积 77.58㎡ = 分摊权重 108.612",
        "一楼住户免出资，不参与分摊",
        "本单元分摊权重合计 279.288",
        "居民自筹 ¥160,000.00 × 108.612 ÷ 279.288 ≈ ¥62,222.22" + ROUNDING,
    ]


def test_a_floor_without_a_coefficient_counts_as_one(stairwell):
    proposal = proposal_for(stairwell, {3: "1.200"})
    explanation = explain_share(proposal, room(stairwell, "201"))
    assert explanation.coefficient == D("1.000")
    assert explanation.steps[0] == "楼层系数 1.000 × 建筑面积 77.58㎡ = 分摊权重 77.58"


def test_an_exempt_ground_floor_household_is_told_it_pays_nothing(stairwell):
    explanation = explain_share(proposal_for(stairwell), room(stairwell, "101"))
    assert explanation.amount == D("0.00")
    assert explanation.is_ground_floor_exempt
    assert explanation.coefficient is None
    assert explanation.weight == 0
    assert explanation.steps == ["一楼住户免出资"]


def test_a_token_ground_floor_pays_the_token_and_the_rest_share_what_is_left(stairwell):
    proposal = proposal_for(
        stairwell, rule=Rule.AREA, ground_floor=GroundFloor.TOKEN, ground_floor_amount=D("500")
    )
    ground = explain_share(proposal, room(stairwell, "101"))
    assert ground.amount == ground.token_amount == D("500.00")
    assert not ground.is_ground_floor_exempt
    assert ground.steps == ["一楼住户象征性出资 ¥500.00"]
    upper = explain_share(proposal, room(stairwell, "301"))
    assert upper.remainder == D("159500.00")
    assert upper.amount == D("53166.67")
    assert upper.steps == [
        "按建筑面积分摊：分摊权重 = 建筑面积 77.58㎡",
        "居民自筹 ¥160,000.00 − 一楼住户象征性出资 ¥500.00 × 1 户 = 待分摊 ¥159,500.00",
        "本单元分摊权重合计 232.74",
        "待分摊 ¥159,500.00 × 77.58 ÷ 232.74 ≈ ¥53,166.67" + ROUNDING,
    ]


def test_an_equal_split_divides_by_the_households_that_pay():
    unit = make_unit(floors=20)
    for floor in range(2, 21):
        make_household(unit=unit, room=f"{floor}01", floor=floor)
    proposal = proposal_for(make_elevator(unit=unit), rule=Rule.EQUAL)
    explanation = explain_share(proposal, unit.households.get(room="201"))
    assert explanation.sharing_households == 19
    assert explanation.amount == D("8421.06")
    assert explanation.steps == ["按户均摊：¥160,000.00 ÷ 19 户 ≈ ¥8,421.06" + ROUNDING]


def test_a_ground_floor_that_pays_is_explained_like_any_other_floor(stairwell):
    proposal = proposal_for(stairwell, rule=Rule.AREA, ground_floor=GroundFloor.PAYS)
    explanation = explain_share(proposal, room(stairwell, "101"))
    assert explanation.weight == D("60.00")
    assert explanation.amount > 0
    assert not any("一楼" in step for step in explanation.steps)


def test_fixed_amounts_are_explained_as_fixed(stairwell):
    proposal = proposal_for(stairwell, rule=Rule.FIXED)
    make_share(proposal=proposal, household=room(stairwell, "201"), amount=D("1234.56"))
    explanation = explain_share(proposal, room(stairwell, "201"))
    assert explanation.amount == D("1234.56")
    assert explanation.coefficient is None
    assert explanation.steps == ["逐户定额", "本户定额 ¥1,234.56"]


def test_a_published_amount_is_the_recorded_share_even_when_the_data_has_changed(stairwell):
    proposal = proposal_for(stairwell, publish=True)
    signed = explain_share(proposal, room(stairwell, "201"))
    assert signed.is_published
    assert signed.amount == Share.objects.get(household__room="201", proposal=proposal).amount
    assert not any("以公示金额为准" in step for step in signed.steps)

    stairwell.unit.households.filter(room="401").update(area=D("120.00"))
    changed = explain_share(proposal, room(stairwell, "201"))
    assert changed.amount == signed.amount
    assert changed.steps[-1].startswith(f"已公示的本户应出资为 ¥{signed.amount:,}")
    assert "以公示金额为准" in changed.steps[-1]


def test_a_household_added_after_publication_gets_an_estimate_marked_as_such(stairwell):
    proposal = proposal_for(stairwell, publish=True)
    newcomer = make_household(unit=stairwell.unit, room="402", floor=4, area=D("77.58"))
    explanation = explain_share(proposal, newcomer)
    assert explanation.is_published
    assert not explanation.is_recorded
    assert explanation.amount == next(
        line.amount for line in proposal.allocate() if line.household.pk == newcomer.pk
    )
    assert (
        explanation.steps[-1] == "本户不在已公示的分摊名单中，以上金额按现有住户资料测算，仅供参考"
    )


def test_a_recorded_share_is_still_explained_when_the_unit_allows_no_split_any_more():
    household = make_household(floor=1)  # the only flat, on an exempt ground floor
    proposal = make_proposal(elevator=make_elevator(unit=household.unit))
    make_share(proposal=proposal, household=household, amount=D("8123.45"))
    proposal.status, proposal.published_at = Proposal.Status.PUBLISHED, timezone.now()
    proposal.save()  # published as older data was: without publish()'s checks
    explanation = explain_share(Proposal.objects.get(pk=proposal.pk), household)
    assert explanation.amount == D("8123.45")
    assert explanation.is_recorded
    assert explanation.steps == [
        "一楼住户免出资",
        "按现有住户资料已无法重新计算分摊，以已公示的本户应出资 ¥8,123.45 为准",
    ]


def test_without_a_recorded_share_or_a_possible_split_there_is_nothing_to_explain():
    household = make_household(floor=1)
    proposal = make_proposal(elevator=make_elevator(unit=household.unit))
    with pytest.raises(ValueError, match="zero weights"):
        explain_share(proposal, household)


def test_a_household_of_another_unit_cannot_be_explained(stairwell):
    with pytest.raises(ValueError, match="not in the unit"):
        explain_share(proposal_for(stairwell), make_household())


@pytest.mark.parametrize("count", [5, 40])
def test_the_query_count_does_not_grow_with_the_unit(count, django_assert_max_num_queries):
    unit = make_unit(floors=40)
    households = [make_household(unit=unit, room=f"{i + 1}01", floor=i + 1) for i in range(count)]
    proposal = proposal_for(make_elevator(unit=unit), {2: "1.1", 3: "1.2"}, publish=True)
    # the unit's households, the coefficients, the recorded share
    with django_assert_max_num_queries(3):
        explain_share(proposal, households[-1])


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("108.61200"), "108.612"),
        (D("1234.567"), "1,234.567"),
        (D("100"), "100.00"),
        (D("106.6725"), "106.6725"),
        (D("0"), "0.00"),
    ],
)
def test_numbers_keep_every_significant_decimal(value, text):
    assert number(value) == text


# Property: the explanations are the allocation


flats = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=12),
        st.decimals(min_value=D("20.00"), max_value=D("300.00"), places=2),
    ),
    min_size=1,
    max_size=16,
).filter(lambda fs: any(floor > 1 for floor, _area in fs))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    flats=flats,
    rule=st.sampled_from(list(Rule)),
    ground=st.sampled_from(list(GroundFloor)),
    cents=st.integers(min_value=100_000, max_value=100_000_000),
    token=st.sampled_from([D("0.00"), D("1.00"), D("50.00")]),
    coefficients=st.dictionaries(
        st.integers(min_value=1, max_value=12),
        st.decimals(min_value=D("0.500"), max_value=D("2.000"), places=3),
        max_size=6,
    ),
)
def test_explained_amounts_add_up_and_match_the_recorded_shares(
    flats, rule, ground, cents, token, coefficients
):
    self_funded = D(cents) * D("0.01")
    unit = make_unit(floors=12)
    households = [
        make_household(unit=unit, room=f"{floor}{i:02d}", floor=floor, area=area)
        for i, (floor, area) in enumerate(flats)
    ]
    proposal = make_proposal(
        elevator=make_elevator(unit=unit), total_cost=self_funded, subsidy=D(0),
        maintenance_fund=D(0), rule=rule, ground_floor=ground, ground_floor_amount=token,
    )  # fmt: skip
    FloorCoefficient.objects.bulk_create(
        FloorCoefficient(proposal=proposal, floor=floor, coefficient=value)
        for floor, value in coefficients.items()
    )
    if rule == Rule.FIXED:  # fixed amounts are typed in; here, any split that adds up
        amounts = allocate(self_funded, [h.area for h in households])
        Share.objects.bulk_create(
            Share(proposal=proposal, household=h, amount=a)
            for h, a in zip(households, amounts, strict=True)
        )
    drafted = {line.household.pk: line.amount for line in proposal.allocate()}
    assert {h.pk: explain_share(proposal, h).amount for h in households} == drafted

    proposal.publish()  # writes every share from allocate()
    proposal = Proposal.objects.get(pk=proposal.pk)
    explained = {h.pk: explain_share(proposal, h) for h in households}
    assert sum(e.amount for e in explained.values()) == self_funded
    recorded = dict(proposal.shares.values_list("household_id", "amount"))
    assert {pk: e.amount for pk, e in explained.items()} == recorded
    assert all(e.steps for e in explained.values())


# The fragment for the household and consent pages


def test_the_fragment_shows_the_parts_the_amount_and_the_steps(stairwell):
    proposal = proposal_for(stairwell, {4: "1.400"}, publish=True)
    explanation = explain_share(proposal, room(stairwell, "401"))
    html = render_to_string("consultations/_cost_explanation.html", {"explanation": explanation})
    for text in ("¥430,000.00", "¥150,000.00", "¥120,000.00", "¥160,000.00", "楼层系数 × 面积"):
        assert text in html
    assert "您家应出资" in html
    assert f'需您支付</dt><dd class="num"><strong>¥{explanation.amount:,}</strong>' in html
    fund = f"¥{explanation.fund_amount:,}"
    assert f'从您的维修资金账户列支</dt><dd class="num"><strong>{fund}</strong>' in html
    steps = [*explanation.fund_steps, *explanation.steps]
    assert all(f"<li>{step}</li>" in html for step in steps)
    assert "尚未公示" not in html
    assert "style" not in html and "<script" not in html


def test_the_fragment_says_when_the_proposal_is_only_a_draft(stairwell):
    explanation = explain_share(proposal_for(stairwell), room(stairwell, "301"))
    html = render_to_string("consultations/_cost_explanation.html", {"explanation": explanation})
    assert "方案尚未公示，金额仅供参考。" in html


# The maintenance fund: each household's part from its own account (Art. 281)


def test_a_drafts_fund_part_is_split_by_area_over_the_unit_and_not_stored(stairwell):
    proposal = proposal_for(stairwell)  # a draft using ¥120,000.00 of the fund
    explained = {h.room: explain_share(proposal, h) for h in stairwell.unit.households.all()}
    # 60.00 of 292.74 m² (24,595.2039…) and three times 77.58 (31,801.5987… each)
    assert explained["101"].fund_amount == D("24595.20")
    assert {explained[r].fund_amount for r in ("201", "301", "401")} == {D("31801.60")}
    assert sum(e.fund_amount for e in explained.values()) == D("120000.00")
    assert explained["401"].total_area == D("292.74")
    assert not Share.objects.filter(proposal=proposal).exists()


def test_the_fund_part_is_explained_in_one_sentence(stairwell):
    explanation = explain_share(proposal_for(stairwell), room(stairwell, "101"))
    assert explanation.fund_steps == [
        "维修资金 ¥120,000.00 × 本户建筑面积 60.00㎡ ÷ 本单元面积合计 292.74㎡ ≈ ¥24,595.20"
        "（从本户维修资金账户列支，按分取整，全单元合计正好等于维修资金总额）"
    ]


def test_no_fund_used_means_no_fund_part_and_no_fund_step(stairwell):
    proposal = proposal_for(stairwell, maintenance_fund=D("0.00"))
    explanation = explain_share(proposal, room(stairwell, "401"))
    assert explanation.fund_amount == D("0.00")
    assert explanation.fund_steps == []


def test_a_published_fund_part_is_the_one_written_at_publication_even_after_the_data_changed(
    stairwell,
):
    proposal = proposal_for(stairwell, publish=True)
    written = Share.objects.get(proposal=proposal, household__room="201").fund_amount
    stairwell.unit.households.filter(room="401").update(area=D("120.00"))
    assert explain_share(proposal, room(stairwell, "201")).fund_amount == written


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    areas=st.lists(
        st.decimals(min_value=D("0.01"), max_value=D("400.00"), places=2), min_size=1, max_size=20
    ),
    cents=st.integers(min_value=0, max_value=100_000_000),
)
def test_fund_parts_add_up_are_proportional_to_area_and_are_what_publish_stores(areas, cents):
    fund = D(cents) * D("0.01")
    unit = make_unit(floors=len(areas) + 1)
    households = [
        make_household(unit=unit, room=f"{i + 2}01", floor=i + 2, area=area)
        for i, area in enumerate(areas)
    ]
    proposal = make_proposal(
        elevator=make_elevator(unit=unit), total_cost=fund + D("1000.00"), subsidy=D(0),
        maintenance_fund=fund, rule=Rule.AREA,
    )  # fmt: skip
    drafted = {h.pk: explain_share(proposal, h).fund_amount for h in households}
    assert sum(drafted.values()) == fund  # to the cent
    total_area = sum(areas, D(0))
    for household in households:  # each within a cent of its exact area share
        exact = fund * household.area / total_area
        assert abs(drafted[household.pk] - exact) < D("0.01")
    # largest remainder: a part rounded up never has a smaller remainder than one rounded down
    remainders = {h.pk: (fund * h.area / total_area) % D("0.01") for h in households}
    up = [remainders[h.pk] for h in households if drafted[h.pk] > fund * h.area / total_area]
    down = [remainders[h.pk] for h in households if drafted[h.pk] < fund * h.area / total_area]
    assert not up or not down or min(up) >= max(down)

    proposal.publish()
    stored = dict(proposal.shares.values_list("household_id", "fund_amount"))
    assert stored == drafted
    published = Proposal.objects.get(pk=proposal.pk)
    assert {h.pk: explain_share(published, h).fund_amount for h in households} == stored
