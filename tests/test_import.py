"""reportgen import / init --import / check --against / batch --against: the 部门决算 tables read into
the workbook through its declaration, and what happens when they do not fit.

The tables are written by tests/juesuan.py in the published layouts (元 and 万元, merged multi-row
headers, titles above them, a table continued on a second sheet, one unit's tables in several files,
an .xls saved by LibreOffice) from the example units' own figures, once per module."""

from __future__ import annotations

import copy
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from reportgen.checks import check_report
from reportgen.cli import main
from reportgen.county_summary import FINDINGS_HEADERS
from reportgen.errors import ReportgenError
from reportgen.formats.loader import resolve_format
from reportgen.formats.sheets import workbook_schema
from reportgen.importer.apply import apply_import
from reportgen.importer.combine import import_files
from reportgen.importer.declarations import TABLES, all_targets, target
from reportgen.importer.run import import_into
from reportgen.pipeline import document_jobs, evaluate
from reportgen.render.docx import render_docx
from reportgen.workbook.assemble import build_report
from reportgen.workbook.blank import write_workbook
from reportgen.workbook.reader import WorkbookData
from reportgen.workbook.units import unit_values
from tests import juesuan as J
from tests.invariants import texts

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data" / "import"
FORMAT = "national-2025"
SHEETS = ("income", "expenditure", "budget", "three_public", "assets", "by_function")
# the amounts the tables give (by sheet; the rest of each row is the clerk's)
IMPORTED = {
    "income": ("carryover", "general_budget", "gov_fund", "state_capital", "upper_grant", "business", "operating",
               "affiliated", "other"),
    "expenditure": ("basic", "personnel", "public", "wages", "goods_services", "household", "capital", "project",
                    "to_upper", "operating", "to_affiliated", "project_wages", "project_goods_services",
                    "project_household", "project_capital"),
    "budget": ("initial", "adjustment"),
    "assets": ("total", "liabilities", "current", "fixed_original", "fixed_net", "intangible"),
}


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def book(path: Path) -> Any:
    """The workbook as ``check`` reads it (calamine: quicker than loading it with openpyxl)."""
    from reportgen.workbook.reader import open_workbook

    return open_workbook(path)


def cell(path: Path, sheet: str, coordinate: str) -> Any:
    from reportgen.workbook.book import column_number

    split = next(i for i, ch in enumerate(coordinate) if ch.isdigit())
    return book(path)[sheet].cell(int(coordinate[split:]), column_number(coordinate[:split])).content


def cleared(values: dict[str, Any], last_year: bool = False) -> dict[str, Any]:
    """``values`` with every amount the tables give emptied (功能分类 rows removed)."""
    values = copy.deepcopy(values)
    for key, fields in IMPORTED.items():
        records = values[key] if isinstance(values[key], list) else [values[key]]
        for record in records:
            record.update(dict.fromkeys(fields))
    for row in values["three_public"]:
        row.update(dict.fromkeys(("budget", "actual", "last_year") if last_year else ("budget", "actual")))
    values["by_function"] = []
    return values


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("import")


@pytest.fixture(scope="module")
def fmt():
    return resolve_format(FORMAT)


@pytest.fixture(scope="module")
def tables(folder: Path, fmt) -> dict[str, list[Path]]:
    medical, agriculture = folder / "medical", folder / "agriculture"
    medical.mkdir()
    agriculture.mkdir()
    return {"medical": J.export_medical(unit_values("medical", fmt), medical, DATA),
            "agriculture": J.export_agriculture(unit_values("agriculture", fmt), agriculture)}


SHIPPED = {"medical": ROOT / "inputs" / "example.xlsx"}


@pytest.fixture(scope="module")
def round_trips(folder: Path, tables, fmt) -> dict[str, Any]:
    """The example's workbook with the tables' amounts emptied, filled from its tables (the file path:
    read, written, read again)."""
    base, out = folder / "medical-cleared.xlsx", folder / "medical-imported.xlsx"
    write_workbook(workbook_schema(fmt, relaxed=True), base, cleared(unit_values("medical", fmt)))
    return {"medical": (import_into(base, tables["medical"], out), out)}


def test_every_declared_target_names_a_field_of_the_model() -> None:
    """Each table rule's target (and each whole's, and each field left to the clerk) resolves (``target``
    raises otherwise), and one that fills a cell names a declared input field — a renamed model field
    fails here, not in a clerk's import. (``=…`` targets are totals the workbook computes.)"""
    targets = all_targets()
    filled = [t for t in targets if not t.check]
    assert len(filled) > 50 and all(t.field in {n for n, _, _ in t.model.input_fields()} for t in filled)


# ---- the round trip ---------------------------------------------------------------------------------


def test_round_trip_gives_back_every_figure(round_trips) -> None:
    result, out = round_trips["medical"]
    assert [str(f) for f in result.imported.findings] == []
    assert result.conflicts == [] and result.applied.confirmed == 0
    original = evaluate(SHIPPED["medical"])
    imported = evaluate(out)
    assert [str(f) for f in imported.findings if f.is_error] == []
    assert {str(f) for f in imported.findings} == {str(f) for f in original.findings}
    _same_figures(imported.report, original.report)


def test_round_trip_of_a_unit_with_four_institutions(tables, fmt) -> None:
    """青山县农业农村局 (事业收入, 上级补助收入, 政府性基金, four 机构, 公开06 that is the whole 基本支出, the
    “三公”经费 standing with 上年决算数), in memory: the values the tables give are the values it has."""
    values = unit_values("agriculture", fmt)
    imported = import_files(tables["agriculture"])
    assert [str(f) for f in imported.findings] == []
    applied = apply_import(cleared(values, last_year=True), imported)
    assert applied.findings == [] and applied.rows_added == []
    original, report = _report(values), _report(applied.values)
    assert [str(f) for f in check_report(report, {}) if f.is_error] == []
    _same_figures(report, original)


def _report(values: dict[str, Any]) -> Any:
    return build_report(WorkbookData(values=copy.deepcopy(values)))[0]


def _same_figures(report: Any, original: Any) -> None:
    for key in SHEETS[:-1]:
        assert getattr(report, key).model_dump() == getattr(original, key).model_dump(), key
    assert sorted(map(_line, report.by_function.rows)) == sorted(map(_line, original.by_function.rows))


def _line(row: Any) -> tuple[Any, ...]:
    """A 功能分类 row (imported rows come in 科目编码 order, the clerk's in hers)."""
    return row.category, row.section, row.item, row.budget, row.actual


def test_round_trip_figures_by_hand(round_trips) -> None:
    """The department's figures summed from its 机构 and read from both 元 and 万元 tables."""
    imported = evaluate(round_trips["medical"][1]).report
    assert imported.income.total.general_budget == D("1479.69")  # 1,163.89 (本级) + 315.80 (事务中心)
    assert imported.expenditure.total.total == D("1527.64")  # 760.64 + 451.20 + 270.00 + 45.80
    assert imported.budget.initial == D("1480.25") and imported.budget.adjustment == D("60.00")  # 1,540.25 − 1,480.25
    assert [r.actual for r in imported.by_function.rows][-2:] == [D("497.00"), D("62.40")]  # 451.20 + 45.80; 中心
    assert imported.three_public.reception.actual == D("2.35")  # from the .xls

def test_round_trip_figures_by_hand_four_institutions(tables) -> None:
    imported = import_files(tables["agriculture"])
    entities = imported.entities
    assert entities[0] == "青山县农业农村局" and len(entities) == 4
    assert imported.orgs[entities[0]]["income.gov_fund"].amount == D("320.00")  # 财决03 三列 and 财决01 agree
    assert len(imported.orgs[entities[0]]["income.gov_fund"].places) == 2
    assert imported.unit["three_public[公务用车运行维护费].last_year"].amount == D("17.50")  # 上年决算数 column
    wages = sum((imported.orgs[e]["expenditure.wages"].amount for e in entities), D(0))
    assert wages == D("1077.40")  # 470.20 + 296.10 + 236.50 + 74.60 (公开06 is each one's whole 基本支出)


def test_documents_print_the_imported_figures(round_trips) -> None:
    evaluation = evaluate(round_trips["medical"][1])
    job = next(j for j in document_jobs(evaluation) if j.doc.id == "base_data")  # 基础数据表: the figures
    text = "\n".join(texts(render_docx(evaluation.format.path(job.doc.template), job.context))[0])
    for figure in ("1,479.69", "1,527.64", "1,540.25", "840.78", "497.00"):  # 840.78: 人员经费 612.38 + 228.40
        assert figure in text, figure


def test_provenance_note_and_sources_sheet(round_trips) -> None:
    result, out = round_trips["medical"]
    wb = openpyxl.load_workbook(out)
    income = wb["收入"]
    assert income["A2"].value == "局机关" and income["C2"].value == 1163.89
    note = income["C2"].comment.text
    assert "1,163.89" in note and "财决01表 收入支出决算总表" in note and "青山县医疗保障局-财决.xlsx" in note
    sources = [[c.value for c in row] for row in wb["来源"].iter_rows()]
    assert sources[0] == ["序号", "位置", "字段", "导入值（万元）", "来源", "说明", "字段路径"]
    by_path = {row[6]: row for row in sources[1:]}
    assert by_path["income[0].general_budget"][1:4] == ["收入!C2", "局机关 一般公共预算财政拨款", 1163.89]
    adjustment = by_path["budget.adjustment"]
    assert adjustment[3] == 60 and adjustment[5] == "预算调整数 = 全年预算数 1,540.25 − 年初预算数 1,480.25"
    assert len(sources) - 1 == result.applied.filled
    sheet = wb["来源"]  # printed like every other sheet: a named bold font (no serif stand-in), A4, page numbers
    assert sheet["A1"].font.b and sheet["A1"].font.name == wb["收入"]["A1"].font.name == "Calibri"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 and sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$1" and "&P" in sheet.oddFooter.center.text
    assert sheet.print_area == f"'来源'!$A$1:$F${len(sources)}"  # 字段路径 (G) is for reading back, not printed


def test_check_tells_imported_from_typed(round_trips) -> None:
    result = run("check", round_trips["medical"][1])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    count = next(line for line in lines if line.startswith("导入的金额："))
    assert count.startswith(f"导入的金额：{round_trips['medical'][0].applied.filled} 处")
    assert any(line.startswith("手工填写的金额：38 处：预算!B4、") for line in lines)  # 基本支出年初预算数: typed


def test_reader_and_upgrade_take_an_imported_workbook(folder: Path, round_trips) -> None:
    imported = round_trips["medical"][1]
    evaluation = evaluate(imported)
    assert [f for f in evaluation.findings if f.code.startswith("W5")] == []
    upgraded = folder / "upgraded.xlsx"
    result = run("upgrade", imported, upgraded)
    assert result.exit_code == 0 and "来源" not in result.output, result.output
    wb = openpyxl.load_workbook(upgraded)
    assert wb["来源"].max_row == book(imported)["来源"].max_row
    assert "财决01表" in wb["收入"]["C2"].comment.text


# ---- init --import ----------------------------------------------------------------------------------


def test_init_import_new_workbook(folder: Path, tables) -> None:
    out = folder / "new.xlsx"
    args = [a for path in tables["medical"] for a in ("--import", path)]
    result = run("init", out, *args)
    assert result.exit_code == 0, result.output
    assert "读取的决算表（14 张）" in result.output and "新增机构行：收入：青山县医疗保障局" in result.output
    assert "收入“纳入专户管理的非税收入”：决算表一般不单列" in result.output
    assert "资产“在用固定资产”：资产负债简表不分在用、出租和其他固定资产" in result.output
    assert [cell(out, "收入", f"A{r}") for r in (2, 3)] == ["青山县医疗保障局", "青山县医疗保障事务中心"]
    assert cell(out, "三公经费", "A2") == "因公出国（境）费" and cell(out, "三公经费", "C5") == 2.35
    assert cell(out, "基本信息", "B2") is None  # two 编制单位: the 单位名称 is the clerk's


def test_init_import_with_last_year(folder: Path, tables, round_trips) -> None:
    """Last year's workbook itself imported (its 来源 sheet is not carried: next year's figures are new)."""
    out = folder / "next-imported.xlsx"
    result = run("init", out, "--from", round_trips["medical"][1], "--import", tables["medical"][0].parent)
    assert result.exit_code == 0 and "来源" not in result.output.split("读取的决算表")[0], result.output
    assert book(out)["来源"].max_row == 1 + 70  # this year's tables only: 78 figures less the 8 of the .xls (三公经费)
    assert cell(out, "基本信息", "B3") == 2026 and cell(out, "三公经费", "D5") == 2.35  # 上年决算数 ← last year's
    # the 机构 rows are carried from last year (局机关, 事务中心); the department's own tables fill 局机关
    rows = {cell(out, "收入", f"A{r}"): cell(out, "收入", f"C{r}") for r in (2, 3)}
    assert rows == {"青山县医疗保障事务中心": 315.8, "局机关": 1163.89}


# ---- conflicts --------------------------------------------------------------------------------------


def test_conflicts_keep_the_clerks_value_unless_overwrite(folder: Path, tables, fmt) -> None:
    values = unit_values("medical", fmt)
    values["income"][0]["other"] = D("9.20")
    typed = folder / "typed.xlsx"
    write_workbook(workbook_schema(fmt, relaxed=True), typed, values)
    before = typed.read_bytes()
    out = folder / "typed-imported.xlsx"
    result = run("import", typed, *tables["medical"], "-o", out)
    assert result.exit_code == 2, result.output
    assert "收入!K2 I114 局机关 其他收入: 填报表为 9.20，决算为 8.20（来源：财决01表 收入支出决算总表 “八、其他收入”" \
        in result.output
    assert cell(out, "收入", "K2") == 9.2 and typed.read_bytes() == before
    result = run("import", typed, *tables["medical"], "-o", out, "--force", "--overwrite")
    assert result.exit_code == 0, result.output
    assert "提示  收入!K2 I114 局机关 其他收入: 填报表原为 9.20，已用决算数 8.20 覆盖" in result.output
    assert cell(out, "收入", "K2") == 8.2
    assert run("import", typed, *tables["medical"], "-o", typed).exit_code == 2  # NEW must differ


def test_import_lists_the_empty_scores_as_init_import_does(folder: Path, tables, fmt) -> None:
    """The 分值 the format's scoring needs were listed after init --import, upgrade and init --from,
    not after import (its blanks were looked up without the format)."""
    values = unit_values("medical", fmt)
    values["indicators"][1]["weight"] = None
    typed = folder / "unweighed.xlsx"
    write_workbook(workbook_schema(fmt, relaxed=True), typed, values)
    result = run("import", typed, *tables["medical"], "-o", folder / "unweighed-imported.xlsx")
    assert "请填写以下必填单元格（共 1 处）：\n  绩效指标!I3 分值\n" in result.output, result.output


def test_import_into_an_older_workbook_says_what_it_split(folder: Path, tables) -> None:
    """A version-1 workbook's one-cell targets are split into their columns on reading; import wrote
    them so without a word (upgrade lists them)."""
    old = Path(__file__).parent / "data" / "v1-example.xlsx"
    result = run("import", old, *tables["medical"], "-o", folder / "v1-imported.xlsx", "--format", "national-2025")
    assert "写在一格里的指标值已拆分为指标性质、年度指标值和度量单位：\n  项目指标：31 行（如“≥120家”→ ≥、120、家），" \
           "其中 5 行为定性指标\n" in result.output, result.output
    assert "以下指标需要人工判断或核对：\n  项目指标!E30 年度指标值“9月底前”不能确定指标性质" in result.output


# ---- check --against and batch --against ----------------------------------------------------------


def test_check_against_lists_each_difference(folder: Path, tables, fmt) -> None:
    values = unit_values("medical", fmt)
    values["three_public"][3]["actual"] = D("2.53")  # 公务接待费 2.35 mistyped
    values["expenditure"][1]["basic"] = D("280.00")  # 事务中心 基本支出 270.00
    values["expenditure"][1]["personnel"] = D("238.40")
    mistyped = folder / "mistyped.xlsx"
    write_workbook(workbook_schema(fmt, relaxed=True), mistyped, values)
    before = mistyped.read_bytes()
    result = run("check", mistyped, "--against", tables["medical"][0].parent, "--against", tables["medical"][2])
    assert result.exit_code == 2, result.output
    differences = [line for line in result.output.splitlines() if " I115 " in line]
    assert differences == [
        "提示  支出!B3 I115 青山县医疗保障事务中心 基本支出: 填报表为 280.00，决算为 270.00（来源：公开03表 支出决算表 “合计”基本支出"
        "（青山县医疗保障事务中心.xlsx 公开03!F8））",
        "提示  支出!C3 I115 青山县医疗保障事务中心 人员经费: 填报表为 238.40，决算为 228.40（来源：财决05-1表 基本支出决算明细表 “合计”人员经费"
        "（青山县医疗保障事务中心.xlsx 基本支出!D5））",
        "提示  三公经费!C5 I115 公务接待费 决算数: 填报表为 2.53，决算为 2.35（来源：公开07表 “三公”经费支出决算表 决算数/公务接待费"
        "（公开07-青山县医疗保障局.xls 公开07表!L7））",
    ]
    assert "与决算表不一致：3 处" in result.output and mistyped.read_bytes() == before
    assert run("check", SHIPPED["medical"], "--against", tables["medical"][0].parent,
               "--against", tables["medical"][2]).exit_code == 0


def test_batch_against_lists_differences_in_the_summary(folder: Path, tables) -> None:
    units = folder / "county"
    units.mkdir()
    fmt = resolve_format("yueyang-2020")  # two documents: the batch is about the summary here
    values = unit_values("medical", fmt)
    values["income"][1]["general_budget"] = D("351.80")  # 315.80 typed wrong, the 资金来源 left as it was
    write_workbook(workbook_schema(fmt, relaxed=True), units / "医保局.xlsx", values)
    against = folder / "county-tables"
    against.mkdir()
    for path in [*tables["medical"], tables["agriculture"][1]]:
        (against / path.name).write_bytes(path.read_bytes())
    result = run("batch", units, "-o", folder / "county-out", "--against", against)
    assert result.exit_code == 0, result.output
    assert "决算表中这些单位没有对应的填报表：青山县农业技术推广中心" in result.output
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(folder / "county-out" / "汇总表.xlsx")["问题清单"]
            .iter_rows(min_row=2)]
    column = {name: n for n, name in enumerate(FINDINGS_HEADERS)}
    against_rows = [r for r in rows if "I115" in (r[column["说明"]] or "") or r[column["位置"]] == "收入!C3"]
    assert [(r[column["级别"]], r[column["位置"]], r[column["字段"]]) for r in against_rows] == [
        ("提示", "收入!C3", "青山县医疗保障事务中心 一般公共预算财政拨款")]
    assert "填报表为 351.80，决算为 315.80" in against_rows[0][column["说明"]]


# ---- rounding: 元 to 万元 ---------------------------------------------------------------------------


def _yuan_unit() -> J.Unit:
    """元 amounts whose 万元 parts do not add up to their rounded totals: 100.005 → 100.01 = 50.0025 + 50.0025
    → 50.00 + 50.00; 本年收入合计 200.01 from 100.005 + 100.005 → 100.01 + 100.01."""
    half = D("100.005")
    return J.Unit("测试单位", {"carryover": D(0), "general_budget": half, "other": half},
                  {"basic": half, "personnel": D("50.0025"), "public": D("50.0025"), "wages": D("50.0025"),
                   "goods_services": D("50.0025"), "household": D(0), "capital": D(0), "project": D(0)})


def test_yuan_converted_exactly_with_residues_said_per_row(folder: Path) -> None:
    unit = _yuan_unit()
    path = J._book(folder / "yuan.xlsx",
                   ("Z01", lambda ws: J.total_table(ws, unit, yuan=True)),
                   ("Z04", lambda ws: J.spending_table(ws, unit, yuan=True)),
                   ("Z05_1", lambda ws: J.economy_table(ws, unit)))
    imported = import_files([path])
    org = {t: v.amount for t, v in imported.orgs["测试单位"].items()}
    assert org["expenditure.basic"] == D("100.01")  # the official total, kept
    assert org["expenditure.personnel"] == org["expenditure.public"] == D("50.00")
    assert org["income.general_budget"] == org["income.other"] == D("100.01")
    residues = [str(f) for f in imported.findings if f.code == "I109"]
    assert residues == [
        f"{path} Z01!C15 I109 本年收入: 测试单位 本年收入：决算 200.01 万元，各项四舍五入到分后之和为 200.02 万元（尾差 -0.01）；"
        "工作簿按各项之和计算，文档中为 200.02",
        f"{path} Z04!F8 I109 基本支出: 测试单位 基本支出：决算 100.01 万元，人员经费 + 公用经费四舍五入到分后之和为 100.00 万元（尾差 0.01）；"
        "保留决算的基本支出 100.01，各项按决算四舍五入填写",
        f"{path} Z04!F8 I109 基本支出: 测试单位 基本支出：决算 100.01 万元，工资福利、商品和服务、对个人和家庭的补助、资本性支出四舍五入到分后之和为"
        " 100.00 万元（尾差 0.01）；保留决算的基本支出 100.01，各项按决算四舍五入填写",
    ]
    assert all(f.severity == "warning" for f in imported.findings)


# ---- tables of one fund ---------------------------------------------------------------------------


def test_fiscal_only_table_is_used_only_where_it_is_the_whole(folder: Path, fmt) -> None:
    unit = J.split_units(unit_values("agriculture", fmt), "青山县农业农村局")[1]  # 农业技术推广中心: 事业收入 too
    fiscal = copy.deepcopy(unit)
    fiscal.spending.update(personnel=D("300.00"), wages=D("287.70"))  # 一般公共预算 pays 300.00 of 308.40
    path = J._book(folder / "fiscal.xlsx", ("公开03", lambda ws: J.spending_table(ws, unit)),
                   ("公开06", lambda ws: J.basic_fiscal_table(ws, fiscal)))
    imported = import_files([path])
    assert "expenditure.wages" not in imported.orgs[unit.name]
    assert imported.manual["expenditure.wages"] == (
        "青山县农业技术推广中心：公开06表 一般公共预算财政拨款基本支出决算表只含一般公共预算财政拨款（合计 352.30 万元），"
        "不等于全部资金的基本支出 360.70 万元，不是同一口径，请按全部资金手工填写")
    same = J._book(folder / "fiscal-whole.xlsx", ("公开03", lambda ws: J.spending_table(ws, unit)),
                   ("公开06", lambda ws: J.basic_fiscal_table(ws, unit)))
    assert import_files([same]).orgs[unit.name]["expenditure.wages"].amount == D("296.10")


# ---- bad input ------------------------------------------------------------------------------------


def _refused(folder: Path, path: Path) -> list[str]:
    out = folder / "refused.xlsx"
    result = run("init", out, "--import", path, "--force")
    assert result.exit_code == 2, result.output
    assert not out.exists()
    return [line.removeprefix("错误  ") for line in result.output.splitlines() if line.startswith("错误  ")]


def test_bad_files_are_named_and_nothing_is_written(folder: Path) -> None:
    corrupt = folder / "corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    pdf = folder / "决算.xls"
    pdf.write_bytes(b"%PDF-1.7\n...")
    html = folder / "export.xls"
    html.write_text("<html><table><tr><td>收入支出决算总表</td></tr></table></html>", "utf-8")
    encrypted = folder / "encrypted.xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptionInfo".encode("utf-16-le"))
    assert _refused(folder, corrupt)[0].startswith(f"{corrupt} I101: ")
    assert _refused(folder, pdf) == [f"{pdf} I101: 这是 PDF 文件：请从部门决算软件导出 Excel（.xls/.xlsx）表，或把公开的表另存为 Excel"]
    assert "网页（HTML/XML）格式" in _refused(folder, html)[0]
    assert _refused(folder, encrypted) == [f"{encrypted} I101: 工作簿设置了打开密码（已加密），请在 Excel/WPS 中取消密码后另存再试"]


def _table_file(folder: Path, name: str, edit) -> Path:
    unit = J.split_units(copy.deepcopy(J_EXAMPLE()), "青山县医疗保障局")[1]
    path = J._book(folder / name, ("公开03", lambda ws: J.spending_table(ws, unit)))
    wb = openpyxl.load_workbook(path)
    edit(wb["公开03"])
    wb.save(path)
    return path


def J_EXAMPLE() -> dict[str, Any]:
    from reportgen.workbook.example import EXAMPLE

    return EXAMPLE


def test_bad_tables_are_named_by_file_sheet_and_cell(folder: Path) -> None:
    text = _table_file(folder, "text.xlsx", lambda ws: ws.cell(8, 6, "约270"))
    assert _refused(folder, text) == [f"{text} 公开03!F8 I106 合计: 公开03表 支出决算表“合计”基本支出金额应为数字, 实际为 \"约270\""]
    no_unit = _table_file(folder, "no-unit.xlsx", lambda ws: setattr(ws["J3"], "value", None))
    assert _refused(folder, no_unit) == [
        f"{no_unit} 公开03!A1 I105: 公开03表 支出决算表没有写明金额单位（表头上方应有“单位：元”或“金额单位：万元”），无法确定是元还是万元；"
        "请在原表的表头上方补上后再导入"]

    def no_header(ws) -> None:
        ws.unmerge_cells("A4:D4")
        ws.delete_rows(4, 4)

    headless = _table_file(folder, "headless.xlsx", no_header)
    assert _refused(folder, headless)[0].startswith(f"{headless} 公开03!A") and " I104: " in _refused(folder, headless)[0]
    unknown = folder / "unknown.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["项目", "金额"])
    wb.active.append(["办公费", 12.5])
    wb.save(unknown)
    assert _refused(folder, unknown) == [f"{unknown} I102: 文件中没有找到可识别的决算表（如收入支出决算总表、支出决算表、公开01表、财决04表……）"]


def test_yuan_table_marked_wan_is_refused(folder: Path, tables) -> None:
    """The 本级's 财决04 (元) relabelled 万元: its 基本支出 7,606,400.00 万元 is 10⁴ times 公开03's 760.64."""
    source = tables["medical"][0]
    wrong = folder / "wrong-unit.xlsx"
    wb = openpyxl.load_workbook(source)
    ws = wb["Z04 支出决算表(财决04表)"]
    ws["H3"] = "金额单位：万元"
    wb.save(wrong)
    assert _refused(folder, wrong)[0] == (
        f"{wrong} Z04 支出决算表(财决04表)!C7 I107: 财决04表 支出决算表“合计”按“万元”为 12,118,400.00 万元（超过 10,000,000.00 万元），"
        "不可能是一个单位的金额：表的金额单位应为“元”而不是“万元”？请核对表头的“单位”")
    published = folder / "wrong-unit-2.xlsx"  # the 公开03 (万元) of the same unit marked 元: 0.08 万元 against 760.64
    wb = openpyxl.load_workbook(tables["medical"][1])
    for name in ("表3", "表3(续)"):
        wb[name]["K3"] = "金额单位：元"
    wb.save(published)
    with pytest.raises(ReportgenError) as info:
        import_files([published, source]).raise_errors()
    found = [str(f) for f in info.value.findings if f.code == "I107"]
    assert any(f.startswith(f"{published} 表3!E8 I107 支出合计: 青山县医疗保障局 支出合计：公开03表 支出决算表 “合计”本年支出合计")
               and "为 0.12 万元（按“元”）" in f and "相差一万倍：这张表的金额单位标错了" in f for f in found), found


def test_two_tables_that_disagree_are_named_with_both_places(folder: Path, tables) -> None:
    wrong = folder / "disagree.xlsx"
    wb = openpyxl.load_workbook(tables["medical"][1])
    wb["表1"]["F15"] = 1200  # 本年支出合计 1,211.84 in 财决01, 财决04 and 公开03
    wb.save(wrong)
    imported = import_files([wrong, tables["medical"][0]])
    assert [str(f) for f in imported.findings if f.code == "I108"] == [
        f"{wrong} 表1!F15 I108 支出合计: 青山县医疗保障局 支出合计两张表不一致：财决01表 收入支出决算总表 “本年支出合计”支出/决算数"
        "（青山县医疗保障局-财决.xlsx Z01 收入支出决算总表(财决01表)!J15） 为 1,211.84 万元，公开01表 收入支出决算总表 “本年支出合计”"
        "支出/金额（disagree.xlsx 表1!F15） 为 1,200.00 万元（相差 11.84）；请核对决算表"]


def test_docs_list_every_table_and_the_fields_it_feeds() -> None:
    text = (ROOT / "docs" / "import.md").read_text("utf-8")
    for decl in TABLES:
        assert decl.key in text, decl.key
        for rule in decl.rules:
            t = target(rule.target)
            if not t.check:
                label = next(c.label for n, _, c in t.model.input_fields() if n == t.field)
                assert label in text, (decl.key, label)


def test_a_yuan_table_taken_for_wan_refused_by_the_workbooks_own_checks(folder: Path, tables, round_trips) -> None:
    """公开07 in 元 labelled 万元, alone: no other table to compare with, but “三公”经费 74,700.00 万元 cannot be
    part of a 支出合计 of 1,527.64 万元 (P702, as if typed): nothing is written (I118)."""
    from reportgen.workbook.example import EXAMPLE

    own = J.split_units(copy.deepcopy(EXAMPLE), "青山县医疗保障局")[0]

    def wrong(ws) -> None:
        J.three_public_table(ws, own.three_public or [], own.name, yuan=True)
        ws["L3"] = "金额单位：万元"

    path = J._book(folder / "三公-元.xlsx", ("公开07", wrong))
    values = unit_values("medical", resolve_format(FORMAT))
    for row in values["three_public"]:
        row.update(budget=None, actual=None)
    base = folder / "no-three-public.xlsx"
    write_workbook(workbook_schema(resolve_format(FORMAT), relaxed=True), base, values)
    out = folder / "refused-yuan.xlsx"
    result = run("import", base, path, "-o", out)
    assert result.exit_code == 2 and not out.exists(), result.output
    errors = [line for line in result.output.splitlines() if line.startswith("错误  ")]
    assert errors[0].startswith("错误  三公经费!C4、三公经费!C5 I118 决算数: 导入后 P702：“三公”经费决算数合计 74,700.00 万元"
                                "大于单位支出合计 1,527.64 万元"), errors
    assert "公开07表 “三公”经费支出决算表 决算数/公务接待费（三公-元.xlsx 公开07!L7）" in errors[0]


def test_units_without_a_name_and_argument_order(folder: Path, tables, round_trips) -> None:
    unit = J.split_units(copy.deepcopy(J_EXAMPLE()), "青山县医疗保障局")[1]
    nameless = J._book(folder / "nameless.xlsx", ("公开01", lambda ws: J.total_table(ws, unit)))
    wb = openpyxl.load_workbook(nameless)
    wb["公开01"]["A3"] = None
    wb.save(nameless)
    imported = import_files([nameless, tables["medical"][0], tables["medical"][3]])
    assert [f.code for f in imported.errors] == ["I113"]
    assert "没有写明编制单位，而给出的表属于 2 个单位" in imported.errors[0].message
    alone = import_files([nameless])
    assert alone.entities == [""] and alone.orgs[""]["income.general_budget"].amount == D("315.80")
    out = folder / "swapped.xlsx"
    assert round_trips_base(folder).exists()  # a real filled workbook given where the tables go
    result = run("import", tables["medical"][0], round_trips_base(folder), "-o", out)
    assert result.exit_code == 2 and " I119: 这不是填报表" in result.output and not out.exists(), result.output


def round_trips_base(folder: Path) -> Path:
    return folder / "medical-cleared.xlsx"


def test_contents_and_unknown_rows(folder: Path) -> None:
    """A 目录 sheet (titles beside page numbers) is no table; a row the workbook has no place for is named."""
    unit = J.split_units(copy.deepcopy(J_EXAMPLE()), "青山县医疗保障局")[1]

    def contents(ws) -> None:
        for n, title in enumerate(("收入支出决算总表", "收入决算表", "支出决算表"), start=1):
            ws.append([f"{n}. {title}", n + 2])

    def with_balance_use(ws) -> None:
        J.total_table(ws, unit)
        ws["C16"] = 12.5  # 使用非财政拨款结余

    path = J._book(folder / "contents.xlsx", ("目录", contents), ("公开01", with_balance_use), ("附注", contents))
    imported = import_files([path])
    assert [str(f) for f in imported.findings] == [
        f"{path} 公开01!C16 I111 使用非财政拨款结余: 公开01表 收入支出决算总表“使用非财政拨款结余”12.50 万元：工作簿中没有这一项，"
        "未导入；按工作簿计算的结转结余将与决算不同，请在报告中说明",
        f"{path} 附注 I103: 工作表“附注”不是已知的决算表（表名或表号不认识），未读取"]


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "written-once"])
def test_wide_three_public_table_with_or_without_merged_headers(folder: Path, merged: bool) -> None:
    """预算数 | 决算数 over six columns each, 公务用车购置及运行费 over three: merged, or written in the first
    column only (as some exports leave it): the same figures."""
    own = J.split_units(copy.deepcopy(J_EXAMPLE()), "青山县医疗保障局")[0]

    def write(ws) -> None:
        J.three_public_table(ws, own.three_public or [], own.name)
        if not merged:
            for cells in list(ws.merged_cells.ranges):
                ws.unmerge_cells(str(cells))

    imported = import_files([J._book(folder / f"wide-{merged}.xlsx", ("公开07", write))])
    assert imported.findings == []
    got = {t.removeprefix("three_public"): v.amount for t, v in imported.unit.items()}
    assert got == {"[因公出国（境）费].budget": D("0.00"), "[公务用车购置费].budget": D("0.00"),
                   "[公务用车运行维护费].budget": D("6.00"), "[公务接待费].budget": D("3.00"),
                   "[因公出国（境）费].actual": D("0.00"), "[公务用车购置费].actual": D("0.00"),
                   "[公务用车运行维护费].actual": D("5.12"), "[公务接待费].actual": D("2.35")}


def test_car_costs_given_only_as_one_total_are_left_to_the_clerk(folder: Path) -> None:
    """The standing table without its 其中 rows: 公务用车购置及运行维护费 5.12 is not split by guessing."""
    own = J.split_units(copy.deepcopy(J_EXAMPLE()), "青山县医疗保障局")[0]

    def no_parts(ws) -> None:
        J.three_public_table(ws, own.three_public or [], own.name, wide=False)
        ws.delete_rows(8, 2)

    imported = import_files([J._book(folder / "car-total.xlsx", ("公开07", no_parts))])
    assert imported.findings == []
    assert "three_public[公务用车购置费].actual" not in imported.unit
    assert imported.unit["three_public[公务接待费].actual"].amount == D("2.35")
    assert imported.manual["three_public[公务用车运行维护费].actual"] == (
        "公开07表 “三公”经费支出决算表只给出“2.公务用车购置及运行维护费”决算数 5.12 万元，没有分项，请按明细手工填写")


@pytest.mark.parametrize(("name", "table"), [
    # the sheet names a public program reading the 决算 software's export looks for (cut at 31 characters)
    ("Z01 收入支出决算总表(财决01表)", "收入支出决算总表"), ("Z03 收入决算表(财决03表)", "收入决算表"),
    ("Z04 支出决算表(财决04表)", "支出决算表"), ("Z05 支出决算明细表(财决05表)", "支出决算明细表"),
    ("Z05_1 基本支出决算明细表(财决05-1表)", "基本支出决算明细表"), ("Z05_2 项目支出决算明细表(财决05-2表)", "项目支出决算明细表"),
    ("Z08_1 一般公共预算财政拨款基本支出决算明细表(财决08-", "一般公共预算财政拨款基本支出决算明细表"),
    ("Z08 一般公共预算财政拨款支出决算明细表(财决08表)", "财政拨款支出决算明细表"),
    ("Z07 一般公共预算财政拨款收入支出决算表(财决07表)", "一般公共预算财政拨款收入支出决算表"),
    ("F01 预算支出相关信息表(财决附01表)", "预算支出相关信息表"),
    ("2024年度青山县医疗保障局财政拨款收入支出决算总表", "财政拨款收入支出决算总表"),
    ("表7  一般公共预算财政拨款“三公”经费支出决算表", "“三公”经费支出决算表"),
])
def test_table_titles_longest_first(name: str, table: str) -> None:
    from reportgen.importer.declarations import title_in

    decl = title_in(name)
    assert decl is not None and decl.key == table


def test_one_unit_names_the_workbook_and_its_row(folder: Path) -> None:
    unit = J.split_units(copy.deepcopy(J_EXAMPLE()), "青山县医疗保障局")[1]

    def own(ws) -> None:
        J.spending_table(ws, unit)
        ws["A3"] = "编制单位： 青山县医疗保障事务中心（本级）"

    imported = import_files([J._book(folder / "one.xlsx", ("公开01", lambda ws: J.total_table(ws, unit)),
                                     ("公开03", own))])
    assert imported.entities == ["青山县医疗保障事务中心"] and imported.findings == []
    applied = apply_import({}, imported)
    assert applied.values["unit"]["name"] == "青山县医疗保障事务中心"
    assert [r["org"] for r in applied.values["income"]] == [r["org"] for r in applied.values["expenditure"]] \
        == ["青山县医疗保障事务中心"]
    assert applied.values["income"][0]["general_budget"] == D("315.80")
