"""The answer-share chart: one horizontal stacked bar per question, a segment per option.

Drawn with Pillow (a PNG of about 160 mm wide at 200 dpi), in a font with Chinese glyphs: the Noto
Sans CJK SC file that the mplfonts package ships (found without importing it), else a system font.
The chart reads in black and white too: every option has its own fill pattern as well as its colour,
and every segment wide enough carries its share as text.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.render.filters import num, round_half_up

if TYPE_CHECKING:
    from PIL import ImageDraw, ImageFont

    from reportgen.questionnaire.tally import QuestionnaireSummary

WIDTH_MM, HEIGHT_MM, DPI = 160, 90, 200
_BUNDLED_FONT = "NotoSansCJKsc-Regular.otf"  # shipped by the mplfonts package
_SYSTEM_FONTS = (  # file names of fonts with Chinese glyphs, Windows and Linux
    "msyh.ttc", "simhei.ttf", "simsun.ttc", "NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf",
    "wqy-zenhei.ttc", "wqy-microhei.ttc", "SourceHanSansSC-Regular.otf")
_SYSTEM_FONT_DIRS = ("C:/Windows/Fonts", "/usr/share/fonts", "/usr/local/share/fonts", "/System/Library/Fonts",
                     "/Library/Fonts")
_MIN_LABELLED_SHARE = 4  # % — narrower segments have no room for their number
_BAR_HEIGHT = 0.62  # of a row
_GRID, _TEXT, _MUTED = (221, 221, 221), (0, 0, 0), (102, 102, 102)


def _px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


def _pt(points: float) -> int:
    return round(points / 72 * DPI)


def _bundled_font_path() -> Path | None:
    # find_spec locates the package without importing it (its __init__ pulls in matplotlib)
    spec = importlib.util.find_spec("mplfonts")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "fonts" / _BUNDLED_FONT
        if path.is_file():
            return path
    return None


def _system_font_path() -> Path | None:
    windir = os.environ.get("WINDIR")
    folders = [Path(windir) / "Fonts"] if windir else []
    folders += [Path(d) for d in _SYSTEM_FONT_DIRS]
    for name in _SYSTEM_FONTS:
        for folder in folders:
            if (folder / name).is_file():
                return folder / name
            if folder.is_dir() and folder.as_posix().startswith("/usr"):
                found = next(folder.rglob(name), None)
                if found is not None:
                    return found
    return None


@functools.cache
def cjk_font_path() -> Path | None:
    """A font file with Chinese glyphs: mplfonts' bundled Noto Sans CJK SC, else a system font.
    ``None`` if there is none (the chart would show boxes instead of Chinese)."""
    return _bundled_font_path() or _system_font_path()


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    path = cjk_font_path()
    return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)


def _share_text(share: Decimal) -> str:
    return num(round_half_up(share, 1)) + "%"


_PALETTES = {  # best option first; colours of distinct lightness, no near-white one (it would vanish)
    2: ("#2f7d4a", "#e8a33d"),
    3: ("#2f7d4a", "#9fd08a", "#d9432f"),
    4: ("#2f7d4a", "#9fd08a", "#f6c344", "#d9432f"),
    5: ("#2f7d4a", "#9fd08a", "#f6c344", "#f08c3a", "#b8322a"),
}


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _colours(n: int) -> list[tuple[int, int, int]]:
    """Best option green through to worst red, whatever the number of options."""
    if n in _PALETTES:
        return [_hex(c) for c in _PALETTES[n]]
    green, yellow, red = (47, 125, 74), (246, 195, 68), (217, 67, 47)

    def mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
        return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))

    result = []
    for i in range(n):
        t = i / max(n - 1, 1)
        result.append(mix(green, yellow, t * 2) if t <= 0.5 else mix(yellow, red, t * 2 - 1))
    return result


def _light(rgb: tuple[int, int, int]) -> bool:
    """Whether a fill reads as light in grey print (its luma)."""
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 140


def _ink(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """The pattern's lines: darker than a light fill, lighter than a dark one, so grey print keeps them."""
    return tuple(round(c * 0.45) for c in rgb) if _light(rgb) else (255, 255, 255)  # type: ignore[return-value]


def _text_colour(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    return (0, 0, 0) if _light(rgb) else (255, 255, 255)


Box = tuple[int, int, int, int]
Ink = tuple[int, int, int]
Pattern = Callable[["ImageDraw.ImageDraw", Box, Ink], None]


def _solid(draw: ImageDraw.ImageDraw, box: Box, ink: Ink) -> None:
    return None


def _diagonal(draw: ImageDraw.ImageDraw, box: Box, ink: Ink, step: int = 12) -> None:
    x0, y0, x1, y1 = box
    height = y1 - y0
    for start in range(x0 - height, x1, step):  # lines rising to the right, clipped to the box
        a = (max(start, x0), y1 - (max(start, x0) - start))
        b = (min(start + height, x1), y1 - (min(start + height, x1) - start))
        if a[0] < b[0]:
            draw.line([a, b], fill=ink, width=2)


def _dots(draw: ImageDraw.ImageDraw, box: Box, ink: Ink, step: int = 12) -> None:
    x0, y0, x1, y1 = box
    for y in range(y0 + step // 2, y1 - 2, step):
        for x in range(x0 + step // 2 + (step // 2 if (y - y0) // step % 2 else 0), x1 - 2, step):
            draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=ink)


def _horizontal(draw: ImageDraw.ImageDraw, box: Box, ink: Ink, step: int = 10) -> None:
    x0, y0, x1, y1 = box
    for y in range(y0 + step // 2, y1, step):
        draw.line([(x0, y), (x1, y)], fill=ink, width=2)


def _cross(draw: ImageDraw.ImageDraw, box: Box, ink: Ink, step: int = 14) -> None:
    x0, y0, x1, y1 = box
    for x in range(x0 + step // 2, x1, step):
        draw.line([(x, y0), (x, y1)], fill=ink, width=2)
    _horizontal(draw, box, ink, step)


_PATTERNS: tuple[Pattern, ...] = (_solid, _diagonal, _dots, _cross, _horizontal)


def _pattern(k: int) -> Pattern:
    return _PATTERNS[k % len(_PATTERNS)]


def _text_size(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> tuple[int, int]:
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    return int(right - left), int(bottom - top)


def _centred_text(draw: ImageDraw.ImageDraw, centre: tuple[float, float], text: str,
                  font: ImageFont.FreeTypeFont | ImageFont.ImageFont, fill: tuple[int, int, int]) -> None:
    draw.text(centre, text, font=font, fill=fill, anchor="mm")


def answer_share_chart(result: QuestionnaireSummary) -> bytes:
    """PNG (about 160 × 90 mm at 200 dpi) of each question's answer shares among valid questionnaires."""
    from PIL import Image, ImageDraw

    n = len(result.questions)
    # few questions: shorter, no slab-like bars; many: taller, never squashed
    height_mm = max(min(HEIGHT_MM, 30 + 8 * n), 25 + 6 * n)
    width, height = _px(WIDTH_MM), _px(height_mm)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    label_font, small_font, share_font = _font(_pt(8)), _font(_pt(8)), _font(_pt(7))
    colours = _colours(len(result.options))
    margin, line = _pt(4), _pt(8) + _pt(4)

    # legend on top, axis and caption at the bottom, question labels on the left
    labels = [q.label for q in result.questions]
    label_width = max((_text_size(draw, text, label_font)[0] for text in labels), default=0)
    left, right = margin + label_width + _pt(6), width - 2 * margin - _text_size(draw, "100%", small_font)[0] // 2
    top = margin + (line + _pt(2) if result.valid else 0)
    bottom = height - margin - 2 * line - _pt(2)
    plot_width = right - left

    def x_at(percent: float) -> int:
        return left + round(plot_width * percent / 100)

    for tick in range(0, 101, 20):
        x = x_at(tick)
        draw.line([(x, top), (x, bottom)], fill=_GRID, width=1)
        _centred_text(draw, (x, bottom + _pt(2) + line / 2), f"{tick}%", small_font, _TEXT)
    draw.line([(left, bottom), (right, bottom)], fill=_TEXT, width=1)
    caption = f"各选项占比（有效问卷 {result.valid} 份）"
    _centred_text(draw, ((left + right) / 2, bottom + _pt(2) + line * 1.5), caption, label_font, _TEXT)

    row = (bottom - top) / max(n, 1)
    for i, text in enumerate(labels):
        y = top + row * (i + 0.5)
        draw.text((left - _pt(6), y), text, font=label_font, fill=_TEXT, anchor="rm")

    if result.valid:
        for i, question in enumerate(result.questions):
            y0 = round(top + row * (i + 0.5 - _BAR_HEIGHT / 2))
            y1 = round(top + row * (i + 0.5 + _BAR_HEIGHT / 2))
            done = 0.0
            for k, count in enumerate(question.counts):
                share = float(count.share or 0)  # floats for drawing only; the figures stay Decimal
                if share <= 0:
                    continue
                box = (x_at(done), y0, x_at(done + share), y1)
                done += share
                draw.rectangle(box, fill=colours[k])
                _pattern(k)(draw, box, _ink(colours[k]))
                draw.rectangle(box, outline=(255, 255, 255), width=2)
                if count.share is not None and count.share >= _MIN_LABELLED_SHARE:
                    text = _share_text(count.share)
                    centre = ((box[0] + box[2]) / 2, (y0 + y1) / 2)
                    if _pattern(k) is not _solid:  # a plain patch under the number keeps it legible
                        w, h = _text_size(draw, text, share_font)
                        draw.rectangle([centre[0] - w / 2 - 3, centre[1] - h / 2 - 3,
                                        centre[0] + w / 2 + 3, centre[1] + h / 2 + 3], fill=colours[k])
                    _centred_text(draw, centre, text, share_font, _text_colour(colours[k]))
        _legend(draw, result.options, colours, (left + right) / 2, margin + line / 2, small_font)
    else:
        _centred_text(draw, ((left + right) / 2, (top + bottom) / 2), "暂无有效问卷", _font(_pt(10)), _MUTED)

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI), compress_level=1)  # 9 % larger, 1.5× faster to write
    return buffer.getvalue()


def _legend(draw: ImageDraw.ImageDraw, options: list[str], colours: list[tuple[int, int, int]], centre_x: float,
            centre_y: float, font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> None:
    swatch_w, swatch_h, gap, spacing = _pt(14), _pt(8), _pt(3), _pt(12)
    widths = [swatch_w + gap + _text_size(draw, option, font)[0] for option in options]
    x = round(centre_x - (sum(widths) + spacing * (len(options) - 1)) / 2)
    for k, (option, item_width) in enumerate(zip(options, widths, strict=True)):
        box = (x, round(centre_y - swatch_h / 2), x + swatch_w, round(centre_y + swatch_h / 2))
        draw.rectangle(box, fill=colours[k])
        _pattern(k)(draw, box, _ink(colours[k]))
        draw.rectangle(box, outline=colours[k], width=1)
        draw.text((x + swatch_w + gap, centre_y), option, font=font, fill=_TEXT, anchor="lm")
        x += item_width + spacing
