"""House number and numbering style, as Jinja filters.

Values are exact ``Decimal``; rounding (half-up) happens here and only here, at presentation.
Rates are carried as percent numbers: ``Decimal("98.3377")`` means 98.3377 %.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reportgen.numbers import to_decimal

_EMPTY = ""
_UNDEFINED_RATE = "—"  # a rate whose denominator is zero


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def wan(value: Any, places: int = 2) -> str:
    """Money in 万元: ``1234.5`` -> ``1,234.50``."""
    number = to_decimal(value)
    if number is None:
        return _EMPTY
    return f"{round_half_up(number, places):,.{places}f}"


def pct(value: Any, places: int = 2) -> str:
    """A percent number: ``Decimal('98.3377')`` -> ``98.34%``; ``None`` -> ``—``."""
    number = to_decimal(value)
    if number is None:
        return _UNDEFINED_RATE
    return f"{round_half_up(number, places):.{places}f}%"


def num(value: Any, places: int | None = None) -> str:
    """A plain number without thousands separators; trailing zeros dropped unless places is given."""
    number = to_decimal(value)
    if number is None:
        return _EMPTY
    if places is not None:
        return f"{round_half_up(number, places):.{places}f}"
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def score(value: Any) -> str:
    """A score: two decimals at most, trailing zeros dropped (``4``, ``7.72``, ``4.5``)."""
    number = to_decimal(value)
    if number is None:
        return _EMPTY
    return num(round_half_up(number, 2))


def points(value: Any) -> str:
    """Points scored, always two decimals (``7.00`` beside ``9.88``, ``99.88`` under them): a 得分
    column and its 总分 read alike. 分值 (weights) keep :func:`score`."""
    return num(value, 2)


_DIGITS = "零一二三四五六七八九"


def cn_num(n: int) -> str:
    """Chinese numeral for 1..99: 1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十."""
    n = int(n)
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def cn_count(n: int) -> str:
    """A Chinese count before a measure word: 2 -> 两 (两个单位), otherwise as ``cn_num`` (十二个, 二十个).

    Ordinals (第二, 任务二) keep ``cn_num``."""
    return "两" if int(n) == 2 else cn_num(n)


def cn_ordinal(n: int) -> str:
    """一级标题序号: 1 -> ``一、``."""
    return cn_num(n) + "、"


def cn_paren(n: int) -> str:
    """二级标题序号: 1 -> ``（一）``."""
    return f"（{cn_num(n)}）"


def cn_date(value: Any) -> str:
    """A date the Chinese way: ``2026-03-31`` -> ``2026年3月31日``; empty stays empty."""
    if value is None or value == "":
        return _EMPTY
    return f"{value.year}年{value.month}月{value.day}日"


# Invisible marks for the ``vmerge`` filter; render/merge.py merges and removes them after rendering.
VMERGE_MARK = "\u2060"  # WORD JOINER
VMERGE_SCOPE = "\u2061"  # FUNCTION APPLICATION: starts the hidden scope suffix


def vmerge(value: Any, scope: Any = "") -> str:
    """Mark a table cell for merging with the identical marked cells above and below it.

    ``scope`` keeps equal labels of different parent groups apart (``r.level2|vmerge(r.level1)``).
    """
    text = "" if value is None else str(value)
    return f"{VMERGE_MARK}{text}{VMERGE_SCOPE}{scope}" if scope != "" else f"{VMERGE_MARK}{text}"


TITLE_LINE = 20  # characters of 2号 (22 pt) title on the 156 mm text width of a portrait page


def title_break(name: Any, after: int = 0) -> str:
    """A unit's name on a title line (followed there by ``after`` more characters): when the line
    would be too long and the name ends in a bracketed part (``…局（…中心）``), the line breaks before
    that part, not inside a word (GB/T 9704: 回行时词意完整). Latin letters and digits count half."""
    text = "" if name is None else str(name)
    width = sum(1 if ord(c) > 0x2E7F else 0.5 for c in text) + after
    cut = text.rfind("（")
    if width <= TITLE_LINE or cut <= 0:
        return text
    return text[:cut] + "\n" + text[cut:]


FILTERS = {
    "wan": wan,
    "pct": pct,
    "num": num,
    "score": score,
    "points": points,
    "cn_num": cn_num,
    "cn_count": cn_count,
    "cn_ordinal": cn_ordinal,
    "cn_paren": cn_paren,
    "cn_date": cn_date,
    "title_break": title_break,
    "vmerge": vmerge,
}
