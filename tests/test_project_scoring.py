"""A format's own 一级指标 parts, per-project scoring and extra inputs are data: a copy of
current-2021 that scores 成本 as its own part offers that list in the blank workbook's dropdowns and
scores each project with it; ``inputs`` in format.yaml reach the workbook and the template context."""

from __future__ import annotations

import copy
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reportgen.errors import ReportgenError
from reportgen.formats.loader import load_format, templates_root
from reportgen.formats.sheets import workbook_schema
from reportgen.pipeline import evaluate, init_workbook
from reportgen.scoring.system import build_scoring_system
from reportgen.workbook.blank import write_workbook
from reportgen.workbook.example import EXAMPLE

# Hunan-style project table: 成本 is a first-level part of its own, listed first.
COST_LEVELS = """  - name: 成本指标
    weight: 10
    goal_rows: {level1: [成本指标]}

  - name: 产出指标
    weight: 40
    goal_rows:
      level1: [产出指标]
"""


def _format(tmp_path: Path, inputs: str = "", cost_part: bool = True) -> Path:
    folder = tmp_path / "hunan-like"
    shutil.copytree(templates_root() / "current-2021", folder)
    scoring = folder / "project_scoring.yaml"
    text = scoring.read_text("utf-8")
    old = "  - name: 产出指标\n    weight: 50\n    goal_rows:\n      level1: [产出指标, 成本指标]\n"
    assert text.count(old) == 1
    if cost_part:
        scoring.write_text(text.replace(old, COST_LEVELS), "utf-8")
    if inputs:
        declaration = folder / "format.yaml"
        declaration.write_text(declaration.read_text("utf-8") + inputs, "utf-8")
    return folder


def _dropdown(path: Path, sheet: str, header: str) -> str:
    ws = load_workbook(path)[sheet]
    column = next(c.column_letter for c in ws[1] if str(c.value).rstrip(" *") == header)
    return next(dv.formula1 for dv in ws.data_validations.dataValidation
                if any(str(r).startswith(f"{column}2:") for r in dv.sqref.ranges))


def test_first_level_parts_are_the_formats(tmp_path: Path) -> None:
    folder = _format(tmp_path)
    blank = tmp_path / "blank.xlsx"
    init_workbook(blank, str(folder), example=False)
    # 项目指标 follows project_scoring.yaml (成本 first, on its own); 绩效指标 the unit's scoring.yaml
    assert _dropdown(blank, "项目指标", "一级指标") == '"成本指标,产出指标,效益指标,满意度指标"'
    assert _dropdown(blank, "绩效指标", "一级指标") == '"产出指标,成本指标,效益指标,满意度指标"'

    values = copy.deepcopy(EXAMPLE)
    values["projects"] = [p for p in values["projects"] if p["name"] == "业务培训经费"]
    rows = [r for r in values["project_indicators"] if r["project"] == "业务培训经费"]
    rows[0]["weight"] = Decimal(40)  # 培训人次: all of 产出
    rows[1] |= {"level1": "成本指标", "weight": Decimal(10), "actual": "500",  # 人均培训成本 ≤400 元: 500 元
                "deviation_reason": "场地租金上涨"}
    values["project_indicators"] = rows
    workbook = tmp_path / "wb.xlsx"
    write_workbook(workbook_schema(load_format(folder)), workbook, values)
    evaluation = evaluate(workbook, str(folder))
    (result,) = evaluation.project_scores
    # 10 × 70 % = 7; 成本 ≤400 reached 500: 400 / 500 × 10 = 8; 效益 93 / 95 × 30 = 29.37; 40 + 10 full
    assert [(lv.name, lv.weight, lv.points) for lv in result.levels] == [
        ("预算执行率", 10, Decimal("7.00")), ("成本指标", 10, Decimal("8.00")), ("产出指标", 40, Decimal("40.00")),
        ("效益指标", 30, Decimal("29.37")), ("满意度指标", 10, Decimal("10.00"))]
    assert (result.total, result.grade) == (Decimal("94.37"), "优")
    assert result.row("项目指标!第3行").deduction_reason == "实际完成500元，未达到指标值≤400元；场地租金上涨"

    values["project_indicators"][0]["level1"] = "经济效益指标"  # not a part of this format
    write_workbook(workbook_schema(load_format(folder)), workbook, values)
    with pytest.raises(ReportgenError) as exc:
        evaluate(workbook, str(folder))
    assert any(f.where == "项目指标!B2" and "成本指标/产出指标/效益指标/满意度指标" in f.message
               for f in exc.value.findings)


def test_format_inputs_reach_workbook_and_context(tmp_path: Path) -> None:
    inputs = "inputs:\n  - {key: 项目负责人, label: 项目负责人, kind: text, help: 填写姓名}\n"
    folder = _format(tmp_path, inputs, cost_part=False)
    fmt = load_format(folder)
    sheet = workbook_schema(fmt).sheet("inputs")
    assert sheet.name == "补充填报"  # the format scores nothing from typed inputs: only its own fields
    assert [(f.key, f.label, f.kind, f.required) for f in sheet.fields] == [("项目负责人", "项目负责人", "longtext", False)]
    workbook = tmp_path / "wb.xlsx"
    write_workbook(workbook_schema(fmt), workbook, {**EXAMPLE, "inputs": {"项目负责人": "林晓雯"}})
    assert evaluate(workbook, str(folder)).context()["inputs"]["项目负责人"] == "林晓雯"


def test_per_project_scoring_takes_no_typed_inputs() -> None:
    raw = {"id": "p", "name": "项目", "levels": [
        {"name": "自评", "weight": 100, "groups": [{"name": "自评", "weight": 100, "indicators": [
            {"name": "项目管理", "weight": 100, "rule": {"kind": "manual"}}]}]}]}
    build_scoring_system(copy.deepcopy(raw), "p.yaml")  # fine for the unit
    with pytest.raises(ReportgenError) as exc:
        build_scoring_system(raw, "p.yaml", per_project=True)
    assert [f.code for f in exc.value.findings] == ["S234"]
