"""End to end through the CLI: init -> fill like a clerk -> check -> build -> read the .docx."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl.utils.cell import coordinate_from_string

from reportgen.cli import main
from reportgen.workbook.example import EXAMPLE
from reportgen.workbook.schema import SCHEMA_VERSION
from tests.docx_helpers import full_text
from tests.xlsx_edit import cell_values, set_cells

RUNNER = CliRunner()

# yueyang-2020 评分表 for the example, pinned: 三级指标, 分值, 自评得分. By hand from example.py / example.yaml:
#   预算调整率 4.05% = 60.00 / 1,480.25, in the 0-10%（含）band: 2; 资金结余 12.61 ≤ 上年结转 52.36: 2;
#   政府采购执行率 96.00% = 86.40 / 90.00, 4 points short × 0.2 = 0.8: 2.2;
#   固定资产利用率 97.98% = 203.60 / 207.80, 2.02 points short × 0.1 = 0.2: 2.8;
#   其他工作实绩 3.5 and 履职效益 14 are typed in; 满意度 96.5 ≥ 95: 5. Sum 95.5.
# (三级指标, 分值 as written, 得分 with two decimals)
SCORING_ROWS = [
    ("财政供养人员控制率", "5", "5.00"), ("“三公经费”变动率", "5", "5.00"), ("重点支出安排率", "5", "5.00"),
    ("预算调整率", "3", "2.00"), ("支付进度", "3", "3.00"), ("资金结余", "3", "2.00"), ("“三公经费”控制率", "6", "6.00"),
    ("管理制度健全性", "3", "3.00"), ("资金使用合规性", "3", "3.00"), ("预决算信息公开性和完善性", "3", "3.00"),
    ("政府采购执行率", "3", "2.20"), ("公务卡刷卡率", "3", "3.00"),
    ("管理制度健全性", "3", "3.00"), ("资产管理安全性", "4", "4.00"), ("固定资产利用率", "3", "2.80"),
    ("推进全面小康建设指标任务完成情况", "5", "5.00"), ("建设湖南新增极目标任务完成情况", "7", "7.00"),
    ("《政府工作报告》目标任务完成情况", "5", "5.00"), ("省市重点民生实事完成情况", "2", "2.00"),
    ("省市重点工程和重大项目建设完成情况", "2", "2.00"), ("其他工作实绩指标完成情况", "4", "3.50"),
    ("经济效益、社会效益、生态效益", "15", "14.00"), ("社会公众或服务对象满意度", "5", "5.00"),
]


def run(*args: str):
    return RUNNER.invoke(main, [str(a) for a in args], catch_exceptions=False)


def _label(text) -> str:
    return re.sub(r"[\s*]", "", str(text or ""))


def fill_like_a_clerk(path: Path, values: dict) -> None:
    """Type values into a blank workbook by label and header text, as a clerk would."""
    from reportgen.formats.loader import resolve_format
    from reportgen.formats.sheets import workbook_schema

    schema = workbook_schema(resolve_format("yueyang-2020"))
    edits: dict[str, dict[str, object]] = {}
    for sheet in schema.sheets:
        data = values.get(sheet.key)
        if data is None:
            continue
        cells = [(*coordinate_from_string(ref), text) for ref, text in cell_values(path, sheet.name).items()]
        typed: list[tuple[str, object]] = []
        if hasattr(sheet, "fields"):
            rows = {_label(text): row for column, row, text in cells if column == "A" and row >= 2}
            for spec in sheet.fields:
                value = data.get(spec.key)
                if isinstance(value, list):
                    value = "、".join(value)
                if isinstance(value, bool):
                    value = "是" if value else "否"
                typed.append((f"B{rows[spec.label]}", value))
        else:
            cols = {_label(text): column for column, row, text in cells if row == 1}
            for i, record in enumerate(data, start=2):
                for spec in sheet.columns:
                    value = record.get(spec.key)
                    if isinstance(value, bool):
                        value = "是" if value else "否"
                    typed.append((f"{cols[spec.label]}{i}", value))
        # as openpyxl's ws.cell(row, column, None): a None leaves the cell as it is
        edits[sheet.name] = {ref: value for ref, value in typed if value is not None}
    set_cells(path, path, edits)


def example_with_inputs() -> dict:
    import yaml

    extra = yaml.safe_load((Path(__file__).parents[1] / "templates/yueyang-2020/example.yaml").read_text("utf-8"))
    return copy.deepcopy(EXAMPLE) | extra


@pytest.fixture
def built(tmp_path: Path) -> Path:
    workbook = tmp_path / "填报表.xlsx"
    result = run("init", workbook, "--format", "yueyang-2020")
    assert result.exit_code == 0, result.output
    values = example_with_inputs()
    values["unit"] = values["unit"] | {"name": "测试县医疗保障局", "year": 2024}
    values["narrative"] = values["narrative"] + [
        {"part": "其他需要说明的情况", "title": None, "body": "第一行 A&B <x>\n第二行 \"引号\" '单引号'"}]
    fill_like_a_clerk(workbook, values)
    before = workbook.read_bytes()
    result = run("build", workbook, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert workbook.read_bytes() == before  # the input is never modified
    return tmp_path / "out"


def test_report_text_and_tables(built: Path) -> None:
    report = Document(built / "测试县医疗保障局_2024_部门整体支出绩效自评报告.docx")
    text = full_text(report)
    assert report.paragraphs[0].text == "测试县医疗保障局\n2024年度部门整体支出绩效自评报告"
    # derived figures, each computed from the workbook (1,030.64 / 1,527.64 = 67.47%)
    assert "基本支出1,030.64万元，占总支出的67.47%" in text
    assert "人员经费840.78万元，占基本支出的81.58%" in text
    assert "预算执行率99.18%" in text
    assert "“三公”经费控制率83.00%；较上年决算8.74万元下降14.53%。" in text  # (7.47 − 8.74) / 8.74, in words
    assert "收入合计较上年1,498.60万元增长2.78%。" in text  # (1,540.25 − 1,498.60) / 1,498.60: no minus sign in prose
    # free text survives escaping and line breaks
    assert "第一行 A&B <x>\n第二行 \"引号\" '单引号'" in text
    income = next(t for t in report.tables if t.cell(0, 0).text == "机构名称" and "收入合计" in t.cell(0, 1).text)
    # a column per source the unit has: 上年结转, 一般公共预算财政拨款, 其他收入 (the zero ones are left out)
    assert [c.text for c in income.rows[0].cells] == ["机构名称", "收入合计", "上年结转", "一般公共预算财政拨款", "其他收入"]
    summary = [c.text for c in income.rows[1].cells]
    assert summary == ["汇总", "1,540.25", "52.36", "1,479.69", "8.20"]  # 52.36 + 1,479.69 + 8.20
    assert [c.text for c in income.rows[2].cells] == ["1、局机关", "1,224.45", "52.36", "1,163.89", "8.20"]
    three_public = next(t for t in report.tables if t.cell(0, 0).text == "项目" and t.cell(0, 4).text == "变动率")
    assert [c.text for c in three_public.rows[1].cells] == ["合计", "9.00", "7.47", "8.74", "-14.53%", "83.00%"]
    # the score and grade come from the same scoring result as the 评分表
    assert "综合得分95.50分，评价等次为“优”" in text


def test_scoring_table(built: Path) -> None:
    doc = Document(built / "测试县医疗保障局_2024_评分表.docx")
    table = doc.tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["一级指标", "二级指标", "三级指标", "评分标准", "分值", "自评得分", "扣分原因和其他说明"]
    assert rows[-1][0].startswith("评价人：")  # the line under the table, its last row (never alone overleaf)
    rows = rows[:-1]
    assert [(r[2], r[4], r[5]) for r in rows[1:-1]] == SCORING_ROWS
    by_name = {r[2]: r for r in rows[1:]}
    assert by_name["资金结余"][4:6] == ["3", "2.00"]
    assert "不超过上年结转" in by_name["资金结余"][6]
    assert by_name["政府采购执行率"][5] == "2.20"
    assert by_name["政府采购执行率"][6] == "政府采购执行率96.00%，低于100%共4个百分点，每低1个百分点扣0.2分，扣0.8分"
    assert by_name["预算调整率"][6] == "预算调整率4.05%，属于“0%至10%（含）”档，计2分"
    total = rows[-1]
    assert total[4:6] == ["100", "95.50"] and "等次：优" in total[6]
    shown = sum(Decimal(r[5]) for r in rows[1:-1])
    assert shown == Decimal("95.5")  # the shown total is the sum of the shown scores
    # 一级 groups are merged cells: the 投入 label is one cell spanning its three rows
    first_col = [r.cells[0] for r in table.rows[1:4]]
    assert first_col[0]._tc is first_col[2]._tc


def test_check_prints_figures_and_scores(tmp_path: Path) -> None:
    workbook = tmp_path / "ex.xlsx"
    assert run("init", "--example", workbook).exit_code == 0
    result = run("check", workbook)
    assert result.exit_code == 0
    assert "基本支出 1,030.64（67.47%）" in result.output
    # 1,527.64 / (1,480.25 + 60.00); 60.00 / 1,480.25; 52.36 + 1,487.89 − 1,527.64
    assert "全年预算 1,540.25 万元，预算执行率 99.18%，预算调整率 4.05%" in result.output
    assert "年末结转和结余 12.61 万元" in result.output
    assert "控制率 83.00%，变动率 -14.53%" in result.output  # 7.47 / 9.00; (7.47 − 8.74) / 8.74
    assert "在职人员控制率 93.33%（42/45），重点支出安排率 92.72%，固定资产利用率 97.98%" in result.output
    # the default format (national-2025): 满意度指标 from the questionnaire's 满意率 98.50% (≥ 90%: 10)
    assert "满意度问卷 有效 20/20 份，得分 965/1000，满意率 98.50%" in result.output
    assert "综合得分 99.92 分（满分 100），评价等次：优" in result.output
    assert not list(tmp_path.glob("*.docx"))


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    workbook = tmp_path / "ex.xlsx"
    workbook.write_bytes(b"keep")
    result = run("init", workbook)
    assert result.exit_code == 2 and "文件已存在" in result.output
    assert workbook.read_bytes() == b"keep"


def test_blank_workbook_is_a_good_form(tmp_path: Path) -> None:
    workbook = tmp_path / "blank.xlsx"
    run("init", workbook)
    wb = openpyxl.load_workbook(workbook)
    assert wb.sheetnames[0] == "填写说明"
    assert wb["系统信息"].sheet_state == "hidden"
    assert [r[:2] for r in wb["系统信息"].iter_rows(values_only=True)] == [("format", "national-2025"),
                                                                          ("schema_version", SCHEMA_VERSION)]
    unit = wb["基本信息"]
    assert unit.freeze_panes == "A2"
    lists = {str(dv.sqref): dv.formula1 for dv in unit.data_validations.dataValidation if dv.type == "list"}
    assert lists["B4"] == '"行政单位,参照公务员法管理事业单位,事业单位"'
    income = wb["收入"]
    assert income["B2"].number_format == "#,##0.00"
    assert "问卷" in wb.sheetnames  # the default format's 满意度指标 comes from the questionnaire


BAD_CELLS = [
    ("收入", "B2", "约50万", '收入!B2 W502 上年结转: 应为数字, 实际为 "约50万"'),
    ("基本信息", "B2", None, "基本信息!B2 W501 单位名称: 必填，不能为空"),
    ("评分填报", "B3", "也许", "评分填报!B3"),
]


@pytest.mark.parametrize(("sheet", "cell", "value", "expected"), BAD_CELLS)
def test_bad_workbook_exit_2_in_chinese(tmp_path: Path, sheet: str, cell: str, value, expected: str) -> None:
    workbook = tmp_path / "ex.xlsx"
    run("init", "--example", "--format", "yueyang-2020", workbook)  # it has a 评分填报 sheet
    set_cells(workbook, workbook, {sheet: {cell: value}})
    for command in ("check", "build"):
        result = run(command, workbook, *(["-o", tmp_path / "out"] if command == "build" else []))
        assert result.exit_code == 2
        assert expected in result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()  # nothing written


@pytest.mark.parametrize("content", [b"", b"not a workbook", b"\xd0\xcf\x11\xe0" + b"\0" * 60])
def test_unreadable_files_exit_2(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    result = run("check", path)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_unknown_format_is_a_clear_error(tmp_path: Path) -> None:
    result = run("init", tmp_path / "x.xlsx", "--format", "no-such-format")
    assert result.exit_code == 2 and "没有名为“no-such-format”的格式" in result.output


def test_version() -> None:
    assert run("--version").output.startswith("reportgen ")


def test_workbook_from_another_schema_version(tmp_path: Path) -> None:
    workbook = tmp_path / "old.xlsx"
    run("init", "--example", workbook)
    set_cells(workbook, workbook, {"系统信息": {"B2": "0"}})
    result = run("check", workbook)
    assert result.exit_code == 2
    assert f"系统信息 W514 schema_version: 填报表结构版本为 0，本程序为 {SCHEMA_VERSION}" in result.output
