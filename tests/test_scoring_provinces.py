"""The 绩效指标 row rules of 财预〔2020〕10号 and the provinces, as format data (``goal_rules``,
``when_absent``, ``cap: execution_rate``), each pinned by hand-computed points.

Band edges: an edge belongs to the band whose interval includes it (``[80, 100]`` 达成, ``[60, 80)``
部分达成, ``[0, 60)`` 未达成), so a 定性 row scored at exactly 80 % of its points is 达成's, and a
部分达成 row must score below 80 %."""

from __future__ import annotations

import copy
from decimal import Decimal as D
from typing import Any

import pytest
import yaml

from reportgen.errors import ReportgenError
from reportgen.scoring import build_scoring_system, score

SYSTEM = {"id": "g", "name": "自评表", "levels": [
    {"name": "预算执行率", "weight": 10, "groups": [{"name": "预算执行率", "weight": 10, "indicators": [
        {"name": "预算执行率", "weight": 10, "value": "budget.execution_rate", "rule": {"kind": "ratio"}}]}]},
    {"name": "产出指标", "weight": 50, "goal_rows": {"level1": ["产出指标", "成本指标"]}},
    {"name": "效益指标", "weight": 30, "goal_rows": {"level1": ["效益指标"]}},
    {"name": "满意度指标", "weight": 10, "goal_rows": {"level1": ["满意度指标"]}},
]}


def row(level1: str, name: str, nature: str, target: Any, actual: Any, weight: Any, n: int, *,
        achievement: str | None = None, score_: Any = None, reason: str = "") -> dict[str, Any]:
    return {"level1": level1, "level2": "二级", "level3": name, "nature": nature, "target": target, "unit": "%",
            "actual": actual, "weight": D(str(weight)), "achievement": achievement, "deviation_reason": reason,
            "score": None if score_ is None else D(str(score_)), "ref": f"绩效指标!第{n}行",
            "cells": {"score": f"绩效指标!K{n}", "deviation_reason": f"绩效指标!L{n}"}}


def rows() -> list[dict[str, Any]]:
    """产出 20 + 20 + 10, 效益 30 (one 定性 row, the one under test), 满意度 10: all met."""
    return [row("产出指标", "参保率", "≥", D(95), D(96), 20, 2),
            row("产出指标", "投诉率", "≤", D(2), D(1), 20, 3),
            row("成本指标", "控制在预算内", "定性", "不超预算", "未超", 10, 4, achievement="达成"),
            row("效益指标", "救助覆盖", "定性", "稳步拓展", "稳步拓展", 30, 5, achievement="达成"),
            row("满意度指标", "满意率", "≥", D(80), D(95), 10, 6)]


def scored(items: list[dict[str, Any]], *, execution: str = "100", **changes: Any):
    raw = copy.deepcopy(SYSTEM)
    for key, value in changes.items():
        if key == "absent":
            raw["levels"][3]["goal_rows"]["when_absent"] = value
        else:
            raw[key] = value
    return score(build_scoring_system(raw, "g.yaml"), {"budget": {"execution_rate": D(execution)}, "indicators": items})


def errors(result) -> list[str]:
    return [str(f) for f in result.findings if f.is_error]


def warnings(result) -> list[str]:
    return [str(f) for f in result.findings if not f.is_error]


def benefit(result):
    return result.row("绩效指标!第5行")


# -- 定性: three bands, the unit's own 得分 ----------------------------------------------------------------


@pytest.mark.parametrize(("achievement", "given", "points"), [
    ("达成", None, D(30)),  # default 100 %
    ("达成", 24, D(24)),  # 80 % of 30: 达成's floor, inside [80, 100]
    ("达成", 30, D(30)),
    ("部分达成", None, D(18)),  # default 60 %
    ("部分达成", 18, D(18)),  # 60 %: 部分达成's floor
    ("部分达成", "23.99", D("23.99")),  # just under 80 %
    ("未达成", None, D(0)),
    ("未达成", "17.99", D("17.99")),  # just under 60 %
    ("未达成", 0, D(0)),
])
def test_qualitative_score_within_its_band(achievement: str, given: Any, points: D) -> None:
    items = rows()
    items[3] = row("效益指标", "救助覆盖", "定性", "稳步拓展", "有所拓展", 30, 5, achievement=achievement, score_=given,
                   reason="进度滞后")
    result = scored(items)
    assert errors(result) == []
    assert benefit(result).points == points
    assert result.total == 70 + points
    calc = benefit(result).calculation
    if given is None:
        assert "未自评打分" in calc and "得分区间为分值的" in calc
    else:
        assert f"自评得分{given}分" in calc


@pytest.mark.parametrize(("achievement", "given", "band"), [
    ("部分达成", 24, "60%（含）至80%之间（即18分（含）至24分）"),  # 80 % is 达成's, not 部分达成's
    ("达成", "23.99", "80%（含）至100%（含）之间（即24分（含）至30分（含））"),
    ("未达成", 18, "0%（含）至60%之间（即0分（含）至18分）"),
    ("达成", 31, "80%（含）至100%（含）之间（即24分（含）至30分（含））"),
])
def test_qualitative_score_outside_its_band_is_an_error_at_its_cell(achievement: str, given: Any, band: str) -> None:
    items = rows()
    items[3] = row("效益指标", "救助覆盖", "定性", "稳步拓展", "x", 30, 5, achievement=achievement, score_=given, reason="r")
    assert errors(scored(items)) == [
        f"绩效指标!K5 G840 定性指标得分: “救助覆盖”完成程度为“{achievement}”，得分应在分值30分的{band}，填写的是{given}分"]


def test_score_typed_on_a_quantitative_row_is_not_used() -> None:
    items = rows()
    items[0]["score"] = D(5)
    result = scored(items)
    assert result.row("绩效指标!第2行").points == 20
    assert warnings(result) == ["绩效指标!K2 G841 定性指标得分: “参保率”是定量指标，得分由程序按完成值计算，填写的定性指标得分 5 未使用（请清空）"]


def test_fixed_shares_stay_fixed() -> None:
    """A level declaring plain numbers (the old form) scores them, and ignores a typed 得分 with a warning."""
    raw = copy.deepcopy(SYSTEM)
    raw["levels"][2]["goal_rows"]["qualitative"] = {"达成": 100, "部分达成": 50, "未达成": 0}
    items = rows()
    items[3] = row("效益指标", "救助覆盖", "定性", "稳步拓展", "x", 30, 5, achievement="部分达成", score_=20, reason="r")
    result = score(build_scoring_system(raw, "g.yaml"), {"budget": {"execution_rate": D(100)}, "indicators": items})
    assert benefit(result).points == 15
    assert benefit(result).calculation == "完成程度：部分达成，按分值的50%计，得15分"
    assert [f.code for f in result.findings] == ["G841"]
    # the rules printed with the score say so (they said only the file-wide bands before)
    assert "效益指标中的定性指标按完成程度在区间内自评打分：达成为分值的等于100%；部分达成为分值的等于50%；未达成为分值的等于0%" \
        "（区间端点属于写明“含”的一档）；未自评打分的依次按100%、50%、0%计" in result.rules


# -- 正向 far exceeded --------------------------------------------------------------------------------


@pytest.mark.parametrize(("actual", "asked"), [(D("123.5"), True), (D("123.49"), False)])
def test_overshoot_asks_for_a_reason_from_30_percent(actual: D, asked: bool) -> None:
    items = rows()
    items[0] = row("产出指标", "参保率", "≥", D(95), actual, 20, 2)  # 123.5 / 95 = 1.30 exactly
    result = scored(items)
    assert result.row("绩效指标!第2行").points == 20
    expected = ["绩效指标!L2 G842 偏差原因及改进措施: “参保率”完成值高于指标值30.00%（30%及以上），请在“偏差原因及改进措施”中"
                "说明原因（如年初指标值设定偏低）"]
    assert warnings(result) == (expected if asked else [])
    assert ("须说明原因" in result.row("绩效指标!第2行").calculation) == asked
    items[0]["deviation_reason"] = "参保扩面超预期"
    assert warnings(scored(items)) == []


def test_overshoot_deduction_preset_takes_two_points() -> None:
    items = rows()
    items[0] = row("产出指标", "参保率", "≥", D(50), D(80), 20, 2, reason="年初指标值偏低")  # 60 % above
    result = scored(items, goal_rules={"overshoot": "deduct"})
    line = result.row("绩效指标!第2行")
    assert line.points == 18 and result.total == 98
    assert line.calculation == "指标值≥50%，实际完成80%，已达成；完成值高于指标值60.00%（30%及以上），按指标偏离扣2分，得18分"
    assert line.deduction_reason == "实际完成80%，完成值高于指标值60.00%（30%及以上），扣2分；年初指标值偏低"
    assert scored(items, goal_rules={"overshoot": {"above": 50, "deduct": 3}}).row("绩效指标!第2行").points == 17
    for off in ({"overshoot": "off"}, yaml.safe_load("overshoot: off")):  # YAML reads a bare off as false
        assert "高于指标值" not in scored(items, goal_rules=off).row("绩效指标!第2行").calculation


# -- 反向 and 等于 formulas ---------------------------------------------------------------------------


@pytest.mark.parametrize(("actual", "ratio", "linear"), [
    (D(3), D("13.33"), D(10)),  # 2/3 × 20; (1 − 1/2) × 20
    (D(4), D(10), D(0)),  # twice the target: linear reaches 0
    (D(5), D(8), D(0)),  # beyond: floored at 0
])
def test_reverse_presets(actual: D, ratio: D, linear: D) -> None:
    items = rows()
    items[1] = row("产出指标", "投诉率", "≤", D(2), actual, 20, 3, reason="r")
    plain = scored(items).row("绩效指标!第3行")
    vendor = scored(items, goal_rules={"reverse": "linear"}).row("绩效指标!第3行")
    assert (plain.points, vendor.points) == (ratio, linear)
    assert f"反向指标按“指标值/实际完成值×分值”计分：得分 = 2/{actual}×20 = " in plain.calculation
    assert f"反向指标按“(1 -（实际完成值 - 指标值）/指标值)×分值”计分（实际完成值达到指标值两倍时为0分）：得分 = (1 - ({actual} - 2)/2)×20 = " \
        in vendor.calculation


@pytest.mark.parametrize(("actual", "closeness", "positive"), [(D(110), D(18), D(20)), (D(80), D(16), D(16))])
def test_equal_presets(actual: D, closeness: D, positive: D) -> None:
    items = rows()
    items[1] = row("产出指标", "完成率", "=", D(100), actual, 20, 3, reason="r")
    plain = scored(items).row("绩效指标!第3行")
    vendor = scored(items, goal_rules={"equal": "as_positive"}).row("绩效指标!第3行")
    assert (plain.points, vendor.points) == (closeness, positive)
    assert "等于型指标按“(1 - |实际完成值 - 指标值|/|指标值|)×分值”计分" in plain.calculation
    assert "等于型指标按正向指标" in vendor.calculation


# -- no 满意度 indicator ------------------------------------------------------------------------------


def test_without_satisfaction_rows_the_format_decides() -> None:
    items = [r for r in rows() if r["level1"] != "满意度指标"]
    assert any("G808" in e for e in errors(scored(items)))  # error (the default)
    zero = scored(items, absent="zero")
    assert errors(zero) == [] and zero.total == 90
    [line] = zero.levels[3].groups[0].rows
    assert (line.weight, line.points) == (10, 0)
    assert line.calculation == "未设置满意度指标，“满意度指标”10分计0分（本格式规定）"
    assert [f.code for f in zero.findings] == ["G843"]
    # move: the 10 points join 产出 and 效益, whose rows the unit must then weigh up to 90
    assert errors(scored(items, absent="move")) == [
        "绩效指标!第2行、绩效指标!第3行、绩效指标!第4行、绩效指标!第5行 G811 分值: 未设置满意度指标（10分），按本格式并入"
        "产出指标、效益指标：一级指标“产出指标、成本指标、效益指标”各行分值合计80分，应为90分"]
    items[0]["weight"] = D(30)  # 产出 30 + 20 + 10 = 60, 效益 30
    moved = scored(items, absent="move")
    assert errors(moved) == [] and moved.total == 100
    assert [(lv.name, lv.weight, lv.points) for lv in moved.levels] == [
        ("预算执行率", 10, 10), ("产出指标", 60, 60), ("效益指标", 30, 30), ("满意度指标", 0, 0)]
    assert moved.levels[3].groups[0].rows[0].calculation == \
        "未设置满意度指标，“满意度指标”10分并入产出指标、效益指标（本格式规定）"
    assert "未设置满意度指标的，“满意度指标”10分并入产出指标、效益指标（由单位调整各行分值）" in moved.rules


# -- the 预算执行率 cap, one line ---------------------------------------------------------------------


@pytest.mark.parametrize(("rate", "raw_total", "total"), [  # 90 + 执行率 × 10 (rounded to 2 decimals), then capped
    ("100", "100", "100"), ("80", "98", "98"), ("79.99", "98", "89"), ("70", "97", "89"), ("69.99", "97", "79"),
    ("60", "96", "79"), ("55", "95.5", "69"), ("50", "95", "69"), ("49.99", "95", "59")])
def test_cap_preset(rate: str, raw_total: str, total: str) -> None:
    result = scored(rows(), execution=rate, cap="execution_rate")
    assert (result.raw_total, result.total) == (D(raw_total), D(total))
    if result.capped:
        assert result.cap_reason.startswith(f"预算执行率{D(rate):.2f}%，属于")
    assert "总分按预算执行率封顶：70%（含）至80%最高89分，60%（含）至70%最高79分，50%（含）至60%最高69分，低于50%最高59分" \
        in result.rules


def test_cap_preset_for_projects_uses_the_projects_rate() -> None:
    raw = copy.deepcopy(SYSTEM)
    raw["levels"][0]["groups"][0]["indicators"][0]["value"] = "project.execution_rate"
    raw["cap"] = "execution_rate"
    system = build_scoring_system(raw, "p.yaml", per_project=True)
    assert (system.cap.value, system.cap.label) == ("project.execution_rate", "执行率")
    result = score(system, {"project": {"name": "甲", "execution_rate": D(70), "indicators": rows()}})
    assert (result.raw_total, result.total) == (D(97), D(89))


# -- the declaration ----------------------------------------------------------------------------------


def _problems(**changes: Any) -> list[str]:
    raw = copy.deepcopy(SYSTEM)
    for key, value in changes.items():
        if key == "level":
            raw["levels"] = [raw["levels"][0], {**raw["levels"][1], "weight": 90,
                                                 "goal_rows": {"level1": ["产出指标"], **value}}]
        else:
            raw[key] = value
    with pytest.raises(ReportgenError) as info:
        build_scoring_system(raw, "g.yaml")
    return [f"{f.code} {f.message}" for f in info.value.findings]


def test_declaration_problems() -> None:
    assert _problems(goal_rules={"qualitative": {"达成": {"range": "[80, 100]", "default": 70}}}) == [
        "S245 “达成”的默认比例 70% 不在其得分区间 [80, 100] 内"]
    assert _problems(goal_rules={"qualitative": {"达成": {"range": "[80, 120]", "default": 100}}}) == [
        "S246 “达成”的得分区间 [80, 120] 应在分值的 0 至 100（%）之内"]
    assert _problems(goal_rules={"qualitative": {"基本达成": 70}}) == [
        "S247 定性指标的完成程度只能是 达成、部分达成、未达成（填报表的下拉选项），不认识“基本达成”"]
    assert _problems(level={"when_absent": "move"}) == [
        "S248 when_absent: move 要把分值并入其他按绩效指标计分（goal_rows）的一级指标，但没有其他这样的一级指标"]
    [unknown] = _problems(cap="execution")
    assert unknown.startswith("S20") and "execution_rate" in unknown
    [reverse] = _problems(goal_rules={"reverse": "vendor"})
    assert reverse.startswith("S204") and "ratio 或 linear" in reverse
