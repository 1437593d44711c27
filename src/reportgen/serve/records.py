"""A build's result as stored (plain JSON) and as the pages show it.

Contract:

* :func:`result_record` turns a :class:`reportgen.batch.UnitResult` (documents aside) into a plain,
  JSON-ready dict: the unit's figures (decimals as text), ``internal``, and every finding with its
  message, severity, field, code and workbook places (``refs``: ``[sheet, cell, row]``). A place
  that is the uploaded file itself is stored as "" (the whole file): the server's paths are never
  shown to a clerk; another file keeps only its name and line.
* :func:`unit_result` rebuilds the ``UnitResult`` (for ``county_summary``) from such a dict;
  :func:`findings_of` gives its ``Finding`` objects.
* :func:`finding_rows` gives the table a clerk sees: 级别, 工作表, 单元格, 字段, 说明 — errors
  first, then notes, each in the order found.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from reportgen.batch import UnitResult
from reportgen.county_summary import WHOLE_FILE
from reportgen.errors import Finding, Location, Ref

_FIGURES = ("total", "execution_rate", "budget_final", "income_total", "expenditure_total", "year_end_balance")


def stored_record(version: Any) -> dict[str, Any]:
    """A version row's stored result (``{}`` before it has one, or for no row)."""
    return json.loads(version["result"] or "{}") if version is not None else {}


def finding_record(finding: Finding, upload: Path | None = None) -> dict[str, Any]:
    where = finding.where
    place = ""
    if not where.refs:
        if where.file and upload is not None and Path(where.file) == upload:
            place = where.part
        elif where.file:
            name = Path(where.file).name
            place = " ".join(p for p in (f"{name}:{where.line}" if where.line else name, where.part) if p)
        else:
            place = where.part
    return {"message": finding.message, "severity": finding.severity, "field": finding.field,
            "code": finding.code, "refs": [[r.sheet, r.cell, r.row] for r in where.refs], "place": place}


def result_record(result: UnitResult, upload: Path | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "unit_name": str(result.unit_name or ""), "year": result.year, "format_id": str(result.format_id or ""),
        "grade": str(result.grade or ""), "internal": result.internal, "name_ref": str(result.name_ref or ""),
        "findings": [finding_record(f, upload) for f in result.findings]}
    for name in _FIGURES:
        value = getattr(result, name)
        record[name] = str(value) if value is not None else None
    return record


def _finding(data: dict[str, Any]) -> Finding:
    refs = tuple(Ref(str(s), str(c), int(r)) for s, c, r in data.get("refs", []))
    where = Location(refs) if refs else Location(part=str(data.get("place", "")))
    severity = "warning" if data.get("severity") == "warning" else "error"
    return Finding(str(data.get("message", "")), where, str(data.get("field", "")), severity,
                   str(data.get("code", "")))


def findings_of(record: dict[str, Any]) -> list[Finding]:
    return [_finding(f) for f in record.get("findings", [])]


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(value) if value is not None else None
    except (InvalidOperation, TypeError, ValueError):
        return None


def unit_result(record: dict[str, Any], path: Path, index: int = 0) -> UnitResult:
    year = record.get("year")
    return UnitResult(
        index=index, path=path, findings=findings_of(record), unit_name=str(record.get("unit_name") or ""),
        year=year if isinstance(year, int) else None, format_id=str(record.get("format_id") or ""),
        grade=str(record.get("grade") or ""), internal=bool(record.get("internal")),
        name_ref=str(record.get("name_ref") or ""), **{name: _decimal(record.get(name)) for name in _FIGURES})


@dataclass(frozen=True)
class Row:
    """One line of the findings table a clerk sees."""

    level: str  # 错误 / 提示
    sheet: str
    cell: str
    field: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == "错误"


def _row(data: dict[str, Any]) -> Row:
    refs = data.get("refs") or []
    if refs:
        sheet = "、".join(dict.fromkeys(str(s) for s, _, _ in refs))
        cells = [str(c) if c else (f"第{r}行" if r else "") for _, c, r in refs]
        cell = "、".join(c for c in cells if c)
    else:
        sheet, cell = str(data.get("place") or "") or WHOLE_FILE, ""
    code = str(data.get("code") or "")
    message = str(data.get("message", "")) + (f"（{code}）" if code else "")
    level = "提示" if data.get("severity") == "warning" else "错误"
    return Row(level, sheet, cell, str(data.get("field") or ""), message)


def finding_rows(record: dict[str, Any]) -> list[Row]:
    rows = [_row(f) for f in record.get("findings", [])]
    return [r for r in rows if r.is_error] + [r for r in rows if not r.is_error]
