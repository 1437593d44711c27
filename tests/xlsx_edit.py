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

Values are written as openpyxl writes them, with one deliberate difference::

    str              inline string (t="inlineStr"), whatever it begins with: "=B2-D2" stays text
                     (openpyxl would have made it a formula; use Formula for that)
    Formula("=B2")   a formula without a cached value, as openpyxl writes "=B2": <f>B2</f>
    bool             t="b", <v>1</v> or <v>0</v>
    int, Decimal     a number, <v>str(value)</v>
    float            a number, <v>repr(value)</v> (the float exactly); NaN and infinities are refused
    None             the cell emptied: no value, its style kept

Dates and anything else are refused (TypeError): openpyxl would also change the cell's number
format, which this module does not do. A cell that does not exist yet is inserted in column order
within its ``<row>`` (the row inserted in row order if need be) and the sheet's ``<dimension>``
grows to hold it.
"""

from __future__ import annotations

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

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
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
    parts = {info.filename: data for info, data in members}
    sheet_parts = _sheet_parts(parts)
    edited: dict[str, bytes] = {}
    for sheet, cells in edits.items():
        if sheet not in sheet_parts:
            raise KeyError(f"no sheet {sheet!r} in {src.name} (sheets: {', '.join(sheet_parts)})")
        part = sheet_parts[sheet]
        edited[part] = _edit_sheet(edited.get(part, parts[part]), cells)
    _write(dst, [(info, edited.get(info.filename, data)) for info, data in members])
    return dst


def set_cell(path: str | os.PathLike[str], sheet: str, ref: str, value: object) -> Path:
    """``path``'s cell ``sheet!ref`` set to ``value`` in place (see :func:`set_cells`)."""
    return set_cells(path, path, {sheet: {ref: value}})


# --- the package --------------------------------------------------------------------------------

def _sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML, by xl/workbook.xml and its relationships."""
    workbook = next(target for kind, target in _rels(parts, "").values() if kind.endswith("/officeDocument"))
    rels = _rels(parts, workbook)
    root = etree.fromstring(parts[workbook])
    return {sheet.get("name"): rels[sheet.get(f"{{{REL}}}id")][1]
            for sheet in root.iter(f"{{{MAIN}}}sheet")}


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

def _edit_sheet(xml: bytes, cells: Mapping[str, object]) -> bytes:
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
        _set_value(_cell(rows[number], ref, _column(match.group(1))), value)
    _grow_dimension(root, cells)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


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
        if _column(_REF.fullmatch(there).group(1)) > column:
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


def _set_value(cell: etree._Element, value: object) -> None:
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
    elif isinstance(value, float | Decimal):
        if not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
            raise ValueError(f"a cell cannot hold {value!r}")
        _prepend(cell, "v").text = repr(value) if isinstance(value, float) else str(value)
    else:
        raise TypeError(f"xlsx_edit writes str, numbers, bool, Formula and None, not {type(value).__name__}")


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
    places = [(int(m.group(2)), _column(m.group(1))) for m in corners]
    places += [(int(m.group(2)), _column(m.group(1))) for m in map(_REF.fullmatch, refs)]
    top, left = min(r for r, _ in places), min(c for _, c in places)
    bottom, right = max(r for r, _ in places), max(c for _, c in places)
    dimension.set("ref", f"{_letters(left)}{top}:{_letters(right)}{bottom}")


def _letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
