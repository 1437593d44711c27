"""The workbook file itself, judged before and while it is parsed.

``load`` returns a ``book.CalamineBook`` or raises one ``ReportgenError`` with a Chinese message
saying what the clerk should do. Only a regular file is opened (a link to ``/dev/zero`` or a named
pipe would be read for ever). Every check before parsing reads a bounded amount: the first bytes
for the file type, the zip directory for the unpacked size, at most ``MAX_UNPACKED_BYTES`` of an OLE
file to tell a password-protected workbook from an old .xls.

python-calamine parses the values (about ten times faster than openpyxl, and without importing
numpy). Before it does, ``scan`` reads the XML parts once (bounded by the unpacked size):

- a part declaring XML entities (``<!ENTITY``, an entity bomb) is refused, as openpyxl with
  ``defusedxml`` refused it (calamine would not expand entities, but the clerk gets the same answer);
- per worksheet, without parsing its values: its extent as openpyxl reports it (the last row with a
  cell element, formatted blanks included: the reader's row limit), the cells formatted as a
  percentage (calamine does not say; the reader reads 0.95 shown as ``95%`` as ``95%``), the cached
  error values (``#DIV/0!``: calamine gives an empty cell) and whether any formula is present (an
  empty cell may then be a formula never calculated, which openpyxl is asked about).

calamine holds a sheet as one dense rectangle, so two cells far apart (A1 and XFD1048576) would
ask for hundreds of gigabytes and abort the process; such a sheet is read through openpyxl, which
stores cells sparsely, as are sheets the scan cannot find.
"""

from __future__ import annotations

import functools
import re
import stat
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from reportgen.errors import Finding, Location, ReportgenError

MAX_ROWS = 10_000  # per sheet; more is a paste gone wrong or formatting dragged to the bottom
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # sum of the zip parts' uncompressed sizes
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: old .xls/.et, or an encrypted .xlsx
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")  # stream name in an OLE directory entry
_CHUNK = 1024 * 1024


def _fail(message: str, path: Path) -> ReportgenError:
    return ReportgenError(Finding(message, Location.in_file(path), code="W500"))


def encrypted(path: Path) -> bool:
    """Whether an OLE compound file (an old .xls, or an .xlsx saved with a password) is encrypted: its
    directory names an ``EncryptionInfo`` stream (bounded chunked scan)."""
    tail = b""
    read = 0
    with path.open("rb") as f:
        while read < MAX_UNPACKED_BYTES and (chunk := f.read(_CHUNK)):
            read += len(chunk)
            window = tail + chunk
            if _ENCRYPTION_INFO in window:
                return True
            tail = window[-(len(_ENCRYPTION_INFO) - 1):]
    return False


def check_file(path: Path) -> None:
    """Raise a ReportgenError unless ``path`` looks like an .xlsx openpyxl may safely parse."""
    if not path.exists():
        raise _fail(f"找不到文件 {path}", path)
    if path.is_dir():
        raise _fail("这是一个文件夹，不是 Excel 工作簿", path)
    if not stat.S_ISREG(path.stat().st_mode):  # a pipe blocks, /dev/zero never ends: never opened
        raise _fail("不是普通文件（是设备、管道或指向它们的链接），不是 Excel 工作簿，不予读取", path)
    with path.open("rb") as f:
        head = f.read(len(_OLE_MAGIC))
    if head.startswith(_OLE_MAGIC[:4]):
        if encrypted(path):
            raise _fail("工作簿设置了打开密码（已加密），请在 Excel/WPS 中取消密码后另存为 .xlsx 再试", path)
        raise _fail("这是旧版 .xls/.et 格式的文件，请在 Excel 或 WPS 中“另存为” .xlsx 格式后再试", path)
    if not zipfile.is_zipfile(path):
        raise _fail("不是有效的 .xlsx 工作簿（请用 Excel 或 WPS 保存为 .xlsx 格式）", path)
    try:
        with zipfile.ZipFile(path) as archive:
            # zipfile never unpacks more than a part's declared size (a lie fails its CRC check)
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise _fail(f"无法读取工作簿（文件可能已损坏或不是 .xlsx）: {exc}", path) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise _fail(f"工作簿解压后有 {unpacked / 1024 / 1024:,.0f} MB，超过上限 {MAX_UNPACKED_BYTES // 1024 // 1024} MB"
                    "（是否含大量图片或空白格式行？请删除后另存再试）", path)


_DTD_REFUSED = "工作簿内含 XML 实体声明（DTD），为安全起见拒绝读取；请在 Excel/WPS 中另存为 .xlsx 再试"


def load(path: Path):
    """Check the file, scan its XML, then open it with python-calamine (sheets parse on first use)."""
    from python_calamine import CalamineWorkbook

    from reportgen.workbook.book import CalamineBook

    check_file(path)
    scans = scan(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own kinds for damaged files
        raise _fail(f"无法读取工作簿（文件可能已损坏或不是 .xlsx）: {exc}", path) from exc
    fallback: dict[str, Any] = {}

    def through_openpyxl(name: str):
        from reportgen.workbook.book import OpenpyxlBook

        if "book" not in fallback:
            fallback["book"] = OpenpyxlBook(load_openpyxl(path))
        return fallback["book"][name]

    def unreadable(exc: Exception) -> Exception:
        return _fail(f"无法读取工作簿（文件可能已损坏或不是 .xlsx）: {exc}", path)

    return CalamineBook(workbook, scans, through_openpyxl, unreadable)


def load_openpyxl(path: Path, data_only: bool = True):
    """Check the file, then parse it with openpyxl; unreadable files become one clear error."""
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    check_file(path)
    try:
        with warnings.catch_warnings():
            # openpyxl warns in English about features it skips (WPS extensions, odd dates); the
            # values it returns are still checked cell by cell, so the clerk need not see these.
            warnings.simplefilter("ignore")
            return load_workbook(path, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        if any(isinstance(e, DefusedXmlException) for e in _chain(exc)):
            raise _fail(_DTD_REFUSED, path) from exc
        raise _fail(f"无法读取工作簿（文件可能已损坏或不是 .xlsx）: {exc}", path) from exc


# --- the XML scan -------------------------------------------------------------------------------

DENSE_CELLS = 2_000_000  # calamine's rectangle (rows x columns) beyond which openpyxl reads the sheet
_ENTITY = tuple(b"<!ENTITY" if enc is None else "<!ENTITY".encode(enc) for enc in (None, "utf-16-le", "utf-16-be"))
# a tag's kind and attribute text; an ``r`` written first (as every spreadsheet program writes it) is also
# taken apart here, letters and digits, sparing a search per cell
_TAG = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?(c|row|f)(?=[\s/>])((?:\s+r\s*=\s*["']([A-Za-z]{0,3})(\d+)["'])?[^>]*)>""")
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]{0,3})(\d*)")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3}[0-9]+:[A-Z]{1,3}[0-9]+)"')
_R_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]{1,3})(\d+)["']""")
_S_ATTR = re.compile(rb"""(?:^|\s)s\s*=\s*["'](\d+)["']""")
_T_ERROR = re.compile(rb"""(?:^|\s)t\s*=\s*["']e["']""")
_VALUE = re.compile(rb"(?:\s|<(?:[\w.-]+:)?f\b[^>]*?/>|<(?:[\w.-]+:)?f\b[^>]*>[^<]*</(?:[\w.-]+:)?f>)*"
                    rb"<(?:[\w.-]+:)?v>([^<]*)<")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass
class SheetScan:
    max_row: int = 1
    max_column: int = 1
    percent: set[tuple[int, int]] = field(default_factory=set)  # (row, column) of numbers shown as %
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # cached error values
    formulas: bool = False
    row_limit: int = 0  # sheets longer than this are not parsed (the reader refuses them)
    merged: list[str] = field(default_factory=list)  # merged ranges ("A3:A5")

    @property
    def dense_ok(self) -> bool:
        return self.max_row > self.row_limit or self.max_row * self.max_column <= DENSE_CELLS


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {m.group(1).split(b":")[-1]: (m.group(2) if m.group(2) is not None else m.group(3))
            for m in _ATTR.finditer(raw)}


@functools.lru_cache(maxsize=4096)
def _column_number(letters: bytes) -> int:
    """``book.column_number`` for the raw bytes of the sheet XML (no decoding per cell)."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def scan(path: Path) -> _Scans:
    """Refuse entity declarations in any XML part; per worksheet name, what ``SheetScan`` holds.
    A sheet the package structure does not lead to is left out (openpyxl then reads it)."""

    try:
        with zipfile.ZipFile(path) as archive:
            parts = {info.filename: archive.read(info) for info in archive.infolist()
                     if info.filename.endswith((".xml", ".rels")) or "." not in info.filename.rsplit("/", 1)[-1]}
    except Exception as exc:  # a damaged part (CRC, deflate), an encrypted member
        raise _fail(f"无法读取工作簿（文件可能已损坏或不是 .xlsx）: {exc}", path) from exc
    for data in parts.values():
        if any(marker in data for marker in _ENTITY):
            raise _fail(_DTD_REFUSED, path)
    try:
        sheet_parts = _sheet_parts(parts)
        percent_styles = _percent_styles(parts, sheet_parts.pop("", None))
    except Exception:  # an unusual package: openpyxl reads every sheet, as before
        return _Scans({}, set(), MAX_ROWS)
    return _Scans({name: parts[part] for name, part in sheet_parts.items() if part in parts}, percent_styles,
                  MAX_ROWS)


class _Scans:
    """Sheet name -> SheetScan, each sheet scanned when first asked for (only the sheets read)."""

    def __init__(self, xml: dict[str, bytes], percent_styles: set[bytes], row_limit: int):
        self._xml, self._percent, self._row_limit = xml, percent_styles, row_limit
        self._done: dict[str, SheetScan] = {}

    def get(self, name: str) -> SheetScan | None:
        if name not in self._done and name in self._xml:
            self._done[name] = _scan_sheet(self._xml.pop(name), self._percent)
            self._done[name].row_limit = self._row_limit
        return self._done.get(name)


def _xml(data: bytes):
    from defusedxml.ElementTree import fromstring

    return fromstring(data)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in (PurePosixPath(base).parent / target).parts:
        if piece == "..":
            parts and parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _rels(parts: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) of one part."""
    p = PurePosixPath(part)
    rels = parts.get(str(p.parent / "_rels" / f"{p.name}.rels").lstrip("./"))
    if rels is None:
        return {}
    return {el.get("Id", ""): (el.get("Type", ""), _resolve(part, el.get("Target", "")))
            for el in _xml(rels) if _local(el.tag) == "Relationship"}


def _sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> its XML part; under "" the styles part."""
    workbook = next(target for kind, target in _rels(parts, "").values() if kind.endswith("/officeDocument"))
    rels = _rels(parts, workbook)
    found = {}
    for el in _xml(parts[workbook]).iter():
        if _local(el.tag) == "sheet" and (rid := el.get(f"{{{_REL_NS}}}id")) in rels:
            found[el.get("name", "")] = rels[rid][1]
    styles = [target for kind, target in rels.values() if kind.endswith("/styles")]
    if styles:
        found[""] = styles[0]
    return found


_PERCENT_BUILTIN = {9, 10}  # 0% and 0.00%; every other built-in format has no percent sign


def _percent_styles(parts: dict[str, bytes], styles: str | None) -> set[bytes]:
    """The ``s`` attribute values (cellXfs indexes) of percent number formats, as openpyxl judges a
    cell's ``number_format``: a "%" anywhere in the format code."""
    if styles is None or styles not in parts:
        return set()
    root = _xml(parts[styles])
    custom = {}
    for el in root.iter():
        if _local(el.tag) == "numFmt":
            custom[int(el.get("numFmtId", "-1"))] = el.get("formatCode", "")
    found = set()
    for el in root:
        if _local(el.tag) == "cellXfs":
            for index, xf in enumerate(x for x in el if _local(x.tag) == "xf"):
                fmt_id = int(xf.get("numFmtId", "0"))
                if fmt_id in _PERCENT_BUILTIN or "%" in custom.get(fmt_id, ""):
                    found.add(str(index).encode())
    return found


def _scan_sheet(xml: bytes, percent_styles: set[bytes]) -> SheetScan:
    """One pass over a worksheet's tags: extent, percent cells, error values, formulas."""
    result = SheetScan()
    max_row = max_col = 0
    row = col = 0
    in_sheet_data = xml.find(b"sheetData")
    for match in _TAG.finditer(xml, max(in_sheet_data, 0)):
        kind, raw, letters, digits = match.groups()
        if kind == b"f":
            result.formulas = True
            continue
        if kind == b"row":
            if digits is not None and not letters:  # <row r="5" …>
                row = int(digits)
            else:
                attrs = _attrs(raw)
                row = int(attrs[b"r"]) if attrs.get(b"r", b"").isdigit() else row + 1
            col = 0
            continue
        if letters:  # <c r="B5" …>: the usual form
            col, row = _column_number(letters), int(digits)
        elif ref := _R_ATTR.search(raw):  # r elsewhere among the attributes; anything else goes through _attrs
            col, row = _column_number(ref.group(1)), int(ref.group(2))
        elif (ref := _REF.fullmatch(_attrs(raw).get(b"r", b""))) and ref.group(1) and ref.group(2):
            col, row = _column_number(ref.group(1)), int(ref.group(2))
        else:
            col += 1
        if row > max_row:
            max_row = row
        if col > max_col:
            max_col = col
        if percent_styles and (style := _S_ATTR.search(raw)) and style.group(1) in percent_styles:
            result.percent.add((row, col))
        if b"t" in raw and not raw.endswith(b"/") and _T_ERROR.search(raw):
            if value := _VALUE.match(xml, match.end()):
                result.errors[(row, col)] = value.group(1).decode("utf-8", "replace")
    result.max_row, result.max_column = max(max_row, 1), max(max_col, 1)
    merges = xml.find(b"mergeCells", max(in_sheet_data, 0))
    if merges >= 0:
        result.merged = [m.group(1).decode("ascii") for m in _MERGE.finditer(xml, merges)]
    return result


def _chain(exc: BaseException | None) -> list[BaseException]:
    """The exception and those it was raised from (openpyxl wraps the XML parser's)."""
    found: list[BaseException] = []
    while exc is not None and exc not in found:
        found.append(exc)
        exc = exc.__cause__ or exc.__context__
    return found
