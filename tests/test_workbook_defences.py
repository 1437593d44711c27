"""Workbooks that could make the reader pick a wrong number, or none, without saying so.

Each defence gives a Chinese message naming the file, sheet or cell; none may take long.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import zipfile
from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from reportgen.cells import parse_cell
from reportgen.errors import ReportgenError
from reportgen.model.report import Unit
from reportgen.workbook import container, reader
from reportgen.workbook.reader import open_workbook, read_sheets
from reportgen.workbook.schema import Field, TableSheet, WorkbookSchema, sheet_of
from tests.test_workbook_errors import _edit, _messages


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


def _rename_sheet(path: Path, title: str) -> Path:
    wb = openpyxl.load_workbook(path)
    wb.active.title = title
    wb.save(path)
    return path


def _refused(path: Path) -> str:
    with pytest.raises(ReportgenError) as exc:
        open_workbook(path)
    return str(exc.value)


# --- the file before openpyxl parses it -----------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.skipif(os.name == "nt", reason="named pipes and /dev/zero")
def test_only_a_regular_file_is_opened(tmp_path) -> None:
    """Issue 20: an .xlsx linked to /dev/zero was read until the OOM killer came, a named pipe
    blocked for ever; now both are refused without being opened, in check, build and batch."""
    from click.testing import CliRunner

    from reportgen.cli import main

    county = tmp_path / "县"
    county.mkdir()
    (county / "zero.xlsx").symlink_to("/dev/zero")
    os.mkfifo(county / "pipe.xlsx")
    # were the pipe opened, this writer would let the test end (with a wrong answer) instead of hanging
    threading.Thread(target=lambda: (time.sleep(5), open(county / "pipe.xlsx", "wb").close()), daemon=True).start()
    shutil.copy(Path(__file__).resolve().parents[1] / "inputs" / "example-yueyang-2020.xlsx", county / "ok.xlsx")
    message = "不是普通文件（是设备、管道或指向它们的链接），不是 Excel 工作簿，不予读取"
    for name in ("zero.xlsx", "pipe.xlsx"):
        for args in (["check", str(county / name)], ["build", str(county / name), "-o", str(tmp_path / "out")]):
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 2 and f"错误  {county / name} W500: {message}" in result.output, result.output
    result = CliRunner().invoke(main, ["batch", str(county), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "已生成 1 个，未生成 2 个" in result.output and "工作进程" not in result.output
    assert result.output.count(message) == 2


def test_values_accepted_quietly_before_are_errors_at_their_cells(tmp_path) -> None:
    """Issue 20: "5²" was read as 52, a 填报日期 2099 or a survey dated 9999 printed as is, a unit name of
    20,000 characters was blamed on a built-in template (T440, in English), a project name of only a
    zero-width space made files named "_2025_…"."""
    import datetime as dt

    from click.testing import CliRunner

    from reportgen.cli import main

    path = tmp_path / "wb.xlsx"
    wb = openpyxl.load_workbook(Path(__file__).resolve().parents[1] / "inputs" / "example.xlsx")
    wb["基本信息"]["B2"] = "局" * 20_000
    wb["基本信息"]["B26"] = dt.datetime(2099, 3, 31)
    wb["收入"]["B2"] = "5²"
    wb["项目"]["A2"] = "\u200b"
    wb["问卷"]["B2"] = "9999-12-31"
    wb["问卷"]["B3"] = dt.datetime(2099, 5, 1)
    wb.save(path)
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("错误  ")]
    assert errors == [
        "错误  基本信息!B2 W502 单位名称: 内容过长（20,000 个字符，上限 200），请检查是否误粘贴了其他内容",
        '错误  收入!B2 W502 上年结转: 应为数字, 实际为 "5²"',
        "错误  项目!A2 W501 项目名称: 必填，不能为空",
        "错误  问卷!B2 W502 调查时间: 日期不合理（年份应在 1900 到 2100 之间）, 实际为 9999-12-31",
        "错误  问卷!B3 W502 调查时间: 日期与评价年度 2025 相差太远（应在 2023 到 2027 年之间）, 实际为 2099-05-01",
    ], result.output
    assert not (tmp_path / "out").exists()
    wb["基本信息"]["B2"], wb["收入"]["B2"], wb["项目"]["A2"] = "青山县医疗保障局", 0, "医疗保障基金监管经费"
    wb["问卷"]["B2"] = wb["问卷"]["B3"] = dt.datetime(2025, 9, 19)
    wb.save(path)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert "错误  基本信息!B26 C624 填报日期: 日期与评价年度 2025 相差太远（应在 2023 到 2027 年之间）, 实际为 2099-03-31" \
        in result.output, result.output


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


def test_cli_exits_2_on_an_encrypted_workbook(tmp_path) -> None:
    from click.testing import CliRunner

    from reportgen.cli import main

    path = tmp_path / "locked.xlsx"
    path.write_bytes(_OLE + "EncryptionInfo".encode("utf-16-le"))
    result = CliRunner().invoke(main, ["check", str(path)], catch_exceptions=False)
    assert result.exit_code == 2
    assert "工作簿设置了打开密码（已加密）" in result.output and "Traceback" not in result.output


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
YEAR = next(f for f in sheet_of(Unit).fields if f.key == "year")


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
    ("1,5", '千位分隔符位置不对, 实际为 "1,5"（应从个位起每三位一组，如 1,234.56；小数点请用“.”）'),
    ("1，5", '千位分隔符位置不对, 实际为 "1，5"'),
    (",5", '千位分隔符位置不对, 实际为 ",5"'),
    ("1,23,456", '千位分隔符位置不对, 实际为 "1,23,456"'),
    ("0,123", '千位分隔符位置不对, 实际为 "0,123"'),  # a decimal comma, not 123
    ("1234,567", '千位分隔符位置不对, 实际为 "1234,567"'),
    ("12,34.5", '千位分隔符位置不对, 实际为 "12,34.5"'),
    ("1,,234", '千位分隔符位置不对, 实际为 "1,,234"'),
    (float("inf"), '数值过大, 实际为 "inf"'),
    (float("nan"), '数值过大, 实际为 "nan"'),
    (-(10 ** 12), '数值过大, 实际为 "-1000000000000"'),
    ("1000000000000.00", '数值过大, 实际为 "1000000000000.00"'),
    ("1,000,000,000,000", '数值过大, 实际为 "1,000,000,000,000"（绝对值应小于 1,000,000,000,000；金额单位为万元）'),
    ("1e300", '应为数字, 实际为 "1e300"'),
])
def test_numbers_that_are_refused(typed, expected) -> None:
    value, problem = parse_cell(typed, MONEY)
    assert value is None
    assert problem is not None and problem.startswith(expected)


@pytest.mark.parametrize(("typed", "expected"), [
    (1999, "应在 2000 到 2100 之间, 实际为 1999"),
    (25, "应在 2000 到 2100 之间, 实际为 25"),
    ("20255", "应在 2000 到 2100 之间, 实际为 20255"),
    (10 ** 13, '数值过大, 实际为 "10000000000000"（绝对值应小于 1,000,000,000,000）'),
])
def test_implausible_years(typed, expected) -> None:
    assert parse_cell(typed, YEAR) == (None, expected)


@pytest.mark.parametrize("typed", [2000, 2025, "2,025", 2100.0])
def test_plausible_years(typed) -> None:
    assert parse_cell(typed, YEAR) == (int(str(typed).replace(",", "").removesuffix(".0")), None)


def test_blank_workbook_offers_only_plausible_years(write_core) -> None:
    ws = openpyxl.load_workbook(write_core())["基本信息"]
    year = next(dv for dv in ws.data_validations.dataValidation if "B3" in str(dv.sqref))
    assert (year.type, year.operator or "between", year.formula1, year.formula2) == ("whole", "between", "2000", "2100")  # absent: between


# --- labels and headers: never "the first (or last) one wins" ----------------------------------------

def test_duplicated_table_header_names_both_cells(write_core) -> None:
    path = _edit(write_core(), "收入", "G1", " 上年结转")  # normalises to the same label
    assert _messages(path) == [
        "收入!B1、收入!G1 W507 上年结转: 表头重复：有 2 列都是“上年结转”，无法确定该读哪一列，请删除其中一列"]


def test_duplicated_key_value_label_names_both_cells(write_core) -> None:
    path = write_core()
    _edit(path, "基本信息", "A19", "单位名称")
    _edit(path, "基本信息", "B19", "另一个局")
    assert _messages(path) == [
        "基本信息!A2、基本信息!A19 W505 单位名称: “单位名称”这一行出现了 2 次，无法确定该读哪一行，请删除其中一行"]


SURVEY = TableSheet("问卷", "survey", (Field("number", "问卷编号"), Field("q1", "Q1")))


def test_duplicated_header_in_a_raw_table_is_not_handed_over(tmp_path) -> None:
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["问卷编号", "Q1", "Q1"], ["1", "满意", "不满意"]])
    path = _rename_sheet(path, "问卷")
    data = read_sheets(open_workbook(path), WorkbookSchema((SURVEY,)), path, raw_tables=("survey",))
    assert [str(f) for f in data.findings] == [
        "问卷!B1、问卷!C1 W507 Q1: 表头重复：有 2 列都是“Q1”，无法确定该读哪一列，请删除其中一列"]
    assert "survey" not in data.raw_tables  # the tally would count one column or the other


def test_three_equal_headers(tmp_path) -> None:
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["问卷编号", "Q1", "Q1", "Q 1"]])
    path = _rename_sheet(path, "问卷")
    data = read_sheets(open_workbook(path), WorkbookSchema((SURVEY,)), path, raw_tables=("survey",))
    assert [str(f) for f in data.findings] == [
        "问卷!B1、问卷!C1、问卷!D1 W507 Q1: 表头重复：有 3 列都是“Q1”，无法确定该读哪一列，请只保留其中一列"]


# --- cell text: Excel's escapes decoded once, oversized or invisible content refused -----------------

TEXT = TableSheet("收入", "notes", (Field("text", "正文", "longtext"),))


def _with_strings(path: Path, shared: str, inline: list[str]) -> Path:
    """Put ``shared`` in A2 through sharedStrings.xml and ``inline`` below it as inline strings."""
    cells = '<row r="2"><c r="A2" t="s"><v>0</v></c></row>' + "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c></row>'
        for i, text in enumerate(inline, start=3))
    _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("</row></sheetData>",
                                                                              f"</row>{cells}</sheetData>"))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/sharedStrings.xml",
                         '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
                         f'uniqueCount="1"><si><t xml:space="preserve">{shared}</t></si></sst>')
    return _rewrite_part(path, "[Content_Types].xml", lambda xml: xml.replace("</Types>", (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')))


def _texts(path: Path) -> tuple[list, list[str]]:
    data = read_sheets(open_workbook(path), WorkbookSchema((TEXT,)), path)
    return [r["text"] for r in data.values.get("notes", [])], [str(f) for f in data.findings]


def test_excel_escapes_are_decoded(tmp_path) -> None:
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["正文"]])
    _with_strings(path, "第一行_x000D_\n第二行", ["甲_x000D_\n乙_x0009_丙", "文件名_x005F_x000D_.txt", "单独_x000d_回车"])
    # openpyxl leaves the escapes in; the reader decodes them exactly once
    assert openpyxl.load_workbook(path)["收入"]["A2"].value == "第一行_x000D_\n第二行"
    texts, findings = _texts(path)
    assert texts == ["第一行\n第二行", "甲\n乙\t丙", "文件名_x000D_.txt", "单独\n回车"]
    assert findings == []


def test_control_characters_are_refused(tmp_path) -> None:
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["正文"]])
    _with_strings(path, "正常", ["响铃_x0007_", "半个_xD83D_字"])
    texts, findings = _texts(path)
    assert findings == ["收入!A3 W503 正文: 含有不可见的控制字符（U+0007），请删除后再试",
                        "收入!A4 W503 正文: 含有不可见的控制字符（U+D83D），请删除后再试"]


def test_word_manual_line_break_is_a_newline(tmp_path) -> None:
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["正文"]])
    _with_strings(path, "第一行_x000B_第二行", [])
    assert _texts(path) == (["第一行\n第二行"], [])


def test_escaped_astral_character(tmp_path) -> None:
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["正文"]])
    _with_strings(path, "笑_xD83D__xDE00_", [])
    assert _texts(path) == (["笑\U0001F600"], [])


def test_overlong_cell_text_names_the_cell(tmp_path) -> None:
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["正文"], ["字" * 20_001], ["字" * 20_000]])
    texts, findings = _texts(path)
    assert findings == ["收入!A2 W503 正文: 内容过长（20,001 个字符，上限 20,000），请检查是否误粘贴了大段内容"]
    assert texts == [None, "字" * 20_000]


def test_overlong_text_in_a_raw_table(tmp_path) -> None:
    path = _rename_sheet(_tiny_workbook(tmp_path / "wb.xlsx", [["问卷编号", "Q1"], ["1", "满" * 20_001]]), "问卷")
    data = read_sheets(open_workbook(path), WorkbookSchema((SURVEY,)), path, raw_tables=("survey",))
    assert [str(f) for f in data.findings] == [
        "问卷!B2 W503 Q1: 内容过长（20,001 个字符，上限 20,000），请检查是否误粘贴了大段内容"]


# --- sheet size ---------------------------------------------------------------------------------------

def test_sheet_with_too_many_rows_is_named_and_not_read(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(reader, "MAX_ROWS", 5)
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["正文"]] + [["段落"]] * 5)
    texts, findings = _texts(path)
    assert findings == ["收入 W511: 工作表“收入”有 6 行，超过上限 5 行（如下方有大量空白但带格式的行，请选中删除这些行后保存再试）"]
    assert texts == []
