"""What a workbook being written is given besides plain values: :class:`ToRevise`, a value carried from
last year that the clerk is to revise. How values are written (text always as text) is ``xlsx.Sheet.put``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ToRevise:
    """A value carried from last year that the clerk is to revise (``init --from``'s 年度指标值):
    the blank workbook writes ``value`` in an orange cell with ``note`` as the cell's comment."""

    value: Any
    note: str
