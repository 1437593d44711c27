"""The scoring engine against the two real 评分表 seeds, a system added only as data, and the loader."""

from __future__ import annotations

import copy
import re
import textwrap
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from reportgen.errors import ReportgenError
from reportgen.render.filters import round_half_up
from reportgen.scoring import format_score_table, load_scoring_system, required_inputs, score

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def _yes_to_all(system) -> dict[str, Any]:
    return {spec.key: True for spec in required_inputs(system) if spec.kind == "yesno"}


def _errors(result) -> list[str]:
    return [str(f) for f in result.findings if f.is_error]


def _assert_adds_up(result) -> None:
    for group in result.levels:
        assert group.points == sum(sg.points for sg in group.groups)
        for sg in group.groups:
            assert sg.points == sum(r.points for r in sg.rows)
    assert result.raw_total == sum(r.points for r in result.rows)


# -- yanling-2020: 94.72 -----------------------------------------------------------------------------


@pytest.fixture
def yanling():
    return load_scoring_system(TEMPLATES / "yanling-2020" / "scoring.yaml")


def yanling_context(system) -> dict[str, Any]:
    """炎陵县医疗保障局 2020 (amounts in 万元; the seed prints 元)."""
    inputs = _yes_to_all(system) | {
        "支出进度_不符合例数": D(0),
        "重点工作完成件数": D(5), "重点工作计划件数": D(5),
        "绩效办考核得分": D(75), "绩效办考核总分": D(100),
        "质量达标工作数": D(5), "质量达标计划工作数": D(5),
        "经济效益_得分": D(4), "社会效益_得分": D(4), "生态效益_得分": D(4),
    }
    return {
        "staff": {"quota": 28, "actual": 23, "control_rate": D(23) * 100 / D(28)},
        "three_public": {"actual_total": D("1.5639"), "budget_total": D("1.5"), "last_year_total": D(0),
                         "change_rate": None, "control_rate": D("1.5639") * 100 / D("1.5")},
        "projects": {"key_spent": D("744.359"), "total_spent": D("744.359"), "key_share": D(100)},
        "budget": {"initial": D("1027.99"), "adjustment": D(0), "adjustment_rate": D(0)},
        "balance": {"year_end": D(0), "carryover": D(0)},
        "assets": {"fixed_in_use": D("20.4"), "fixed_total": D("20.4"), "fixed_utilization": D(100)},
        "questionnaire_summary": {"score": D(965), "full_score": D(1000), "score_rate": D("96.5"), "satisfaction_rate": D(100)},
        "inputs": inputs,
    }


def test_yanling_rebuilds_the_seed_table(yanling):
    result = score(yanling, yanling_context(yanling))
    assert _errors(result) == []
    assert result.total == D("94.72")
    assert result.raw_total == D("94.72") and not result.capped
    assert result.total_weight == D(100)
    assert result.grade == "优"
    _assert_adds_up(result)
    assert [(g.name, g.weight, g.points) for g in result.levels] == [
        ("投入", 20, 20), ("过程", 44, 40), ("产出", 16, 15), ("效果", 20, D("19.72"))]

    staff = result.row("财政供养人员控制率")
    assert staff.points == 4 and staff.deduction_reason == ""
    assert "82.14%" in staff.calculation and "23" in staff.calculation and "28" in staff.calculation
    assert staff.value_text == "82.14%"

    change = result.row("三公经费变动率")
    assert change.points == 4 and change.value is None
    assert "因上年度“三公经费”为0，变动率无法计算，按满分计" in change.calculation

    control = result.row("三公经费控制率")
    assert control.points == 0
    assert control.deduction_reason == "“三公经费”控制率104.26%，超出100%共4.26个百分点，每超1个百分点扣1分，扣完为止"
    assert "104.26%" in control.calculation

    assert result.row("重点支出安排率").points == 4
    assert result.row("预算调整率").points == 4
    assert result.row("资金结余").calculation.startswith("当年无结余")
    assert result.row("预算管理制度健全性").points == 6
    assert result.row("资产管理制度健全性").points == 4
    assert result.row("固定资产利用率").points == 3
    key_work = result.row("重点工作实际完成率")
    assert key_work.points == 9
    assert "×6=6分" in key_work.calculation and "×4=3分" in key_work.calculation
    assert key_work.deduction_reason  # 9 < 10: the reason is always given
    assert result.row("重点工作质量达标率").points == 6
    survey = result.row("社会公众或服务对象满意度")
    assert survey.points == D("7.72")
    assert survey.calculation == "调查问卷共计得分965/1000分×8=7.72"


def test_yanling_missing_inputs_are_errors_naming_them(yanling):
    context = yanling_context(yanling)
    del context["inputs"]["重点工作完成件数"]
    context["inputs"]["资金使用合规性_2"] = None
    result = score(yanling, context)
    errors = _errors(result)
    assert any("重点工作完成件数" in e and "未填写" in e for e in errors)
    assert any("资金使用合规性：②资金拨付有完整的审批程序和手续" in e for e in errors)
    assert result.row("重点工作实际完成率").points == 0


def test_yanling_without_survey_is_an_error(yanling):
    context = yanling_context(yanling)
    context["questionnaire_summary"] = None
    result = score(yanling, context)
    assert any("questionnaire_summary" in e and "社会公众或服务对象满意度" in e for e in _errors(result))


# -- yueyang-2020: 99 ---------------------------------------------------------------------------------


@pytest.fixture
def yueyang():
    return load_scoring_system(TEMPLATES / "yueyang-2020" / "scoring.yaml")


def yueyang_context(system) -> dict[str, Any]:
    """岳阳市医疗保障局 2020: 94 of 96 staff, 结余 33.14 with 上年结转 498.88, all else full marks."""
    inputs = _yes_to_all(system) | {
        "支付进度_不符合例数": D(0),
        "政府采购实际数": D("120"), "政府采购计划数": D("120"),
        "公务卡刷卡金额": D("80"), "公务卡应刷卡金额": D("100"),
        "全面小康任务_得分": D(5), "新增长极任务_得分": D(7), "政府工作报告任务_得分": D(5),
        "重点民生实事_得分": D(2), "重点工程项目_得分": D(2), "其他工作实绩_得分": D(4),
        "履职效益_得分": D(15), "服务对象满意度": D(95),
    }
    return {
        "staff": {"quota": 96, "actual": 94, "control_rate": D(94) * 100 / D(96)},
        "three_public": {"actual_total": D("9.26"), "budget_total": D("10"), "last_year_total": D("10.5"),
                         "change_rate": (D("9.26") - D("10.5")) * 100 / D("10.5"), "control_rate": D("92.6")},
        "projects": {"key_spent": D("739.11"), "total_spent": D("739.11"), "key_share": D(100)},
        "budget": {"initial": D("1775.56"), "adjustment": D(0), "adjustment_rate": D(0)},
        "balance": {"year_end": D("33.14"), "carryover": D("498.88")},
        "assets": {"fixed_in_use": D("205.81"), "fixed_total": D("205.81"), "fixed_utilization": D(100)},
        "inputs": inputs,
    }


def test_yueyang_rebuilds_the_seed_table(yueyang):
    result = score(yueyang, yueyang_context(yueyang))
    assert _errors(result) == []
    assert result.total == D(99)
    assert result.grade == "优"
    _assert_adds_up(result)
    assert [(g.name, g.weight, g.points) for g in result.levels] == [
        ("投入", 15, 15), ("过程", 40, 39), ("产出", 25, 25), ("效果", 20, 20)]
    assert [(sg.name, sg.weight) for sg in result.levels[1].groups] == [("预算执行", 15), ("预算管理", 15),
                                                                        ("资产管理", 10)]
    balance = result.row("资金结余")
    assert balance.points == 2
    assert balance.deduction_reason == "有结余，但不超过上年结转，计2分"
    assert "33.14" in balance.calculation and "498.88" in balance.calculation
    assert [r.deduction_reason for r in result.rows if r.points < r.weight] == [balance.deduction_reason]
    assert len(result.levels[2].groups[0].rows) == 6  # 职责履行: six manual rows
    assert result.row("履职效益").weight == 15
    # the table a template loops over keeps the seed's order and 评分标准 text
    assert result.rows[0].standard.startswith("以100%为标准。在职人员控制率≦100%，计5分")
    assert result.levels[0].row_count == 3 and result.levels[1].row_count == 12


def test_yueyang_manual_score_below_full_needs_reason(yueyang):
    context = yueyang_context(yueyang)
    context["inputs"]["履职效益_得分"] = D(13)
    result = score(yueyang, context)
    assert any("经济效益、社会效益、生态效益扣分原因" in e and "请填写扣分原因" in e for e in _errors(result))
    context["inputs"]["履职效益_扣分原因"] = "生态效益指标未细化"
    result = score(yueyang, context)
    assert _errors(result) == []
    assert result.total == D(97)
    assert result.row("履职效益").deduction_reason == "生态效益指标未细化"


def test_yueyang_required_inputs(yueyang):
    specs = {s.key: s for s in required_inputs(yueyang)}
    assert specs["支付进度_不符合例数"].kind == "integer"
    assert specs["政府采购实际数"].kind == "number"
    assert specs["履职效益_得分"].kind == "score" and specs["履职效益_得分"].max == 15
    assert specs["履职效益_扣分原因"].kind == "text" and not specs["履职效益_扣分原因"].required
    assert specs["预算管理制度健全性_1"].kind == "yesno"
    assert specs["预算管理制度健全性_1"].group == "过程/预算管理"
    assert specs["资产管理安全性_5"].label == "资产管理安全性：⑤资产有偿使用及处置收入及时足额上缴"
    assert len(specs) == len(required_inputs(yueyang))  # keys unique


# -- current-2021 against the real model --------------------------------------------------------------


def test_current_2021_scores_the_example_workbook(write_core):
    from reportgen.workbook.assemble import build_report
    from reportgen.workbook.reader import open_workbook, read_sheets
    from tests.conftest import CORE

    path = write_core()
    report, _ = build_report(read_sheets(open_workbook(path), CORE, path))
    system = load_scoring_system(TEMPLATES / "current-2021" / "scoring.yaml")
    assert required_inputs(system) == []
    result = score(system, report)
    assert _errors(result) == []
    _assert_adds_up(result)
    assert [g.name for g in result.levels] == ["预算执行率", "产出指标", "效益指标", "满意度指标"]
    assert result.levels[1].weight == 50 and result.levels[1].points == 50
    execution = result.row("预算执行率")
    assert execution.points == round_half_up(report.budget.execution_rate / 10, 2)
    assert result.total == execution.points + 90
    assert all(r.ref for r in result.rows[1:])
    # the template context (model_dump) scores the same
    assert score(system, report.model_dump()).total == result.total


# -- a new scoring system as data only ----------------------------------------------------------------

NEW_SYSTEM = """
id: test-province
name: 某省部门整体支出绩效评价（测试）
grades:
  - {name: 好, range: "[85, +∞)"}
  - {name: 一般, range: "[70, 85)"}
  - {name: 不好, range: "(-∞, 70)"}
cap:
  value: budget.execution_rate
  label: 预算执行率
  bands:
    - {range: "[70, 80)", cap: 89}
    - {range: "[60, 70)", cap: 79}
    - {range: "(-∞, 60)", cap: 59}
levels:
  - name: 决策
    weight: 30
    groups:
      - name: 资金投入
        weight: 30
        indicators:
          - name: 在职人员控制率
            weight: 10
            value: staff.control_rate
            rule: {kind: deduction, target: 100, direction: over, per_point: 1}
          - name: 政府采购执行率
            weight: 20
            inputs:
              - {key: 采购实际数, label: 政府采购实际数（万元）}
              - {key: 采购计划数, label: 政府采购计划数（万元）}
            value: inputs.采购实际数 / inputs.采购计划数 * 100
            calc: 政府采购执行率{{ value|pct }}（{{ inputs.采购实际数|num }}/{{ inputs.采购计划数|num }}）
            rule: {kind: deduction, target: 100, direction: under, per_point: 0.5, partial: floor}
  - name: 管理
    weight: 70
    groups:
      - name: 绩效管理
        weight: 70
        indicators:
          - name: 绩效自评质量
            weight: 40
            inputs:
              - {key: 自评问题数, label: 财政复核发现的自评问题数, kind: integer}
            rule:
              kind: tiers
              tiers:
                - {when: "inputs.自评问题数 == 0", points: 40, text: 自评无问题}
                - {when: "inputs.自评问题数 <= 2", points: 30, text: "自评有{{ inputs.自评问题数 }}个问题"}
                - {points: 10, text: 自评问题较多}
          - name: 预算执行率
            weight: 30
            value: budget.execution_rate
            rule: {kind: ratio}
"""


def test_a_new_system_is_only_a_data_file(tmp_path):
    path = tmp_path / "scoring.yaml"
    path.write_text(NEW_SYSTEM, encoding="utf-8")
    system = load_scoring_system(path)
    assert [s.key for s in required_inputs(system)] == ["采购实际数", "采购计划数", "自评问题数"]
    context = {"staff": {"control_rate": D("101.5")}, "budget": {"execution_rate": D(75)},
               "inputs": {"采购实际数": D("96.5"), "采购计划数": D(100), "自评问题数": D(1)}}
    result = score(system, context)
    assert _errors(result) == []
    rows = {r.name: r for r in result.rows}
    assert rows["在职人员控制率"].points == D("8.5")
    assert rows["政府采购执行率"].points == D("18.5")  # 3.5 points short, whole points only: 3 × 0.5
    assert rows["政府采购执行率"].calculation == "政府采购执行率96.50%（96.5/100）"
    assert "按3个百分点计" in rows["政府采购执行率"].deduction_reason
    assert rows["绩效自评质量"].points == 30 and rows["绩效自评质量"].calculation == "自评有1个问题"
    assert rows["预算执行率"].points == D("22.5")
    assert result.raw_total == D("79.5")
    assert not result.capped and result.total == D("79.5")  # under the cap of 89 anyway
    assert result.grade == "一般"

    context["budget"]["execution_rate"] = D(65)  # 65 % caps the total at 79
    context["inputs"]["自评问题数"] = D(0)
    context["staff"]["control_rate"] = D(100)
    result = score(system, context)
    assert result.raw_total == D("88")  # 10 + 18.5 + 40 + 19.5
    assert result.capped and result.total == D(79)
    assert result.cap_reason == "预算执行率65.00%，属于“60%（含）至70%”档，总分最高79分（各项得分合计88分）"
    assert result.grade == "一般"
    assert "封顶" in format_score_table(result)


# -- terminal table -----------------------------------------------------------------------------------


def test_format_score_table(yanling):
    text = format_score_table(score(yanling, yanling_context(yanling)))
    lines = text.splitlines()
    assert lines[0].startswith("评分表：")
    assert any(line.startswith("投入（20）") and "绩效目标合理性" in line for line in lines)
    assert any("“三公经费”控制率" in line and "扣完为止" in line for line in lines)
    assert lines[-1] == "综合得分 94.72 分（满分 100），评价等次：优"


# -- loader errors ------------------------------------------------------------------------------------

BASE = """
id: t
name: 测试
levels:
  - name: 投入
    weight: 40
    groups:
      - name: 预算配置
        weight: 40
        indicators:
          - name: 重点支出安排率
            weight: 40
            value: projects.key_share
            rule:
              kind: bands
              bands:
                - {range: "[90, +∞)", points: 40}
                - {range: "[80, 90)", points: 30}
                - {range: "(-∞, 80)", points: 0}
  - name: 效果
    weight: 60
    groups:
      - name: 履职效益
        weight: 60
        indicators:
          - name: 社会效益
            weight: 60
            rule: {kind: manual}
"""


def _load_error(tmp_path: Path, text: str) -> tuple[str, list]:
    path = tmp_path / "scoring.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ReportgenError) as info:
        load_scoring_system(path)
    for finding in info.value.findings:
        assert re.fullmatch(re.escape(str(path)) + r":\d+", str(finding.where)), finding.where
        assert re.fullmatch(r"S2\d\d", finding.code), finding.code
    return str(path), info.value.findings


def test_base_system_loads(tmp_path):
    path = tmp_path / "scoring.yaml"
    path.write_text(BASE, encoding="utf-8")
    assert load_scoring_system(path).id == "t"


def test_loader_unknown_rule_kind(tmp_path):
    path, findings = _load_error(tmp_path, BASE.replace("kind: manual", "kind: magic"))
    assert [(f.field, f.message) for f in findings] == [
        ("社会效益", "rule.kind：取值“magic”不认识（可用：bands、deduction、checklist、ratio、tiers、manual）")]
    line = next(n for n, text in enumerate(Path(path).read_text("utf-8").splitlines(), 1) if "magic" in text)
    assert str(findings[0]) == f"{path}:{line} S205 社会效益: {findings[0].message}"


def test_loader_unknown_key(tmp_path):
    _, findings = _load_error(tmp_path, BASE.replace("value: projects.key_share", "valeu: projects.key_share"))
    messages = {(f.field, f.message) for f in findings}
    assert messages == {("重点支出安排率", "valeu：不认识的键（拼写错误？不需要的话请删除）")}


def test_loader_total_not_100(tmp_path):
    text = BASE.replace("weight: 60", "weight: 50")
    _, findings = _load_error(tmp_path, text)
    assert [(f.field, f.message) for f in findings] == [("总分", "各一级指标分值合计为90分，应为100分")]


def test_loader_group_sums(tmp_path):
    text = BASE.replace("      - name: 预算配置\n        weight: 40", "      - name: 预算配置\n        weight: 35")
    _, findings = _load_error(tmp_path, text)
    assert {(f.field, f.message) for f in findings} == {
        ("投入", "二级指标分值合计为35分，与一级指标分值40分不符"),
        ("投入/预算配置", "三级指标分值合计为40分，与二级指标分值35分不符"),
    }


def test_loader_band_gap_overlap_and_points(tmp_path):
    text = BASE.replace('{range: "[80, 90)", points: 30}', '{range: "[80, 89)", points: 30}').replace(
        '{range: "(-∞, 80)", points: 0}', '{range: "(-∞, 80]", points: 45}')
    _, findings = _load_error(tmp_path, text)
    assert all(f.field == "重点支出安排率" for f in findings)
    assert {f.message for f in findings} == {
        "分档区间 (-∞, 80] 与 [80, 89) 重叠",
        "分档区间 [80, 89) 与 [90, +∞) 之间有空档（89% 至 90%）",
        "分档 (-∞, 80] 的分数45超过分值40",
    }


def test_loader_reports_all_problems_at_once(tmp_path):
    text = (BASE.replace("kind: manual", "kind: magic")
            .replace("weight: 60\n    groups", "weight: 50\n    groups")
            .replace('"[80, 90)"', '"[80, 89)"')
            .replace("value: projects.key_share", "value: projects.key_share +")
            + "          - name: 重点支出安排率\n            weight: 1\n            calc: \"{{ oops \"\n"
            + "            rule: {kind: manual}\n")
    _, findings = _load_error(tmp_path, text)
    text_of = [f"{f.field}|{f.message}" for f in findings]
    assert any(t.startswith("社会效益|rule.kind：取值“magic”不认识") for t in text_of)
    assert "总分|各一级指标分值合计为90分，应为100分" in text_of
    assert any(t.startswith("重点支出安排率|分档区间 [80, 89) 与 [90, +∞) 之间有空档") for t in text_of)
    assert any(t.startswith("重点支出安排率|value 的 Jinja 表达式有语法错误") for t in text_of)
    assert any(t.startswith("重点支出安排率|calc 的 Jinja 模板有语法错误") for t in text_of)
    assert any(t.startswith("重点支出安排率|指标键“重点支出安排率”重复") for t in text_of)
    assert "效果|二级指标分值合计为60分，与一级指标分值50分不符" in text_of


def test_loader_undeclared_input_and_checklist_sum(tmp_path):
    text = BASE.replace("value: projects.key_share", "value: inputs.甲 / inputs.乙 * 100")
    text = text.replace("rule: {kind: manual}", "rule:\n" + " " * 14 + "kind: checklist\n" + " " * 14 + "items:\n"
                        + " " * 16 + "- {text: 制度健全, points: 30}\n" + " " * 16 + "- {text: 执行有效, points: 20}")
    _, findings = _load_error(tmp_path, text)
    messages = {(f.field, f.message) for f in findings}
    assert ("重点支出安排率", "引用了未声明的填报项 inputs.甲（请在该指标的 inputs 中声明）") in messages
    assert ("社会效益", "checklist 各项分值合计50，与指标分值60不符") in messages


def test_loader_not_a_mapping_and_bad_yaml(tmp_path):
    path = tmp_path / "scoring.yaml"
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ReportgenError, match="评分体系文件应为键值结构"):
        load_scoring_system(path)
    path.write_text("id: [\n", encoding="utf-8")
    with pytest.raises(ReportgenError, match="YAML 格式错误"):
        load_scoring_system(path)


@pytest.mark.parametrize("folder", ["yueyang-2020", "yanling-2020", "current-2021"])
def test_shipped_systems_load(folder):
    system = load_scoring_system(TEMPLATES / folder / "scoring.yaml")
    assert system.id == folder
    assert sum(level.weight for level in system.levels) == 100


def test_score_result_dumps_for_templates(yanling):
    result = score(yanling, yanling_context(yanling))
    dumped = copy.deepcopy(result.model_dump())
    assert dumped["levels"][0]["row_count"] == 5
    assert dumped["levels"][0]["groups"][0]["rows"][0]["name"] == "绩效目标合理性"
    assert dumped["total"] == D("94.72")
