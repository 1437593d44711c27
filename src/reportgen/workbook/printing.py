"""How a sheet reportgen writes prints on A4: readable, with margins, wide tables over several pages.

Contract: :func:`plan` takes a sheet's column widths (Excel's character units) and decides the
orientation and scale so that every printed page fits inside the margins at no less than
``MIN_SCALE`` % of the sheet's font size (11 pt → at least 8.8 pt):

* a sheet that fits across portrait A4 prints portrait, one page wide; one that fits across
  landscape A4 prints landscape, one page wide (both "fit to one page wide", which only ever shrinks);
* a wider one is cut into column groups, each printed on its own pages (a manual column break
  between groups, a fixed scale the widest group fits at), with the ``repeat`` leading columns (the
  row's name: 机构名称, 项目名称, 单位名称) printed again at the left of every page. Groups follow
  ``keys`` (a break falls where the key changes: 基本支出's parts stay together) and the caller's
  ``breaks`` (the 汇总表's technical columns start a page of their own).

Widths are judged by the widest rendering seen: LibreOffice with DejaVu Sans standing in for Calibri
draws one width unit 0.0973 in wide, Excel with Calibri about 0.073 in (+ 0.05 in a column), so
what fits here fits in Excel and WPS too — the reviewer's LibreOffice and the clerk's Excel print
the same page breaks. :func:`fit_longtext` narrows long-text columns (which wrap) so a sheet of
a few columns fits portrait (or landscape) at full size instead of printing small or past the
margins. ``xlsx.Sheet.print_plan`` writes a plan into a sheet's page setup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

A4_INCHES = (8.27, 11.69)
SIDE_MARGIN = 0.5  # inches, left and right
TOP_MARGIN, BOTTOM_MARGIN, HEADER_MARGIN = 0.75, 0.75, 0.3
INCH_PER_UNIT = 0.1  # one column-width unit as the widest renderer draws it (0.0973 in), rounded up
MIN_SCALE = 80  # % of the sheet's font size, the least a page is printed at (11 pt -> 8.8 pt)
GOOD_SCALE = 90  # pages printed at this scale or more are split where their columns' sums part


def page_units(landscape: bool) -> int:
    """Width units that fit between the side margins of A4 at full size: portrait 72, landscape 106."""
    paper = A4_INCHES[1] if landscape else A4_INCHES[0]
    return math.floor((paper - 2 * SIDE_MARGIN) / INCH_PER_UNIT)


PORTRAIT_UNITS = page_units(False)
LANDSCAPE_UNITS = page_units(True)


@dataclass(frozen=True)
class PrintPlan:
    landscape: bool
    scale: int | None = None  # % when the sheet prints over several pages wide; None: fit to one page wide
    breaks: tuple[int, ...] = ()  # a page ends after each of these columns (1-based)
    repeat: int = 0  # leading columns printed at the left of every page


def plan(widths: Sequence[float], repeat: int = 1, keys: Sequence[Any] | None = None,
         breaks: Sequence[int] = ()) -> PrintPlan:
    """The print plan of a sheet whose columns are ``widths`` wide (see module doc). ``breaks``:
    columns after which a page must end; ``keys``: per column, a break is preferred where it changes."""
    total = sum(widths)
    if not breaks and total <= PORTRAIT_UNITS:
        return PrintPlan(landscape=False)
    if not breaks and total <= LANDSCAPE_UNITS:
        return PrintPlan(landscape=True)
    lead = sum(widths[:repeat])
    room = LANDSCAPE_UNITS * 100 / MIN_SCALE  # the widest page at the least scale
    if not breaks and total <= room:
        return PrintPlan(landscape=True)  # one page wide, fitted: no less than MIN_SCALE
    cuts: list[int] = []
    start = repeat
    for end in [*sorted(b for b in breaks if repeat <= b < len(widths)), len(widths)]:
        cuts += _split(widths, start, end, room - lead, LANDSCAPE_UNITS * 100 / GOOD_SCALE - lead, keys)
        start = end
    cuts = [c for c in cuts if c < len(widths)]
    pages = [(a, b) for a, b in zip([repeat, *cuts], [*cuts, len(widths)], strict=True)]
    widest = max(lead + sum(widths[a:b]) for a, b in pages)
    scale = min(100, math.floor(LANDSCAPE_UNITS * 100 / widest))
    return PrintPlan(landscape=True, scale=max(scale, 10), breaks=tuple(cuts), repeat=repeat)


def _split(widths: Sequence[float], start: int, end: int, room: float, good: float,
           keys: Sequence[Any] | None) -> list[int]:
    """Breaks (column counts) cutting columns ``start:end`` into the fewest pages of at most ``room``
    units, as even as possible, preferring cuts where ``keys`` changes among groups within ``good``
    units; ends with ``end``."""
    span = widths[start:end]
    if sum(span) <= room:
        return [end]
    pages = math.ceil(sum(span) / room)
    while True:
        best = _cuts(span, pages, room, good, keys[start:end] if keys else None)
        if best is not None:
            return [start + c for c in best] + [end]
        pages += 1


def _cuts(span: Sequence[float], pages: int, room: float, good: float, keys: Sequence[Any] | None) -> list[int] | None:
    """The cut points (within ``span``) of ``pages`` groups, each within ``room``: the widest group as
    narrow as possible, except that among those within ``good`` (printing at ``GOOD_SCALE`` or more)
    the one with the most cuts where ``keys`` changes (a sum's parts stay together on a page)."""
    n = len(span)
    prefix = [0.0]
    for w in span:
        prefix.append(prefix[-1] + w)
    best: tuple[float, int, float, list[int]] | None = None

    def walk(first: int, left: int, cuts: list[int], widest: float, seams: int) -> None:
        nonlocal best
        if left == 1:
            width = prefix[n] - prefix[first]
            if width <= room and first < n:
                widest = max(widest, width)
                score = (max(widest, good), -seams, widest, cuts)
                if best is None or score[:3] < best[:3]:
                    best = score
            return
        for cut in range(first + 1, n):
            width = prefix[cut] - prefix[first]
            if width > room:
                break
            seam = 1 if keys is not None and keys[cut - 1] != keys[cut] else 0
            walk(cut, left - 1, [*cuts, cut], max(widest, width), seams + seam)

    if n <= 24 and pages <= 4:
        walk(0, pages, [], 0.0, 0)
        return best[3] if best is not None else None
    cuts, first = [], 0  # an unusually wide sheet: filled page by page
    for cut in range(1, n):
        if prefix[cut + 1] - prefix[first] > room:
            cuts.append(cut)
            first = cut
    return cuts


def fit_longtext(widths: list[float], longtext: Sequence[bool], least: float = 36) -> list[float]:
    """``widths`` with the long-text columns (which wrap) narrowed, evenly and to no less than
    ``least``, so the sheet fits across portrait A4, else landscape; as they are when neither helps."""
    fixed = sum(w for w, long in zip(widths, longtext, strict=True) if not long)
    count = sum(longtext)
    if not count:
        return widths
    for room in (PORTRAIT_UNITS, LANDSCAPE_UNITS):
        if sum(widths) <= room:
            return widths
        each = math.floor((room - fixed) / count)
        if each >= least:
            return [min(w, each) if long else w for w, long in zip(widths, longtext, strict=True)]
    return widths


LINE_PT = 15  # row height per line of wrapped 11 pt text


def text_width(text: str) -> float:
    """Width in Excel column units: a CJK character is about two digits wide."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def lines(value: Any, width: float) -> int:
    """Lines ``value`` takes when wrapped in a column ``width`` wide."""
    if value is None:
        return 1
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in str(value).split("\n"))


def row_height(cells: Sequence[tuple[Any, float]]) -> float | None:
    """The height (pt) a row of ``cells`` (value, column width) needs for its wrapped text; None for one line."""
    needed = max(lines(value, width) for value, width in cells)
    return needed * LINE_PT + 3 if needed > 1 else None
