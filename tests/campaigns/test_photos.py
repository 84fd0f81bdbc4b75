"""Photos for progress updates: re-encoded without EXIF (no GPS), resized, turned upright, and
anything that is not a usable photo refused with a message."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms

from campaigns.photos import LONG_SIDE, PhotoError, prepare_photo

WUHAN = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (30.0, 29.0, 10.5),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (114.0, 9.0, 3.2),
}


def phone_jpeg(size=(3000, 2000), orientation: int | None = None) -> bytes:
    """A JPEG as a phone writes it: GPS position, camera model, maybe an orientation tag."""
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "PhonePro 15"
    exif[ExifTags.IFD.GPSInfo] = WUHAN
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


COMMENT = b"<script>alert(1)</script> GPS 30.4862N 114.1509E"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>30,29.1N</exif:GPSLatitude></x:xmpmeta>'
)


def annotated_jpeg(size=(800, 600)) -> bytes:
    """A JPEG carrying text outside its pixels: a comment (COM segment) with a script and a GPS
    position, XMP with another, and an ICC colour profile."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(
        buffer, format="JPEG", comment=COMMENT, xmp=XMP, icc_profile=profile
    )
    return buffer.getvalue()


def upload(data: bytes, name="IMG_0001.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_the_phone_photo_really_carries_gps_before_it_is_prepared():
    exif = Image.open(io.BytesIO(phone_jpeg())).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (30.0, 29.0, 10.5)


def test_a_prepared_photo_has_no_exif_at_all():
    prepared = Image.open(io.BytesIO(prepare_photo(upload(phone_jpeg())).read()))
    exif = prepared.getexif()
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert len(exif) == 0
    assert "exif" not in prepared.info


def test_the_annotated_photo_really_carries_its_comment_xmp_and_profile_before():
    original = Image.open(io.BytesIO(annotated_jpeg()))
    assert original.info["comment"] == COMMENT
    assert {"xmp", "icc_profile"} <= set(original.info)


def test_a_prepared_photo_keeps_no_comment_xmp_or_colour_profile():
    stored = prepare_photo(upload(annotated_jpeg())).read()
    assert b"<script>" not in stored and b"GPS" not in stored and b"114.1509" not in stored
    assert b"xmpmeta" not in stored
    assert not {"comment", "xmp", "icc_profile", "exif"} & set(Image.open(io.BytesIO(stored)).info)


def test_a_photo_with_an_unreadable_colour_profile_is_still_accepted_without_it():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "red").save(buffer, format="JPEG", icc_profile=b"not a profile")
    stored = Image.open(io.BytesIO(prepare_photo(upload(buffer.getvalue())).read()))
    assert "icc_profile" not in stored.info and stored.size == (300, 200)


def test_a_large_photo_is_resized_to_the_long_side():
    prepared = Image.open(io.BytesIO(prepare_photo(upload(phone_jpeg((4000, 3000)))).read()))
    assert max(prepared.size) == LONG_SIDE
    assert prepared.size == (LONG_SIDE, LONG_SIDE * 3 // 4)
    assert prepared.format == "JPEG"


def test_a_photo_taken_sideways_is_turned_upright():
    prepared = Image.open(io.BytesIO(prepare_photo(upload(phone_jpeg((1200, 800), 6))).read()))
    assert prepared.size == (800, 1200)


def test_a_png_with_transparency_becomes_a_jpeg_on_white():
    buffer = io.BytesIO()
    Image.new("RGBA", (100, 50), (0, 0, 0, 0)).save(buffer, format="PNG")
    prepared = Image.open(io.BytesIO(prepare_photo(upload(buffer.getvalue(), "a.png")).read()))
    assert prepared.mode == "RGB" and prepared.getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4 not a photo",
        b"just some text pretending to be a jpeg",
        phone_jpeg()[:2000],  # cut off half-way
        b"GIF89a" + b"\x00" * 100,
    ],
)
def test_what_is_not_a_usable_photo_is_refused_with_its_name(data):
    with pytest.raises(PhotoError, match=r"IMG_0001\.jpg"):
        prepare_photo(upload(data))


def test_a_photo_cut_off_half_way_is_refused_even_where_truncated_images_are_allowed(
    monkeypatch,
):
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as WeasyPrint sets it
    data = phone_jpeg()
    with pytest.raises(PhotoError, match="不完整"):
        prepare_photo(upload(data[: len(data) // 2]))


def test_a_thirty_megabyte_file_is_refused_before_it_is_decoded():
    with pytest.raises(PhotoError, match="超过 15 MB"):
        prepare_photo(upload(b"\xff\xd8" + b"\x00" * (30 * 1024 * 1024)))


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_decompression_bomb_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, format="PNG")  # 144 megapixels, a few kB
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(PhotoError):
        prepare_photo(upload(buffer.getvalue(), "bomb.png"))


def test_a_photo_of_more_than_24_megapixels_is_refused_before_it_is_decoded(monkeypatch):
    from tests.consultations.signatures import never_decoded

    buffer = io.BytesIO()
    Image.new("L", (5000, 5000), 128).save(buffer, format="JPEG")
    never_decoded(monkeypatch)
    with pytest.raises(PhotoError, match=r"“big.jpg”的尺寸太大（5000×5000 像素）.*24 百万像素"):
        prepare_photo(upload(buffer.getvalue(), name="big.jpg"))
