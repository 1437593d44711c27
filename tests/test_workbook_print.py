"""The workbook as a clerk sees it: print setup, input colours and hints of the written workbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from reportgen.formats.loader import resolve_format
from reportgen.formats.sheets import workbook_schema
from reportgen.workbook.blank import write_workbook
from reportgen.workbook.schema import INSTRUCTIONS_SHEET, META_SHEET


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("print") / "blank.xlsx"
    write_workbook(workbook_schema(resolve_format("yueyang-2020")), path)
    return load_workbook(path)


def _row_of(ws, label: str) -> int:
    return next(row for row in range(1, ws.max_row + 1) if ws.cell(row=row, column=1).value == label)


def test_every_printed_sheet_fits_one_page_wide_on_a4(blank) -> None:
    for ws in blank.worksheets:
        if ws.title == META_SHEET:
            continue
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.oddHeader.center.text == "&A", ws.title
        assert "&P" in ws.oddFooter.center.text, ws.title
        if ws.title != INSTRUCTIONS_SHEET:
            assert ws.print_title_rows == "$1:$1", ws.title


def test_wide_tables_print_landscape_and_key_value_sheets_portrait(blank) -> None:
    assert blank["项目"].page_setup.orientation == "landscape"
    assert blank["支出"].page_setup.orientation == "landscape"
    assert blank["基本信息"].page_setup.orientation == "portrait"
    assert blank[INSTRUCTIONS_SHEET].page_setup.orientation == "portrait"
    assert [c.value for c in blank["基本信息"][1]] == ["项目", "填写值", "填写说明"]


def test_instructions_explanations_print_beside_their_labels(blank) -> None:
    ws = blank[INSTRUCTIONS_SHEET]
    # Both columns within portrait A4's width, the explanation wrapped and its row tall enough.
    assert ws.column_dimensions["A"].width + ws.column_dimensions["B"].width <= 100
    row = _row_of(ws, "金额检查")
    assert ws.cell(row=row, column=2).alignment.wrap_text
    assert ws.row_dimensions[row].height and ws.row_dimensions[row].height > 30


def test_required_cells_are_yellow_optional_ones_paler_with_dotted_border(blank) -> None:
    ws = blank["基本信息"]
    required = ws.cell(row=_row_of(ws, "单位名称 *"), column=2)
    optional = ws.cell(row=_row_of(ws, "主管部门"), column=2)
    assert required.fill.fgColor.rgb == "00FFFF99"
    assert required.border.left.style == "thin"
    assert optional.fill.fgColor.rgb == "00FFFFCC"
    assert optional.border.left.style == "dotted"
    assert ws.cell(row=_row_of(ws, "主管部门"), column=1).fill.fill_type is None  # labels stay white
    table = blank["项目"]
    headers = {cell.value: cell.column for cell in table[1]}
    assert table.cell(row=2, column=headers["项目名称 *"]).fill.fgColor.rgb == "00FFFF99"
    assert table.cell(row=2, column=headers["偏差说明"]).fill.fgColor.rgb == "00FFFFCC"
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
