"""A 决算 file opened for reading: every sheet as a grid of decoded cells, with its merged ranges.

Contract: :func:`open_source` reads an .xlsx or .xls (python-calamine reads both) and returns its
sheets as :class:`Grid` s, or raises one ``ReportgenError`` (I101) saying why the file cannot be
read — missing, a folder, not a regular file, password-protected, damaged, a web page or PDF saved
under a spreadsheet's name, too large. An .xlsx passes the workbook reader's own checks first
(``workbook.container``: zip size, XML entity declarations); its cached error values (``#REF!``)
are kept so an amount cell holding one is named, not read as empty. A sheet too large to hold is
named and skipped (I101), never allocated. The file is only read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.errors import Finding, Location, ReportgenError
from reportgen.workbook.book import calamine_content, column_letter
from reportgen.workbook.container import (
    DENSE_CELLS,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    check_file,
    encrypted,
    scan,
)

SPREADSHEETS = (".xlsx", ".xls", ".xlsm")
MAX_FILE_CELLS = 2 * DENSE_CELLS  # a 决算 set is a few thousand rows; more is not one unit's tables
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Grid:
    """One sheet: ``cells[row][column]`` from 0 (None when empty), merged ranges as (top, left,
    bottom, right) from 0, inclusive, and cached error values by (row, column)."""

    file: Path
    name: str
    cells: list[list[Any]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def height(self) -> int:
        return len(self.cells)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.cells), default=0)

    def get(self, row: int, column: int) -> Any:
        if 0 <= row < len(self.cells) and 0 <= column < len(self.cells[row]):
            return self.cells[row][column]
        return None

    def merge_at(self, row: int, column: int) -> tuple[int, int, int, int] | None:
        return next((m for m in self.merges if m[0] <= row <= m[2] and m[1] <= column <= m[3]), None)

    def shown(self, row: int, column: int) -> Any:
        """What the cell shows: its own content, or the content of the merged range covering it."""
        merge = self.merge_at(row, column)
        return self.get(merge[0], merge[1]) if merge else self.get(row, column)

    @staticmethod
    def coordinate(row: int, column: int) -> str:
        return f"{column_letter(column + 1)}{row + 1}"

    def where(self, row: int, column: int) -> Location:
        """``文件 工作表!B7``: a place in the 决算 file (not in the clerk's workbook)."""
        return Location.in_file(self.file, part=f"{self.name}!{self.coordinate(row, column)}")


def _fail(path: Path, message: str) -> ReportgenError:
    return ReportgenError(Finding(message, Location.in_file(path), code="I101"))


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given, a folder as the spreadsheets in it (recursively, in name order; lock files
    ``~$…`` and hidden files skipped)."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        inside = []
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            inside += [Path(root) / f for f in files
                       if f.lower().endswith(SPREADSHEETS) and not f.startswith(("~$", "."))]
        found += sorted(inside, key=lambda p: p.relative_to(path).parts)
    return found


def _kind(path: Path) -> str:
    """"xls", "xlsx", or raise: what the first bytes say the file is."""
    if not path.exists():
        raise _fail(path, f"找不到文件 {path}")
    if path.is_dir():
        raise _fail(path, "这是一个文件夹，不是 Excel 工作簿")
    if not path.is_file():
        raise _fail(path, "不是普通文件（是设备、管道或指向它们的链接），不予读取")
    if path.stat().st_size > MAX_UNPACKED_BYTES:
        raise _fail(path, f"文件超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB，不像决算报表")
    with path.open("rb") as f:
        head = f.read(1024)
    if head.startswith(_OLE):
        if encrypted(path):
            raise _fail(path, "工作簿设置了打开密码（已加密），请在 Excel/WPS 中取消密码后另存再试")
        return "xls"
    if head.startswith(b"PK"):
        return "xlsx"
    if head.startswith(b"%PDF"):
        raise _fail(path, "这是 PDF 文件：请从部门决算软件导出 Excel（.xls/.xlsx）表，或把公开的表另存为 Excel")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<", b"\xff\xfe<", b"\xfe\xff\x00<")):
        raise _fail(path, "这是网页（HTML/XML）格式的表格，只是扩展名为 .xls：请在 Excel/WPS 中打开后另存为 .xlsx 再试")
    raise _fail(path, "不是 Excel 工作簿（.xls/.xlsx）")


def open_source(path: Path) -> tuple[list[Grid], list[Finding]]:
    """Every sheet of ``path`` with content, and the sheets skipped for their size (I101 findings)."""
    from python_calamine import CalamineWorkbook

    kind = _kind(path)
    scans = None
    if kind == "xlsx":
        try:
            check_file(path)
            scans = scan(path)  # refuses XML entity declarations; error values per sheet
        except ReportgenError as exc:
            raise ReportgenError([Finding(f.message, Location.in_file(path), code="I101") for f in exc.findings]) from exc
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
    except Exception as exc:  # calamine raises its own kinds for damaged or protected files
        raise _fail(path, f"无法读取（文件可能已损坏或设置了密码）：{exc}") from exc
    grids, skipped = [], []
    held = 0  # cells read so far: a file of many large sheets is bounded as one large sheet is
    for name in names:
        try:
            sheet = workbook.get_sheet_by_name(name)
            top, left = sheet.start or (0, 0)
            height, width = top + sheet.height, left + sheet.width
            if height > MAX_ROWS or height * width > DENSE_CELLS or held + height * width > MAX_FILE_CELLS:
                skipped.append(Finding(f"工作表“{name}”有 {height:,} 行 × {width:,} 列，超过上限（{MAX_ROWS:,} 行，或全文件过大），未读取",
                                       Location.in_file(path, part=name), code="I101"))
                continue
            held += height * width
            rows = sheet.to_python(skip_empty_area=False)
            merges = [(top, left, bottom, right) for (top, left), (bottom, right) in (sheet.merged_cell_ranges or [])]
        except Exception as exc:
            raise _fail(path, f"无法读取工作表“{name}”（文件可能已损坏）：{exc}") from exc
        cells = [[calamine_content(v, False) for v in row] for row in rows]
        if not any(v is not None for row in cells for v in row):
            continue
        errors: dict[tuple[int, int], str] = {}
        if scans is not None and (found := scans.get(name)) is not None:
            errors = {(r - 1, c - 1): text for (r, c), text in found.errors.items()}
        grids.append(Grid(path, name, cells, merges, errors))
    return grids, skipped
