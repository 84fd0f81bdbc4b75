"""The gate construction waits for: a site's works may start (its start step, 进场, marked
started or done) only once the unit's vote passed, the lawyer and the sub-district office
approved the packet frozen for review, and the works contract is recorded. ``missing`` says
which of these are not met yet, in words for the page."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from consultations.standing import votes_by_unit
from works.models import Review, ReviewPacket, Site


@dataclass(frozen=True)
class Condition:
    code: str
    message: str


VOTE = Condition("vote", _("本单元的业主表决尚未通过。"))
PACKET = Condition("packet", _("表决通过后的签字材料尚未封存送审。"))
LAWYER = Condition("lawyer", _("律师尚未审核通过送审材料。"))
SUBDISTRICT = Condition("subdistrict", _("街道办尚未审核通过送审材料。"))
CONTRACT = Condition("contract", _("施工合同尚未登记。"))


def latest_packet(unit) -> ReviewPacket | None:
    return ReviewPacket.objects.filter(unit=unit).order_by("-frozen_at", "-pk").first()


def latest_reviews(packet: ReviewPacket | None) -> dict[str, Review]:
    """The latest review of each kind against ``packet`` (a returned review after an approval
    takes it back)."""
    if packet is None:
        return {}
    latest: dict[str, Review] = {}
    for review in packet.reviews.order_by("reviewed_on", "recorded_at", "pk"):
        latest[review.kind] = review
    return latest


def missing(site: Site) -> list[Condition]:
    """What still keeps ``site``'s works from starting, in the order they are usually met;
    empty when they may start. A handful of queries."""
    unit = site.elevator.unit
    campaign = unit.building.campaign
    vote = votes_by_unit([unit], lambda u: campaign.consent_rule)[unit.pk]
    wanting = [] if vote.passed else [VOTE]
    packet = latest_packet(unit)
    if packet is None:
        wanting.append(PACKET)
    reviews = latest_reviews(packet)
    for kind, condition in ((Review.Kind.LAWYER, LAWYER), (Review.Kind.SUBDISTRICT, SUBDISTRICT)):
        review = reviews.get(kind)
        if review is None or not review.approves:
            wanting.append(condition)
    if site.pk is None or not site.contracts.exists():  # an unsaved site has none
        wanting.append(CONTRACT)
    return wanting


class GateClosed(Exception):
    """The works may not start yet; ``conditions`` says why."""

    def __init__(self, conditions: list[Condition]):
        super().__init__("; ".join(str(c.message) for c in conditions))
        self.conditions = conditions
