"""The workbook as a clerk sees it: print setup, input colours and hints of the written workbook."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from reportgen.formats.loader import resolve_format
from reportgen.formats.sheets import workbook_schema
from reportgen.workbook.blank import write_workbook
from reportgen.workbook.schema import INSTRUCTIONS_SHEET, META_SHEET

ROOT = Path(__file__).resolve().parents[1]


# LibreOffice 7.4 with DejaVu Sans for Calibri (what a reviewer without Windows fonts sees) draws one
# column-width unit 0.0973 in wide (a column of width 60 prints 5.83 in); Excel's Calibri about 0.073 in
# + 0.05 in a column. A sheet that fits at LibreOffice's width fits in Excel and WPS too.
INCH_PER_UNIT = 0.0973
A4 = {"portrait": 8.27, "landscape": 11.69}
LEAST_PT = 8.8  # 80 % of 11 pt: the smallest text a clerk is asked to read on paper


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("print") / "blank.xlsx"
    write_workbook(workbook_schema(resolve_format("yueyang-2020")), path)
    return load_workbook(path)


@pytest.fixture(scope="module")
def national():
    """A unit's workbook in the default format (16-column 支出, questionnaire sheets), as shipped."""
    return (load_workbook(ROOT / "inputs" / "units" / "青山县第一中学.xlsx"),)


def _row_of(ws, label: str) -> int:
    return next(row for row in range(1, ws.max_row + 1) if ws.cell(row=row, column=1).value == label)


def widths(ws, columns: int | None = None) -> list[float]:
    """Each column's width as stored (a ``<col>`` entry may span several equal columns)."""
    found = {c: dim.width for dim in ws.column_dimensions.values() for c in range(dim.min, dim.max + 1)}
    return [found.get(c, 13) for c in range(1, (columns or ws.max_column) + 1)]


def printed_pages(ws) -> tuple[float, list[list[float]]]:
    """(scale, each printed page's column widths): one page wide when fitted, else the groups between
    the column breaks, each with the repeated columns at its left."""
    w = widths(ws)
    if ws.sheet_properties.pageSetUpPr.fitToPage:
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0), ws.title  # absent: the default, 1
        room = A4[ws.page_setup.orientation] - ws.page_margins.left - ws.page_margins.right
        return min(1.0, room / (sum(w) * INCH_PER_UNIT)), [w]
    repeat = column_index_from_string(ws.print_title_cols.split(":")[1].strip("$")) if ws.print_title_cols else 0
    cuts = [b.id for b in ws.col_breaks.brk]
    pages = [w[a:b] if a == 0 else w[:repeat] + w[a:b] for a, b in zip([0, *cuts], [*cuts, len(w)], strict=True)]
    return (ws.page_setup.scale or 100) / 100, pages  # absent: 100 %


def check_readable(book) -> None:
    """Every sheet: A4 with margins, every page inside them, no text printed below LEAST_PT."""
    for ws in book.worksheets:
        if ws.title == META_SHEET:
            continue
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert min(ws.page_margins.left, ws.page_margins.right) >= 0.5, ws.title
        assert min(ws.page_margins.top, ws.page_margins.bottom) >= 0.5, ws.title
        assert ws.oddHeader.center.text == "&A" and "&P" in ws.oddFooter.center.text, ws.title
        if ws.title != INSTRUCTIONS_SHEET:
            assert ws.print_title_rows == "$1:$1", ws.title
        scale, pages = printed_pages(ws)
        room = A4[ws.page_setup.orientation] - ws.page_margins.left - ws.page_margins.right
        assert all(sum(page) * INCH_PER_UNIT * scale <= room for page in pages), ws.title
        sizes = {cell.font.size or 11 for row in ws.iter_rows(max_row=min(ws.max_row, 30)) for cell in row}
        assert min(sizes) * scale >= LEAST_PT, (ws.title, scale)


def test_every_printed_sheet_is_readable_inside_the_margins(blank, national) -> None:
    for book in (blank, *national):
        check_readable(book)


def test_wide_tables_print_over_pages_with_their_row_names(national) -> None:
    """支出's 16 columns: two pages, 机构名称 on both; 基本支出 and its parts on the first (a page ends
    after 资本性支出), 项目支出, the other kinds and 项目支出's parts on the second: 24 + 8 × 12 = 120
    units the widest, 106 units fit across at full size (10.69 in / 0.1), so 88 % (9.7 pt)."""
    for book in national:
        ws = book["支出"]
        assert ws.page_setup.orientation == "landscape" and ws.print_title_cols == "$A:$A"
        assert [b.id for b in ws.col_breaks.brk] == [8]
        assert (ws.cell(1, 8).value.rstrip(" *"), ws.cell(1, 9).value.rstrip(" *")) == ("资本性支出", "项目支出")
        assert widths(ws) == [24] + [12] * 15 and ws.page_setup.scale == 88
        assert ws.freeze_panes == "B2"
        # indicator sheets repeat a row's whole name, through 三级指标
        assert book["项目指标"].print_title_cols == "$A:$D" and book["绩效指标"].print_title_cols == "$A:$C"
        # 年度指标值 and its 度量单位 side by side (one page)
        header = [c.value.rstrip(" *") for c in book["绩效指标"][1]]
        assert header.index("度量单位") == header.index("年度指标值") + 1


def test_narrow_sheets_print_portrait_at_full_size(blank, national) -> None:
    """主要职能 (one column of text) and the key-value sheets: portrait, within 7.27 in at full size."""
    for book in (blank, *national):
        for name in ("主要职能", "基本信息", INSTRUCTIONS_SHEET):
            ws = book[name]
            assert ws.page_setup.orientation == "portrait", name
            assert sum(widths(ws)) * INCH_PER_UNIT <= 8.27 - 1.0, name
    assert [c.value for c in blank["基本信息"][1]] == ["项目", "填写值", "填写说明"]
    assert blank["项目"].page_setup.orientation == "landscape"


def test_instructions_speak_to_a_clerk(national) -> None:
    """填写说明 in Chinese; the commands only on a line of their own, to copy as they are."""
    ws = national[0][INSTRUCTIONS_SHEET]
    texts = {ws.cell(row, 1).value: ws.cell(row, 2).value or "" for row in range(3, ws.max_row + 1)}
    commands = texts.pop("自己检查和生成").splitlines()
    assert commands[1:] == ["reportgen check 填报表.xlsx", "reportgen build 填报表.xlsx -o 输出文件夹"]
    assert not re.search("[A-Za-z]{3,}", commands[0] + "".join(texts.values()))
    assert "财政局" in texts["使用方法"]


def test_instructions_explanations_print_beside_their_labels(blank) -> None:
    ws = blank[INSTRUCTIONS_SHEET]
    # Both columns within portrait A4's width, the explanation wrapped and its row tall enough.
    assert sum(widths(ws, 2)) <= 72
    row = _row_of(ws, "金额检查")
    assert ws.cell(row=row, column=2).alignment.wrap_text
    assert ws.row_dimensions[row].height and ws.row_dimensions[row].height > 30


def test_required_cells_are_yellow_optional_ones_paler_with_dotted_border(blank) -> None:
    ws = blank["基本信息"]
    required = ws.cell(row=_row_of(ws, "单位名称 *"), column=2)
    optional = ws.cell(row=_row_of(ws, "主管部门"), column=2)
    assert required.fill.fgColor.rgb[-6:] == "FFFF99"
    assert required.border.left.style == "thin"
    assert optional.fill.fgColor.rgb[-6:] == "FFFFCC"
    assert optional.border.left.style == "dotted"
    assert ws.cell(row=_row_of(ws, "主管部门"), column=1).fill.fill_type is None  # labels stay white
    table = blank["项目"]
    headers = {cell.value: cell.column for cell in table[1]}
    assert table.cell(row=2, column=headers["项目名称 *"]).fill.fgColor.rgb[-6:] == "FFFF99"
    assert table.cell(row=2, column=headers["偏差说明"]).fill.fgColor.rgb[-6:] == "FFFFCC"
    instructions = blank[INSTRUCTIONS_SHEET]
    assert "浅黄色" in instructions.cell(row=_row_of(instructions, "颜色"), column=2).value


def test_narrative_hint_says_the_unit_sentence_is_generated(blank) -> None:
    instructions = blank[INSTRUCTIONS_SHEET]
    sheet_help = instructions.cell(row=_row_of(instructions, "文字说明"), column=2).value
    assert "部门概况的第一句" in sheet_help and "基本信息" in sheet_help
    ws = blank["文字说明"]
    column = next(cell.column for cell in ws[1] if cell.value == "正文 *")
    prompts = [dv.prompt for dv in ws.data_validations.dataValidation
               if any(rng.min_col == column for rng in dv.sqref.ranges)]
    assert len(prompts) == 1 and "由程序根据“基本信息”表生成" in prompts[0]
