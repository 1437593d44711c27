"""Edges of each rule kind: band boundaries, floors, undefined values, manual scores, goal rows, caps."""

from __future__ import annotations

import copy
from decimal import Decimal as D
from typing import Any

import pytest

from reportgen.errors import ReportgenError
from reportgen.scoring import build_scoring_system, required_inputs, score
from reportgen.scoring.intervals import Interval


def system(*indicators: dict[str, Any], **extra: Any):
    """A valid system: the given indicators plus a filler that tops the group up to 100."""
    used = sum(D(str(i["weight"])) if str(i["weight"]).isdigit() else D(0) for i in indicators)
    filler = {"name": "其他", "weight": str(100 - used), "rule": {"kind": "tiers", "tiers": [
        {"points": str(100 - used), "text": "满分"}]}}
    items = list(indicators) + ([filler] if used < 100 else [])
    raw = {"id": "t", "name": "测试", **extra,
           "levels": [{"name": "甲", "weight": 100, "groups": [{"name": "乙", "weight": 100, "indicators": items}]}]}
    return build_scoring_system(copy.deepcopy(raw), "t.yaml")


def first(result):
    return result.rows[0]


def errors(result) -> list[str]:
    return [str(f) for f in result.findings if f.is_error]


# -- bands --------------------------------------------------------------------------------------------

KEY_SHARE = {
    "name": "重点支出安排率", "weight": 5, "value": "projects.key_share",
    "rule": {"kind": "bands", "bands": [
        {"range": "[90, +∞)", "points": 5}, {"range": "[80, 90)", "points": 4}, {"range": "[70, 80)", "points": 3},
        {"range": "[60, 70)", "points": 2}, {"range": "(-∞, 60)", "points": 0}]},
}


@pytest.mark.parametrize(("share", "points"), [
    ("100", 5), ("90", 5), ("89.99", 4), ("80", 4), ("79.999999", 3), ("60", 2), ("59.99", 0), ("-5", 0)])
def test_bands_edges(share, points):
    result = score(system(KEY_SHARE), {"projects": {"key_share": D(share)}})
    assert first(result).points == points


def test_bands_reason_names_the_band():
    row = first(score(system(KEY_SHARE), {"projects": {"key_share": D("85.5")}}))
    assert row.deduction_reason == "重点支出安排率85.50%，属于“80%（含）至90%”档，计4分"
    assert row.value_text == "85.50%"


ADJUSTMENT = {
    "name": "预算调整率", "weight": 3, "value": "budget.adjustment_rate",
    "rule": {"kind": "bands", "bands": [
        {"range": "[0, 0]", "points": 3}, {"range": "(0, 10]", "points": 2}, {"range": "(10, 20]", "points": 1},
        {"range": "(20, 30]", "points": 0.5}, {"range": "(30, +∞)", "points": 0}]},
}


@pytest.mark.parametrize(("rate", "points"), [
    ("0", 3), ("0.0001", 2), ("10", 2), ("10.01", 1), ("20", 1), ("30", D("0.5")), ("30.01", 0)])
def test_bands_exclusive_lower_inclusive_upper(rate, points):
    assert first(score(system(ADJUSTMENT), {"budget": {"adjustment_rate": D(rate)}})).points == points


def test_value_outside_all_bands_is_a_finding():
    result = score(system(ADJUSTMENT), {"budget": {"adjustment_rate": D(-1)}})
    assert first(result).points == 0
    assert any("不在任何分档内" in e for e in errors(result))


def test_interval_parsing_and_wording():
    assert Interval.parse("[80, 90)").describe("%") == "80%（含）至90%"
    assert Interval.parse("(0，10]").describe("%") == "0%至10%（含）"
    assert Interval.parse("[90, +∞)").describe("%") == "90%（含）以上"
    assert Interval.parse("(-inf, 60)").describe() == "低于60"
    assert Interval.parse("[0, 0]").describe("%") == "等于0%"
    for bad in ("80-90", "[90, 80)", "(5, 5]", "[+∞, 3)"):
        with pytest.raises(ValueError):
            Interval.parse(bad)


# -- deduction ----------------------------------------------------------------------------------------

STAFF = {"name": "财政供养人员控制率", "label": "在职人员控制率", "weight": 5, "value": "staff.control_rate",
         "rule": {"kind": "deduction", "target": 100, "direction": "over", "per_point": 0.5}}


@pytest.mark.parametrize(("rate", "points"), [
    ("82.14", 5), ("100", 5), ("100.5", D("4.75")), ("104", 3), ("109.99", D("0.01")), ("110", 0), ("250", 0)])
def test_deduction_over_floors_at_zero(rate, points):
    assert first(score(system(STAFF), {"staff": {"control_rate": D(rate)}})).points == points


def test_deduction_reasons():
    row = first(score(system(STAFF), {"staff": {"control_rate": D("104")}}))
    assert row.deduction_reason == "在职人员控制率104.00%，超出100%共4个百分点，每超1个百分点扣0.5分，扣2分"
    row = first(score(system(STAFF), {"staff": {"control_rate": D("120")}}))
    assert row.deduction_reason.endswith("扣完为止")


def test_deduction_under_and_partial_points():
    base = {"name": "固定资产利用率", "weight": 3, "value": "assets.fixed_utilization",
            "rule": {"kind": "deduction", "target": 100, "direction": "under", "per_point": 0.2}}
    ctx = {"assets": {"fixed_utilization": D("97.5")}}
    assert first(score(system(base), ctx)).points == D("2.5")  # proportional: 2.5 × 0.2
    floor = copy.deepcopy(base)
    floor["rule"]["partial"] = "floor"
    assert first(score(system(floor), ctx)).points == D("2.6")  # 2 whole points
    ceil = copy.deepcopy(base)
    ceil["rule"]["partial"] = "ceil"
    assert first(score(system(ceil), ctx)).points == D("2.4")  # 3 started points
    reason = first(score(system(base), ctx)).deduction_reason
    assert reason == "固定资产利用率97.50%，低于100%共2.5个百分点，每低1个百分点扣0.2分，扣0.5分"
    assert first(score(system(base), {"assets": {"fixed_utilization": D(100)}})).points == 3


def test_points_round_half_up_and_total_is_sum_of_rounded():
    ind = {"name": "甲率", "weight": 10, "value": "x.rate",
           "rule": {"kind": "deduction", "target": 100, "direction": "under", "per_point": 1}}
    result = score(system(ind), {"x": {"rate": D("90.005")}})  # 10 − 9.995 = 0.005 -> 0.01
    assert first(result).points == D("0.01")
    assert result.total == D("90.01")


# -- undefined values ---------------------------------------------------------------------------------

CHANGE = {"name": "“三公经费”变动率", "weight": 4, "value": "three_public.change_rate",
          "calc": "“三公经费”变动率=（本年{{ three_public.actual_total }}-上年0）/上年0×100%。",
          "rule": {"kind": "deduction", "target": 0, "direction": "over", "per_point": 0.4,
                   "when_undefined": {"points": "full", "text": "因上年度“三公经费”为0，变动率无法计算，按满分计"}}}


def test_undefined_full_with_explanation():
    row = first(score(system(CHANGE), {"three_public": {"change_rate": None, "actual_total": D("1.56")}}))
    assert row.points == 4 and row.value is None and row.value_text == "—"
    assert row.calculation == "“三公经费”变动率=（本年1.56-上年0）/上年0×100%。因上年度“三公经费”为0，变动率无法计算，按满分计"
    assert row.deduction_reason == ""


@pytest.mark.parametrize(("when", "points"), [("zero", 0), ("full", 4), (1.5, D("1.5")), ("2", 2)])
def test_undefined_points(when, points):
    ind = copy.deepcopy(CHANGE)
    ind["rule"]["when_undefined"] = when
    ind.pop("calc")
    row = first(score(system(ind), {"three_public": {"change_rate": None}}))
    assert row.points == points
    if points < 4:
        assert "无法计算" in row.deduction_reason and row.calculation == row.deduction_reason


def test_undefined_without_declaration_is_zero_with_warning():
    ind = copy.deepcopy(CHANGE)
    del ind["rule"]["when_undefined"]
    result = score(system(ind), {"three_public": {"change_rate": None, "actual_total": 1}})
    assert first(result).points == 0
    assert [f.severity for f in result.findings] == ["warning"]


def test_expression_zero_denominator_and_none_operand_are_undefined():
    ind = {"name": "政府采购执行率", "weight": 3, "value": "inputs.实际 / inputs.计划 * 100",
           "inputs": [{"key": "实际", "label": "实际采购"}, {"key": "计划", "label": "计划采购"}],
           "rule": {"kind": "deduction", "target": 100, "direction": "under", "per_point": 0.2,
                    "when_undefined": {"points": "full", "text": "无政府采购计划，按满分计"}}}
    sys_ = system(ind)
    for planned in (D(0), 0, "0"):
        row = first(score(sys_, {"inputs": {"实际": D(0), "计划": planned}}))
        assert row.points == 3 and row.value is None and "无政府采购计划" in row.calculation
    row = first(score(sys_, {"inputs": {"实际": "95", "计划": 100}}))
    assert row.value == D(95) and isinstance(row.value, D) and row.points == 2
    undefined_via_none = {**ind, "value": "x.a / x.b * 100", "inputs": []}
    assert first(score(system(undefined_via_none), {"x": {"a": None, "b": D(3)}})).value is None


def test_arithmetic_stays_decimal():
    ind = {"name": "比率", "weight": 10, "value": "x.a / x.b * 100 - 0.5",
           "rule": {"kind": "ratio"}}
    row = first(score(system(ind), {"x": {"a": 2, "b": 3}}))  # ints: still exact Decimal division
    assert isinstance(row.value, D)
    assert row.value == D(2) / D(3) * 100 - D("0.5")
    assert row.points == D("6.62")


def test_missing_context_data_is_an_error():
    result = score(system(STAFF), {"staff": {}})
    assert errors(result) == ["t.yaml S241 财政供养人员控制率: 评分需要的数据“staff.control_rate”不存在"]
    assert first(result).points == 0


# -- checklist ----------------------------------------------------------------------------------------

AWARD = {"name": "管理制度健全性", "weight": 3, "rule": {"kind": "checklist", "items": [
    {"text": "已制定管理制度", "points": 1}, {"text": "制度合法合规完整", "points": 1},
    {"text": "制度有效执行", "points": 1}]}}


def test_checklist_award():
    sys_ = system(AWARD)
    keys = [s.key for s in required_inputs(sys_)]
    assert keys == ["管理制度健全性_1", "管理制度健全性_2", "管理制度健全性_3"]
    row = first(score(sys_, {"inputs": {"管理制度健全性_1": True, "管理制度健全性_2": "否", "管理制度健全性_3": "是"}}))
    assert row.points == 2
    assert row.deduction_reason == "不符合：②制度合法合规完整（1分）"


def test_checklist_yesno_must_be_yes_or_no():
    result = score(system(AWARD), {"inputs": {"管理制度健全性_1": "也许", "管理制度健全性_2": True,
                                              "管理制度健全性_3": True}})
    assert errors(result) == ['评分填报 W502 管理制度健全性：①已制定管理制度: 应为 是/否 之一, 实际为 "也许"']


def test_checklist_deduct_items_floor_at_zero():
    ind = {"name": "资产管理安全性", "weight": 4, "rule": {"kind": "checklist", "mode": "deduct", "per_failure": 1,
                                                        "items": [{"text": t} for t in "甲乙丙丁戊"]}}
    answers = {f"资产管理安全性_{n}": n > 2 for n in range(1, 6)}
    row = first(score(system(ind), {"inputs": answers}))
    assert row.points == 2
    assert row.deduction_reason == "不符合要求2例（①甲；②乙），每例扣1分，扣2分"
    answers = {f"资产管理安全性_{n}": False for n in range(1, 6)}
    row = first(score(system(ind), {"inputs": answers}))
    assert row.points == 0 and row.deduction_reason.endswith("扣完为止")


def test_checklist_deduct_by_count():
    ind = {"name": "支出进度", "weight": 4, "rule": {"kind": "checklist", "mode": "deduct", "per_failure": 0.5,
                                                  "count_input": True}}
    sys_ = system(ind)
    [spec] = required_inputs(sys_)
    assert (spec.key, spec.kind) == ("支出进度_不符合例数", "integer")
    assert first(score(sys_, {"inputs": {"支出进度_不符合例数": D(3)}})).points == D("2.5")
    assert first(score(sys_, {"inputs": {"支出进度_不符合例数": 0}})).points == 4
    assert first(score(sys_, {"inputs": {"支出进度_不符合例数": 9}})).points == 0
    result = score(sys_, {"inputs": {"支出进度_不符合例数": D("1.5")}})
    assert errors(result) == ['评分填报 W502 支出进度：不符合要求的例数: 应为整数, 实际为 "1.5"']


# -- ratio --------------------------------------------------------------------------------------------

KEY_WORK = {"name": "重点工作实际完成率", "weight": 10,
            "inputs": [{"key": "完成", "label": "完成件数", "kind": "integer"},
                       {"key": "计划", "label": "计划件数", "kind": "integer"},
                       {"key": "考核得分", "label": "考核得分"}, {"key": "考核总分", "label": "考核总分"}],
            "rule": {"kind": "ratio", "parts": [
                {"achieved": "inputs.完成", "planned": "inputs.计划", "weight": 6, "label": "重点工作"},
                {"achieved": "inputs.考核得分", "planned": "inputs.考核总分", "weight": 4, "label": "绩效办考核"}],
                "when_undefined": "zero"}}


def test_ratio_parts():
    sys_ = system(KEY_WORK)
    row = first(score(sys_, {"inputs": {"完成": 5, "计划": 5, "考核得分": 75, "考核总分": 100}}))
    assert row.points == 9
    assert row.deduction_reason == "①重点工作5/5，得分5/5×6=6分；②绩效办考核75/100，得分75/100×4=3分"
    row = first(score(sys_, {"inputs": {"完成": 2, "计划": 3, "考核得分": 100, "考核总分": 100}}))
    assert row.points == 8  # 4 + 4
    row = first(score(sys_, {"inputs": {"完成": 7, "计划": 5, "考核得分": 100, "考核总分": 100}}))
    assert row.points == 10  # over-achievement capped at the part's weight
    row = first(score(sys_, {"inputs": {"完成": 0, "计划": 0, "考核得分": 100, "考核总分": 100}}))
    assert row.points == 0 and "无法计算" in row.deduction_reason


def test_ratio_of_a_rate_and_missing_inputs():
    ind = {"name": "预算执行率", "weight": 10, "value": "budget.execution_rate", "rule": {"kind": "ratio"}}
    assert first(score(system(ind), {"budget": {"execution_rate": D(86)}})).points == D("8.6")
    assert first(score(system(ind), {"budget": {"execution_rate": D("101.2")}})).points == 10
    result = score(system(KEY_WORK), {"inputs": {"完成": 5, "计划": 5}})
    assert sorted(errors(result)) == [
        "评分填报 G810 考核得分: 未填写（评分指标“重点工作实际完成率”需要）",
        "评分填报 G810 考核总分: 未填写（评分指标“重点工作实际完成率”需要）",
    ]
    assert first(result).points == 0 and first(result).deduction_reason.startswith("缺少评分填报数据")


# -- tiers --------------------------------------------------------------------------------------------

BALANCE = {"name": "资金结余", "weight": 3, "rule": {"kind": "tiers", "tiers": [
    {"when": "balance.year_end <= 0", "points": 3, "text": "无结余"},
    {"when": "balance.year_end <= balance.carryover", "points": 2, "text": "有结余，但不超过上年结转"},
    {"points": 0, "text": "结余超过上年结转"}]}}


@pytest.mark.parametrize(("year_end", "carryover", "points", "reason"), [
    ("0", "10", 3, ""), ("-1", "0", 3, ""), ("33.14", "498.88", 2, "有结余，但不超过上年结转，计2分"),
    ("10", "10", 2, "有结余，但不超过上年结转，计2分"), ("10.01", "10", 0, "结余超过上年结转，计0分")])
def test_tiers(year_end, carryover, points, reason):
    row = first(score(system(BALANCE), {"balance": {"year_end": D(year_end), "carryover": D(carryover)}}))
    assert (row.points, row.deduction_reason) == (points, reason)


# -- manual -------------------------------------------------------------------------------------------

MANUAL = {"name": "经济效益", "weight": 4, "rule": {"kind": "manual"}}


def test_manual_inputs_and_full_marks():
    sys_ = system(MANUAL)
    specs = required_inputs(sys_)
    assert [(s.key, s.kind, s.max, s.required) for s in specs] == [
        ("经济效益_得分", "score", D(4), True), ("经济效益_扣分原因", "text", None, False)]
    row = first(score(sys_, {"inputs": {"经济效益_得分": D(4)}}))
    assert row.points == 4 and row.deduction_reason == ""


@pytest.mark.parametrize(("given", "message"), [
    ("4.5", "G815 经济效益得分: 得分4.5超出范围，应在 0 至 4 分之间"),
    ("-1", "W502 经济效益得分: 不能为负数, 实际为 -1"),  # as the 评分填报 cell itself is refused: a score is not negative
])
def test_manual_out_of_range(given, message):
    result = score(system(MANUAL), {"inputs": {"经济效益_得分": D(given), "经济效益_扣分原因": "x"}})
    assert errors(result) == [f"评分填报 {message}"]


def test_manual_below_full_needs_reason():
    result = score(system(MANUAL), {"inputs": {"经济效益_得分": D("3.5"), "经济效益_扣分原因": "  "}})
    assert errors(result) == ["评分填报 G816 经济效益扣分原因: 得分3.5低于满分4分，请填写扣分原因"]
    result = score(system(MANUAL), {"inputs": {"经济效益_得分": D("3.5"), "经济效益_扣分原因": "效益指标未量化"}})
    assert errors(result) == []
    assert first(result).points == D("3.5") and first(result).deduction_reason == "效益指标未量化"


def test_manual_missing_score():
    result = score(system(MANUAL), {"inputs": {}})
    assert errors(result) == ["评分填报 G810 经济效益得分: 未填写（评分指标“经济效益”需要）"]
    result = score(system(MANUAL), {})  # no inputs at all
    assert len(errors(result)) == 1


# -- goal rows ----------------------------------------------------------------------------------------

GOAL_SYSTEM = {"id": "g", "name": "自评表", "levels": [
    {"name": "预算执行率", "weight": 10, "groups": [{"name": "预算执行率", "weight": 10, "indicators": [
        {"name": "预算执行率", "weight": 10, "value": "budget.execution_rate", "rule": {"kind": "ratio"}}]}]},
    {"name": "产出指标", "weight": 50, "goal_rows": {"level1": ["产出指标", "成本指标"]}},
    {"name": "效益指标", "weight": 30, "goal_rows": {"level1": ["效益指标"]}},
    {"name": "满意度指标", "weight": 10, "goal_rows": {"level1": ["满意度指标"]}},
]}


def row(level1, level2, level3, nature, target, actual, weight, achievement=None, n=2, reason=""):
    return {"level1": level1, "level2": level2, "level3": level3, "nature": nature, "target": target, "unit": "%",
            "actual": actual, "weight": None if weight is None else D(weight), "achievement": achievement,
            "deviation_reason": reason, "ref": f"绩效指标!A{n}"}


def goal_rows() -> list[dict[str, Any]]:
    return [
        row("产出指标", "数量指标", "参保率", "≥", D(95), D("95.8"), 20, n=2),
        row("产出指标", "质量指标", "运行率", "≥", D(90), D(100), 20, n=3),
        row("成本指标", "经济成本指标", "控制在预算内", "定性", "不超预算", "未超", 10, "达成", n=4),
        row("效益指标", "社会效益指标", "救助覆盖", "定性", "稳步拓展", "稳步拓展", 30, "达成", n=5),
        row("满意度指标", "服务对象满意度指标", "满意率", "≥", D(80), D(95), 10, n=6),
    ]


def goal_score(rows, execution="100"):
    sys_ = build_scoring_system(copy.deepcopy(GOAL_SYSTEM), "g.yaml")
    return score(sys_, {"budget": {"execution_rate": D(execution)}, "indicators": rows})


def test_goal_rows_all_met_and_grouped():
    result = goal_score(goal_rows())
    assert errors(result) == [] and result.total == 100
    output = result.levels[1]
    assert [(g.name, g.weight, g.points) for g in output.groups] == [
        ("数量指标", 20, 20), ("质量指标", 20, 20), ("经济成本指标", 10, 10)]
    assert result.rows[1].standard == "≥95%" and result.rows[1].ref == "绩效指标!A2"


def test_goal_rows_execution_rate_proportional():
    result = goal_score(goal_rows(), execution="86")
    assert result.row("预算执行率").points == D("8.6")
    assert result.total == D("98.6")


def test_goal_rows_short_of_target_are_proportional():
    rows = goal_rows()
    rows[0] = row("产出指标", "数量指标", "参保率", "≥", D(95), D(76), 20, n=2, reason="新增人口未及时参保")
    rows[1] = row("产出指标", "质量指标", "投诉率", "≤", D(2), D(5), 20, n=3)
    result = goal_score(rows)
    first_row, second = result.rows[1], result.rows[2]
    assert first_row.points == 16  # 76/95 × 20
    assert first_row.deduction_reason == "实际完成76%，未达到指标值≥95%；新增人口未及时参保"
    assert first_row.calculation == "指标值≥95%，实际完成76%，未达成，得分 = 76/95×20 = 16分"
    assert second.points == 8  # 2/5 × 20
    warnings = [f for f in result.findings if f.severity == "warning"]
    assert [(f.where, f.field) for f in warnings] == [("绩效指标!A3", "偏差原因及改进措施")]


def test_goal_rows_equal_nature():
    rows = goal_rows()
    rows[1] = row("产出指标", "质量指标", "完成率", "=", D(100), D(90), 20, n=3, reason="r")
    assert goal_score(rows).rows[2].points == 18  # (1 − 10/100) × 20
    rows[1] = row("产出指标", "质量指标", "完成率", "=", D(100), D(100), 20, n=3)
    assert goal_score(rows).rows[2].points == 20
    rows[1] = row("产出指标", "质量指标", "完成率", "=", D(100), D(250), 20, n=3, reason="r")
    assert goal_score(rows).rows[2].points == 0


def test_goal_rows_qualitative_levels():
    rows = goal_rows()
    rows[3] = row("效益指标", "社会效益指标", "救助覆盖", "定性", "稳步拓展", "有所拓展", 30, "部分达成", n=5, reason="r")
    result = goal_score(rows)
    assert result.row("绩效指标!A5").points == 18  # 60 %
    rows[3]["achievement"] = "未达成"
    assert goal_score(rows).row("绩效指标!A5").points == 0
    rows[3]["achievement"] = None  # blank counts as 达成 (the reader warns)
    assert goal_score(rows).row("绩效指标!A5").points == 30
    rows[3]["achievement"] = "差不多"
    assert any("完成程度“差不多”无法识别" in e for e in errors(goal_score(rows)))


def test_goal_rows_custom_qualitative_levels():
    raw = copy.deepcopy(GOAL_SYSTEM)
    raw["levels"][2]["goal_rows"]["qualitative"] = {"达成": 100, "部分达成": 50, "未达成": 0}
    rows = goal_rows()
    rows[3]["achievement"] = "部分达成"
    rows[3]["deviation_reason"] = "r"
    result = score(build_scoring_system(raw, "g.yaml"), {"budget": {"execution_rate": D(100)}, "indicators": rows})
    assert result.row("绩效指标!A5").points == 15


def test_goal_rows_weights_must_sum_to_level():
    rows = goal_rows()
    rows[1]["weight"] = D(15)
    result = goal_score(rows)
    assert errors(result) == ["绩效指标!A2、绩效指标!A3、绩效指标!A4 G811 分值: 一级指标“产出指标、成本指标”各行分值合计45分，应为50分"]


def test_goal_rows_missing_weight_unknown_level_and_empty_level():
    rows = goal_rows()
    rows[0]["weight"] = None
    rows.append(row("其他指标", "x", "y", "≥", D(1), D(1), 0, n=9))
    rows = [r for r in rows if r["level1"] != "满意度指标"]
    messages = errors(goal_score(rows))
    assert "绩效指标!A2 G803 分值: 分值未填写（本格式按绩效指标打分，每行都要有分值）" in messages
    assert any(m.startswith("绩效指标!A9 G807 一级指标: 一级指标“其他指标”不在评分体系中") for m in messages)
    assert any("没有一级指标为“满意度指标”的绩效指标" in m for m in messages)


def test_goal_rows_with_cost_split_off():
    raw = copy.deepcopy(GOAL_SYSTEM)
    raw["levels"][1] = {"name": "产出指标", "weight": 40, "goal_rows": {"level1": ["产出指标"]}}
    raw["levels"].insert(2, {"name": "成本指标", "weight": 10, "goal_rows": {"level1": ["成本指标"]}})
    rows = goal_rows()
    rows[1]["weight"] = D(20)
    rows[0]["weight"] = D(20)
    result = score(build_scoring_system(raw, "g.yaml"), {"budget": {"execution_rate": D(100)}, "indicators": rows})
    assert errors(result) == []
    assert [(g.name, g.weight, g.points) for g in result.levels] == [
        ("预算执行率", 10, 10), ("产出指标", 40, 40), ("成本指标", 10, 10), ("效益指标", 30, 30), ("满意度指标", 10, 10)]


def test_goal_rows_non_numeric_quantitative():
    rows = goal_rows()
    rows[0]["actual"] = "大约九成"
    assert any(e.startswith("绩效指标!A2 G806 实际完成值") for e in errors(goal_score(rows)))


# -- grades and cap -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("share", "grade"), [("90", "优"), ("89.99", "良")])
def test_default_grades_at_the_edge(share, grade):
    ind = {"name": "甲", "weight": 100, "value": "x.rate", "rule": {"kind": "ratio"}}
    result = score(system(ind), {"x": {"rate": D(share)}})
    assert (result.total, result.grade) == (D(share), grade)


@pytest.mark.parametrize(("total", "grade"), [("80", "良"), ("79.99", "中"), ("60", "中"), ("59.99", "差"), ("0", "差")])
def test_default_grade_bands(total, grade):
    ind = {"name": "甲", "weight": 100, "value": "x.rate", "rule": {"kind": "ratio"}}
    assert score(system(ind), {"x": {"rate": D(total)}}).grade == grade


CAP = {"value": "budget.execution_rate", "label": "预算执行率", "bands": [
    {"range": "[70, 80)", "cap": 89}, {"range": "[60, 70)", "cap": 79}, {"range": "(-∞, 60)", "cap": 59}]}


@pytest.mark.parametrize(("rate", "total", "capped"), [
    ("100", "100", False), ("80", "100", False), ("79.99", "89", True), ("70", "89", True), ("65", "79", True),
    ("10", "59", True)])
def test_total_cap(rate, total, capped):
    sys_ = system(MANUAL, cap=CAP)
    result = score(sys_, {"budget": {"execution_rate": D(rate)}, "inputs": {"经济效益_得分": 4}})
    assert (result.total, result.capped, result.raw_total) == (D(total), capped, 100)
    assert bool(result.cap_reason) == capped


def test_cap_not_applied_when_total_is_already_lower():
    sys_ = system({**MANUAL, "weight": 20}, cap=CAP)
    result = score(sys_, {"budget": {"execution_rate": D(75)}, "inputs": {"经济效益_得分": 0, "经济效益_扣分原因": "无"}})
    assert (result.total, result.capped, result.cap_reason) == (D(80), False, "")


def test_cap_with_undefined_value_warns():
    result = score(system(MANUAL, cap=CAP), {"budget": {"execution_rate": None}, "inputs": {"经济效益_得分": 4}})
    assert result.total == 100 and [f.severity for f in result.findings] == ["warning"]


# -- loader edges -------------------------------------------------------------------------------------


def _problems(*indicators: dict[str, Any], **extra: Any) -> list[str]:
    with pytest.raises(ReportgenError) as info:
        system(*indicators, **extra)
    return [f"{f.field}|{f.message}" for f in info.value.findings]


def test_loader_rule_specific_checks():
    assert _problems({**AWARD, "weight": 4}) == ["管理制度健全性|checklist 各项分值合计3，与指标分值4不符"]
    bad_ratio = copy.deepcopy(KEY_WORK)
    bad_ratio["rule"]["parts"][1]["weight"] = 3
    assert _problems(bad_ratio) == ["重点工作实际完成率|ratio 各部分分值合计9，与指标分值10不符"]
    bad_tiers = copy.deepcopy(BALANCE)
    bad_tiers["rule"]["tiers"][2]["when"] = "true"
    bad_tiers["rule"]["tiers"][1]["points"] = 5
    assert _problems(bad_tiers) == ["资金结余|tiers 第2档的分数5超过分值3",
                                    "资金结余|tiers 最后一档表示“其他情况”，不要写 when"]
    deduct_without_rate = {"name": "甲", "weight": 1, "rule": {"kind": "checklist", "mode": "deduct"}}
    assert _problems(deduct_without_rate) == ["甲|checklist（deduct）需要 per_failure（每例不符合扣分）",
                                              "甲|checklist（deduct）需要 items，或者 count_input: true"]
    assert _problems({**STAFF, "rule": {**STAFF["rule"], "direction": "sideways"}}) == [
        "财政供养人员控制率|rule.direction：取值应为 over 或 under，实际为“sideways”"]
    assert _problems({**STAFF, "weight": "五"}) == ["财政供养人员控制率|weight：应为数字，实际为“五”"]


def test_loader_bad_interval_and_grades():
    bad = copy.deepcopy(KEY_SHARE)
    bad["rule"]["bands"][0]["range"] = "90以上"
    [problem] = _problems(bad)
    assert problem.startswith("重点支出安排率|rule.bands[1].range：区间写法不对：“90以上”")
    grades = [{"name": "优", "range": "[90, 100]"}, {"name": "良", "range": "[80, 89]"}]
    assert _problems(grades=grades) == ["grades|评价等次：区间 [80, 89] 与 [90, 100] 之间有空档（89 至 90）"]


def test_loader_duplicate_names_need_keys():
    twin = {**AWARD, "weight": 3}
    assert _problems(AWARD, twin) == [
        "管理制度健全性|指标键“管理制度健全性”重复：同名（或去掉标点后同名）的指标请各自写明不同的 key",
        "管理制度健全性|填报键“管理制度健全性_1”重复（另见指标 管理制度健全性）",
        "管理制度健全性|填报键“管理制度健全性_2”重复（另见指标 管理制度健全性）",
        "管理制度健全性|填报键“管理制度健全性_3”重复（另见指标 管理制度健全性）",
    ]
    system(AWARD, {**twin, "key": "资产管理制度健全性"})  # a key makes them distinct


def test_loader_goal_rows_and_groups_are_exclusive():
    raw = copy.deepcopy(GOAL_SYSTEM)
    raw["levels"][1]["groups"] = raw["levels"][0]["groups"]
    with pytest.raises(ReportgenError, match="应当且只能有 groups"):
        build_scoring_system(raw, "g.yaml")
