"""How large an uploaded image may be, judged from its header before a pixel is decoded.

``Image.open`` reads only the header; decoding (``load``, ``convert``, ``transpose``) then
takes width × height × bytes per pixel of memory, whatever the file's size: a 48 KB one-bit
PNG of 6300 × 6300 pixels costs half a gigabyte to look at. Every place that accepts an image
asks ``fits`` first.
"""

from PIL import Image

SIGNATURE_PIXELS = 4_000_000  # a pad's canvas at three device pixels per CSS pixel is ~2 MP
PHOTO_PIXELS = 24_000_000  # a 24-megapixel phone photo, or an A4 page scanned at 400 dpi


def fits(image: Image.Image, max_pixels: int) -> bool:
    """Whether an image, opened but not yet decoded, has at most ``max_pixels`` pixels."""
    return image.width * image.height <= max_pixels


def megapixels(pixels: int) -> int:
    """A pixel limit as people say it: 24_000_000 → 24."""
    return pixels // 1_000_000
