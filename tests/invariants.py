"""What must hold in every document of every format, for any unit: read from the rendered .docx.

* every printed list of parts adds up to its printed whole: a sentence ``…X万元，其中…A万元，…B万元`` (or
  ``X万元（其中…）``), and the tables that print a total beside its parts (收入合计 beside each source);
* no ``None``, ``nan`` or unrendered ``{{`` / ``{%`` anywhere;
* the same figure under the same label prints the same value wherever it appears (``收入合计``…).

Numbers are read back from the text the documents print, never taken from the code under test.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

from docx import Document
from docx.table import Table

AMOUNT = r"-?\d{1,3}(?:,\d{3})*\.\d{2}"
# a whole in 万元 immediately followed by the parts it is made of
_WHOLE_AND_PARTS = re.compile(rf"(?P<whole>{AMOUNT})万元(?:，|（)其中：?(?P<parts>[^。）]*)")
_PART = re.compile(rf"(?P<name>[^\d，；、：（）]+?)(?P<amount>{AMOUNT})万元(?:，占[-\d.]+%)?(?:[，；、]|$)")
_LABELLED = re.compile(rf"(收入合计|支出合计|年末结转和结余)(?:为|：)?({AMOUNT})万元")


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def texts(data: bytes) -> tuple[list[str], list[Table]]:
    """Every paragraph of a .docx (tables' cells included) and its tables."""
    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        paragraphs += [cell.text for row in table.rows for cell in row.cells]
    return paragraphs, list(doc.tables)


def list_sums(paragraphs: list[str]) -> list[str]:
    """Each printed 其中-list whose parts do not add up to its whole, as a message (empty: all add up).
    A run of parts stops at the first fragment that is not ``名称X万元``."""
    problems = []
    for text in paragraphs:
        for match in _WHOLE_AND_PARTS.finditer(text):
            parts, rest = [], match["parts"]
            while rest:
                part = _PART.match(rest)
                if part is None:
                    break
                parts.append(amount(part["amount"]))
                rest = rest[part.end():]
            if len(parts) >= 1 and not rest.strip("，；、 ") and sum(parts) != amount(match["whole"]):
                problems.append(f"{match.group(0)} — parts add to {sum(parts)}")
    return problems


def table_sums(tables: list[Table]) -> list[str]:
    """Tables printing a 合计 column before its parts (表头 ``收入合计`` then the sources): every row adds up."""
    problems = []
    for table in tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if not rows or len(rows[0]) < 3 or rows[0][1] != "收入合计":
            continue
        for row in rows[1:]:
            try:
                whole, parts = amount(row[1]), [amount(x) for x in row[2:]]
            except ArithmeticError:
                problems.append(f"not an amount in {row}")
                continue
            if sum(parts) != whole:
                problems.append(f"{row[0]}: {row[1]} ≠ {' + '.join(row[2:])}")
    return problems


def leftovers(paragraphs: list[str]) -> list[str]:
    bad = re.compile(r"\bNone\b|\bnan\b|\{\{|\{%|\}\}|%\}")
    return [text for text in paragraphs if bad.search(text)]


def labelled_figures(paragraphs: list[str]) -> dict[str, set[str]]:
    """The values printed after each label (收入合计 1,540.25 …), to compare across documents."""
    found: dict[str, set[str]] = {}
    for text in paragraphs:
        for label, value in _LABELLED.findall(text):
            found.setdefault(label, set()).add(value)
    return found
