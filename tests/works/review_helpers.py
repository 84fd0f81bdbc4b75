"""What the review tests build: a unit whose vote passed, its site, a frozen packet (its bytes
made up), reviews and a contract."""

import hashlib
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from campaigns.models import Assignment, PartyKind, Role
from tests.core.test_uploaded_pdf import pdf
from tests.factories import make_assignment, make_party, make_site, make_user, make_voted_unit
from works.models import Review, ReviewDocument, ReviewPacket, Site, WorksContract


def passed_unit(decisions=("agree", "agree", "agree")):
    """A unit of a new campaign (majority rule) whose vote passed, with its site."""
    unit, _households, proposal = make_voted_unit(list(decisions))
    site = make_site(elevator=proposal.elevator)
    return unit, site, proposal


def frozen(unit, proposal, by=None) -> ReviewPacket:
    data = pdf()
    return ReviewPacket.objects.create(
        unit=unit,
        proposal=proposal,
        file=ContentFile(data, name="packet.pdf"),
        sha256=hashlib.sha256(data).hexdigest(),
        frozen_by=by or make_user(),
    )


def reviewed(packet, kind=Review.Kind.LAWYER, outcome=Review.Outcome.APPROVED, **kw) -> Review:
    return Review.objects.create(
        unit=packet.unit,
        packet=packet,
        kind=kind,
        outcome=outcome,
        comments=kw.pop("comments", "需补充维修资金使用公示" if outcome == "returned" else ""),
        reviewer=kw.pop("reviewer", "王律师"),
        reviewed_on=kw.pop("reviewed_on", date(2026, 3, 1)),
        recorded_by=kw.pop("recorded_by", None) or make_user(),
        **kw,
    )


def contracted(site) -> WorksContract:
    campaign = site.elevator.unit.building.campaign
    return WorksContract.objects.create(
        site=site,
        contractor=make_party(campaign=campaign, kind=PartyKind.CONTRACTOR),
        signed_on=date(2026, 3, 5),
        amount=Decimal("398000.00"),
        recorded_by=make_user(),
    )


def ready(site, proposal):
    """Everything the gate asks for, on ``site``."""
    unit = site.elevator.unit
    packet = frozen(unit, proposal)
    reviewed(packet, Review.Kind.LAWYER)
    reviewed(packet, Review.Kind.SUBDISTRICT)
    contracted(site)
    return packet


def people_of(campaign):
    """The campaign's secretary, lawyer, sub-district reviewer and a contractor's person."""
    community = campaign.community
    return {
        "secretary": make_assignment(role=Role.SECRETARY, community=community).user,
        "lawyer": make_assignment(role=Role.LAWYER, community=community).user,
        "reviewer": make_assignment(role=Role.REVIEWER, community=community).user,
        "contractor": make_assignment(
            role=Role.CONTRACTOR, party=make_party(campaign=campaign)
        ).user,
        "grid worker": make_assignment(
            role=Role.GRID_WORKER, unit=campaign.buildings.first().units.first()
        ).user,
    }


# --- the review pages' URLs on the demo (tests/portal/test_urls.py) --------------------------

REVIEW_UNIT_URLS = {
    "works:review_unit",
    "works:freeze_packet",
    "works:add_review",
    "works:record_contract",
}


# The review pages' URLs that take kwargs (works:review_home takes none).
REVIEW_URLS = REVIEW_UNIT_URLS | {
    "works:parties",
    "works:new_party",
    "works:edit_party",
    "works:accounts",
    "works:new_account",
    "works:reset_password",
    "works:review_overview",
    "works:packet_file",
    "works:review_document",
    "works:contract_file",
}


def demo_review_records(unit) -> dict:
    """A frozen packet of the demo unit, a lawyer's review with its opinion, a contract and a
    lawyer's login: the first of each, made when the demo has none."""
    campaign = unit.building.campaign
    packet = unit.review_packets.first()
    if packet is None:
        packet = frozen(unit, unit.elevator.proposals.filter(status="published").first())
    document = ReviewDocument.objects.filter(review__unit=unit).first()
    if document is None:
        review = reviewed(packet, Review.Kind.LAWYER)
        data = pdf()
        document = ReviewDocument.objects.create(
            review=review,
            kind=ReviewDocument.Kind.OPINION,
            file=ContentFile(data, name="opinion.pdf"),
            content_type="application/pdf",
            sha256=hashlib.sha256(data).hexdigest(),
        )
    site = Site.objects.get_or_create(elevator=unit.elevator)[0]
    contract = site.contracts.exclude(file="").first()
    if contract is None:
        contract = contracted(site)
        data = pdf()
        contract.file = ContentFile(data, name="contract.pdf")
        contract.content_type, contract.sha256 = "application/pdf", hashlib.sha256(data).hexdigest()
        contract.save()
    account = Assignment.objects.filter(community=campaign.community, role=Role.LAWYER).first()
    if account is None:
        account = make_assignment(role=Role.LAWYER, community=campaign.community)
    return {"packet": packet, "document": document, "contract": contract, "account": account}


def review_url_kwargs(name: str, unit) -> dict:
    """The kwargs of a review page's URL ``name`` on the demo unit."""
    campaign = unit.building.campaign
    slug = {"slug": campaign.slug}
    if name in {"works:parties", "works:new_party", "works:accounts", "works:new_account"}:
        return slug
    if name == "works:review_overview":
        return slug
    if name == "works:edit_party":
        party = campaign.parties.first() or make_party(campaign=campaign)
        return slug | {"pk": party.pk}
    if name in REVIEW_UNIT_URLS:
        return {"pk": unit.pk}
    records = demo_review_records(unit)
    return {
        "works:reset_password": slug | {"pk": records["account"].pk},
        "works:packet_file": {"pk": records["packet"].pk},
        "works:review_document": {"pk": records["document"].pk},
        "works:contract_file": {"pk": records["contract"].pk},
    }.get(name, {})
