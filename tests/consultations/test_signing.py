"""Checking what was drawn or scanned, before a consent is recorded."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consultations.models import Consent, Share
from consultations.models.consents import Capacity
from consultations.signing import (
    SCAN_LIMIT,
    SignatureError,
    other_titles,
    record_consent,
    scan_from_upload,
    signature_from_data_url,
)
from tests.consultations.signatures import (
    data_url,
    huge_png,
    impostor,
    jpeg_scan,
    never_decoded,
    pdf_scan,
    png_bytes,
    scripted_pdf_scan,
)
from tests.factories import (
    PNG_1PX,
    make_household,
    make_matter,
    make_owner,
    make_proposal,
    make_user,
    same_person,
)


def test_a_drawn_signature_is_accepted_as_png_bytes():
    png = png_bytes()
    assert signature_from_data_url(data_url(png)) == png


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请业主在签名框内签名"),
        (data_url(png_bytes(ink=False)), "签名框是空白的"),
        (data_url(png_bytes(ink=False, mode="RGB")), "签名框是空白的"),
        ("data:image/svg+xml;base64,PHN2Zy8+", "签名格式不正确"),
        ("data:image/png;base64,%%%not-base64%%%", "签名格式不正确"),
        ("data:image/png;base64," + base64.b64encode(b"GIF89a....").decode(), "不是可用的图片"),
        ("javascript:alert(1)", "签名格式不正确"),
    ],
)
def test_an_empty_or_broken_signature_is_refused_with_a_clear_message(value, message):
    with pytest.raises(SignatureError, match=message):
        signature_from_data_url(value)


def test_a_huge_signature_is_refused():
    noise = data_url(b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024 + 1))
    with pytest.raises(SignatureError, match="签名图片过大"):
        signature_from_data_url(noise)


def test_a_signature_of_more_than_four_megapixels_is_refused_before_it_is_decoded(monkeypatch):
    png = huge_png((6300, 6300))
    never_decoded(monkeypatch)
    with pytest.raises(SignatureError, match="签名图片的尺寸太大（6300×6300 像素）"):
        signature_from_data_url(data_url(png))


def test_a_signature_the_size_of_a_pad_on_a_sharp_tablet_screen_is_accepted():
    png = png_bytes(size=(2400, 900))  # an 800 × 300 pad at three device pixels per point
    assert signature_from_data_url(data_url(png)) == png


def test_a_scan_of_more_than_24_megapixels_is_refused_before_it_is_decoded(monkeypatch):
    scan = SimpleUploadedFile("form.png", huge_png((7000, 7000)), content_type="image/png")
    never_decoded(monkeypatch)
    with pytest.raises(SignatureError, match=r"扫描件的尺寸太大（7000×7000 像素）.*24 百万像素"):
        scan_from_upload(scan)


@pytest.mark.parametrize(
    ("upload", "content_type"), [(jpeg_scan(), "image/jpeg"), (pdf_scan(), "application/pdf")]
)
def test_a_scanned_paper_form_is_accepted_by_its_content(upload, content_type):
    data, kind = scan_from_upload(upload)
    assert kind == content_type
    assert data.startswith(b"%PDF-") or data.startswith(b"\xff\xd8")


def test_a_scan_is_judged_by_its_content_not_its_name():
    jpeg_named_pdf = jpeg_scan(name="form.pdf")
    assert scan_from_upload(jpeg_named_pdf)[1] == "image/jpeg"
    with pytest.raises(SignatureError, match="JPEG、PNG 或 PDF"):
        scan_from_upload(impostor())


def test_a_pdf_scan_that_runs_a_script_is_refused():
    with pytest.raises(SignatureError, match="含有脚本或自动运行的动作"):
        scan_from_upload(scripted_pdf_scan())


def test_an_html_page_with_a_pdf_header_is_refused():
    page = b"%PDF-1.7\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n"
    with pytest.raises(SignatureError, match="无法打开或没有页面"):
        scan_from_upload(SimpleUploadedFile("form.pdf", page, content_type="application/pdf"))


def test_a_truncated_pdf_is_refused():
    with pytest.raises(SignatureError, match="PDF 文件不完整"):
        scan_from_upload(SimpleUploadedFile("x.pdf", b"%PDF-1.4\n" + b"0" * 5000))


def test_a_20_mb_scan_is_refused_before_it_is_read():
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (20 * 1024 * 1024))
    assert big.size > SCAN_LIMIT
    with pytest.raises(SignatureError, match="不能超过 10 MB"):
        scan_from_upload(big)


def test_a_scan_cut_off_in_transfer_is_refused_even_after_weasyprint_loaded():
    """WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process; a cut-off
    scan must still be refused, not stored with its lower half grey."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    whole = jpeg_scan().read()
    cut = SimpleUploadedFile("form.jpg", whole[: len(whole) // 2], content_type="image/jpeg")
    with pytest.raises(SignatureError, match="不完整"):
        scan_from_upload(cut)


# Recording the consent: each matter answered, the signer's other flats signed at once


def published_with_matters(*rooms: str, matters: int = 2):
    """A published proposal of ``matters`` matters on a unit with these flats, each with its
    owner (and its share from the publication)."""
    proposal = make_proposal()
    for number in range(1, matters + 1):
        make_matter(proposal, number, 5 if number == 1 else 7, "three_quarters")
    owners = [
        make_owner(
            household=make_household(unit=proposal.elevator.unit, room=room, floor=int(room[0])),
            name="王秀英",
        )
        for room in rooms
    ]
    proposal.publish()
    return proposal, owners


def fields(owner, **kw) -> dict:
    return {
        "signer_capacity": Capacity.OWNER,
        "signer_owner": owner,
        "signer_name": owner.name,
        "method": Consent.Method.TABLET,
        "signature": PNG_1PX,
        "signature_type": "image/png",
        "witness": make_user(),
        "signed_at": timezone.now(),
        **kw,
    }


@pytest.mark.django_db
def test_one_decision_given_by_a_caller_answers_every_matter():
    proposal, (owner,) = published_with_matters("301")
    consent = record_consent(
        household=owner.household,
        proposal=proposal,
        expected_current=None,
        **fields(owner, decision="agree"),
    )
    assert consent.answers == {"1": "agree", "2": "agree"} and consent.decision == "agree"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "answers",
    [{"1": "agree"}, {"1": "agree", "2": "maybe"}, {"1": "agree", "2": "agree", "3": "agree"}, {}],
)
def test_answers_that_do_not_answer_each_matter_once_are_refused(answers):
    proposal, (owner,) = published_with_matters("301")
    with pytest.raises(SignatureError, match="请对每一项表决事项选择意见"):
        record_consent(
            household=owner.household,
            proposal=proposal,
            expected_current=None,
            answers=answers,
            **fields(owner),
        )
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_the_signer_must_be_an_owner_entry_of_the_flat():
    proposal, (mine, neighbour) = published_with_matters("301", "401")
    with pytest.raises(ValueError, match="not an owner entry of this household"):
        record_consent(
            household=mine.household,
            proposal=proposal,
            expected_current=None,
            **fields(neighbour, decision="agree"),
        )


@pytest.mark.django_db
def test_a_multi_flat_owner_signs_all_their_flats_in_the_unit_or_none():
    proposal, owners = published_with_matters("301", "401", "501")
    same_person(*owners)
    Share.objects.filter(household=owners[2].household).delete()  # 501 left out somehow
    others = {o.household_id: None for o in owners[1:]}
    with pytest.raises(SignatureError, match="501 不在公示的分摊方案中"):
        record_consent(
            household=owners[0].household,
            proposal=proposal,
            expected_current=None,
            expected_others=others,
            **fields(owners[0], decision="agree"),
        )
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_other_titles_names_each_owners_other_flats_of_the_unit_in_floor_order():
    _proposal, (a, b, c) = published_with_matters("501", "301", "401")
    alone = make_owner(household=a.household, name="李建国", is_primary=False)
    elsewhere = make_owner(household=make_household(room="601", floor=6), name="王秀英")
    same_person(a, b, c, elsewhere)
    titles = other_titles([a, alone], a.household.unit_id)
    assert titles == {a.pk: [b, c], alone.pk: []}
