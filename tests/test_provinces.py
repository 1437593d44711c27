"""Provinces as data: the 四川 walkthrough of docs/templating.md applied word for word to a copy of
national-2025; the one-line presets (cap, overshoot deduction, 反向 formula) switched on in a copy made
as ``format new`` makes it; the common 部门整体 indicators (``common.*``) computed once and traced to
their cells. Points are computed by hand in the comments."""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
import yaml

from reportgen.formats.loader import copy_format, load_format, resolve_format
from reportgen.formats.sheets import workbook_schema
from reportgen.formats.uses import _example_reports
from reportgen.model.dependencies import depends_on
from reportgen.pipeline import Evaluation, evaluate
from reportgen.workbook.blank import write_workbook
from reportgen.workbook.units import unit_values
from tests.conftest import without_breakdowns

ROOT = Path(__file__).resolve().parents[1]


def _walkthrough_blocks() -> list[Any]:
    """The YAML blocks of docs/templating.md's 四川 section, in order."""
    text = (ROOT / "docs/templating.md").read_text("utf-8")
    section = text.split("### 四川样式")[1].split("\n## ")[0]
    return [yaml.safe_load(re.sub(r"(?m)^   ", "", block)) for block in re.findall(r"```yaml\n(.*?)```", section, re.S)]


def _new_format(tmp_path: Path, name: str) -> Path:
    """``reportgen format new <name> --from national-2025``, in process."""
    return copy_format(resolve_format("national-2025"), tmp_path / name)


def _edit_yaml(path: Path, edit: Any) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.fixture(scope="module")
def sichuan(tmp_path_factory: pytest.TempPathFactory) -> Evaluation:
    tmp_path = tmp_path_factory.mktemp("sichuan")
    folder = _new_format(tmp_path, "sichuan-2023")
    declaration, levels, example = _walkthrough_blocks()
    _edit_yaml(folder / "format.yaml", lambda d: d.update(declaration))
    for name in ("scoring.yaml", "project_scoring.yaml"):
        _edit_yaml(folder / name, lambda d: d.update(levels=d["levels"][:1] + levels))
    _edit_yaml(folder / "example.yaml", lambda d: d.update(example))
    fmt = load_format(folder)
    values = unit_values("medical", fmt)  # what `init --example` writes: the example, funds from example.yaml
    values["projects"][0]["explanation"] = "定点医药机构检查" * 13  # 104 字: over the 100 字 for reasons
    path = tmp_path / "sichuan.xlsx"
    write_workbook(workbook_schema(fmt, relaxed=True), path, values)
    return evaluate(path, str(folder))


def test_sichuan_walkthrough_scores_90_points_of_rows_weighted_by_the_unit(sichuan: Evaluation) -> None:
    score = sichuan.score
    assert score is not None and [(lv.name, lv.weight) for lv in score.levels] == [("预算执行率", 10), ("绩效指标", 90)]
    # 预算执行率 1,527.64 / 1,540.25 = 99.18 % → 9.92; the eight rows (10+10+10+10+10+15+15+10 = 90) all met
    assert (score.levels[1].points, score.total) == (D(90), D("99.92"))
    assert [r.item for r in sichuan.report.funds.rows] == ["财政资金", "财政专户管理资金", "单位资金", "其他资金"]
    assert sichuan.report.funds.given
    first = sichuan.project_scores[0]
    assert first is not None and [(lv.name, lv.weight) for lv in first.levels] == [("预算执行率", 10), ("绩效指标", 90)]


def test_sichuan_word_limits(sichuan: Evaluation) -> None:
    assert [str(f) for f in sichuan.findings if f.code == "L111"] == [
        "项目!O2 L111 偏差说明: “偏差说明”104字，超过本格式100字的限制：请精简到100字以内"]
    assert [f.code for f in sichuan.findings if f.is_error] == []


@pytest.fixture(scope="module")
def preset_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The medical example with a target exceeded by 33 %, a 反向 row missed, and 75 % of its budget spent."""
    fmt = resolve_format("national-2025")
    values = without_breakdowns(unit_values("medical", fmt))
    rows = values["indicators"]
    rows[1]["actual"] = "160"  # 检查定点医药机构数量 ≥120 家: 160 is 33.33 % above
    rows[3] |= {"level3": "医保待遇支付平均天数", "nature": "≤", "target": "10", "unit": "天", "actual": "15",
                "deviation_reason": "系统切换导致支付延迟"}
    values["budget"] |= {"initial": D("2036.85"), "adjustment": D(0)}  # 1,527.64 / 2,036.85 = 75.0001 %
    path = tmp_path_factory.mktemp("presets") / "wb.xlsx"
    write_workbook(workbook_schema(fmt, relaxed=True), path, values)
    return path


def test_national_defaults(preset_workbook: Path) -> None:
    evaluation = evaluate(preset_workbook)
    score = evaluation.score
    assert score is not None
    # 7.50 + 产出 (10 + 10 + 10 + 10/15×10 = 6.67 + 10) + 效益 30 + 满意度 10
    assert (score.raw_total, score.total, score.grade, score.capped) == (D("94.17"), D("94.17"), "优", False)
    checked = score.row("绩效指标!第3行")
    assert checked.points == 10 and checked.calculation.endswith("完成值高于指标值33.33%（30%及以上），须说明原因")
    days = score.row("绩效指标!第5行")
    assert days.calculation == "指标值≤10天，实际完成15天，未达成，反向指标按“指标值/实际完成值×分值”计分：得分 = 10/15×10 = 6.67分"
    codes = [(f.code, str(f.where)) for f in evaluation.findings]
    assert ("G842", "绩效指标!L3") in codes and ("L107", "预算!B13") in codes and ("L109", "预算!B2") in codes


def test_presets_one_line_each_in_a_copied_format(preset_workbook: Path, tmp_path: Path) -> None:
    folder = _new_format(tmp_path, "hunan-2026")
    with (folder / "scoring.yaml").open("a", encoding="utf-8") as f:
        f.write("cap: execution_rate\n")
        f.write("goal_rules: {overshoot: deduct, reverse: linear}\n")
    evaluation = evaluate(preset_workbook, str(folder))
    score = evaluation.score
    assert score is not None
    # 7.50 + 产出 (10 + (10 − 2) + 10 + (1 − (15 − 10)/10)×10 = 5 + 10) + 30 + 10 = 90.50, capped at 89 (70–80 %)
    assert (score.raw_total, score.total, score.grade, score.capped) == (D("90.50"), D(89), "良", True)
    assert score.row("绩效指标!第3行").points == 8
    assert score.row("绩效指标!第5行").calculation == (
        "指标值≤10天，实际完成15天，未达成，反向指标按“(1 -（实际完成值 - 指标值）/指标值)×分值”计分（实际完成值达到指标值两倍时为0分）："
        "得分 = (1 - (15 - 10)/10)×10 = 5分")
    assert score.cap_reason == "预算执行率75.00%，属于“70%（含）至80%”档，总分最高89分（各项得分合计90.5分）"
    assert "L109" not in [f.code for f in evaluation.findings if str(f.where) == "预算!B2"]  # capped: no longer high


# -- common 部门整体 indicators -----------------------------------------------------------------------


def test_common_indicators_of_the_school() -> None:
    common = evaluate(ROOT / "inputs/units/青山县第一中学.xlsx").report.common
    assert common.public_control_rate == D("486.30") * 100 / D("500.00")  # 97.26 %
    assert common.procurement_rate == D("152.30") * 100 / D("160.00")  # 95.1875 %
    # 年末结转和结余 46.80 + 3,798.70 − 3,727.70 = 117.80 of 全年预算 3,845.50
    assert common.carryover_rate == D("117.80") * 100 / D("3845.50")
    assert common.staff_control_rate is not None and common.execution_rate == D("3727.70") * 100 / D("3845.50")


def test_common_indicators_are_the_figures_yueyang_and_yanling_score() -> None:
    report = evaluate(ROOT / "inputs/example-yanling-2020.xlsx").report
    common = report.common
    assert (common.staff_control_rate, common.three_public_change_rate, common.three_public_control_rate,
            common.adjustment_rate, common.fixed_utilization) == (
        report.staff.control_rate, report.three_public.change_rate, report.three_public.control_rate,
        report.budget.adjustment_rate, report.assets.fixed_utilization)
    assert common.public_control_rate is None and common.procurement_rate is None  # not filled in


@pytest.mark.parametrize(("path", "cells", "exact"), [
    ("common.carryover_rate", {("budget", "initial"), ("budget", "adjustment"), ("income", "carryover"),
                               ("income", "general_budget"), ("expenditure", "basic")}, False),
    ("common.public_control_rate", {("budget", "public_budget"), ("expenditure", "public")}, True),
    ("common.procurement_rate", {("budget", "procurement_actual"), ("budget", "procurement_budget")}, True),
    ("common.staff_control_rate", {("unit", "staff_quota"), ("unit", "staff_actual")}, True),
])
def test_common_indicators_are_traced_to_their_cells(path: str, cells: set[tuple[str, str]], exact: bool) -> None:
    found = depends_on(path, _example_reports())
    assert found == cells if exact else cells <= found
