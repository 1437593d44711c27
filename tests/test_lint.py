"""The reviewer's lint (L1xx): every code fires, at its cell, on a workbook crafted with each weakness;
says nothing on the shipped examples except the weaknesses they really have; can be switched off by
a format; is printed apart by ``check`` and counted apart by the county summary.

(L111, the word limits, needs a format that sets them: it is proven on the 四川 walkthrough,
tests/test_provinces.py.)"""

from __future__ import annotations

import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.batch import Outcome, UnitResult
from reportgen.cli import main
from reportgen.county_summary import FINDINGS_HEADERS, SUMMARY_HEADERS, finding_rows, summary_row
from reportgen.formats.loader import resolve_format, templates_root
from reportgen.formats.sheets import workbook_schema
from reportgen.lint.settings import CODES
from reportgen.pipeline import Evaluation, evaluate
from reportgen.workbook.blank import write_workbook
from reportgen.workbook.units import unit_values
from tests.conftest import without_breakdowns

ROOT = Path(__file__).resolve().parents[1]
SAME = "受上级政策调整影响，部分资金年底才下达，未能按计划支出"


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The medical example (national-2025) with one weakness per code."""
    fmt = resolve_format("national-2025")
    v = without_breakdowns(unit_values("medical", fmt))
    rows = v["indicators"]
    rows[0] |= {"unit": None, "weight": D(30)}  # L101 no unit; L103 30 of 产出's 50
    for i in (1, 2, 3, 4):
        rows[i]["weight"] = D(5)
    rows[2] |= {"actual": "95", "deviation_reason": "无"}  # L106: 95/99 × 5 = 4.80, reason 无
    rows[5] |= {"actual": "完成", "weight": D(30)}  # L102; and 效益's only row (L104) once the next is gone
    del rows[6]
    v["narrative"] = [n for n in v["narrative"] if n["part"] != "存在的问题"] + [
        {"part": "存在的问题", "title": None, "body": "无"}]  # L105
    v["budget"] |= {"initial": D("1450.00"), "adjustment": D("50.00")}  # L108: 1,527.64 spent of 1,500.00
    projects = {p["name"]: p for p in v["projects"]}
    projects["业务培训经费"]["explanation"] = None  # L107 (70 %), and L109: 96.37 points at 70 %
    projects["医疗保障基金监管经费"]["explanation"] = SAME  # L110
    projects["档案管理经费"]["explanation"] = SAME
    for r in v["project_indicators"]:  # L112: its three 定量 rows all exactly their targets
        if r["project"] == "医疗救助经办经费" and r["level1"] == "满意度指标":
            r["actual"] = r["target"]
    path = tmp_path_factory.mktemp("lint") / "crafted.xlsx"
    write_workbook(workbook_schema(fmt, relaxed=True), path, v)
    return path


@pytest.fixture(scope="module")
def evaluation(crafted: Path) -> Evaluation:
    return evaluate(crafted)


def lint_lines(evaluation: Evaluation) -> list[str]:
    return [str(f) for f in evaluation.findings if f.is_lint]


def test_every_code_fires_at_its_cell(evaluation: Evaluation) -> None:
    assert evaluation.score is not None and evaluation.score.total == D("99.8")  # 10 + 49.8 + 30 + 10
    assert all(f.severity == "warning" for f in evaluation.findings)
    assert lint_lines(evaluation) == [
        "绩效指标!F2 L101 度量单位: “基本医疗保险参保率”是定量指标（≥95），没有度量单位：请填写单位（如 %、人、件、万元）",
        "绩效指标!H7 L102 实际完成值: “困难群众就医负担”实际完成值只写了“完成”，无法衡量：请写明可检验的内容（数量、标准、时间或状态，"
        "如“6项重点工作按期完成”）",
        "绩效指标!I2 L103 分值: “基本医疗保险参保率”30分，占“产出指标”50分的60.00%，超过50%：分值过于集中在一个指标上，请细化指标或调整分值",
        "绩效指标!C7 L104 三级指标: “效益指标”（30分）只有一个三级指标“困难群众就医负担”：一个指标难以反映这部分绩效，请细化为几个可衡量的指标",
        "文字说明!C10 L105 存在的问题: 综合得分99.8分，“文字说明”的“存在的问题”却写作“无”：请写明扣分反映的问题和改进措施",
        "绩效指标!L4 L106 偏差原因及改进措施: “医保信息系统运行率”得4.8分，低于分值5分，偏差原因却写作“无”：请说明未达到的原因和改进措施",
        "项目!O7 L107 偏差说明: 项目“业务培训经费”执行率70.00%，低于90%，没有说明原因：请在“偏差说明”中说明",
        "预算!B13 L108 预算执行偏差说明: 支出合计1,527.64万元超过全年预算数1,500.00万元（执行率101.84%），没有说明原因：请在“预算”表"
        "“预算执行偏差说明”中说明",
        "项目!D7 L109 执行数: 项目“业务培训经费”执行率70.00%，低于80%，项目自评得分却为96.37分（90分及以上）：自评结果偏高，"
        "请核对各指标的完成值和得分",
        f"项目!O2、项目!O8 L110 偏差说明: 同一段文字“{SAME}”出现在2处（项目“医疗保障基金监管经费”、项目“档案管理经费”）："
        "各处的情况不同，请分别写明",
        "项目指标!I14、项目指标!I15、项目指标!I17 L112 实际完成值: 项目“医疗救助经办经费”：3个定量指标的实际完成值都恰好等于指标值："
        "请核对是否照抄了指标值（确实如此的可不改）",
    ]
    assert {f.code for f in evaluation.findings if f.is_lint} == set(CODES) - {"L111"}


# what the shipped examples really have: 业务培训经费 spent 70 % of its budget and scores 96.37 (the three
# formats with project scoring); the 社保中心's 效益指标 is one indicator for 30 points
EXPECTED = {
    "example.xlsx": ["L109"], "example-national-2025.xlsx": ["L109"], "example-current-2021.xlsx": ["L109"],
    "青山县社会保险服务中心.xlsx": ["L104"],
}


@pytest.mark.parametrize("path", sorted((ROOT / "inputs").glob("*.xlsx")) + sorted((ROOT / "inputs/units").glob("*.xlsx")),
                         ids=lambda p: p.name)
def test_shipped_examples_have_only_their_real_weaknesses(path: Path) -> None:
    assert [f.code for f in evaluate(path).findings if f.is_lint] == EXPECTED.get(path.name, [])


def test_a_format_switches_codes_off_and_moves_thresholds(crafted: Path, tmp_path: Path) -> None:
    folder = tmp_path / "quiet"
    shutil.copytree(templates_root() / "national-2025", folder)
    with (folder / "format.yaml").open("a", encoding="utf-8") as f:
        f.write("lint: {disable: [L101, L102, L104, L105, L106, L107, L108, L110, L112], max_share: 60, low_execution: 70}\n")
    assert lint_lines(evaluate(crafted, str(folder))) == []  # 60 % is not over 60; 70 % is not below 70
    with (folder / "format.yaml").open("a", encoding="utf-8") as f:
        f.write("  # an unknown code is the format's error\n")
    text = (folder / "format.yaml").read_text("utf-8").replace("disable: [L101,", "disable: [L199, L101,")
    (folder / "format.yaml").write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["check", str(crafted), "--format", str(folder)])
    assert result.exit_code == 2
    assert "F104 lint.disable: 不认识的审核提示代码 L199（可用 L101–L112）" in result.output


def test_check_prints_lint_apart_and_passes(crafted: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(crafted)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    heading = lines.index("审核提示（11 条，审核时可能被问到，不影响生成）：")
    assert all(line.startswith("提示  ") for line in lines[:heading])
    assert [line[:4] for line in lines[heading + 1:heading + 12]] == ["审核  "] * 11
    assert "检查通过。" in result.output


def test_county_summary_lists_and_counts_lint_per_unit(evaluation: Evaluation, tmp_path: Path) -> None:
    path = tmp_path / "县" / "a.xlsx"
    result = UnitResult(index=0, path=path, findings=evaluation.findings, unit_name="甲")
    outcome = Outcome(result, None, findings=evaluation.findings, built=True)
    levels = [row[FINDINGS_HEADERS.index("级别")] for row in finding_rows([outcome], path.parent)]
    assert levels == ["提示"] + ["审核提示"] * 11
    row = dict(zip(SUMMARY_HEADERS, summary_row(1, outcome, path.parent), strict=True))
    assert (row["错误数"], row["提示数"], row["审核提示数"]) == (0, 1, 11)


def test_an_unexplained_overspend_is_said_once(evaluation: Evaluation) -> None:
    """The checks' C619 is for projects; the unit's own overspend is L108 alone, where the reason goes."""
    said = [str(f) for f in evaluation.findings if "超过全年预算数" in f.message]
    assert len(said) == 1 and said[0].startswith("预算!B13 L108 预算执行偏差说明: 支出合计1,527.64万元超过全年预算数1,500.00万元")
