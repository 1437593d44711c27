"""tests/xlsx_edit.py, the tests' quick cell editor: a workbook it edits reads exactly as the same
edits made through openpyxl (load, assign, save), through openpyxl and through reportgen's reader."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from reportgen.workbook.reader import open_workbook, read_sheets
from tests.conftest import CORE
from tests.test_workbook_defences import _rewrite_part, _tiny_workbook, _with_strings
from tests.xlsx_edit import MAIN, Formula, cell_values, set_cell, set_cells

EDITS: dict[str, dict[str, object]] = {
    "收入": {
        "B2": "约50万",  # a number cell given text
        "C2": 1163,  # int
        "D2": 45.5,  # float
        "K2": Decimal("8.25"),
        "A3": "  前后有空格\n第二行  ",
        "B3": 1e300,
        "C3": 10 ** 13,
        "D3": None,  # emptied, style kept
        "M2": "新单元格",  # past the row's last cell
        "B30": 7,  # a new row past the last
    },
    "基本信息": {"B2": "新的单位名称", "B11": True, "B12": False, "B26": dt.date(2027, 4, 1)},  # B26: a date cell
    "支出": {"C2": Formula("=B2-D2")},  # openpyxl: "=B2-D2"
}


def _openpyxl_value(value: object) -> object:
    return value.text if isinstance(value, Formula) else value


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The example core workbook, and copies with ``EDITS`` made by openpyxl and by xlsx_edit."""
    from tests.conftest import _example_core_bytes

    folder = tmp_path_factory.mktemp("xlsx-edit")
    src = folder / "src.xlsx"
    src.write_bytes(_example_core_bytes(folder))
    wb = openpyxl.load_workbook(src)
    for sheet, cells in EDITS.items():
        for ref, value in cells.items():
            wb[sheet][ref] = _openpyxl_value(value)
    wb.save(folder / "openpyxl.xlsx")
    return src, folder / "openpyxl.xlsx", set_cells(src, folder / "fast.xlsx", EDITS)


def _cells(path: Path) -> dict[str, dict[str, tuple]]:
    """Every cell that has a value or a style: its value, type and style (as text), per sheet."""
    wb = openpyxl.load_workbook(path)
    styles: dict[int, tuple[str, ...]] = {}

    def style(c) -> tuple[str, ...]:
        if c.style_id not in styles:
            styles[c.style_id] = (c.number_format, *map(repr, (c.font, c.fill, c.border, c.alignment, c.protection)))
        return styles[c.style_id]

    return {ws.title: {c.coordinate: (c.value, c.data_type, *style(c))
                       for row in ws.iter_rows() for c in row if c.value is not None or c.has_style}
            for ws in wb}


def test_edits_read_back_through_openpyxl_as_openpyxl_made_them(both) -> None:
    src, slow, fast = both
    made, edited = _cells(slow), _cells(fast)
    assert edited == made
    before = _cells(src)
    assert edited["收入"]["B2"][:2] == ("约50万", "s") and before["收入"]["B2"][0] == 52.36
    assert edited["收入"]["D3"][0] is None and edited["收入"]["D3"][2:] == before["收入"]["D3"][2:]  # style kept
    assert edited["收入"]["B2"][2:] == before["收入"]["B2"][2:]
    assert edited["支出"]["C2"][:2] == ("=B2-D2", "f")
    assert (edited["收入"]["C3"][0], edited["收入"]["B3"][0], edited["基本信息"]["B11"][0]) == (10 ** 13, 1e300, True)
    assert type(edited["收入"]["C2"][0]) is int and edited["收入"]["B30"][0] == 7
    assert edited["基本信息"]["B26"][:3] == (dt.datetime(2027, 4, 1), "d", before["基本信息"]["B26"][2])


def test_cell_values_reads_as_openpyxl_does(both) -> None:
    """Every sheet's values and their types, before and after the edits (formula, bools, a date)."""
    for path in both[1:]:
        for ws in openpyxl.load_workbook(path):
            expected = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
            found = cell_values(path, ws.title)
            assert found == expected and [type(v) for v in found.values()] == [type(v) for v in expected.values()]
    assert cell_values(both[2], "支出")["C2"] == "=B2-D2" and cell_values(both[2], "基本信息")["B11"] is True


def test_shared_and_rich_strings_are_read_and_replaced(tmp_path: Path) -> None:
    path = _with_strings(_tiny_workbook(tmp_path / "t.xlsx", [["正文"]]), "共享", ["内联"])
    _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        "</sheetData>", '<row r="9"><c r="A9" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c></row>'
                        "</sheetData>"))
    expected = {"A1": "正文", "A2": "共享", "A3": "内联", "A9": "富文本"}
    assert cell_values(path, "收入") == expected == {
        c.coordinate: c.value for row in openpyxl.load_workbook(path)["收入"].iter_rows() for c in row if c.value}
    set_cells(path, path, {"收入": {"A2": 2.5, "A9": "平"}})
    assert cell_values(path, "收入") == expected | {"A2": 2.5, "A9": "平"}
    assert openpyxl.load_workbook(path)["收入"]["A2"].value == 2.5


def test_edits_read_back_through_reportgen_as_openpyxl_made_them(both) -> None:
    src, slow, fast = both
    made, edited = (read_sheets(open_workbook(p), CORE, p) for p in (slow, fast))
    assert edited.values == made.values and edited.refs == made.refs
    assert [str(f) for f in edited.findings] == [str(f) for f in made.findings]
    assert edited.values["unit"]["name"] == "新的单位名称"
    assert edited.values["income"][0]["general_budget"] == Decimal("1163")
    messages = [str(f) for f in edited.findings]
    assert any(m.startswith('收入!B2 W502 上年结转: 应为数字, 实际为 "约50万"') for m in messages), messages
    assert any(m.startswith("支出!C2 W512 人员经费: 公式 =B2-D2 没有计算结果") for m in messages), messages


def test_only_the_edited_sheets_change(both) -> None:
    src, _, fast = both
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(fast) as b:
        assert [i.filename for i in a.infolist()] == [i.filename for i in b.infolist()]
        changed = {i.filename for i in a.infolist() if a.read(i) != b.read(i.filename)}
        assert all(a.getinfo(n).compress_type == b.getinfo(n).compress_type for n in a.namelist())
    assert changed == {"xl/worksheets/sheet2.xml", "xl/worksheets/sheet5.xml", "xl/worksheets/sheet6.xml"}


def _tiny(path: Path) -> Path:
    """Sheet "S": A1, C1 and A3 (no row 2), each styled."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for ref in ("A1", "C1", "A3"):
        ws[ref] = ref
        ws[ref].number_format = "0.00"
    wb.save(path)
    return path


def _layout(path: Path, part: str = "xl/worksheets/sheet1.xml") -> list[list[str]]:
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read(part))
    return [[c.get("r") for c in row] for row in root.iter(f"{{{MAIN}}}row")]


def test_new_cells_and_rows_go_in_order(tmp_path: Path) -> None:
    path = _tiny(tmp_path / "t.xlsx")
    set_cells(path, path, {"S": {"B1": 1, "D1": 2, "A2": "二", "B3": 3, "A5": 5, "B4": 4}})
    assert _layout(path) == [["A1", "B1", "C1", "D1"], ["A2"], ["A3", "B3"], ["B4"], ["A5"]]
    ws = openpyxl.load_workbook(path)["S"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["A1", 1, "C1", 2], ["二", None, None, None], ["A3", 3, None, None], [None, 4, None, None],
        [5, None, None, None]]
    assert (ws.max_row, ws.max_column, ws.calculate_dimension()) == (5, 4, "A1:D5")
    with zipfile.ZipFile(path) as archive:
        assert b'<dimension ref="A1:D5"/>' in archive.read("xl/worksheets/sheet1.xml")


def test_text_is_text_and_none_keeps_the_style(tmp_path: Path) -> None:
    path = set_cells(_tiny(tmp_path / "t.xlsx"), tmp_path / "u.xlsx",
                     {"S": {"A1": "=HYPERLINK(\"x\")", "C1": None, "A3": "#N/A"}})
    ws = openpyxl.load_workbook(path)["S"]
    assert (ws["A1"].value, ws["A1"].data_type) == ('=HYPERLINK("x")', "s")
    assert (ws["A3"].value, ws["A3"].data_type) == ("#N/A", "s")
    assert ws["C1"].value is None and ws["C1"].number_format == "0.00"
    assert ws["A1"].number_format == "0.00"


def test_a_float_is_written_exactly_and_formulas_lose_their_cached_value(tmp_path: Path) -> None:
    path = _tiny(tmp_path / "t.xlsx")
    set_cell(path, "S", "A1", 0.1 + 0.2)
    assert openpyxl.load_workbook(path)["S"]["A1"].value == 0.1 + 0.2
    wb = openpyxl.Workbook()
    wb.active.title = "S"
    wb.active["A1"] = "=1+1"
    wb.save(path)
    with zipfile.ZipFile(path) as archive:  # give the formula a cached value, as Excel would
        xml = archive.read("xl/worksheets/sheet1.xml").replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>")
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    members["xl/worksheets/sheet1.xml"] = xml
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert openpyxl.load_workbook(path, data_only=True)["S"]["A1"].value == 2
    set_cell(path, "S", "A1", Formula("=1+2"))
    assert openpyxl.load_workbook(path)["S"]["A1"].value == "=1+2"
    assert openpyxl.load_workbook(path, data_only=True)["S"]["A1"].value is None
    set_cell(path, "S", "A1", 4)
    assert openpyxl.load_workbook(path)["S"]["A1"].value == 4


@pytest.mark.parametrize(("edit", "error"), [
    ({"没有": {"A1": 1}}, KeyError),
    ({"S": {"a1": 1}}, ValueError),
    ({"S": {"A1": float("nan")}}, ValueError),
    ({"S": {"A1": Decimal("Infinity")}}, ValueError),
    ({"S": {"A1": dt.date(2026, 3, 31)}}, TypeError),  # "0.00" is no date format
    ({"S": {"A1": dt.time(12, 0)}}, TypeError),
])
def test_what_it_does_not_write_is_refused(tmp_path: Path, edit, error) -> None:
    path = _tiny(tmp_path / "t.xlsx")
    before = path.read_bytes()
    with pytest.raises(error):
        set_cells(path, path, edit)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]  # no temporary file left
