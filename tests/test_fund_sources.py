"""A format declares its own fund sources (Sichuan's 财政资金 / 财政专户管理资金 / 单位资金 / 其他资金):
the workbook's 资金来源 rows, the model's ``funds.rows`` and the sum checks follow the declaration."""

from __future__ import annotations

import copy
import shutil
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from reportgen.errors import ReportgenError
from reportgen.formats.loader import templates_root
from reportgen.formats.sheets import workbook_schema
from reportgen.pipeline import evaluate, resolve_format
from reportgen.workbook.blank import write_workbook
from tests.docx_helpers import example_values
from tests.xlsx_edit import set_cells

SICHUAN = ["财政资金", "财政专户管理资金", "单位资金", "其他资金"]


@pytest.fixture
def sichuan(tmp_path: Path) -> Path:
    folder = tmp_path / "sichuan"
    shutil.copytree(templates_root() / "current-2021", folder)
    declaration = folder / "format.yaml"
    declaration.write_text(declaration.read_text("utf-8") + f"fund_sources: [{', '.join(SICHUAN)}]\n", "utf-8")
    return folder


def _workbook(tmp_path: Path, folder: Path, rows: list[dict]) -> Path:
    values = copy.deepcopy(example_values("current-2021"))
    values["funds"] = rows
    path = tmp_path / "wb.xlsx"
    write_workbook(workbook_schema(resolve_format(str(folder))), path, values)
    return path


def test_declared_sources_are_the_sheets_rows_and_the_models(tmp_path: Path, sichuan: Path) -> None:
    # the example unit: 年初 1,480.25, 全年 1,540.25, 执行 1,527.64 (万元), split four ways
    rows = [{"item": "财政资金", "initial": D("1400.00"), "final": D("1440.00"), "executed": D("1430.00")},
            {"item": "财政专户管理资金", "initial": D("50.00"), "final": D("60.00"), "executed": D("59.00")},
            {"item": "单位资金", "initial": D("22.05"), "final": D("32.05"), "executed": D("30.44")},
            {"item": "其他资金", "initial": D("8.20"), "final": D("8.20"), "executed": D("8.20")}]
    path = _workbook(tmp_path, sichuan, rows)
    ws = openpyxl.load_workbook(path)["资金来源"]
    assert [ws.cell(r, 1).value for r in range(2, 6)] == SICHUAN
    funds = evaluate(path, str(sichuan)).report.funds
    assert [(r.item, r.executed) for r in funds.rows] == [
        ("财政资金", D("1430.00")), ("财政专户管理资金", D("59.00")), ("单位资金", D("30.44")), ("其他资金", D("8.20"))]
    assert funds.given


def test_declared_sources_must_add_up(tmp_path: Path, sichuan: Path) -> None:
    rows = [{"item": name, "initial": D("1.00"), "final": D("1.00"), "executed": D("1.00")} for name in SICHUAN]
    with pytest.raises(ReportgenError) as info:
        evaluate(_workbook(tmp_path, sichuan, rows), str(sichuan))
    messages = [str(f) for f in info.value.findings]
    assert any(m.startswith("资金来源!B2、资金来源!B3、资金来源!B4、资金来源!B5、预算!B2 C603 年初预算数") and
               "财政资金、财政专户管理资金、单位资金、其他资金" in m for m in messages), messages


def test_a_default_source_name_is_not_accepted_under_declared_sources(tmp_path: Path, sichuan: Path) -> None:
    rows = [{"item": name, "initial": None, "final": None, "executed": None} for name in SICHUAN]
    path = _workbook(tmp_path, sichuan, rows)
    set_cells(path, path, {"资金来源": {"A2": "本年财政拨款"}})
    with pytest.raises(ReportgenError) as info:
        evaluate(path, str(sichuan))
    assert any(f.where == "资金来源!A2" and "财政资金/财政专户管理资金/单位资金/其他资金" in f.message
               for f in info.value.findings), [str(f) for f in info.value.findings]
