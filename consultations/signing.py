"""Taking a signature: checking what was drawn or scanned, and recording the consent once.

The checks look at the bytes, not at names or declared types: a PNG drawn on the tablet must
decode as a PNG with ink on it; a scanned paper form (or an agent's power of attorney) must
really be a JPEG, PNG or PDF, and a PDF a plain document with pages and no scripts or actions.

A consent answers each matter of the published proposal, and is signed by one of the flat's
registered owners or by an agent for one of them. An owner who holds several flats of the unit
(one Person behind several owner entries) signs once: ``record_consent`` records one consent per
flat, all or nothing.
"""

import base64
import binascii
import io
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from campaigns.photos import is_complete
from consultations.models import Consent, Decision, Proposal, Share, refresh_door_status_of
from consultations.models.consents import Capacity, summary_decision
from core import uploaded_pdf
from core.images import PHOTO_PIXELS, SIGNATURE_PIXELS, fits, megapixels
from households.models import Household, Owner

SIGNATURE_LIMIT = 1024 * 1024  # a drawn signature is a few dozen kilobytes
SCAN_LIMIT = 10 * 1024 * 1024
PNG_DATA_URL = "data:image/png;base64,"
SIGNATURE_TOO_LARGE = _("签名图片的尺寸太大（%(width)s×%(height)s 像素），请清除后重新签名。")
SCAN_TOO_LARGE = _(
    "扫描件的尺寸太大（%(width)s×%(height)s 像素），"
    "请把分辨率调到 %(limit)s 百万像素以内（例如 300 dpi）后重新扫描。"
)


class SignatureError(ValueError):
    """What was signed or uploaded cannot be accepted; the message says why."""


class ConsentConflict(Exception):
    """Someone recorded this household's answer in the meantime."""


def signature_from_data_url(data_url: str) -> bytes:
    """The PNG bytes of a signature drawn on the pad, refusing empty or broken drawings."""
    if not data_url:
        raise SignatureError(_("请业主在签名框内签名。"))
    if not data_url.startswith(PNG_DATA_URL):
        raise SignatureError(_("签名格式不正确，请清除后重新签名。"))
    try:
        png = base64.b64decode(data_url[len(PNG_DATA_URL) :], validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(_("签名格式不正确，请清除后重新签名。")) from None
    if len(png) > SIGNATURE_LIMIT:
        raise SignatureError(_("签名图片过大，请清除后重新签名。"))
    image = _open_image(png, {"PNG"}, SIGNATURE_PIXELS, SIGNATURE_TOO_LARGE)
    if not _has_ink(image):
        raise SignatureError(_("签名框是空白的，请业主签名。"))
    return png


def scan_from_upload(upload) -> tuple[bytes, str]:
    """The bytes and content type of a scanned paper form (JPEG, PNG or PDF)."""
    if upload.size > SCAN_LIMIT:
        raise SignatureError(
            _("扫描件不能超过 %(mb)s MB，请压缩或降低分辨率后再上传。")
            % {"mb": SCAN_LIMIT // 2**20}
        )
    data = upload.read()
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise SignatureError(_("PDF 文件不完整，请重新扫描后上传。"))
        try:
            uploaded_pdf.check(data)  # opens, has pages, runs nothing
        except uploaded_pdf.UnusablePDF as error:
            raise SignatureError(str(error)) from None
        return data, "application/pdf"
    image = _open_image(data, {"JPEG", "PNG"}, PHOTO_PIXELS, SCAN_TOO_LARGE)
    return data, f"image/{image.format.lower()}"


def _open_image(data: bytes, formats: set[str], max_pixels: int, too_large: str) -> Image.Image:
    """The image in ``data``, decoded only once its header shows it fits ``max_pixels``."""
    try:
        image = Image.open(io.BytesIO(data))  # reads the header only
        if image.format not in formats:
            raise SignatureError(_("文件不是可用的图片，请上传 JPEG、PNG 或 PDF。"))
        if not fits(image, max_pixels):  # before a pixel is decoded
            size = {"width": image.width, "height": image.height}
            raise SignatureError(too_large % {**size, "limit": megapixels(max_pixels)})
        if not is_complete(io.BytesIO(data), image.format):  # a cut-off upload or scan
            raise SignatureError(_("图片文件不完整，请重新扫描后上传。"))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise SignatureError(_("文件不是可用的图片，请上传 JPEG、PNG 或 PDF。")) from None
    return image


def _has_ink(image: Image.Image) -> bool:
    """Whether anything darker than the paper was drawn (transparent counts as paper)."""
    rgba = image.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    grey = Image.alpha_composite(paper, rgba).convert("L")
    return grey.point(lambda value: 255 if value < 200 else 0).getbbox() is not None


def other_titles(owners: Iterable[Owner], unit_id: int) -> dict[int, list[Owner]]:
    """For each of these owner entries (by id), the same person's entries on the other flats of
    the unit, one per flat, in the order of the floors: a multi-flat owner signs once for all
    their flats in the vote's scope. An entry not linked to a Person holds its flat alone."""
    owners = list(owners)
    by_person = {owner.person_id: owner for owner in owners if owner.person_id}
    titles: dict[int, list[Owner]] = {owner.pk: [] for owner in owners}
    if not by_person:
        return titles
    rows = (
        Owner.objects.filter(person__in=list(by_person), household__unit=unit_id)
        .select_related("household")
        .order_by("household__floor", "household__room", "household", "pk")
    )
    for row in rows:
        for owner in owners:
            mine = titles[owner.pk]
            if (
                owner.person_id == row.person_id
                and row.household_id != owner.household_id
                and all(t.household_id != row.household_id for t in mine)
            ):
                mine.append(row)
    return titles


def ballot_answers(proposal: Proposal, answers: Mapping[str, str] | None, decision: str | None):
    """The answer to each matter of the proposal ({"1": "agree", ...}): as given, or, for a
    caller that gives one ``decision``, that decision on every matter."""
    numbers = {str(matter.number) for matter in proposal.ballot()}
    if answers is None and decision is not None:
        answers = dict.fromkeys(sorted(numbers), decision)
    if (
        not answers
        or set(answers) != numbers
        or any(value not in Decision.values for value in answers.values())
    ):
        raise SignatureError(_("请对每一项表决事项选择意见。"))
    return dict(answers)


def record_consent(
    *,
    household: Household,
    proposal: Proposal,
    expected_current: int | None,
    expected_others: Mapping[int, int | None] | None = None,
    answers: Mapping[str, str] | None = None,
    **fields,
) -> Consent:
    """Record the household's answer to the published proposal, superseding the answer the
    worker saw (``expected_current``), and where the household's door now stands. Raises
    ConsentConflict if that is no longer current, so two workers at one door never leave two
    current consents.

    ``answers`` holds one answer per matter of the proposal (a caller may give one
    ``decision`` for all); the consent's ``decision`` is their summary. When the signer
    (``signer_owner``, in person or through an agent) is a person who holds other flats of the
    unit, they sign once for all of them: one consent per flat, in the same transaction, with
    the same answers, signature and signer, each with its own share and its own owner entry of
    that person, each superseding that flat's answer as the worker saw it (``expected_others``:
    flat id to consent id or None). Any difference is a ConsentConflict: all or nothing.
    Returns the household's own consent."""
    if proposal.status != Proposal.Status.PUBLISHED:
        raise SignatureError(_("这个方案版本已不是公示的签字版本，请刷新后按最新版本签字。"))
    fields["answers"] = ballot_answers(proposal, answers, fields.pop("decision", None))
    fields["decision"] = summary_decision(fields["answers"])
    signer = fields.get("signer_owner")
    if signer is not None and signer.household_id != household.pk:
        raise ValueError("the signer is not an owner entry of this household")
    titles = other_titles([signer], household.unit_id)[signer.pk] if signer else []
    seen = {household.pk: expected_current, **(expected_others or {})}
    try:
        with transaction.atomic():
            flats = sorted([household.pk, *(t.household_id for t in titles)])
            list(Household.objects.select_for_update().filter(pk__in=flats).order_by("pk"))
            current = {
                c.household_id: c
                for c in Consent.objects.current().filter(household__in=flats, proposal=proposal)
            }
            for flat in flats:
                mine = current.get(flat)
                if flat not in seen or (mine.pk if mine else None) != seen[flat]:
                    raise ConsentConflict
            shares = dict(
                Share.objects.filter(proposal=proposal, household__in=flats).values_list(
                    "household", "amount"
                )
            )
            signings = [(household, fields), *((t.household, as_title(fields, t)) for t in titles)]
            consents = []
            for flat, signed in signings:
                if flat.pk not in shares:
                    raise SignatureError(
                        _("%(room)s 不在公示的分摊方案中，不能签字。") % {"room": flat.room}
                    )
                consents.append(
                    Consent.objects.create(
                        household=flat,
                        proposal=proposal,
                        share_amount=shares[flat.pk],
                        supersedes=current.get(flat.pk),
                        **signed,
                    )
                )
                refresh_door_status_of(flat)
    except IntegrityError:
        raise ConsentConflict from None
    return consents[0]


def as_title(fields: dict, title: Owner) -> dict:
    """What is signed for the person's other flat: the same, but under that flat's own owner
    entry (and, in person, the name as entered there)."""
    mine = {**fields, "signer_owner": title}
    if fields.get("signer_capacity") == Capacity.OWNER:
        mine["signer_name"] = title.name
    return mine
