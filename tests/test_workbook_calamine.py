"""calamine reads workbooks; whatever it cannot tell is read as openpyxl read it before.

The reference is the same workbook read through openpyxl (``OpenpyxlBook``): values, cell refs
and findings must be equal.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from reportgen.formats.loader import resolve_format
from reportgen.formats.sheets import QUESTIONNAIRE_SHEET_KEY, workbook_schema
from reportgen.workbook import container
from reportgen.workbook.book import CalamineBook, OpenpyxlBook
from reportgen.workbook.reader import open_workbook, read_meta, read_sheets
from reportgen.workbook.schema import Field, TableSheet, WorkbookSchema
from tests.test_workbook_defences import _rewrite_part, _tiny_workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "inputs").glob("example*.xlsx"))


def _both(path: Path, schema: WorkbookSchema, raw: tuple[str, ...] = ()):
    book = open_workbook(path)
    assert isinstance(book, CalamineBook)
    fast = read_sheets(book, schema, path, raw_tables=raw)
    slow = read_sheets(OpenpyxlBook(openpyxl.load_workbook(path, data_only=True)), schema, path, raw_tables=raw)
    return fast, slow


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_read_the_same_as_through_openpyxl(path: Path) -> None:
    fmt = resolve_format(None, read_meta(open_workbook(path)).get("format"))
    raw = (QUESTIONNAIRE_SHEET_KEY,) if fmt.questionnaire is not None else ()
    fast, slow = _both(path, workbook_schema(fmt), raw)
    assert fast.values == slow.values and fast.refs == slow.refs and fast.raw_tables == slow.raw_tables
    assert [str(f) for f in fast.findings] == [str(f) for f in slow.findings]
    assert read_meta(open_workbook(path)) == read_meta(openpyxl.load_workbook(path))


def test_a_sheet_whose_values_start_away_from_a1_reads_each_cell_in_place(tmp_path: Path) -> None:
    """calamine's grid (empty area kept) starts at A1; reading it from the sheet's first value again
    put C3 at E5 and lost what was near the edge."""
    wb = openpyxl.Workbook()
    wb.active.title = "S"
    wb.active["C3"], wb.active["D4"], wb.active["E3"] = 5, "x", "末"
    path = tmp_path / "away.xlsx"
    wb.save(path)
    sheet = open_workbook(path)["S"]
    assert isinstance(open_workbook(path), CalamineBook)
    found = {(r, c): sheet.cell(r, c).content for r in range(1, 8) for c in range(1, 8)
             if sheet.cell(r, c).content is not None}
    assert found == {(3, 3): 5, (4, 4): "x", (3, 5): "末"}
    assert (sheet.max_row, sheet.max_column) == (4, 5)


SHEET = TableSheet("收入", "rows", (
    Field("text", "正文", "text"), Field("amount", "金额", "money"), Field("rate", "比率", "decimal"),
    Field("day", "日期", "date"), Field("flag", "是否", "yesno")))


def test_kinds_of_cell_content_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    path = _tiny_workbook(tmp_path / "wb.xlsx", [
        ["正文", "金额", "比率", "日期", "是否"],
        ["一", 12, 0.95, dt.datetime(2021, 9, 19), True],
        ["二", 12.5, 1, dt.datetime(2021, 9, 19, 10, 30), False],
        [3.0, -4, "95%", 44458, "是"],
        [dt.date(2021, 1, 2), 10 ** 13, 1e300, "2021年9月19日", "否"],
    ])
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["C2"].number_format = "0%"
    ws["C3"].number_format = "0.0%"
    ws["D5"].number_format = 'yyyy"年"m"月"d"日"'
    ws["A20"].number_format = "0.00"  # a formatted blank far below: openpyxl's max_row counts it
    wb.save(path)
    fast, slow = _both(path, WorkbookSchema((SHEET,)))
    assert fast.values == slow.values and fast.refs == slow.refs
    assert [str(f) for f in fast.findings] == [str(f) for f in slow.findings]
    assert fast.values["rows"][0]["rate"] is None  # 0.95 shown as 95%: not a plain number
    assert open_workbook(path)["收入"].max_row == 20


TWO = TableSheet("收入", "rows", (Field("text", "正文"), Field("amount", "金额", "money")))


def test_error_value_is_named_as_excel_shows_it(tmp_path: Path) -> None:
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["正文", "金额"], ["一", 1]])
    _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        '<c r="B2" t="n"><v>1</v></c>', '<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'))
    fast, slow = _both(path, WorkbookSchema((TWO,)))
    assert [str(f) for f in fast.findings] == [str(f) for f in slow.findings] == [
        '收入!B2 W502 金额: 应为数字, 实际为 "#DIV/0!"']


def test_formula_without_a_cached_value_is_named(tmp_path: Path) -> None:
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["正文", "金额"], ["一", "=1+1"]])
    required = TableSheet("收入", "rows", (Field("text", "正文"), Field("amount", "金额", "money", required=True)))
    fast, slow = _both(path, WorkbookSchema((required,)))
    assert [str(f) for f in fast.findings] == [str(f) for f in slow.findings] == [
        "收入!B2 W512 金额: 公式 =1+1 没有计算结果（请在 Excel/WPS 中打开并保存后再试，或直接填写数值）"]


def test_empty_required_cell_without_formulas_does_not_open_openpyxl(tmp_path, monkeypatch) -> None:
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["正文", "金额"], ["一", None]])
    required = TableSheet("收入", "rows", (Field("text", "正文"), Field("amount", "金额", "money", required=True)))
    monkeypatch.setattr(container, "load_openpyxl", lambda *a, **k: pytest.fail("openpyxl opened"))
    data = read_sheets(open_workbook(path), WorkbookSchema((required,)), path)
    assert [str(f) for f in data.findings] == ["收入!B2 W501 金额: 必填，不能为空"]


def test_cells_far_apart_are_read_sparsely(tmp_path: Path) -> None:
    """calamine would allocate rows x columns cells (here 10,000 x 16,384) and abort the process."""
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["正文", "金额"], ["一", 5]])
    _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        "</sheetData>", '<row r="9000"><c r="XFD9000" t="inlineStr"><is><t>远</t></is></c></row></sheetData>'))
    code = ("import sys; from pathlib import Path; from reportgen.workbook.reader import open_workbook, read_sheets;"
            "from reportgen.workbook.schema import *; p = Path(sys.argv[1]);"
            "s = TableSheet('收入', 'rows', (Field('text', '正文'), Field('amount', '金额', 'money')));"
            "print(read_sheets(open_workbook(p), WorkbookSchema((s,)), p).values)")
    proc = subprocess.run([sys.executable, "-c", f"import resource; resource.setrlimit(resource.RLIMIT_AS, "
                           f"(2 * 1024 ** 3, 2 * 1024 ** 3)); {code}", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "'text': '一', 'amount': Decimal('5')" in proc.stdout


def test_huge_sheet_is_refused_without_parsing(tmp_path: Path) -> None:
    path = _tiny_workbook(tmp_path / "wb.xlsx", [["正文"], ["一"]])
    _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'))
    data = read_sheets(open_workbook(path), WorkbookSchema((TableSheet("收入", "rows", (Field("text", "正文"),)),)),
                       path)
    assert [str(f) for f in data.findings] == [
        "收入 W511: 工作表“收入”有 1,048,576 行，超过上限 10,000 行（如下方有大量空白但带格式的行，请选中删除这些行后保存再试）"]


def test_check_does_not_import_openpyxl_or_numpy() -> None:
    code = ("import sys; from reportgen.cli import main; sys.argv = ['reportgen', 'check', sys.argv[1]];\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('openpyxl', 'numpy', 'matplotlib', 'docx', 'docxtpl') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT / "inputs" / "example.xlsx")],
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout[-2000:] + proc.stderr[-2000:]


@pytest.mark.parametrize(("cells", "extent", "errors"), [
    ('<row r="3"><c r="B3" s="1"/><c r="D3" t="e"><v>#N/A</v></c></row>', (3, 4), {(3, 4): "#N/A"}),
    # r after other attributes, single quotes, lower case: the same cells
    ("<row r='3'><c s='1' r='b3'/><c t='e' r='d3'><v>#N/A</v></c></row>", (3, 4), {(3, 4): "#N/A"}),
    # namespaced tags, as some writers write them
    ('<x:row r="3"><x:c r="B3"/><x:c r="D3" t="e"><x:v>#N/A</x:v></x:c></x:row>', (3, 4), {(3, 4): "#N/A"}),
    # no r at all: rows and cells counted in order
    ('<row><c/><c/></row><row><c/><c t="e"><v>#DIV/0!</v></c><c/></row>', (2, 3), {(2, 2): "#DIV/0!"}),
    # a row's r given, its cells' not; then a cell with an r of digits only (counted on from the last)
    ('<row r="7"><c/><c/></row><row r="9"><c r="C9"/><c r="5"/></row>', (9, 4), {}),
])
def test_the_scan_finds_each_cell_however_its_place_is_written(cells: str, extent: tuple[int, int],
                                                                errors: dict[tuple[int, int], str]) -> None:
    """The scan that sizes a sheet and finds its error values, before calamine reads it: hand-counted places
    for the forms a spreadsheet program may write a cell's place in."""
    xml = f'<worksheet><sheetData>{cells}</sheetData></worksheet>'.encode()
    scan = container._scan_sheet(xml, set())
    assert (scan.max_row, scan.max_column) == extent
    assert scan.errors == errors
