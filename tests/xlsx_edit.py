"""Put values into cells of an .xlsx by editing its sheet XML: a test's quick stand-in for
``openpyxl.load_workbook(src)``, ``ws[ref] = value``, ``wb.save(dst)``.

An openpyxl round trip parses and re-writes the whole workbook (every sheet, style and data
validation: about 0.1 s for an example workbook); most tests only need a few cells to hold other
values before reportgen reads the file. :func:`set_cells` parses only the worksheet parts it edits
(with lxml) and copies every other member of the package unchanged, byte for byte.

Only cell *values* change. A cell keeps its ``s`` (style: number format, font, fill, border) and
anything else; its old content goes (value, inline or shared string, formula). So a test that
checks styles, comments, data validations, merged cells, print setup or column widths, or that
changes the workbook's structure (inserts rows, renames or deletes sheets), keeps using openpyxl.

Values are written as openpyxl writes them, with one deliberate difference (text)::

    str              inline string (t="inlineStr"), whatever it begins with: "=B2-D2" stays text
                     (openpyxl would have made it a formula; use Formula for that)
    Formula("=B2")   a formula without a cached value, as openpyxl writes "=B2": <f>B2</f>
    bool             t="b", <v>1</v> or <v>0</v>
    int, Decimal     a number, <v>str(value)</v>
    float            a number, <v>repr(value)</v> (the float exactly); NaN and infinities are refused
    date, datetime   the date's serial number, into a cell whose style is already a date format
                     (openpyxl would give any other cell a date format too: refused, TypeError)
    None             the cell emptied: no value, its style kept

Anything else is refused (TypeError). A cell that does not exist yet is inserted in column order
within its ``<row>`` (the row inserted in row order if need be) and the sheet's ``<dimension>``
grows to hold it.

:func:`cell_values` reads one sheet's values the same way, for a test that only needs to know
what is in the cells (a label's row, a header's column): as ``openpyxl.load_workbook(path)``
gives them, without parsing the rest of the workbook.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import posixpath
import re
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601, to_excel

from reportgen.workbook.book import column_letter, column_number

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]*)")


@dataclass(frozen=True)
class Formula:
    """A formula to write without a cached value (what openpyxl writes for ``ws[ref] = "=B2-D2"``).
    ``text`` begins with "=", as openpyxl gives the cell's value back."""

    text: str

    def __post_init__(self) -> None:
        if not self.text.startswith("="):
            raise ValueError(f"a formula begins with '=': {self.text!r}")


Edits = Mapping[str, Mapping[str, object]]  # sheet name -> {"B2": value, ...}


def set_cells(src: str | os.PathLike[str], dst: str | os.PathLike[str], edits: Edits) -> Path:
    """Copy the workbook ``src`` to ``dst`` (which may be ``src`` itself) with the cells in ``edits``
    (sheet name -> {cell reference such as "B2" -> value}) holding the new values. Returns ``dst``."""
    src, dst = Path(src), Path(dst)
    with zipfile.ZipFile(src) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    package = _Package({info.filename: data for info, data in members})
    edited: dict[str, bytes] = {}
    for sheet, cells in edits.items():
        part = package.sheet_part(sheet)
        edited[part] = _edit_sheet(edited.get(part, package.parts[part]), cells, package)
    _write(dst, [(info, edited.get(info.filename, data)) for info, data in members])
    return dst


def set_cell(path: str | os.PathLike[str], sheet: str, ref: str, value: object) -> Path:
    """``path``'s cell ``sheet!ref`` set to ``value`` in place (see :func:`set_cells`)."""
    return set_cells(path, path, {sheet: {ref: value}})


def cell_values(path: str | os.PathLike[str], sheet: str) -> dict[str, object]:
    """The cells of ``sheet`` that hold a value, by reference ("B2"), each as
    ``openpyxl.load_workbook(path)[sheet][ref].value`` gives it: text; a number as int when written
    without "." or exponent, else float; bool; a date-formatted number as datetime (timedelta for a
    duration format); a formula as its "=…" text; an error value as its code ("#N/A")."""
    with zipfile.ZipFile(path) as archive:
        package = _Package({name: archive.read(name) for name in archive.namelist()
                            if name.endswith((".xml", ".rels"))})
    root = etree.fromstring(package.parts[package.sheet_part(sheet)])
    values = {}
    for cell in root.iter(f"{{{MAIN}}}c"):
        value = _read_value(cell, package)
        if value is not None:
            ref = cell.get("r")
            if ref is None:
                raise ValueError("a <c> without r: this helper reads cells by their references")
            values[ref] = value
    return values


# --- the package --------------------------------------------------------------------------------

class _Package:
    """A workbook's parts (zip member -> bytes) and what the cells need from them, read on first use."""

    def __init__(self, parts: dict[str, bytes]):
        self.parts = parts
        self.workbook = next(target for kind, target in _rels(parts, "").values()
                             if kind.endswith("/officeDocument"))
        self.rels = _rels(parts, self.workbook)
        self._styles: tuple[set[int], set[int]] | None = None
        self._strings: list[str] | None = None

    def sheet_part(self, name: str) -> str:
        """The zip member holding the sheet ``name``'s XML, by xl/workbook.xml and its relationships."""
        root = etree.fromstring(self.parts[self.workbook])
        sheets = {sheet.get("name"): self.rels[sheet.get(f"{{{REL}}}id")][1]
                  for sheet in root.iter(f"{{{MAIN}}}sheet")}
        if name not in sheets:
            raise KeyError(f"no sheet {name!r} (sheets: {', '.join(sheets)})")
        return sheets[name]

    def _related(self, kind: str) -> bytes | None:
        targets = [target for t, target in self.rels.values() if t.endswith(f"/{kind}")]
        return self.parts.get(targets[0]) if targets else None

    @property
    def epoch(self) -> dt.datetime:
        properties = etree.fromstring(self.parts[self.workbook]).find(f"{{{MAIN}}}workbookPr")
        date1904 = properties is not None and properties.get("date1904") in ("1", "true")
        return MAC_EPOCH if date1904 else WINDOWS_EPOCH

    def date_styles(self) -> tuple[set[int], set[int]]:
        """The ``s`` values (cellXfs indexes) whose number format is a date, and those of durations,
        as openpyxl's stylesheet judges them."""
        if self._styles is None:
            dates: set[int] = set()
            durations: set[int] = set()
            styles = self._related("styles")
            if styles is not None:
                root = etree.fromstring(styles)
                custom = {int(f.get("numFmtId")): f.get("formatCode") for f in root.iter(f"{{{MAIN}}}numFmt")}
                xfs = root.find(f"{{{MAIN}}}cellXfs")
                for index, xf in enumerate(xfs.iterchildren(f"{{{MAIN}}}xf") if xfs is not None else ()):
                    fmt_id = int(xf.get("numFmtId", "0"))
                    code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id))
                    if code is not None and is_date_format(code):
                        dates.add(index)
                    if code is not None and is_timedelta_format(code):
                        durations.add(index)
            self._styles = dates, durations
        return self._styles

    def shared_strings(self) -> list[str]:
        """The shared strings, from the part [Content_Types].xml names (where openpyxl looks for it)."""
        if self._strings is None:
            types = etree.fromstring(self.parts["[Content_Types].xml"])
            names = [o.get("PartName").lstrip("/") for o in types.iter(f"{{{CONTENT_TYPES}}}Override")
                     if o.get("ContentType") == SHARED_STRINGS]
            strings = self.parts.get(names[0]) if names else None
            self._strings = [] if strings is None else [
                _text(si) for si in etree.fromstring(strings).iterchildren(f"{{{MAIN}}}si")]
        return self._strings


def _rels(parts: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target member) for ``part`` ("" for the package itself)."""
    folder, name = posixpath.split(part)
    root = etree.fromstring(parts[posixpath.join(folder, "_rels", f"{name}.rels")])
    return {rel.get("Id"): (rel.get("Type"), _resolve(folder, rel.get("Target")))
            for rel in root.iter(f"{{{PKG_REL}}}Relationship")}


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _write(dst: Path, members: list[tuple[zipfile.ZipInfo, bytes]]) -> None:
    """Write the members (same names, order, dates and compression) to a new file, then put it at ``dst``."""
    fd, tmp = tempfile.mkstemp(prefix=".xlsx-edit-", suffix=".xlsx", dir=dst.parent)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            for info, data in members:
                archive.writestr(info, data)
        os.replace(tmp, dst)
    except BaseException:
        os.unlink(tmp)
        raise


# --- one sheet ----------------------------------------------------------------------------------

def _edit_sheet(xml: bytes, cells: Mapping[str, object], package: _Package) -> bytes:
    root = etree.fromstring(xml)
    data = root.find(f"{{{MAIN}}}sheetData")
    if data is None:
        raise ValueError("worksheet without <sheetData>")
    rows = {}
    for row in data.iterchildren(f"{{{MAIN}}}row"):
        if row.get("r") is None:
            raise ValueError("a <row> without r: this helper places cells by their numbers")
        rows[int(row.get("r"))] = row
    for ref, value in cells.items():
        match = _REF.fullmatch(ref)
        if not match:
            raise ValueError(f"not a cell reference: {ref!r} (use upper-case A1 form)")
        number = int(match.group(2))
        if number not in rows:
            rows[number] = _insert_row(data, rows, number)
        _set_value(_cell(rows[number], ref, column_number(match.group(1))), value, package)
    _grow_dimension(root, cells)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _insert_row(data: etree._Element, rows: dict[int, etree._Element], number: int) -> etree._Element:
    row = etree.Element(f"{{{MAIN}}}row", r=str(number))
    after = [n for n in rows if n > number]
    if after:
        rows[min(after)].addprevious(row)
    else:
        data.append(row)
    return row


def _cell(row: etree._Element, ref: str, column: int) -> etree._Element:
    """The row's ``<c r=ref>``, inserted in column order if it is not there yet."""
    for cell in row.iterchildren(f"{{{MAIN}}}c"):
        there = cell.get("r")
        if there is None:
            raise ValueError(f"a <c> without r in row {row.get('r')}: this helper places cells by their references")
        if there == ref:
            return cell
        if column_number(_REF.fullmatch(there).group(1)) > column:
            new = etree.Element(f"{{{MAIN}}}c", r=ref)
            cell.addprevious(new)
            return new
    new = etree.Element(f"{{{MAIN}}}c", r=ref)
    extra = row.find(f"{{{MAIN}}}extLst")  # a row's extLst comes after its cells
    if extra is not None:
        extra.addprevious(new)
    else:
        row.append(new)
    return new


def _set_value(cell: etree._Element, value: object, package: _Package) -> None:
    if isinstance(value, dt.date) and int(cell.get("s", "0")) not in package.date_styles()[0]:
        raise TypeError(f"{cell.get('r')} is not formatted as a date: openpyxl would give it a date format "
                        "as well as the value (use openpyxl)")
    for old in cell.findall(f"{{{MAIN}}}f") + cell.findall(f"{{{MAIN}}}v") + cell.findall(f"{{{MAIN}}}is"):
        cell.remove(old)
    cell.attrib.pop("t", None)
    if value is None:
        return
    if isinstance(value, Formula):
        _prepend(cell, "f").text = value.text[1:]
    elif isinstance(value, str):
        cell.set("t", "inlineStr")
        text = etree.SubElement(_prepend(cell, "is"), f"{{{MAIN}}}t")
        text.set(XML_SPACE, "preserve")
        text.text = value
    elif isinstance(value, bool):
        cell.set("t", "b")
        _prepend(cell, "v").text = "1" if value else "0"
    elif isinstance(value, int):
        _prepend(cell, "v").text = str(value)
    elif isinstance(value, dt.date):  # datetime too; the serial number exactly as openpyxl writes it
        _prepend(cell, "v").text = f"{to_excel(value, package.epoch):.16g}"
    elif isinstance(value, float | Decimal):
        if not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
            raise ValueError(f"a cell cannot hold {value!r}")
        _prepend(cell, "v").text = repr(value) if isinstance(value, float) else str(value)
    else:
        raise TypeError(f"xlsx_edit writes str, numbers, bool, dates, Formula and None, not {type(value).__name__}")


def _prepend(cell: etree._Element, tag: str) -> etree._Element:
    """A new child first in ``cell`` (before an extLst, the only other child a cell may have)."""
    child = etree.Element(f"{{{MAIN}}}{tag}")
    cell.insert(0, child)
    return child


def _grow_dimension(root: etree._Element, refs: Mapping[str, object]) -> None:
    dimension = root.find(f"{{{MAIN}}}dimension")
    if dimension is None:
        return
    corners = [_REF.fullmatch(end) for end in dimension.get("ref", "").split(":")]
    if not all(corners):
        return
    places = [(int(m.group(2)), column_number(m.group(1))) for m in corners]
    places += [(int(m.group(2)), column_number(m.group(1))) for m in map(_REF.fullmatch, refs)]
    top, left = min(r for r, _ in places), min(c for _, c in places)
    bottom, right = max(r for r, _ in places), max(c for _, c in places)
    dimension.set("ref", f"{column_letter(left)}{top}:{column_letter(right)}{bottom}")


# --- reading ------------------------------------------------------------------------------------

def _text(element: etree._Element) -> str:
    """An inline string's or a shared string's text: its ``<t>``, else its runs' (not phonetic hints)."""
    plain = element.find(f"{{{MAIN}}}t")
    if plain is not None:
        return plain.text or ""
    return "".join(run.findtext(f"{{{MAIN}}}t") or "" for run in element.iterchildren(f"{{{MAIN}}}r"))


def _read_value(cell: etree._Element, package: _Package) -> object:
    """The cell's value as openpyxl's worksheet reader gives it (``data_only=False``)."""
    kind = cell.get("t", "n")
    formula = cell.find(f"{{{MAIN}}}f")
    if formula is not None:
        if not formula.text or formula.get("t") in ("shared", "array", "dataTable"):
            raise NotImplementedError(f"{cell.get('r')}: shared, array and table formulas are not read here")
        return "=" + formula.text
    if kind == "inlineStr":
        inline = cell.find(f"{{{MAIN}}}is")
        return None if inline is None else _text(inline)
    value = cell.findtext(f"{{{MAIN}}}v") or None
    if value is None:
        return None
    if kind == "n":
        number = float(value) if "." in value or "E" in value or "e" in value else int(value)
        dates, durations = package.date_styles()
        style = int(cell.get("s", "0"))
        return from_excel(number, package.epoch, timedelta=style in durations) if style in dates else number
    if kind == "s":
        return package.shared_strings()[int(value)]
    if kind == "b":
        return bool(int(value))
    if kind == "d":
        return from_ISO8601(value)
    return value  # "str" (a formula's text result), "e" (an error code)
