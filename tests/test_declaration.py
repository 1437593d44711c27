"""One declaration per input field: an annotated model field reaches the blank workbook, the
reader, the model, ``format vars`` and a template with no other edit."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Annotated, ClassVar

import openpyxl
from docx import Document

from reportgen.formats.reference import describe
from reportgen.model.inputs import Cell, InputModel, Placement, Table
from reportgen.model.report import INPUT_SHEETS, IncomeRow, Unit
from reportgen.render.docx import render_docx
from reportgen.workbook.blank import write_workbook
from reportgen.workbook.reader import open_workbook, read_sheets
from reportgen.workbook.schema import CORE_SHEETS, WorkbookSchema, sheet_of
from tests.test_render import make_template


class Grant(InputModel):
    """A new input, declared the way every input is: one annotated field per cell."""

    sheet: ClassVar[Placement] = Table("补助资金", "grants", help="每行一笔补助。", min_rows=1)

    name: Annotated[str, Cell("资金名称", width=20)]
    amount: Annotated[Decimal, Cell("下达金额", help="上级下达数")]
    arrived: Annotated[bool, Cell("是否到位")]
    note: Annotated[str | None, Cell("备注", "longtext")] = None


def test_one_annotated_field_reaches_every_place(tmp_path: Path) -> None:
    schema = WorkbookSchema((sheet_of(Grant),), format_id="test")
    path = tmp_path / "wb.xlsx"
    write_workbook(schema, path)

    # the blank workbook: a column per field, required ones starred, the help as the input hint
    ws = openpyxl.load_workbook(path)["补助资金"]
    assert [c.value for c in ws[1]] == ["资金名称 *", "下达金额 *", "是否到位 *", "备注"]
    prompts = {str(dv.sqref)[0]: dv.prompt for dv in ws.data_validations.dataValidation}
    assert prompts["B"] == "上级下达数；金额，万元，两位小数；必填"

    # the reader: typed by the field's type, remembered with its cell
    ws["A2"], ws["B2"], ws["C2"] = "医疗救助补助", "1,234.50", "是"
    ws.parent.save(path)
    data = read_sheets(open_workbook(path), schema, path)
    assert data.findings == []
    assert data.values["grants"] == [{"name": "医疗救助补助", "amount": Decimal("1234.50"), "arrived": True,
                                      "note": None}]
    assert data.refs["grants[0].amount"] == "补助资金!B2"

    # the model, format vars and a template
    grant = Grant(**data.values["grants"][0])
    docs = {d.path: d.meaning for d in describe(Grant, "grants[].")}
    assert docs["grants[].amount"] == "下达金额" and docs["grants[].arrived"] == "是否到位"
    template = make_template(tmp_path / "t.docx", ["{% for g in grants %}{{ g.name }}：{{ g.amount|wan }}万元{% endfor %}"])
    rendered = Document(io.BytesIO(render_docx(template, {"grants": [grant.model_dump()]})))
    assert rendered.paragraphs[0].text == "医疗救助补助：1,234.50万元"


def test_core_sheets_are_the_models_declarations() -> None:
    assert [s.name for s in CORE_SHEETS] == [m.sheet.name for m in INPUT_SHEETS]
    income = sheet_of(IncomeRow)
    assert [c.label for c in income.columns] == [
        "机构名称", "上年结转", "一般公共预算财政拨款", "政府性基金拨款", "国有资本经营预算财政拨款", "上级补助收入",
        "事业收入", "经营收入", "附属单位上缴收入", "纳入专户管理的非税收入", "其他收入"]
    assert {c.kind for c in income.columns[1:]} == {"money"}
    # a category the unit does not have may be left empty (read as 0), the long-standing ones are required
    assert [c.label for c in income.columns if not c.required] == [
        "国有资本经营预算财政拨款", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入"]
    unit = {f.key: f for f in sheet_of(Unit).fields}
    assert unit["departments"].kind == "list" and not unit["departments"].required
    assert unit["year"].bounds == (2000, 2100) and unit["fill_date"].kind == "date"
    assert Unit.model_fields["name"].description == "单位名称"  # format vars' meaning comes from the Cell
