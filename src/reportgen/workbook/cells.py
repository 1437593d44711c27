"""One cell's content -> a typed value, or a Chinese message saying what is wrong with it.

``cell_value`` is where cell content enters the reader: Excel's ``_xHHHH_`` escapes (``_x000D_``
for a carriage return) are decoded there and line ends become ``\n``. ``text_problem`` refuses
text no report can hold (too long, invisible control characters). ``parse_cell`` is the one
parser from cell content to a field's type: numbers must be unambiguous (thousands separators
only between groups of three) and showable (absolute value below ``MAX_ABS_NUMBER``); money is in
万元 to the cent (``MONEY_PLACES`` decimals), so the amount a report prints is the amount its rules
use. A number cell is read as Excel shows it (15 significant digits): ``=0.1+0.2`` is 0.3, while
``=100/3`` is 33.3333333333333 and, as money, an error.
Nothing here raises on cell content.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from reportgen.workbook.schema import Field

MAX_CELL_CHARS = 20_000  # longer text in one cell is a paste gone wrong, not a report paragraph
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# characters XML 1.0 (and so a .docx) cannot hold: C0 controls except tab/newline, lone surrogates
_NOT_XML_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def cell_value(cell: Any) -> Any:
    """An openpyxl cell's value, text decoded: ``_xHHHH_`` -> the character, CRLF/CR/VT -> LF."""
    value = cell.value
    if not isinstance(value, str):
        return value
    if _ESCAPE.search(value):
        value = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
        try:  # an astral character arrives as two escaped UTF-16 halves
            value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        except UnicodeDecodeError:
            pass  # a lone half: text_problem reports it
    # \x0b: Word's manual line break (Shift+Enter) when its text is pasted into a cell
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")


def text_problem(value: Any) -> str | None:
    """Why a cell's text cannot go into a report, or None."""
    if not isinstance(value, str):
        return None
    if len(value) > MAX_CELL_CHARS:
        return f"内容过长（{len(value):,} 个字符，上限 {MAX_CELL_CHARS:,}），请检查是否误粘贴了大段内容"
    if bad := _NOT_XML_TEXT.search(value):
        return f"含有不可见的控制字符（U+{ord(bad.group()):04X}），请删除后再试"
    return None


_NUMBER_TEXT = re.compile(r"^[+-]?[\d,，]*\.?\d+$")  # looks like a number, separators anywhere
# separators only between groups of three after a first group of 1–3 digits: 1,234.56 / 12,345,678
_GROUPED_NUMBER = re.compile(r"^[+-]?(\d+|[1-9]\d{0,2}([,，]\d{3})+)?(\.\d+)?$")
MAX_ABS_NUMBER = Decimal(10) ** 12  # the report shows at most 12 integer digits (money is in 万元)
MONEY_PLACES = 2  # money is stored as the documents print it: 万元 to the cent
_MONEY_QUANTUM = Decimal(1).scaleb(-MONEY_PLACES)
_EXCEL_DIGITS = 15  # Excel keeps and shows 15 significant digits; the rest of a double is binary noise


def _number(value: Any, spec: Field) -> tuple[Decimal | None, str | None]:
    """A numeric cell (number or text) as Decimal, or why it is not a usable number."""
    if isinstance(value, bool):
        return None, f'应为数字, 实际为 "{value}"'
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(format(value, f".{_EXCEL_DIGITS}g"))
    else:
        text = str(value).strip().replace(" ", "")
        if not _NUMBER_TEXT.match(text):
            return None, f'应为数字, 实际为 "{value}"'
        if not _GROUPED_NUMBER.match(text):
            return None, f'千位分隔符位置不对, 实际为 "{value}"（应从个位起每三位一组，如 1,234.56；小数点请用“.”）'
        try:
            number = Decimal(text.replace(",", "").replace("，", ""))
        except InvalidOperation:  # not expected after the patterns above; never a traceback
            return None, f'应为数字, 实际为 "{value}"'
    if not number.is_finite() or abs(number) >= MAX_ABS_NUMBER:
        unit = "；金额单位为万元" if spec.kind == "money" else ""
        return None, f'数值过大, 实际为 "{value}"（绝对值应小于 1,000,000,000,000{unit}）'
    return number, None


def parse_cell(value: Any, spec: Field) -> tuple[Any, str | None]:
    """Convert one non-empty cell to the field's type; returns (value, error message or None)."""
    kind = spec.kind
    if kind in ("money", "decimal", "int"):
        number, problem = _number(value, spec)
        if number is None:
            return None, problem
        if kind == "int":
            if number != number.to_integral_value():
                return None, f'应为整数, 实际为 "{value}"'
            number = int(number)
        if number < 0 and not spec.allow_negative:
            return None, f"不能为负数, 实际为 {value}"
        if spec.bounds and not spec.bounds[0] <= number <= spec.bounds[1]:
            return None, f"应在 {spec.bounds[0]} 到 {spec.bounds[1]} 之间, 实际为 {value}"
        if kind == "money" and number != (cents := number.quantize(_MONEY_QUANTUM, rounding=ROUND_HALF_UP)):
            return None, (f"金额以万元为单位，最多两位小数, 实际为 {number:f}"
                          f"（四舍五入到两位小数为 {cents + 0:f}；如由元换算而来，请先四舍五入到分）")
        return number, None
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        match = re.fullmatch(r"\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*", str(value))
        if match:
            try:
                return dt.date(*map(int, match.groups())), None
            except ValueError:
                pass
        return None, f'应为日期（如 2026-03-31）, 实际为 "{value}"'
    text = _as_text(value)
    if kind in ("choice", "yesno"):
        if text not in spec.choices:
            return None, f'应为 {"/".join(spec.choices)} 之一, 实际为 "{text}"'
        return (text == "是") if kind == "yesno" else text, None
    if kind == "list":
        return [part.strip() for part in re.split(r"[、,，;；\n]", text) if part.strip()], None
    return text, None


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
