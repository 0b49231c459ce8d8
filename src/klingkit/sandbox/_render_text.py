"""The prompt drawn as a subtitle card, so a developer sees in every output which request made it.

Bold system fonts (CJK faces for wide scripts, Pillow's built-in as the fallback), greedy word wrap with
an ellipsis beyond the last line, and a translucent card sized from the frame's short side.
"""

from __future__ import annotations

import functools
import math
import unicodedata

from PIL import Image, ImageDraw, ImageFont

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

# Bold, widely installed faces first; the Pillow built-in (Latin only) is the fallback.
_LATIN_FONTS = (
    "DejaVuSans-Bold.ttf",
    "LiberationSans-Bold.ttf",
    "Arial Bold.ttf",
    "arialbd.ttf",
    "Helvetica.ttc",
)
# Tried first when the prompt has CJK or other wide scripts the Latin faces lack.
_WIDE_FONTS = (
    "NotoSansCJK-Bold.ttc",
    "NotoSansCJK-Regular.ttc",
    "NotoSansSC-Regular.otf",
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "msyh.ttc",
    "PingFang.ttc",
    "Arial Unicode.ttf",
)
_ELLIPSIS = "…"


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


@functools.lru_cache(maxsize=4)
def _font_path(wide: bool) -> str | None:
    for name in (*_WIDE_FONTS, *_LATIN_FONTS) if wide else _LATIN_FONTS:
        try:
            return str(ImageFont.truetype(name, 12).path)
        except OSError:
            continue
    return None


@functools.lru_cache(maxsize=32)
def load_font(size: int, wide: bool = False) -> Font:
    """A bold system font at `size` pixels, else Pillow's built-in scalable font."""
    path = _font_path(wide)
    if path is not None:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def _break_word(word: str, font: Font, max_width: float) -> list[str]:
    """Split a word wider than max_width into pieces that fit (CJK text has no spaces to break at)."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and font.getlength(current + ch) > max_width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def wrap_text(text: str, font: Font, max_width: float, max_lines: int) -> list[str]:
    """Greedy word wrap to max_width pixels; beyond max_lines the last line ends in an ellipsis."""
    words: list[str] = []
    for word in " ".join(text.split()).split(" "):
        if word:
            words.extend(_break_word(word, font, max_width) if font.getlength(word) > max_width else [word])
    lines: list[str] = []
    current = ""
    for word in words:
        # Wide (CJK) pieces join without a space.
        joiner = "" if not current or (_is_wide(current[-1]) and _is_wide(word[0])) else " "
        candidate = current + joiner + word
        if current and font.getlength(candidate) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and font.getlength(last + _ELLIPSIS) > max_width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + _ELLIPSIS]
    return lines


def caption_card(
    text: str, width: int, height: int, at_top: bool = False
) -> tuple[Image.Image, int, int] | None:
    """The prompt as a legible subtitle card: (RGBA image, x, y) for a width x height frame, or None.

    The card sits near the bottom edge, or near the top with `at_top`.

    White bold text with a dark outline on a translucent dark rounded box, sized from the frame's short
    side (about 6.5% of it, so ~47 px at 720p), wrapped to 3 lines (4 on portrait frames).
    """
    text = " ".join(text.split())
    if not text:
        return None
    wide = any(_is_wide(ch) for ch in text)
    size = max(11, round(min(width, height) * 0.065))
    font = load_font(size, wide)
    pad = max(4, round(size * 0.55))
    max_lines = 3 if width >= height else 4
    lines = wrap_text(text, font, width * 0.86 - 2 * pad, max_lines)
    line_h = round(size * 1.25)
    text_w = max(font.getlength(line) for line in lines)
    card_w = min(width, math.ceil(text_w) + 2 * pad)
    card_h = min(height, line_h * len(lines) + 2 * pad)
    card = Image.new("RGBA", (card_w, card_h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(card)
    draw.rounded_rectangle((0, 0, card_w - 1, card_h - 1), radius=pad, fill=(10, 12, 18, 175))
    stroke = max(1, size // 16)
    for i, line in enumerate(lines):
        draw.text(
            (card_w / 2, pad + line_h * i + line_h / 2),
            line,
            font=font,
            fill=(255, 255, 255, 255),
            anchor="mm",
            stroke_width=stroke,
            stroke_fill=(0, 0, 0, 255),
        )
    x = (width - card_w) // 2
    y = round(height * 0.07) if at_top else round(height * 0.93) - card_h
    y = max(0, min(height - card_h, y))
    return card, x, y
