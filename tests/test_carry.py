"""reportgen init --from (next year's workbook from last year's) and reportgen upgrade (an older
workbook to this schema version), on the examples as the previous version wrote them
(tests/data/v1-*.xlsx: inputs/ at 71fb761, before 项目指标 预期值/实际值 became 年度指标值/实际完成值)."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from reportgen.carry.blanks import Blank, blanks, describe_blanks
from reportgen.carry.next_year import carry_declarations, carry_forward
from reportgen.carry.source import load
from reportgen.cli import main
from reportgen.errors import ReportgenError
from reportgen.model.report import INPUT_SHEETS
from reportgen.pipeline import evaluate
from reportgen.workbook.schema import CORE_SHEETS, RENAMED, SCHEMA_VERSION, KeyValueSheet
from tests.xlsx_edit import cell_values, set_cells

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
V1_YUEYANG = DATA / "v1-example.xlsx"
V1_YANLING = DATA / "v1-example-yanling-2020.xlsx"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def copied(source: Path, tmp_path: Path) -> tuple[Path, bytes]:
    path = tmp_path / source.name
    shutil.copy(source, path)
    return path, path.read_bytes()


def blank_places(path: Path) -> tuple[list[Blank], set[str]]:
    _, loaded = load(path)
    found, errors = blanks(path, loaded.schema, loaded.format)
    assert errors == []
    return found, {f"{b.sheet}!{b.cell}" if b.cell else b.sheet for b in found}


def fill_blanks(path: Path, found: list[Blank]) -> None:
    """Type something valid into each listed cell, by the field's kind (the last choice: 定性)."""
    _, loaded = load(path)
    fields = {(s.name, f.label): f for s in loaded.schema.sheets
              for f in (s.fields if isinstance(s, KeyValueSheet) else s.columns)}
    typed = {"money": 0, "decimal": 0, "int": 0, "yesno": "否", "date": dt.datetime(2027, 3, 31), "list": "无"}
    edits: dict[str, dict[str, object]] = {}
    for b in found:
        assert b.cell, f"{b.sheet} needs rows"
        spec = fields[(b.sheet, b.label)]
        edits.setdefault(b.sheet, {})[b.cell] = spec.choices[-1] if spec.choices else typed.get(spec.kind, "待填")
    set_cells(path, path, edits)


def test_check_on_an_old_workbook_leads_with_the_upgrade_hint(tmp_path: Path) -> None:
    old, _ = copied(V1_YUEYANG, tmp_path)
    result = run("check", old)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert "这是旧版本的填报表，请运行 reportgen upgrade" in lines[0] and "项目指标“预期值”现名“年度指标值”" in lines[0]
    # the sheets this version added and yueyang-2020 does not read (资金来源, 功能分类 …) are not asked for
    assert [line for line in lines if line.startswith("错误")] == [lines[0]]


def test_upgrade_keeps_all_data_and_lists_the_new_cells(tmp_path: Path) -> None:
    old, before = copied(V1_YANLING, tmp_path)
    new = tmp_path / "新版.xlsx"
    result = run("upgrade", old, new)
    assert result.exit_code == 0, result.output
    assert "项目指标“预期值”现名“年度指标值”" in result.output
    # yanling-2020 does not read 项目指标 (formats.uses): its new 指标性质 column is not asked for
    assert "指标性质" not in result.output and "可以运行：reportgen check" in result.output
    assert old.read_bytes() == before

    wb, was = openpyxl.load_workbook(new), openpyxl.load_workbook(old)
    assert wb["系统信息"]["B1"].value == "yanling-2020" and wb["系统信息"]["B2"].value == SCHEMA_VERSION
    # 预期值 / 实际值 under their new names, “≥120家” / “132家” split into 指标性质, 年度指标值, 度量单位
    assert [wb["项目指标"][f"{c}2"].value for c in "ADEFGI"] == ["医疗保障基金监管经费", "检查定点医药机构数量", "≥", "120",
                                                              "家", "132"]
    assert [c.value for c in wb["问卷"][2]] == [c.value for c in was["问卷"][2]]
    assert wb["问卷"].max_row >= was["问卷"].max_row
    evaluation = evaluate(new)
    assert evaluation.report.budget.income_total == Decimal("1562.81")  # the version-1 workbook in tests/data
    assert evaluation.report.budget.last_year_income == Decimal("1498.60")
    assert evaluation.questionnaire_summary is not None and evaluation.questionnaire_summary.valid == 20



def test_init_from_last_years_workbook(tmp_path: Path) -> None:
    old, before = copied(V1_YUEYANG, tmp_path)
    new = tmp_path / "2026.xlsx"
    result = run("init", new, "--from", old)
    assert result.exit_code == 0, result.output
    assert old.read_bytes() == before
    assert "年度（2025→2026）" in result.output and "三公经费“上年决算数”← 上年“决算数”（4 行）" in result.output
    assert "基本信息!B26 填报日期" in result.output

    wb = openpyxl.load_workbook(new)
    unit = {str(r[0].value).rstrip(" *"): r[1].value for r in wb["基本信息"].iter_rows(min_row=2)}
    assert unit["单位名称"] == "青山县医疗保障局" and unit["年度"] == 2026
    assert unit["内设机构"] == "办公室、待遇保障股、医药服务管理股、基金监管股" and unit["人员编制数"] == 45
    assert unit["填报日期"] is None and unit["年末实有人数"] is None
    assert wb["主要职能"]["A2"].value.startswith("贯彻执行国家和省、市医疗保障法律法规")
    projects = wb["项目"]
    assert [projects["A2"].value, projects["B2"].value, projects["D2"].value] == ["医疗保障基金监管经费", None, None]
    three = {r[0].value: (r[1].value, r[2].value, r[3].value) for r in wb["三公经费"].iter_rows(min_row=2, max_row=5)}
    assert three["公务用车运行维护费"] == (None, None, 5.12)  # last year's 决算数, not its 上年决算数 5.86
    assert three["公务接待费"] == (None, None, 2.35)
    budget = {str(r[0].value).rstrip(" *"): r[1].value for r in wb["预算"].iter_rows(min_row=2)}
    assert budget["上年收入合计"] == 1562.81 and budget["上年支出合计"] == 1527.64  # last year's 收入/支出合计
    assert budget["年初预算数"] is None

    _, places = blank_places(new)
    with pytest.raises(ReportgenError) as exc:
        evaluate(new)
    assert {f.where for f in exc.value.findings} == places
    assert all(f.message == "必填，不能为空" or f.message.startswith("至少需要填写") for f in exc.value.findings)


# national-2025's project scoring: each project's 一级指标 rows share these points (its G811 messages)
PROJECT_POINTS = {"产出指标": ("产出", 50), "成本指标": ("产出", 50), "效益指标": ("效益", 30), "满意度指标": ("满意度", 10)}


def give_points(path: Path) -> None:
    """Type 分值 as a clerk would: each project's points for a 一级指标 shared among its rows (in cents)."""
    cells = cell_values(path, "项目指标")
    groups: dict[tuple[str, str], list[int]] = {}
    for row in sorted(int(ref[1:]) for ref in cells if ref[0] == "A" and ref[1:].isdigit()):
        if row >= 2 and cells[f"A{row}"]:
            groups.setdefault((cells[f"A{row}"], PROJECT_POINTS[cells.get(f"B{row}")][0]), []).append(row)
    points_typed: dict[str, object] = {}
    for (_, group), rows in groups.items():
        points = next(p for g, p in PROJECT_POINTS.values() if g == group)
        share = (Decimal(points) / len(rows)).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
        for n, row in enumerate(rows):
            points_typed[f"J{row}"] = float(share if n else points - share * (len(rows) - 1))
    set_cells(path, path, {"项目指标": points_typed})


def test_upgrade_then_next_year_then_check(tmp_path: Path) -> None:
    """The whole path (issue 17): a version-1 workbook upgraded for national-2025, the listed cells
    filled, checked; next year's workbook started from it carries what the unit repeats every year,
    and its check asks for exactly the cells init --from listed."""
    old, before = copied(V1_YUEYANG, tmp_path)
    last = tmp_path / "2025.xlsx"
    # national-2025 scores each project's 绩效指标: upgraded for it, a target that cannot be split for
    # certain and the 分值 it scores by (version 1 had none) are all there is to fill (was: 指标性质 of
    # all 32 rows, and then check refused every “≥120家”)
    result = run("upgrade", old, last, "--format", "national-2025")
    assert result.exit_code == 0, result.output
    assert "项目指标：31 行（如“≥120家”→ ≥、120、家），其中 5 行为定性指标" in result.output
    assert "项目指标!E30 年度指标值“9月底前”不能确定指标性质" in result.output
    assert "请填写以下必填单元格（共 33 处）：\n  项目指标!J2:J33 分值\n  项目指标!E30 指标性质\n" in result.output
    with pytest.raises(ReportgenError) as exc:
        evaluate(last)
    assert {f.where for f in exc.value.findings if f.is_error} == {"项目指标!E30"}  # the reader's; 分值 come after
    set_cells(last, last, {"项目指标": {"E30": "定性"}})  # 9月底前: the clerk's call
    give_points(last)
    result = run("check", last)
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.output and "W520" not in result.output

    new = tmp_path / "2026.xlsx"
    carried = carry_forward(last, new)
    assert carried.problems == [] and carried.errors == [] and carried.review == []
    assert "预算“上年收入合计”← 上年“本年收入合计（含上年结转）” 1,562.81" in carried.carried
    assert describe_blanks(carried.revise) == ["项目指标!F2:F33 年度指标值", "绩效指标!E2:E9 年度指标值"]
    assert {"收入：2 行（机构名称）", "评价人员：4 行（姓名、职务/职称、单位）", "项目：8 行（项目名称、是否重点项目）"} <= \
        set(carried.carried)
    assert old.read_bytes() == before

    wb = openpyxl.load_workbook(new)
    indicators = wb["项目指标"]
    assert [indicators[f"{c}2"].value for c in "ABCDEFGHIJ"] == [
        "医疗保障基金监管经费", "产出指标", "数量指标", "检查定点医药机构数量", "≥", "120", "家", None, None, 25]
    assert [indicators[f"{c}30"].value for c in "EFI"] == ["定性", "9月底前", None]
    target = indicators["F2"]
    assert target.fill.fgColor.rgb[-6:] == "F8CBAD" and "请按本年度" in target.comment.text
    assert indicators["F34"].fill.fgColor.rgb[-6:] != "F8CBAD"  # only the carried values are marked
    assert indicators["G2"].fill.fgColor.rgb[-6:] != "F8CBAD"
    unit = wb["绩效指标"]
    assert [unit[f"{c}2"].value for c in "CDEFG"] == ["基本医疗保险参保率", "≥", "95", "%", None]
    assert [wb["收入"][f"{c}2"].value for c in "AB"] == ["局机关", None]
    assert [wb["支出"][f"A{r}"].value for r in (2, 3, 4)] == ["局机关", "青山县医疗保障事务中心", None]
    assert [wb["项目"][f"{c}2"].value for c in "ABK"] == ["医疗保障基金监管经费", None, "是"]
    assert [c.value for c in wb["评价人员"][5]] == ["赵海峰", "会计师", "青山县医疗保障事务中心"]
    assert "橙色单元格是从上年填报表转入的值" in str(wb["填写说明"]["B4"].value) + str(wb["填写说明"]["B5"].value)

    places = {f"{b.sheet}!{b.cell}" if b.cell else b.sheet for b in carried.blanks}
    assert {"项目指标!I2", "收入!B2", "项目!B2"} <= places and not any(p.startswith("项目指标!E") for p in places)
    with pytest.raises(ReportgenError) as exc:
        evaluate(new)
    assert {f.where for f in exc.value.findings if f.is_error} == places


def test_init_from_carries_function_classes_and_indicators_of_another_unit(tmp_path: Path) -> None:
    """A 农业农村局 (inputs/units): its 功能分类 科目 names (amounts blank), four 收入 rows, 是否重点项目
    and 绩效指标 come back; last year's 年度指标值 marked to revise, 实际完成值 blank."""
    new = tmp_path / "2026.xlsx"
    result = run("init", new, "--from", ROOT / "inputs" / "units" / "青山县农业农村局.xlsx")
    assert result.exit_code == 0, result.output
    assert "功能分类：11 行（类、款、项）" in result.output and "收入：4 行（机构名称）" in result.output
    wb = openpyxl.load_workbook(new)
    functions = [[c.value for c in row] for row in wb["功能分类"].iter_rows(min_row=2, max_row=12)]
    was = [[c.value for c in row] for row in openpyxl.load_workbook(
        ROOT / "inputs" / "units" / "青山县农业农村局.xlsx")["功能分类"].iter_rows(min_row=2, max_row=12)]
    assert [row[:3] for row in functions] == [row[:3] for row in was] and all(row[3:] == [None, None] for row in functions)
    assert wb["功能分类"]["A13"].value is None
    unit = wb["绩效指标"]
    assert [unit[f"{c}2"].value for c in "CDEFG"] == ["新建高标准农田面积", "≥", "1.2", "万亩", None]
    assert [wb["项目"][f"K{r}"].value for r in range(2, 7)] == [r[0].value for r in openpyxl.load_workbook(
        ROOT / "inputs" / "units" / "青山县农业农村局.xlsx")["项目"].iter_rows(min_row=2, max_row=6, min_col=11, max_col=11)]


def test_init_from_a_workbook_with_errors_carries_what_it_can(tmp_path: Path) -> None:
    old = tmp_path / "old.xlsx"
    set_cells(V1_YUEYANG, old, {"收入": {"B2": "约50万"}, "项目": {"K1": "备注", "K2": "说明"}})
    result = run("init", tmp_path / "new.xlsx", "--from", old)
    assert result.exit_code == 0, result.output
    assert "收入!B2 W502 上年结转: 应为数字" in result.output  # last year's problem, listed
    assert "预算“上年收入合计”← 上年“本年收入合计（含上年结转）”" in result.output.split("未能取得")[1]
    new = openpyxl.load_workbook(tmp_path / "new.xlsx")
    assert new["三公经费"]["D4"].value == 5.12 and new["预算"]["B5"].value is None

    result = run("upgrade", old, tmp_path / "up.xlsx")
    assert result.exit_code == 0, result.output
    assert "项目!K1“备注”列" in result.output and "收入!B2 W502 上年结转: 应为数字" in result.output
    assert openpyxl.load_workbook(tmp_path / "up.xlsx")["收入"]["B2"].value == "约50万"  # kept as typed


def test_init_from_rows_with_blank_or_unknown_choices(tmp_path: Path) -> None:
    """Issue 20: a blank or unknown 项目指标 指标性质/一级指标 or 文字说明 部分 made `init --from`
    exit 3 (every 项目指标 row `upgrade` writes from version 1 has a blank 指标性质); now they are
    listed among last year's errors and what can be read is carried."""
    old = tmp_path / "old.xlsx"
    set_cells(ROOT / "inputs" / "example.xlsx", old, {  # national reads 项目指标 (yueyang does not)
        "项目指标": {"E2": None, "B3": "其他"}, "文字说明": {"A2": None, "A3": "其它部分"}})
    result = run("init", tmp_path / "new.xlsx", "--from", old)
    assert result.exit_code == 0, result.output
    assert "内部错误" not in result.output and "上年填报表有 4 个错误（能读取的数据已转入）" in result.output
    for message in ("项目指标!E2 W501 指标性质: 必填，不能为空", "项目指标!B3 W502 一级指标: 应为 ", "文字说明!A2 W501 部分: 必填，不能为空",
                    '文字说明!A3 W502 部分: 应为 部门概况/工作成效/存在的问题/改进措施/其他需要说明的情况/自评结论 之一, 实际为 "其它部分"'):
        assert message in result.output
    new = openpyxl.load_workbook(tmp_path / "new.xlsx")
    assert new["基本信息"]["B2"].value == "青山县医疗保障局" and new["三公经费"]["D4"].value == 5.12


def test_build_report_lists_rows_the_reader_let_through() -> None:
    """The salvage's data (no reader findings) with a blank 指标性质 and an unknown 部分: findings, not exit 3."""
    from reportgen.workbook.assemble import build_report
    from reportgen.workbook.reader import WorkbookData

    _, loaded = load(ROOT / "inputs" / "example-yueyang-2020.xlsx")
    values = copy.deepcopy(loaded.values)
    values["project_indicators"][0]["nature"] = None
    values["narrative"][0]["part"] = None
    with pytest.raises(ReportgenError) as exc:
        build_report(WorkbookData(values=values, refs=dict(loaded.refs)))
    assert [(str(f.where), f.field) for f in exc.value.findings] == [("项目指标!第2行", "nature"), ("文字说明!A2", "部分")]


def test_refusals(tmp_path: Path) -> None:
    old, before = copied(V1_YUEYANG, tmp_path)
    result = run("upgrade", old, old)
    assert result.exit_code == 2 and "不能与输入的填报表是同一个文件" in result.output
    assert run("init", old, "--from", old, "--force").exit_code == 2
    assert old.read_bytes() == before
    set_cells(old, tmp_path / "local.xlsx", {"系统信息": {"B1": str(tmp_path / "my-format")}})
    result = run("init", tmp_path / "n.xlsx", "--from", tmp_path / "local.xlsx")
    assert result.exit_code == 2 and "不是内置格式" in result.output
    set_cells(old, tmp_path / "newer.xlsx", {"系统信息": {"B1": "yueyang-2020", "B2": str(int(SCHEMA_VERSION) + 1)}})
    result = run("upgrade", tmp_path / "newer.xlsx", tmp_path / "n.xlsx")
    assert result.exit_code == 2 and "请升级 reportgen" in result.output
    assert not (tmp_path / "n.xlsx").exists()


def test_declarations_name_real_fields() -> None:
    """Each last_year_of names a field of its own model; a table carrying figures has a key;
    each rename names a sheet or field of the core schema."""
    for model, cells in carry_declarations():
        fields = {*model.model_fields, *model.model_computed_fields}
        for name, cell in cells.items():
            assert not cell.last_year_of or cell.last_year_of in fields, (model, name)
        if any(c.last_year_of for c in cells.values()) and model.sheet.__class__.__name__ == "Table":
            assert any(c.carry for c in cells.values()), model
    assert len(INPUT_SHEETS) == len(CORE_SHEETS)
    keys = {s.key for s in CORE_SHEETS} | {f"{s.key}.{f.key}" for s in CORE_SHEETS
                                          for f in (s.fields if isinstance(s, KeyValueSheet) else s.columns)}
    assert set(RENAMED) <= keys


def test_blanks_are_listed_by_sheet_cell_and_label() -> None:
    found = [Blank("项目", "年初预算", f"B{r}") for r in (2, 3, 4, 7)] + [Blank("收入", "", rows=1)]
    assert describe_blanks(found) == ["项目!B2:B4、B7 年初预算", "收入：至少填写 1 行"]
