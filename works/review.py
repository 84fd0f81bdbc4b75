"""Review and approval: freezing a unit's packet once its vote passed, who records which kind
of review, documents kept by content, the accounts of the parties' people, and the state of
every unit of a campaign on one page (works.gate says what keeps one site from starting)."""

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from campaigns.models import Assignment, Campaign, Party, Role, Unit, assignments_of
from consultations.packet import build_packet, render_packet
from consultations.signing import SignatureError, scan_from_upload
from consultations.standing import UnitVote, votes_by_unit
from core import uploaded_pdf
from works.gate import latest_packet, latest_reviews
from works.models import Review, ReviewPacket, Site, WorksContract

# Which kind of review each reviewing role records (the secretary records either, for them).
KIND_OF_ROLE = {Role.LAWYER: Review.Kind.LAWYER, Role.REVIEWER: Review.Kind.SUBDISTRICT}
# The roles the secretary may give an account of a party's person.
ACCOUNT_ROLES = (Role.LAWYER, Role.REVIEWER, Role.CONTRACTOR, Role.MAINTAINER)
DOCUMENT_LIMIT = 20 * 1024 * 1024


class NotReady(Exception):
    """The unit's packet may not be frozen now; the message says why, in words for staff."""


def vote_of(unit: Unit) -> UnitVote:
    campaign = unit.building.campaign
    return votes_by_unit([unit], lambda u: campaign.consent_rule)[unit.pk]


def may_freeze(unit: Unit, vote: UnitVote, packet: ReviewPacket | None) -> str:
    """Why the unit's packet may not be frozen now ("" when it may): its vote must have
    passed; a packet already frozen is frozen again only once a review returned it."""
    if not vote.passed:
        return str(_("本单元的业主表决尚未通过，不能封存送审材料。"))
    if packet is not None:
        returned = [r for r in latest_reviews(packet).values() if not r.approves]
        if not returned:
            return str(_("送审材料已封存，正在审核；只有审核退回后才能重新封存。"))
    return ""


def freeze_packet(unit: Unit, user, request=None) -> ReviewPacket:
    """Render the unit's consent packet as it stands, keep it with its SHA-256, or NotReady."""
    unit = Unit.objects.select_related("building__campaign__community").get(pk=unit.pk)
    vote = vote_of(unit)
    if reason := may_freeze(unit, vote, latest_packet(unit)):
        raise NotReady(reason)
    campaign = unit.building.campaign
    base_url = request.build_absolute_uri("/") if request is not None else "http://localhost/"
    packet = build_packet(campaign, [unit], base_url=base_url, whole_campaign=False)
    pdf, _pages = render_packet(packet, request)
    digest = hashlib.sha256(pdf).hexdigest()
    return ReviewPacket.objects.create(
        unit=unit,
        proposal=vote.proposal,
        file=ContentFile(pdf, name="packet.pdf"),
        sha256=digest,
        frozen_by=user,
    )


def kinds_for(user, campaign: Campaign) -> list[str]:
    """The kinds of review ``user`` records in ``campaign``: the lawyer's, the sub-district's,
    or (the secretary, on their behalf) both."""
    if campaign.is_managed_by(user):
        return [Review.Kind.LAWYER, Review.Kind.SUBDISTRICT]
    roles = {p.role for p in assignments_of(user) if p.community == campaign.community_id}
    return [kind for role, kind in KIND_OF_ROLE.items() if role in roles]


@dataclass(frozen=True)
class Kept:
    """An uploaded document as it is kept: its bytes, content type and SHA-256."""

    data: bytes
    content_type: str
    sha256: str

    def file(self) -> ContentFile:
        extension = "pdf" if self.content_type == "application/pdf" else "img"
        return ContentFile(self.data, name=f"document.{extension}")


def keep_document(upload, *, pdf_only: bool = False) -> Kept:
    """The upload checked by content: a plain PDF, or (unless ``pdf_only``) a JPEG or PNG
    scan (consultations.signing.scan_from_upload, as for powers of attorney). Raises
    ValueError with a message for staff."""
    if upload.size > DOCUMENT_LIMIT:
        raise ValueError(
            _("文件不能超过 %(mb)s MB，请压缩后再上传。") % {"mb": DOCUMENT_LIMIT // 2**20}
        )
    if pdf_only:
        data = upload.read()
        try:
            uploaded_pdf.check(data)
        except uploaded_pdf.UnusablePDF as error:
            raise ValueError(str(error)) from None
        content_type = "application/pdf"
    else:
        try:
            data, content_type = scan_from_upload(upload)
        except SignatureError as error:
            raise ValueError(str(error)) from None
    return Kept(data, content_type, hashlib.sha256(data).hexdigest())


def site_of(unit: Unit) -> Site:
    """The works site of the unit's elevator, made when first needed."""
    site, _created = Site.objects.get_or_create(elevator=unit.elevator)
    return site


def one_time_password() -> str:
    """An initial password the secretary reads out once: 12 letters and digits that are not
    easily confused (no 0/O, 1/l/I)."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


@transaction.atomic
def create_account(
    campaign: Campaign, *, username: str, name: str, role: str, party: Party | None
) -> tuple[object, str]:
    """A new login for a party's person with their role in the campaign's community; the
    initial password is returned once and kept nowhere but in its hash."""
    password = one_time_password()
    user = get_user_model().objects.create_user(
        username=username, password=password, first_name=name
    )
    Assignment.objects.create(
        user=user,
        role=role,
        community=campaign.community,
        party=party if role in (Role.CONTRACTOR, Role.MAINTAINER) else None,
    )
    return user, password


def party_accounts(campaign: Campaign):
    """The logins of the parties' people in the campaign's community."""
    return (
        Assignment.objects.filter(community=campaign.community, role__in=ACCOUNT_ROLES)
        .select_related("user", "party")
        .order_by("role", "user__username")
    )


@dataclass
class UnitState:
    """Where one unit stands on the way to construction, for the campaign's overview."""

    unit: Unit
    vote: UnitVote
    packet: ReviewPacket | None
    reviews: dict[str, Review]
    contract: WorksContract | None

    @property
    def lawyer(self) -> Review | None:
        return self.reviews.get(Review.Kind.LAWYER)

    @property
    def subdistrict(self) -> Review | None:
        return self.reviews.get(Review.Kind.SUBDISTRICT)

    @property
    def returned(self) -> list[Review]:
        return [r for r in self.reviews.values() if not r.approves]


def overview(campaign: Campaign) -> list[UnitState]:
    """Every unit of the campaign with its vote, latest packet, the latest review of each
    kind against that packet, and its latest contract: a fixed number of queries."""
    units = list(
        Unit.objects.filter(building__campaign=campaign)
        .select_related("building__campaign")
        .order_by("building__sort_order", "building__name", "name", "pk")
    )
    votes = votes_by_unit(units, lambda unit: campaign.consent_rule)
    packets: dict[int, ReviewPacket] = {}
    for packet in ReviewPacket.objects.filter(unit__in=units).order_by("frozen_at", "pk"):
        packets[packet.unit_id] = packet  # the latest wins
    reviews: dict[int, dict[str, Review]] = {pk: {} for pk in packets}
    latest_ids = [p.pk for p in packets.values()]
    rows = Review.objects.filter(packet__in=latest_ids).order_by("reviewed_on", "recorded_at", "pk")
    for review in rows:
        reviews[review.unit_id][review.kind] = review
    contracts: dict[int, WorksContract] = {}
    signed = WorksContract.objects.filter(site__elevator__unit__in=units).select_related(
        "contractor", "site__elevator"
    )
    for contract in signed.order_by("signed_on", "pk"):
        contracts[contract.site.elevator.unit_id] = contract
    return [
        UnitState(
            unit=unit,
            vote=votes[unit.pk],
            packet=packets.get(unit.pk),
            reviews=reviews.get(unit.pk, {}),
            contract=contracts.get(unit.pk),
        )
        for unit in units
    ]
