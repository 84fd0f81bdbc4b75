"""Images and files a signing test needs: drawn signatures, blank pads, scans and impostors."""

import base64
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from tests.core.test_uploaded_pdf import open_action, pdf


def png_bytes(ink: bool = True, size=(400, 150), mode="RGBA") -> bytes:
    image = Image.new(mode, size, (255, 255, 255, 0) if mode == "RGBA" else "white")
    if ink:
        ImageDraw.Draw(image).line(
            [(20, 100), (120, 30), (220, 110), (360, 40)], fill="black", width=4
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def drawn_signature() -> str:
    return data_url(png_bytes())


def jpeg_scan(name="form.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("L", (600, 800), 240).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf_scan(name="form.pdf") -> SimpleUploadedFile:
    """A one-page PDF, as a scanner writes it."""
    return SimpleUploadedFile(name, pdf(), content_type="application/pdf")


def scripted_pdf_scan(name="form.pdf") -> SimpleUploadedFile:
    """A one-page PDF that runs JavaScript as it is opened."""
    return SimpleUploadedFile(name, pdf(open_action), content_type="application/pdf")


def impostor(name="form.jpg") -> SimpleUploadedFile:
    """A text file dressed as a JPEG."""
    return SimpleUploadedFile(name, b"<script>alert(1)</script>" * 10, content_type="image/jpeg")


def huge_png(size=(6300, 6300)) -> bytes:
    """A one-bit PNG of a few kilobytes that would take hundreds of megabytes to decode."""
    buffer = io.BytesIO()
    Image.new("1", size, 1).save(buffer, format="PNG")
    return buffer.getvalue()


def never_decoded(monkeypatch) -> None:
    """Make decoding any image fail the test: a size check must come before it."""
    from PIL import ImageFile

    def load(image):
        raise AssertionError(f"decoded a {image.width}×{image.height} image")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
