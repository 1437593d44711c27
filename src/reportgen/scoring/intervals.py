"""Intervals in the notation of the 评分标准 tables: ``[80, 90)`` means 80（含）至 90（不含）.

Every band, grade and cap in a scoring file states both of its edges this way, so whether a
boundary value (exactly 90 %) falls in the upper or lower band is visible in the data itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from reportgen.render.filters import num

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_INF = r"[-+]?(?:∞|inf)"
_INTERVAL = re.compile(
    rf"^\s*([\[\(（［])\s*({_NUMBER}|{_INF})\s*[,，、]\s*({_NUMBER}|{_INF})\s*([\]\)）］])\s*$", re.IGNORECASE
)
EXAMPLE = "[80, 90)、(0, 10]、[90, +∞)、(-∞, 60)、[0, 0]"


class Interval(BaseModel):
    """A real interval; ``low``/``high`` None means unbounded."""

    model_config = ConfigDict(frozen=True)

    low: Decimal | None
    low_closed: bool
    high: Decimal | None
    high_closed: bool
    text: str

    @classmethod
    def parse(cls, text: str) -> Interval:
        match = _INTERVAL.match(str(text))
        if not match:
            raise ValueError(f"区间写法不对：“{text}”，应如 {EXAMPLE}")
        opening, low_text, high_text, closing = match.groups()
        low, high = _bound(low_text, "-"), _bound(high_text, "+")
        low_closed = opening in "[［" and low is not None
        high_closed = closing in "]］" and high is not None
        if low_text.lstrip("+").lower() in ("∞", "inf") or high_text.startswith("-") and high is None:
            raise ValueError(f"区间“{text}”的端点方向不对：下限只能是 -∞，上限只能是 +∞")
        if low is not None and high is not None and (low > high or (low == high and not (low_closed and high_closed))):
            raise ValueError(f"区间“{text}”是空的（下限应小于上限；单点写作 [0, 0]）")
        return cls(low=low, low_closed=low_closed, high=high, high_closed=high_closed, text=str(text).strip())

    def contains(self, value: Decimal) -> bool:
        if self.low is not None and (value < self.low or (value == self.low and not self.low_closed)):
            return False
        return not (self.high is not None and (value > self.high or (value == self.high and not self.high_closed)))

    def describe(self, unit: str = "") -> str:
        """Chinese wording, as the tables write it: ``[80, 90)`` -> ``80%（含）至90%``."""
        def edge(x: Decimal) -> str:
            return f"{num(x)}{unit}"

        lo, hi = self.low, self.high
        if lo is not None and hi is not None and lo == hi:
            return f"等于{edge(lo)}"
        if lo is None and hi is None:
            return "任意值"
        if hi is None:
            return f"{edge(lo)}（含）以上" if self.low_closed else f"高于{edge(lo)}"  # type: ignore[arg-type]
        if lo is None:
            return f"{edge(hi)}（含）以下" if self.high_closed else f"低于{edge(hi)}"
        left = edge(lo) + ("（含）" if self.low_closed else "")
        right = edge(hi) + ("（含）" if self.high_closed else "")
        if not self.low_closed and not self.high_closed:
            return f"高于{edge(lo)}、低于{edge(hi)}"
        return f"{left}至{right}"


def _bound(text: str, sign: str) -> Decimal | None:
    bare = text.lstrip("+-").lower()
    if bare in ("∞", "inf"):
        return None
    return Decimal(text)


def tiling_problems(intervals: Sequence[Interval], unit: str = "") -> list[str]:
    """Gaps and overlaps between intervals (sorted by lower edge), in Chinese."""
    def start(i: Interval) -> tuple[int, Decimal, int]:
        if i.low is None:
            return (0, Decimal(0), 0)
        return (1, i.low, 0 if i.low_closed else 1)

    ordered = sorted(intervals, key=start)
    problems: list[str] = []
    for prev, cur in zip(ordered, ordered[1:], strict=False):
        if prev.high is None or cur.low is None:
            problems.append(f"区间 {prev.text} 与 {cur.text} 重叠")
            continue
        if prev.high > cur.low or (prev.high == cur.low and prev.high_closed and cur.low_closed):
            problems.append(f"区间 {prev.text} 与 {cur.text} 重叠")
        elif prev.high < cur.low:
            problems.append(f"区间 {prev.text} 与 {cur.text} 之间有空档（{num(prev.high)}{unit} 至 {num(cur.low)}{unit}）")
        elif not prev.high_closed and not cur.low_closed:
            problems.append(f"区间 {prev.text} 与 {cur.text} 之间漏掉了 {num(prev.high)}{unit} 这一点")
    return problems
