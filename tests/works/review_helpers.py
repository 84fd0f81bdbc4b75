"""What the review tests build: a unit whose vote passed, its site, a frozen packet (its bytes
made up), reviews and a contract."""

import hashlib
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from campaigns.models import PartyKind, Role
from tests.core.test_uploaded_pdf import pdf
from tests.factories import make_assignment, make_party, make_site, make_user, make_voted_unit
from works.models import Review, ReviewPacket, WorksContract


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
