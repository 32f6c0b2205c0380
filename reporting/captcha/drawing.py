"""Digits drawn for a person to read and type: the captcha for phones without JavaScript (or whose browser could not
do the proof of work). Pillow's own font, so nothing beyond Pillow is needed; each digit turned and shifted, with
lines and dots across: enough to trip naive OCR while staying legible on a small screen. About 2.5 ms a picture."""
import io
import random
from functools import lru_cache

from PIL import Image, ImageChops, ImageDraw, ImageFont

HEIGHT = 64
CELL = 38  # horizontal room per digit
MARGIN = 14
FONT_SIZE = 44
TURN = 28  # degrees each way
# Only the look is random here; the digits themselves come from a keyed hash (see `reporting.captcha`).
_random = random.Random()


@lru_cache(maxsize=10)
def glyph(digit: str) -> Image.Image:
    """A digit as a mask, rendered once per process: rendering text is the slow part."""
    mask = Image.new("L", (CELL + 16, HEIGHT), 0)
    ImageDraw.Draw(mask).text((8, 4), digit, fill=255, font=ImageFont.load_default(size=FONT_SIZE))
    return mask


def draw_digits(digits: str) -> bytes:
    """A grey PNG of `digits`, about 4 KB: small enough to travel inside the page as a data: URI."""
    width = 2 * MARGIN + CELL * len(digits)
    image = Image.new("L", (width, HEIGHT), 255)
    for index, digit in enumerate(digits):
        mask = glyph(digit).rotate(_random.uniform(-TURN, TURN), resample=Image.Resampling.BILINEAR)
        place = (MARGIN - 8 + index * CELL + _random.randint(-3, 3), _random.randint(-6, 4))
        image.paste(_random.randint(0, 70), place, mask)
    scribble(ImageDraw.Draw(image), width)
    image = ImageChops.darker(image, speckles(image.size))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def scribble(pen: ImageDraw.ImageDraw, width: int) -> None:
    """Lines that cross the digits: noise for a machine, little for an eye."""
    for _ in range(3):
        points = [(x, _random.randint(8, HEIGHT - 8)) for x in range(0, width + 1, width // 4)]
        pen.line(points, fill=_random.randint(40, 120), width=2)


def speckles(size: tuple[int, int]) -> Image.Image:
    """Scattered grey dots, made in C: the tails of Gaussian noise (a Python loop over points cost 4 ms)."""
    return Image.effect_noise(size, 64).point(lambda value: value + 90 if value < 30 else 255)
