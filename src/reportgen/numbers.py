"""Numbers from sources that are not workbook cells (YAML declarations, template arguments,
scoring expressions, model values) into ``Decimal``.

Never via binary float arithmetic: a float is converted through its shortest repr (``1502.19``
stays ``1502.19``). This is deliberately lenient for program-side text: every ``,``/``，`` is
dropped and a trailing ``%``/``％`` is ignored, and exponent forms (``1E3``) are accepted.

Workbook cells never come through here: they are read by ``reportgen.cells`` (one parser
per kind, with a thousands-separator rule, a magnitude limit and Chinese messages naming the cell).
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
