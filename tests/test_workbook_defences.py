"""Workbooks that could make the reader pick a wrong number, or none, without saying so.

Each defence gives a Chinese message naming the file, sheet or cell; none may take long.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from reportgen.errors import ReportgenError
from reportgen.workbook import container
from reportgen.workbook.reader import open_workbook, parse_cell
from reportgen.workbook.schema import Field


def _rewrite_part(path: Path, part: str, edit: Callable[[str], str]) -> Path:
    """Rewrite one XML part of an .xlsx (zip) in place."""
    with zipfile.ZipFile(path) as src:
        parts = {info.filename: src.read(info) for info in src.infolist()}
    parts[part] = edit(parts[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in parts.items():
            dst.writestr(name, content)
    return path


def _tiny_workbook(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "收入"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _refused(path: Path) -> str:
    with pytest.raises(ReportgenError) as exc:
        open_workbook(path)
    return str(exc.value)


# --- the file before openpyxl parses it -----------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_encrypted_xlsx_is_named_as_such(tmp_path) -> None:
    # an encrypted .xlsx is an OLE file whose directory names an EncryptionInfo stream (UTF-16LE)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(_OLE + b"\0" * 600 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100)
    message = _refused(path)
    assert "工作簿设置了打开密码（已加密），请在 Excel/WPS 中取消密码后另存为 .xlsx 再试" in message
    assert "旧版" not in message


def test_encryption_info_across_a_chunk_boundary(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(container, "_CHUNK", 16)  # the name spans three chunks
    path = tmp_path / "locked.xlsx"
    path.write_bytes(_OLE + b"\0" * 3 + "EncryptionInfo".encode("utf-16-le"))
    assert "已加密" in _refused(path)


def test_plain_ole_file_is_an_old_xls(tmp_path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(_OLE + b"\0" * 600 + "Workbook".encode("utf-16-le") + b"\0" * 100)
    message = _refused(path)
    assert "这是旧版 .xls/.et 格式的文件" in message
    assert str(path) in message


def test_file_type_is_told_from_its_first_bytes_only(tmp_path, monkeypatch) -> None:
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["机构名称", "上年结转"]])

    def whole_file(self) -> bytes:
        raise AssertionError("the whole file was read to find its type")

    monkeypatch.setattr(Path, "read_bytes", whole_file)
    assert open_workbook(path).sheetnames == ["收入"]


def test_too_large_when_unpacked_is_refused_before_parsing(tmp_path, monkeypatch) -> None:
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["机构名称", "上年结转"]])
    monkeypatch.setattr(container, "MAX_UNPACKED_BYTES", 1024)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("parsed anyway"))
    message = _refused(path)
    assert "工作簿解压后有" in message and "超过上限" in message


def test_xml_entity_bomb_is_refused_quickly(tmp_path) -> None:
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["机构名称", "上年结转"]])
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    dtd = f'<!DOCTYPE worksheet [<!ENTITY lol0 "lol">{entities}]>'

    def bomb(xml: str) -> str:
        cell = '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        return dtd + xml.replace("</sheetData>", cell + "</sheetData>")

    _rewrite_part(path, "xl/worksheets/sheet1.xml", bomb)
    started = time.perf_counter()
    message = _refused(path)
    assert time.perf_counter() - started < 5
    assert "工作簿内含 XML 实体声明（DTD），为安全起见拒绝读取" in message


# --- numbers: parse_cell is the one parser ----------------------------------------------------------

MONEY = Field("carryover", "上年结转", "money", allow_negative=True)


@pytest.mark.parametrize(("typed", "expected"), [
    ("1,234.56", D("1234.56")),
    ("1，234.56", D("1234.56")),
    ("12,345,678", D("12345678")),
    ("-1,234", D("-1234")),
    ("1234.5", D("1234.5")),
    (".5", D("0.5")),
    ("999,999,999,999.99", D("999999999999.99")),
    (999999999999.99, D("999999999999.99")),
])
def test_numbers_that_stay_fine(typed, expected) -> None:
    assert parse_cell(typed, MONEY) == (expected, None)


@pytest.mark.parametrize(("typed", "expected"), [
    ("1,5", '千位分隔符位置不对, 实际为 "1,5"'),
    ("12,34.5", '千位分隔符位置不对, 实际为 "12,34.5"'),
    ("1,,234", '千位分隔符位置不对, 实际为 "1,,234"'),
    (float("inf"), '数值过大, 实际为 "inf"'),
    (float("nan"), '数值过大, 实际为 "nan"'),
    (-(10 ** 12), '数值过大, 实际为 "-1000000000000"'),
    ("1000000000000.00", '数值过大, 实际为 "1000000000000.00"'),
])
def test_numbers_that_are_refused(typed, expected) -> None:
    value, problem = parse_cell(typed, MONEY)
    assert value is None
    assert problem is not None and problem.startswith(expected)


def test_blank_workbook_offers_only_plausible_years(write_core) -> None:
    ws = openpyxl.load_workbook(write_core())["基本信息"]
    year = next(dv for dv in ws.data_validations.dataValidation if "B3" in str(dv.sqref))
    assert (year.type, year.operator, year.formula1, year.formula2) == ("whole", "between", "2000", "2100")
