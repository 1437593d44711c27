"""The workbook file itself, judged before and while openpyxl parses it.

``load`` returns an openpyxl workbook or raises one ``ReportgenError`` with a Chinese message saying
what the clerk should do. Every check before parsing reads a bounded amount: the first bytes for
the file type, the zip directory for the unpacked size, at most ``MAX_UNPACKED_BYTES`` of an OLE
file to tell a password-protected workbook from an old .xls. XML entity declarations (entity
bombs) are refused while parsing because ``defusedxml`` is installed, which openpyxl then uses.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

from reportgen.errors import Finding, ReportgenError

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # sum of the zip parts' uncompressed sizes
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: old .xls/.et, or an encrypted .xlsx
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")  # stream name in an OLE directory entry
_CHUNK = 1024 * 1024


def _fail(message: str, path: Path) -> ReportgenError:
    return ReportgenError(Finding(message, str(path)))


def _has_encryption_info(path: Path) -> bool:
    """Whether an OLE file's directory names an ``EncryptionInfo`` stream (bounded chunked scan)."""
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
    with path.open("rb") as f:
        head = f.read(len(_OLE_MAGIC))
    if head.startswith(_OLE_MAGIC[:4]):
        if _has_encryption_info(path):
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


def load(path: Path, data_only: bool = True):
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
            raise _fail("工作簿内含 XML 实体声明（DTD），为安全起见拒绝读取；请在 Excel/WPS 中另存为 .xlsx 再试",
                        path) from exc
        raise _fail(f"无法读取工作簿（文件可能已损坏或不是 .xlsx）: {exc}", path) from exc


def _chain(exc: BaseException | None) -> list[BaseException]:
    """The exception and those it was raised from (openpyxl wraps the XML parser's)."""
    found: list[BaseException] = []
    while exc is not None and exc not in found:
        found.append(exc)
        exc = exc.__cause__ or exc.__context__
    return found
