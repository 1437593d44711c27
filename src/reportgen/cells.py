"""One cell's content -> a typed value, or a Chinese message saying what is wrong with it.

``cell_value`` is where cell content enters the reader: Excel's ``_xHHHH_`` escapes (``_x000D_``
for a carriage return) are decoded there and line ends become ``\n``; a number shown as a
percentage (typed ``95%`` into a General cell, which Excel stores as 0.95) becomes the text the
clerk sees, ``95%``. ``text_problem`` refuses text no report can hold (too long, invisible control
characters).

These are the only parsers from cell content to a value, used by every sheet: the core sheets
(``parse_cell`` per declared ``Field``), the 问卷 sheet (questionnaire.tally), the 评分填报 sheet
(scoring.engine re-parses with the very same ``Field``) and the quantitative values of 绩效指标
(model.build). Each returns ``(value, None)`` or ``(None, message)`` and never raises on cell
content. Numbers and dates are read after narrowing full-width forms to half-width, so ``１２``,
``１２．５`` read as typed on a half-width keyboard; only the digits 0-9 count (``5²``, ``①52.36``,
``⑤`` are not numbers, though NFKC would make them 52, 152.36 and 5). Labels and choices are
compared after NFKC folding and dropping spaces (``fold``), so ``“满　意”`` is ``满意``.

What each kind accepts (and what it refuses, with the message's start):

- **money / decimal / int** (``parse_cell``, ``parse_number``): an Excel number; text ``12``,
  `` 12 ``, ``１２``, ``１２．５``, ``-5``, ``1,234.56`` / ``1，234.56`` (separators only between groups
  of three). Refused: ``1E3``, ``NaN``, ``Infinity``, ``95%``, ``约50万``, an Excel date or logical
  (应为数字); ``1,5``, ``1,23,456``, ``0,123`` (千位分隔符位置不对); absolute value from 10^12 on, so
  an Excel number 1e300 (数值过大); a fraction for int (应为整数); a negative unless the field
  allows it (不能为负数); a value outside the field's bounds (应在 … 之间).
- **quantity / percent** (``parse_quantity``, ``parse_percent``): the same numbers, negatives
  allowed, optionally followed by the declared unit (``95%`` or ``95 ％`` when the unit is ``%``;
  ``120家``; ``5分`` for questionnaire points) and preceded by the declared sign (``≥95`` in a ≥
  indicator). Any other suffix is refused: without a unit exactly as a number cell (``95%`` ->
  应为数字), with one adding （数字后只能带单位“…”）.
- **date** (``parse_date``): an Excel date; text ``2021-09-19``, ``2021/9/19``, ``2021.9.19``,
  ``2021年9月19日`` and ``20210919`` (eight digits, as text or as an Excel number), on every sheet;
  it must be a real calendar day. Refused: ``明年三月``, ``2021-02-30``, ``44458`` (an Excel serial
  number): 应为日期（如 2026-03-31）; a year before 1900 or after 2100 (``0001-01-01``,
  ``9999-12-31``): 日期不合理. A date about the evaluation (填报日期, 调查时间) more than
  ``NEAR_YEARS`` from the 年度 is refused by its reader (``date_far_from``).
- **yesno** (``parse_yesno``): ``是`` / ``否`` (spaces and full-width ignored) and an Excel logical
  TRUE/FALSE. Refused: ``Y``, ``yes``, ``1``, ``√``, ``对``: 应为 是/否 之一.
- **choice** (``parse_choice``): one of the declared choices, compared folded, returned as
  declared. Refused: anything else: 应为 A/B/C 之一.
- **text / longtext / list** (``as_text``): anything, as shown: ``5.0`` -> ``5``, a date as
  ``2021-09-19`` (``2021-09-19 10:30`` if it has a time), a logical as ``TRUE``/``FALSE``;
  stripped. ``text_problem`` refuses text, and a field's ``bounds`` its length (内容过长).

Money is in 万元 to the cent (``MONEY_PLACES`` decimals), so the amount a report prints is the
amount its rules use. A number cell is read as Excel shows it (15 significant digits):
``=0.1+0.2`` is 0.3, while ``=100/3`` is 33.3333333333333 and, as money, an error.

Messages echo the content as shown (``as_text``), so a value says the same on every sheet.
``is_empty`` (None, or only spaces and invisible characters) is the one test for a blank cell; ``label_key`` is how a header
or row label is compared with its declaration.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal

# The kinds of cell a field can be (model.inputs.Cell.kind): how its content is parsed.
Kind = Literal["text", "longtext", "int", "money", "decimal", "date", "yesno", "choice", "list"]


YES_NO = ("是", "否")


@dataclass(frozen=True)
class Field:
    """One value the clerk types: a row of a key–value sheet or a column of a table sheet."""

    key: str
    label: str
    kind: Kind = "text"
    required: bool = True
    help: str = ""
    choices: tuple[str, ...] = ()
    allow_negative: bool = False
    width: int = 14  # column width in characters, for table sheets
    other_values_ok: bool = False  # dropdown only suggests (e.g. a questionnaire answer typed as points)
    # plausible numbers, inclusive: anything outside is an error; for text, its plausible length in characters
    bounds: tuple[int, int] | None = None
    group: str = ""  # the sum it is a part of (``Cell.part_of``): a sheet printed over pages keeps a group together

    def __post_init__(self) -> None:
        if self.kind == "yesno" and not self.choices:
            object.__setattr__(self, "choices", YES_NO)


MAX_CELL_CHARS = 20_000  # longer text in one cell is a paste gone wrong, not a report paragraph
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# characters XML 1.0 (and so a .docx) cannot hold: C0 controls except tab/newline, lone surrogates
_NOT_XML_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def cell_value(cell: Any) -> Any:
    """An openpyxl cell's value, text decoded: ``_xHHHH_`` -> the character, CRLF/CR/VT -> LF; a
    number formatted as a percentage -> its text as shown (``95%``, exact: 0.953 -> ``95.3%``)."""
    value = cell.value
    if not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
            return plain_number(Decimal(repr(value)) * 100) + "%"  # shown as 95%: stored as 0.95
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


# only the digits 0-9 (full-width ones are narrowed first): not ², ①, ٥ or any other "digit" Unicode has
_NUMBER_TEXT = re.compile(r"^[+-]?[0-9,，]*\.?[0-9]+$")  # looks like a number, separators anywhere
# separators only between groups of three after a first group of 1–3 digits: 1,234.56 / 12,345,678
_GROUPED_NUMBER = re.compile(r"^[+-]?([0-9]+|[1-9][0-9]{0,2}([,，][0-9]{3})+)?(\.[0-9]+)?$")
MAX_ABS_NUMBER = Decimal(10) ** 12  # the report shows at most 12 integer digits (money is in 万元)
MONEY_PLACES = 2  # money is stored as the documents print it: 万元 to the cent
_MONEY_QUANTUM = Decimal(1).scaleb(-MONEY_PLACES)
_EXCEL_DIGITS = 15  # Excel keeps and shows 15 significant digits; the rest of a double is binary noise


def _number(value: Any, spec: Field) -> tuple[Decimal | None, str | None]:
    """A numeric cell (number or text) as Decimal, or why it is not a usable number."""
    if isinstance(value, bool | dt.date):  # an Excel logical or date, shown as the clerk sees it
        return None, f'应为数字, 实际为 "{as_text(value)}"'
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(format(value, f".{_EXCEL_DIGITS}g"))
    else:
        value = as_text(value)  # echoed in messages as shown, without surrounding spaces
        text = _narrow(value).replace(" ", "")
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
        return parse_date(value)
    if kind == "yesno":
        return parse_yesno(value)
    if kind == "choice":
        return parse_choice(value, spec.choices)
    text = as_text(value)
    if kind == "list":
        return [part.strip() for part in re.split(r"[、,，;；\n]", text) if part.strip()], None
    if spec.bounds and len(text) > spec.bounds[1]:
        return None, f"内容过长（{len(text):,} 个字符，上限 {spec.bounds[1]:,}），请检查是否误粘贴了其他内容"
    return text, None


# --- one parser per kind, for cells that have no declared Field ----------------------------------

NOT_A_NUMBER = "应为数字"  # how every "this is not a number at all" message begins


def parse_number(value: Any, kind: str = "decimal", *, allow_negative: bool = False,
                 bounds: tuple[int, int] | None = None) -> tuple[Any, str | None]:
    """A money/decimal/int cell as ``parse_cell`` reads it for a field of that kind."""
    return parse_cell(value, Field("", "", kind, allow_negative=allow_negative, bounds=bounds))  # type: ignore[arg-type]


def parse_quantity(value: Any, unit: str | None = "", sign: str = "") -> tuple[Decimal | None, str | None]:
    """A number that may carry its unit after it and a sign before it: ``95%`` (unit ``%``),
    ``5分`` (unit ``分``), ``≥95`` (sign ``≥``). The number itself follows ``parse_number``
    (negatives allowed); any other suffix is refused, with the original text in the message. With
    no unit this is ``parse_number`` verdict for verdict (``95%`` is not a number)."""
    if not isinstance(value, str):
        return parse_number(value, allow_negative=True)
    text = _compact(value)
    if sign and text.startswith(want_sign := _compact(sign)):
        text = text[len(want_sign):]
    want = fold(unit or "")
    # the unit as typed may be written another way (㎡ for m2): compared folded, cut off as typed; the
    # search runs only when the folded text ends with the unit (folding every ending of a long text that
    # does not is quadratic: 1.5 s for a 20,000-character cell)
    if want and (folded := fold(text)).endswith(want) and folded != want:
        text = next((text[:-k] for k in range(1, len(text)) if fold(text[-k:]) == want), text)
    number, problem = parse_number(text, allow_negative=True)
    if problem is None:
        return number, None
    problem = problem.replace(f'"{as_text(text)}"', f'"{as_text(value)}"', 1)
    if want and (suffix := _SUFFIX.fullmatch(text)) and parse_number(suffix.group(1), allow_negative=True)[1] is None:
        return None, f"{problem}（数字后只能带单位“{unit}”）"
    return None, problem  # without a unit: exactly what a number cell on any sheet says


_SUFFIX = re.compile(r"(.*\d)(\D+)")  # a number followed by something that is not


# How a target is written in one cell when it has no 指标性质 column of its own (an older workbook):
# a comparison before the number (≥95、不低于95) or after it with its unit (95%以上、3个工作日内).
_BEFORE = {"≥": "≥", ">=": "≥", "≧": "≥", "大于等于": "≥", "大于或等于": "≥", "不低于": "≥", "不少于": "≥",
           "不小于": "≥", "至少": "≥", "达到": "≥",
           "≤": "≤", "<=": "≤", "≦": "≤", "小于等于": "≤", "小于或等于": "≤", "不高于": "≤", "不超过": "≤",
           "不多于": "≤", "不大于": "≤", "至多": "≤",
           "=": "=", "等于": "=",
           ">": ">", "大于": ">", "高于": ">", "超过": ">", "多于": ">",
           "<": "<", "小于": "<", "低于": "<", "少于": "<"}
_AFTER = {"及以上": "≥", "以上": "≥", "及以下": "≤", "以下": "≤", "以内": "≤", "内": "≤"}
_UNIT = re.compile(r"[\u4e00-\u9fffA-Za-z%‰℃°/²³·]{1,6}")
_NOT_A_UNIT = set("前后底初末旬左右约余多")  # 9月底前, 30日前, 100人左右: a date or an estimate, not a unit
_TARGET = re.compile(r"(?P<before>\D*?)(?P<number>[+-]?[0-9][0-9,，]*(?:\.[0-9]+)?)(?P<rest>\D*)")


@dataclass(frozen=True)
class Comparison:
    """A target read from its text: ``sign`` (≥ ≤ = > <, "=" when none is written) ``number`` ``unit``;
    words without a number have the sign ``""`` and no number."""

    sign: str
    number: Decimal | None = None
    unit: str = ""


def parse_comparison(value: Any) -> Comparison | None:
    """A target written in one cell as ``[comparison] number [unit] [comparison]``: ``≥120家`` is
    ≥ 120 家, ``不低于95%`` ≥ 95 %, ``95%以上`` ≥ 95 %, ``3个工作日内`` ≤ 3 个工作日, ``100%`` = 100 %;
    text without a digit (``明显提升``) is words. None when it cannot be told for certain: another
    word before the number (``约100人``), a second number, or a date rather than a unit (``9月底前``)."""
    text = _compact(as_text(value))
    if not text:
        return None
    if not re.search(r"[0-9]", text):
        return Comparison("")
    match = _TARGET.fullmatch(text)
    if match is None:
        return None
    before, rest = match.group("before"), match.group("rest")
    if before and before not in _BEFORE:
        return None
    sign = _BEFORE.get(before, "")
    after = next((w for w in _AFTER if rest.endswith(w)), "")
    if after:
        if sign and sign != _AFTER[after]:
            return None
        sign, rest = _AFTER[after], rest[:-len(after)]
    if rest and (not _UNIT.fullmatch(rest) or _NOT_A_UNIT & set(rest) or (set(rest) & set("%‰") and len(rest) > 1)):
        return None  # 100%覆盖: a percentage followed by words is not a unit
    number, problem = parse_number(match.group("number"), allow_negative=True)
    if problem:
        return None
    return Comparison(sign or "=", number, rest)


def parse_percent(value: Any) -> tuple[Decimal | None, str | None]:
    """A percentage in percent points: ``95`` and ``95%`` are both 95."""
    return parse_quantity(value, "%")


_DATE_TEXT = re.compile(r"([0-9]{4})[-./年]([0-9]{1,2})[-./月]([0-9]{1,2})日?|([0-9]{4})([0-9]{2})([0-9]{2})")
DATE_YEARS = (1900, 2100)  # a date outside these years is a slip (0001-01-01, 9999-12-31), on any sheet
NEAR_YEARS = 2  # a date about the evaluation (填报日期, 调查时间) lies within this many years of it


def parse_date(value: Any) -> tuple[dt.date | None, str | None]:
    """An Excel date, or text year-month-day (``2021-09-19``, ``2021/9/19``, ``2021.9.19``,
    ``2021年9月19日``, ``20210919``), which must be a real calendar day in ``DATE_YEARS``."""
    date = None
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif not isinstance(value, bool) and (match := _DATE_TEXT.fullmatch(_compact(as_text(value)))):
        try:
            date = dt.date(*(int(g) for g in match.groups() if g is not None))
        except ValueError:
            pass
    if date is None:
        return None, f'应为日期（如 2026-03-31）, 实际为 "{as_text(value)}"'
    if not DATE_YEARS[0] <= date.year <= DATE_YEARS[1]:
        return None, f"日期不合理（年份应在 {DATE_YEARS[0]} 到 {DATE_YEARS[1]} 之间）, 实际为 {date.isoformat()}"
    return date, None


def date_far_from(date: dt.date, year: int) -> str | None:
    """Why a date about the evaluation of ``year`` (a 填报日期, a survey's 调查时间) cannot be right, or None."""
    if abs(date.year - year) <= NEAR_YEARS:
        return None
    return (f"日期与评价年度 {year} 相差太远（应在 {year - NEAR_YEARS} 到 {year + NEAR_YEARS} 年之间）, "
            f"实际为 {date.isoformat()}")


def parse_yesno(value: Any) -> tuple[bool | None, str | None]:
    """``是``/``否`` (or an Excel logical TRUE/FALSE) as True/False."""
    if isinstance(value, bool):
        return value, None
    choice, problem = parse_choice(value, YES_NO)
    return (None, problem) if problem else (choice == YES_NO[0], None)


def parse_choice(value: Any, choices: tuple[str, ...] | list[str]) -> tuple[str | None, str | None]:
    """One of ``choices``, compared without spaces and full-width differences; returned as declared."""
    by_key = {fold(c): c for c in choices}
    text = as_text(value)
    if (choice := by_key.get(fold(text))) is None:
        return None, f'应为 {"/".join(choices)} 之一, 实际为 "{text}"'
    return choice, None


def parse_text(value: Any) -> tuple[str, None]:
    """Any content as the text the clerk sees (see ``as_text``)."""
    return as_text(value), None


def as_text(value: Any) -> str:
    """A cell's content as shown: ``5.0`` -> ``5``, a date without its midnight, TRUE/FALSE; stripped."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.strftime("%Y-%m-%d %H:%M") if value.time() != dt.time() else value.date()
    return str(value).strip()


def plain_number(number: Decimal) -> str:
    """A Decimal as a clerk would type it: no exponent, no trailing zeros (``95``, ``0.5``)."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _half_width(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value))


_NARROW = {**{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}


def _narrow(value: Any) -> str:
    """Full-width ASCII forms (１２．５, ％, the ideographic space) as half-width, and nothing else:
    unlike NFKC, ``5²`` stays ``5²`` and ``①`` stays ``①`` (neither is a number)."""
    return str(value).translate(_NARROW)


def fold(value: Any) -> str:
    """Text as compared with a declaration: full-width folded to half-width, every space removed."""
    return re.sub(r"\s", "", _half_width(value))


def _compact(value: Any) -> str:
    """A typed number or date as read: full-width ASCII narrowed (``_narrow``), every space removed."""
    return re.sub(r"\s", "", _narrow(value))


def label_key(value: Any) -> str:
    """A header or row label as compared with its declaration: ``fold`` without required-marks."""
    return "" if value is None else fold(value).replace("*", "")


def is_empty(value: Any) -> bool:
    """A blank cell: nothing, or only spaces (including full-width ones) and invisible characters
    (a zero-width space U+200B, a byte-order mark …): nothing anyone can read."""
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text or text.isprintable():  # isprintable: no format or control character at all (fast)
        return not text
    return all(unicodedata.category(c)[0] in "CZ" for c in text)
