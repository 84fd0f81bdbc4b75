"""Whether an image may be decoded is judged from its width and height alone."""

import io
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from core.images import PHOTO_PIXELS, SIGNATURE_PIXELS, fits, megapixels

sides = st.integers(min_value=1, max_value=100_000)


@given(sides, sides, st.sampled_from([SIGNATURE_PIXELS, PHOTO_PIXELS]))
def test_an_image_fits_exactly_when_its_pixels_are_within_the_limit(width, height, limit):
    image = SimpleNamespace(width=width, height=height)
    assert fits(image, limit) == (width * height <= limit)


def test_a_small_file_claiming_a_huge_image_is_judged_by_its_header():
    buffer = io.BytesIO()
    Image.new("1", (6300, 6300), 1).save(buffer, format="PNG")
    assert len(buffer.getvalue()) < 64 * 1024  # a few kilobytes on disk, 40 MP in memory
    assert not fits(Image.open(buffer), SIGNATURE_PIXELS)
    assert not fits(Image.open(buffer), PHOTO_PIXELS)


def test_the_limits_read_as_megapixels():
    assert (megapixels(SIGNATURE_PIXELS), megapixels(PHOTO_PIXELS)) == (4, 24)
