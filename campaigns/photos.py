"""Photos staff attach to progress updates: checked by content, resized, stripped of EXIF.

A phone photo carries where it was taken (GPS) and the phone that took it, and any JPEG may
carry comments (COM segments), XMP and an ICC profile with text of its own. Nothing of that
must reach the public page, so every photo is decoded, turned upright (the orientation tag
goes with the rest), converted to sRGB, and written again from its pixels alone as a fresh
JPEG with no metadata segment at all.
"""

import io

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from core.images import PHOTO_PIXELS, fits, megapixels

PHOTO_LIMIT = 15 * 1024 * 1024  # a phone's full-resolution JPEG is 3 to 10 MB
LONG_SIDE = 1600  # plenty for a phone screen, a few hundred kilobytes
FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}


class PhotoError(ValueError):
    """The upload cannot be used as a photo; the message says why, in words for staff."""


def prepare_photo(upload) -> ContentFile:
    """The upload as a resized JPEG without EXIF, or PhotoError."""
    name = getattr(upload, "name", "") or ""
    if upload.size > PHOTO_LIMIT:
        raise PhotoError(
            _("照片“%(name)s”超过 %(mb)s MB，请换一张或压缩后再上传。")
            % {"name": name, "mb": PHOTO_LIMIT // 2**20}
        )
    not_a_photo = PhotoError(
        _("“%(name)s”不是可用的照片，请上传 JPEG、PNG 或 WebP 图片。") % {"name": name}
    )
    try:
        image = Image.open(upload)  # reads the header only
        # Checked before anything is decoded: a small file may claim a gigantic image.
        if image.format not in FORMATS:
            raise not_a_photo
        if not fits(image, PHOTO_PIXELS):
            raise PhotoError(
                _(
                    "照片“%(name)s”的尺寸太大（%(width)s×%(height)s 像素），"
                    "请缩小到 %(limit)s 百万像素以内再上传。"
                )
                % {
                    "name": name,
                    "width": image.width,
                    "height": image.height,
                    "limit": megapixels(PHOTO_PIXELS),
                }
            )
        if not is_complete(upload, image.format):
            raise PhotoError(
                _("照片“%(name)s”不完整（可能没有上传完），请重新上传。") % {"name": name}
            )
        image.draft("RGB", (LONG_SIDE, LONG_SIDE))  # JPEG: decode at a reduced size
        image = ImageOps.exif_transpose(image)
        image.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
        image = pixels_only(flatten(to_srgb(image)))
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise not_a_photo from None
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def to_srgb(image: Image.Image) -> Image.Image:
    """The colours as sRGB (what the stored JPEG will assume without its profile). A profile
    that cannot be read, or does not suit the image, is ignored: the pixels stay as they are."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "CMYK", "L"):
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, profile, SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def pixels_only(image: Image.Image) -> Image.Image:
    """A new RGB image holding ``image``'s pixels and nothing else: no EXIF, ICC profile,
    comment or XMP in its ``info`` for the JPEG writer to carry over."""
    fresh = Image.new("RGB", image.size)
    fresh.paste(image)
    return fresh


def is_complete(upload, format: str) -> bool:
    """Whether the file ends as its format says it must. Pillow would otherwise fill a cut-off
    photo with grey wherever LOAD_TRUNCATED_IMAGES is on (WeasyPrint turns it on globally)."""
    position = upload.tell()
    try:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(max(0, size - 64))
        tail = upload.read()
        upload.seek(0)
        head = upload.read(12)
    finally:
        upload.seek(position)
    if format in ("JPEG", "MPO"):
        return b"\xff\xd9" in tail
    if format == "PNG":
        return b"IEND" in tail
    return int.from_bytes(head[4:8], "little") + 8 <= size  # WEBP: the RIFF size


def flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        paper = Image.new("RGB", image.size, "white")
        paper.paste(image, mask=image.getchannel("A"))
        return paper
    return image.convert("RGB")
