"""One way to turn numbers from any source (Excel cells, YAML, templates) into ``Decimal``.

Never via binary float arithmetic: a float from openpyxl is converted through its shortest repr
(``1502.19`` stays ``1502.19``). Thousands separators and a trailing % sign are tolerated.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any


def to_decimal(value: Any) -> Decimal | None:
    """``None``/blank -> None; anything not a number -> TypeError (with a Chinese message)."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError(f"不是数字: {value!r}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(",", "").replace("，", "").rstrip("%％")
    if text == "":
        return None
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise TypeError(f"不是数字: {value!r}") from exc


def try_decimal(value: Any) -> Decimal | None:
    """Like ``to_decimal`` but None for anything that is not a number."""
    try:
        return to_decimal(value)
    except TypeError:
        return None
