"""The consent packet (业主签字同意材料): the legal record of a unit's vote, on paper.

For each unit with a published proposal, in this order: a cover page; a summary page with the
Art. 278 tally of each matter put to the owners (from ``consultations.standing.votes_by_unit``,
never recomputed here) with its rule and legal basis, and every household's answers; the
proposal page with the cost breakdown and every household's share; one page per household with
its consent form as signed (or a page saying it has not signed); and an appendix with the
process record (visits, meetings and their decisions, changes of mind). A whole
campaign's packet starts with a page listing its units and where each starts, then one such
section per unit (units without a published proposal are listed as left out). Each section is
numbered on its own (第 N 页 / 共 M 页) and carries the 草稿 mark on every page until every
matter of its unit's vote passes: it is that unit's complete record and can be filed alone, and
it can be rendered in a process of its own.

Names are printed in full (the packet goes to the lawyer and the sub-district office); phone
numbers are never loaded. Each signed page carries a QR code of its verification URL
(``verification_code``). The data is loaded in a fixed number of queries, whatever the number
of units and households.
"""

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from urllib.parse import urljoin

import segno
from django.db.models import Q, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Meeting, Unit
from consultations.models import Consent, Decision, Proposal, Share
from consultations.standing import UnitVote, votes_by_unit
from consultations.thresholds import AGREEMENT
from consultations.verification import troubled_chains
from core.pdf import base_url_for, html_to_pdf, html_to_pdfs, merge_pdfs
from households.models import Household, Owner

CODE = re.compile(r"([1-9][0-9]{0,17})-([0-9a-fA-F]{10})")
IMAGE_MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
NOT_SIGNED = _("未签字")


# --- verification codes -------------------------------------------------------------------


def verification_code(consent: Consent) -> str:
    """The short code printed under a consent's QR code: its id and the start of its hash."""
    return f"{consent.pk}-{consent.content_hash[:10]}"


def find_by_code(code: str) -> Consent | None:
    """The consent a verification code names, or None when the code is malformed, names no
    record, or its hash part does not match the stored hash."""
    match = CODE.fullmatch(code) if isinstance(code, str) else None
    if match is None:
        return None
    pk, prefix = int(match[1]), match[2].lower()
    consent = Consent.objects.filter(pk=pk).first()
    if consent is None or not consent.content_hash.startswith(prefix):
        return None
    return consent


def verification_url(consent: Consent, base_url: str) -> str:
    """The absolute address of the public verification page for this consent."""
    return urljoin(base_url, reverse("verify_consent", args=[verification_code(consent)]))


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as a PNG ``data:`` URI, one pixel a module: printed large with
    ``image-rendering: pixelated``, it stays sharp. (An SVG code costs WeasyPrint more.)"""
    return segno.make(text, error="m", micro=False).png_data_uri(scale=1, border=4)


# --- what goes on the pages ----------------------------------------------------------------


@dataclass
class SignedRecord:
    """One signed consent as it is printed: the signature, the hash, the QR code."""

    consent: Consent
    code: str
    url: str
    qr: str
    hash_ok: bool
    signature_sha256: str
    signature_uri: str | None  # a data: URI for a PNG or JPEG; None for a PDF scan
    is_pdf_scan: bool
    witness: str
    replaces: Consent | None  # the answer this one superseded
    answers: list = field(default_factory=list)  # (matter, decision) for each matter asked
    attorney_letter_sha256: str = ""  # an agent's power of attorney, through its digest

    @property
    def decision_label(self) -> str:
        return str(self.consent.get_decision_display())


@dataclass
class HouseholdPage:
    """One household in a packet or on its own form."""

    household: Household
    owners: list[str]  # full names, the primary owner first
    share: Decimal | None  # the recorded share of the proposal
    weight: Decimal
    record: SignedRecord | None  # the current consent, None when not signed
    anchor: str
    answers: list[tuple[int, str]] = field(default_factory=list)  # per matter, set by the packet

    @property
    def decision(self) -> str | None:
        return self.record.consent.decision if self.record else None

    @property
    def decision_label(self) -> str:
        return self.record.decision_label if self.record else str(NOT_SIGNED)

    @property
    def agrees(self) -> bool:
        return self.decision in AGREEMENT

    def answers_on(self, matters) -> list[tuple[int, str]]:
        """The answer to each matter (number, label), as counted: ``decision_on``."""
        if self.record is None:
            return [(m.number, str(NOT_SIGNED)) for m in matters]
        consent = self.record.consent
        return [(m.number, str(Decision(consent.decision_on(m.number)).label)) for m in matters]

    @property
    def visit_count(self) -> int:
        return getattr(self.household, "visit_count", None) or 0


@dataclass
class Change:
    """A change of mind: an answer, the answer that replaced it, and who witnessed that."""

    household: Household
    old: Consent
    new: Consent
    witness: str


@dataclass
class UnitSection:
    unit: Unit
    proposal: Proposal
    vote: UnitVote  # votes_by_unit: one result per matter, each with its tally and legal basis
    pages: list[HouseholdPage]
    coefficients: list
    versions: list[Proposal]
    meetings: list[Meeting]
    changes: list[Change]
    anchor: str

    @property
    def results(self):
        return self.vote.results

    @property
    def passed(self) -> bool:
        """Every matter passed: until then the unit's pages carry the draft mark."""
        return self.vote.passed

    @property
    def several_matters(self) -> bool:
        return len(self.vote.results) > 1

    @property
    def elevator(self):
        return self.proposal.elevator

    @property
    def place(self) -> str:
        return f"{self.unit.building.name}{self.unit.name}"

    @property
    def households(self) -> int:
        return len(self.pages)

    @property
    def signed(self) -> int:
        return sum(1 for page in self.pages if page.record)

    @property
    def agreed(self) -> int:
        return sum(1 for page in self.pages if page.agrees)

    @property
    def area(self) -> Decimal:
        return sum((page.household.area for page in self.pages), Decimal(0))

    @property
    def signed_area(self) -> Decimal:
        return sum((page.household.area for page in self.pages if page.record), Decimal(0))

    @property
    def agreed_area(self) -> Decimal:
        return sum((page.household.area for page in self.pages if page.agrees), Decimal(0))

    @property
    def share_total(self) -> Decimal:
        return sum((page.share or Decimal(0) for page in self.pages), Decimal("0.00"))

    @property
    def visits(self) -> int:
        return sum(page.visit_count for page in self.pages)

    @property
    def visited(self) -> int:
        return sum(1 for page in self.pages if page.visit_count)

    @property
    def shows_coefficients(self) -> bool:
        return self.proposal.rule == Proposal.Rule.FLOOR_AREA


@dataclass
class Packet:
    campaign: Campaign
    sections: list[UnitSection]
    omitted: list[Unit]  # units in scope without a published proposal
    whole_campaign: bool  # a campaign's packet (with its list of units), not one unit's
    printed_at: datetime = field(default_factory=timezone.localtime)

    @property
    def is_draft(self) -> bool:
        """A draft until every matter of every unit it covers has passed."""
        return bool(self.omitted) or not self.sections or not all(s.passed for s in self.sections)

    @property
    def pages_expected(self) -> int:
        """The fewest pages it can have: a list of units, then per unit a cover, a summary, the
        proposal, one page per household and an appendix (long tables may add pages)."""
        return int(self.whole_campaign) + sum(4 + s.households for s in self.sections)


# --- loading --------------------------------------------------------------------------------


def units_of(campaign: Campaign):
    return (
        Unit.objects.filter(building__campaign=campaign)
        .select_related("building__campaign__community")
        .order_by("building__sort_order", "building__name", "name", "pk")
    )


def build_packet(
    campaign: Campaign, units=None, *, base_url: str, whole_campaign: bool = True
) -> Packet:
    """The packet of ``units`` (default: all the campaign's units). Units without a published
    proposal are listed as left out. A fixed number of queries, none per unit or household."""
    units = list(units_of(campaign) if units is None else units)
    everyone = list(
        Household.objects.filter(unit__in=[u.pk for u in units]).order_by("unit", "floor", "room")
    )
    votes = votes_by_unit(units, lambda unit: campaign.consent_rule, everyone)
    proposals = {pk: v.proposal for pk, v in votes.items() if v.proposal is not None}
    included = [unit for unit in units if unit.pk in proposals]
    prefetch_related_objects(list(proposals.values()), "coefficients")
    households = [h for h in everyone if h.unit_id in proposals]
    pages, changes = household_pages(proposals, households, base_url)
    for page in pages.values():
        page.answers = page.answers_on(proposals[page.household.unit_id].ballot())
    meetings = list(
        Meeting.objects.filter(campaign=campaign)
        .filter(Q(unit__in=included) | Q(unit__isnull=True))
        .prefetch_related("decisions")
        .order_by("held_at", "pk")
    )
    versions = list(
        Proposal.objects.filter(elevator__unit__in=included)
        .exclude(status=Proposal.Status.DRAFT)
        .order_by("version")
    )
    of_unit: dict[int, list[Household]] = {unit.pk: [] for unit in included}
    for household in households:
        of_unit[household.unit_id].append(household)
    sections = []
    for unit in included:
        mine = of_unit[unit.pk]
        ids = {h.pk for h in mine}
        sections.append(
            UnitSection(
                unit=unit,
                proposal=proposals[unit.pk],
                vote=votes[unit.pk],
                pages=[pages[h.pk] for h in mine],
                coefficients=list(proposals[unit.pk].coefficients.all()),
                versions=[v for v in versions if v.elevator_id == proposals[unit.pk].elevator_id],
                meetings=[m for m in meetings if m.unit_id in (None, unit.pk)],
                changes=[c for c in changes if c.household.pk in ids],
                anchor=f"unit-{unit.pk}",
            )
        )
    omitted = [unit for unit in units if unit.pk not in proposals]
    return Packet(campaign, sections, omitted, whole_campaign)


def household_pages(
    proposals: dict[int, Proposal], households: list[Household], base_url: str
) -> tuple[dict[int, HouseholdPage], list["Change"]]:
    """Each household's page (by household id) under its unit's proposal, and the households'
    changes of mind. Five queries, however many households (six when one was erased): the
    last check the households' chains against the consent history and the audit log, so
    that a page whose record is inconsistent says so."""
    if not households:
        return {}, []
    ids = [h.pk for h in households]
    wanted = Q(proposal__in=list(proposals.values()), household__in=ids)
    owners: dict[int, list[str]] = {}
    for household_id, name in (
        Owner.objects.filter(household__in=ids)
        .order_by("household", "-is_primary", "pk")
        .values_list("household", "name")
    ):
        owners.setdefault(household_id, []).append(name)
    shares = dict(
        Share.objects.filter(proposal__in=list(proposals.values()), household__in=ids).values_list(
            "household", "amount"
        )
    )
    current = {
        c.household_id: c
        for c in Consent.objects.current().filter(wanted).select_related("witness", "signer_owner")
    }
    superseded = list(
        Consent.objects.filter(wanted, superseded_by__isnull=False)
        .defer("signature")
        .select_related("witness")
        .order_by("signed_at", "pk")
    )
    earlier = {c.pk: c for c in superseded}
    troubled = troubled_chains([*superseded, *current.values()], Consent.history.filter(wanted))
    pages = {}
    for household in households:
        proposal = proposals[household.unit_id]
        consent = current.get(household.pk)
        if consent is not None:
            consent.household, consent.proposal = household, proposal
            if consent.supersedes_id in earlier:  # the hash links to it: no query per page
                consent.supersedes = earlier[consent.supersedes_id]
        pages[household.pk] = HouseholdPage(
            household=household,
            owners=owners.get(household.pk, []),
            share=shares.get(household.pk),
            weight=proposal.weight_of(household, coefficients_of(proposal)),
            record=signed_record(
                consent, base_url, earlier, (household.pk, proposal.pk) not in troubled
            )
            if consent
            else None,
            anchor=f"household-{household.pk}",
        )
    return pages, changes_of(superseded, list(current.values()), pages)


def coefficients_of(proposal: Proposal) -> dict[int, Decimal]:
    """The proposal's floor coefficients, worked out once per proposal."""
    if not hasattr(proposal, "_packet_coefficients"):
        proposal._packet_coefficients = proposal.coefficient_map()
    return proposal._packet_coefficients


def signed_record(
    consent: Consent, base_url: str, earlier: dict[int, Consent], chain_ok: bool = True
) -> SignedRecord:
    """How the consent is printed; ``hash_ok`` says whether the record is intact: the consent's
    own checks pass and (``chain_ok``) its household's chain of answers is consistent."""
    signature = bytes(consent.signature)
    url = verification_url(consent, base_url)
    return SignedRecord(
        consent=consent,
        code=verification_code(consent),
        url=url,
        qr=qr_data_uri(url),
        hash_ok=chain_ok and consent.is_intact(),
        signature_sha256=consent.signature_digest(),
        signature_uri=image_data_uri(signature, consent.signature_type),
        is_pdf_scan=consent.signature_type == "application/pdf",
        witness=person(consent.witness),
        replaces=earlier.get(consent.supersedes_id),
        answers=[(m, consent.decision_on(m.number)) for m in consent.proposal.ballot()],
        attorney_letter_sha256=consent.attorney_letter_digest(),
    )


def image_data_uri(data: bytes, content_type: str) -> str | None:
    """A ``data:`` URI of a PNG or JPEG whose bytes really are one; None for anything else."""
    magic = IMAGE_MAGIC.get(content_type)
    if magic is None or not data.startswith(magic):
        return None
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def person(user) -> str:
    return user.get_full_name() or user.get_username()


def changes_of(
    superseded: list[Consent], current: list[Consent], pages: dict[int, HouseholdPage]
) -> list[Change]:
    """Every change of mind, oldest first: each superseded answer and the answer that
    replaced it (itself superseded later, or the current one)."""
    replaced_by = {c.supersedes_id: c for c in [*superseded, *current] if c.supersedes_id}
    return [
        Change(
            pages[old.household_id].household,
            old,
            replaced_by[old.pk],
            person(replaced_by[old.pk].witness),
        )
        for old in superseded
        if old.pk in replaced_by
    ]


def decision_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Decision.choices]


# --- printing -------------------------------------------------------------------------------

PACKET_TEMPLATE = "consultations/print/packet.html"
FORM_TEMPLATE = "consultations/print/consent_form.html"


def render_packet(
    packet: Packet, request=None, *, jobs: int = 1, progress: Callable[[], None] | None = None
) -> tuple[bytes, int]:
    """The packet as PDF bytes, and its number of pages.

    Each unit's section is a document of its own, with its own page numbers (第 N 页 / 共 M
    页) and its own draft mark while its vote has not passed: it is that unit's complete
    record, and can be filed on its own. A campaign's packet puts a list of the parts first,
    with where each starts, and joins them; ``jobs`` renders that many sections at once.
    ``progress()`` is called as each section is rendered, and once more when they are joined."""
    base_url = base_url_for(request)
    common = {"packet": packet, "decisions": decision_choices(), "printed_at": packet.printed_at}
    htmls = [
        render_to_string(
            PACKET_TEMPLATE, {**common, "section": s, "draft": not s.passed}, request=request
        )
        for s in packet.sections
    ]
    parts = html_to_pdfs(htmls, base_url, jobs, done=progress)
    if not packet.whole_campaign:
        if len(parts) != 1:
            raise ValueError("a unit's packet needs exactly one unit with a published proposal")
        return parts[0]
    contents_pages = 1
    while True:  # the list's own length moves where the parts start: settle it
        html = contents_html(packet, [pages for _pdf, pages in parts], contents_pages, request)
        contents, pages = html_to_pdf(html, base_url)
        if pages == contents_pages:
            break
        contents_pages = pages
    titles = [str(_("单元列表")), *(s.place for s in packet.sections)]
    title = f"{packet.campaign.title} · {_('业主签字同意材料汇编')}"
    pdf = merge_pdfs(list(zip([contents, *(p for p, _n in parts)], titles, strict=True)), title)
    if progress is not None:
        progress()
    return pdf, contents_pages + sum(n for _pdf, n in parts)


def contents_html(packet: Packet, part_pages: list[int], contents_pages: int, request) -> str:
    rows, first = [], contents_pages + 1
    for section, pages in zip(packet.sections, part_pages, strict=True):
        rows.append({"section": section, "first": first, "last": first + pages - 1, "pages": pages})
        first += pages
    context = {
        "packet": packet,
        "contents": rows,
        "total_pages": first - 1,
        "draft": packet.is_draft,
        "printed_at": packet.printed_at,
    }
    return render_to_string(PACKET_TEMPLATE, context, request=request)
