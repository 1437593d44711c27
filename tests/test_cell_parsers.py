"""One way to read a cell (issue 9): the same content gets the same verdict — the value, or the same
Chinese message — on every sheet that takes that kind of value: a core key–value sheet, a core
table sheet, the 评分填报 sheet (reader and scoring engine), a quantitative indicator's value in
绩效指标, and the 问卷 sheet's date and answer cells.

One small workbook holds every case (one row per case and sheet); it is read once.
"""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from reportgen.cells import (
    as_text,
    cell_value,
    parse_cell,
    parse_choice,
    parse_date,
    parse_number,
    parse_percent,
    parse_quantity,
    parse_yesno,
)
from reportgen.errors import Finding
from reportgen.model.report import Indicator
from reportgen.questionnaire.definition import load_questionnaire, response_columns
from reportgen.questionnaire.tally import ResponseRow, tally
from reportgen.scoring.engine import _normalize
from reportgen.scoring.system import InputSpec, input_field
from reportgen.workbook.assemble import _indicators
from reportgen.workbook.reader import WorkbookData, open_workbook, read_sheets
from reportgen.workbook.schema import Field, KeyValueSheet, TableSheet, WorkbookSchema, sheet_of

INDICATORS = sheet_of(Indicator)

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "reportgen"
QUESTIONNAIRE = load_questionnaire(ROOT / "templates" / "yanling-2020" / "questionnaire.yaml")
BLANK = "（未填）"  # verdict for an empty cell: None where optional, the sheet's "not filled" where required


def NUM(shown: str) -> str:
    return f'应为数字, 实际为 "{shown}"'


def SEP(shown: str) -> str:
    return f'千位分隔符位置不对, 实际为 "{shown}"（应从个位起每三位一组，如 1,234.56；小数点请用“.”）'


def BIG(shown: str) -> str:
    return f'数值过大, 实际为 "{shown}"（绝对值应小于 1,000,000,000,000）'


def DATE(shown: str) -> str:
    return f'应为日期（如 2026-03-31）, 实际为 "{shown}"'


def YN(shown: str) -> str:
    return f'应为 是/否 之一, 实际为 "{shown}"'


def ODD(shown: str) -> str:
    return f"日期不合理（年份应在 1900 到 2100 之间）, 实际为 {shown}"


SEPT19 = dt.date(2021, 9, 19)

# raw content, then the verdict as a number, as a date, as yes/no
CASES: list[tuple[Any, Any, Any, Any]] = [
    ("1,234.56", D("1234.56"), DATE("1,234.56"), YN("1,234.56")),
    ("1，234", D(1234), DATE("1，234"), YN("1，234")),
    ("1,5", SEP("1,5"), DATE("1,5"), YN("1,5")),
    ("1,23,456", SEP("1,23,456"), DATE("1,23,456"), YN("1,23,456")),
    ("95%", NUM("95%"), DATE("95%"), YN("95%")),
    ("1E3", NUM("1E3"), DATE("1E3"), YN("1E3")),
    ("NaN", NUM("NaN"), DATE("NaN"), YN("NaN")),
    ("Infinity", NUM("Infinity"), DATE("Infinity"), YN("Infinity")),
    ("1e300", NUM("1e300"), DATE("1e300"), YN("1e300")),
    ("1000000000000", BIG("1000000000000"), DATE("1000000000000"), YN("1000000000000")),
    ("20210919", D(20210919), SEPT19, YN("20210919")),
    (20210919, D(20210919), SEPT19, YN("20210919")),
    ("2021-09-19", NUM("2021-09-19"), SEPT19, YN("2021-09-19")),
    ("2021/9/19", NUM("2021/9/19"), SEPT19, YN("2021/9/19")),
    ("2021年9月19日", NUM("2021年9月19日"), SEPT19, YN("2021年9月19日")),
    ("２０２１－０９－１９", NUM("２０２１－０９－１９"), SEPT19, YN("２０２１－０９－１９")),
    ("2021-02-30", NUM("2021-02-30"), DATE("2021-02-30"), YN("2021-02-30")),
    (dt.datetime(2021, 9, 19), NUM("2021-09-19"), SEPT19, YN("2021-09-19")),
    (" 12 ", D(12), DATE("12"), YN("12")),
    ("１２", D(12), DATE("１２"), YN("１２")),
    ("１２．５", D("12.5"), DATE("１２．５"), YN("１２．５")),
    (96.3, D("96.3"), DATE("96.3"), YN("96.3")),
    ("是", NUM("是"), DATE("是"), True),
    ("否", NUM("否"), DATE("否"), False),
    (" 是\u3000", NUM("是"), DATE("是"), True),
    ("Y", NUM("Y"), DATE("Y"), YN("Y")),
    ("1", D(1), DATE("1"), YN("1")),
    (True, NUM("TRUE"), DATE("TRUE"), True),
    (False, NUM("FALSE"), DATE("FALSE"), False),
    ("", BLANK, BLANK, BLANK),
    ("   ", BLANK, BLANK, BLANK),
    # issue 20: only the digits 0-9 are digits (NFKC made these 52, 152.36, 5 and 5)
    ("5²", NUM("5²"), DATE("5²"), YN("5²")),
    ("①52.36", NUM("①52.36"), DATE("①52.36"), YN("①52.36")),
    ("⑤", NUM("⑤"), DATE("⑤"), YN("⑤")),
    ("٥", NUM("٥"), DATE("٥"), YN("٥")),
    ("２０２１年⑨月１９日", NUM("２０２１年⑨月１９日"), DATE("２０２１年⑨月１９日"), YN("２０２１年⑨月１９日")),
    # issue 20: a date no report can be about
    ("0001-01-01", NUM("0001-01-01"), ODD("0001-01-01"), YN("0001-01-01")),
    (dt.datetime(9999, 12, 31), NUM("9999-12-31"), ODD("9999-12-31"), YN("9999-12-31")),
    # issue 20: nothing anyone can read is a blank cell (a zero-width space, a byte-order mark)
    ("\u200b", BLANK, BLANK, BLANK),
    (" \ufeff\u200b\u3000", BLANK, BLANK, BLANK),
]
IDS = [f"{i}:{raw!r}" for i, (raw, *_) in enumerate(CASES)]

KINDS = ("decimal", "date", "yesno")
INPUT_KINDS = {"decimal": "number", "yesno": "yesno"}


def _input_spec(kind: str, i: int) -> InputSpec:
    return InputSpec(key=f"{kind}{i}", label=f"{kind}{i}", kind=INPUT_KINDS[kind], indicator="测试", required=False)  # type: ignore[arg-type]


def _key_value(ws, labels: list[str]) -> None:
    ws.append(["项目", "填写值"])
    for (raw, *_), label in zip(CASES * (len(labels) // len(CASES)), labels, strict=True):
        ws.append([label, raw])


@pytest.fixture(scope="module")
def read(tmp_path_factory) -> WorkbookData:
    """Every case in a core key–value sheet, a core table sheet, 评分填报 and 绩效指标; read once."""
    kv = KeyValueSheet("键值", "kv", tuple(Field(f"{k}{i}", f"{k}{i}", k, required=False)  # type: ignore[arg-type]
                                          for k in KINDS for i in range(len(CASES))))
    table = TableSheet("表格", "table", tuple(Field(k, k, k, required=False) for k in KINDS)  # type: ignore[arg-type]
                       + (Field("row", "行号", "int"),))
    inputs = KeyValueSheet("评分填报", "inputs", tuple(input_field(_input_spec(k, i))
                                                     for k in INPUT_KINDS for i in range(len(CASES))))
    wb = Workbook()
    _key_value(wb.active, [f.label for f in kv.fields])
    wb.active.title = kv.name
    ws = wb.create_sheet(table.name)
    ws.append([c.label for c in table.columns])
    for n, (raw, *_) in enumerate(CASES):
        ws.append([raw, raw, raw, n])
    _key_value(wb.create_sheet(inputs.name), [f.label for f in inputs.fields])
    ws = wb.create_sheet(INDICATORS.name)
    ws.append([c.label for c in INDICATORS.columns])
    labels = [c.label for c in INDICATORS.columns]
    for n, (raw, *_) in enumerate(CASES):
        row = dict.fromkeys(labels) | {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": f"指标{n}",
                                       "指标性质": "≥", "年度指标值": raw, "实际完成值": "1"}
        ws.append([row[label] for label in labels])
    path = tmp_path_factory.mktemp("cells") / "cases.xlsx"
    wb.save(path)
    return read_sheets(open_workbook(path), WorkbookSchema((kv, table, inputs, INDICATORS)), path)


def _reader_verdict(data: WorkbookData, path: str) -> Any:
    """What the reader made of one cell: its message, or its value (``kv.decimal3``, ``table[2].date``)."""
    problems = [f.message for f in data.findings if f.where == data.ref(path)]
    if problems:
        return BLANK if problems == ["必填，不能为空"] else problems[0]
    if "[" in path:
        sheet, rest = path.split("[", 1)
        index, key = rest.split("].")
        value = data.values[sheet][int(index)][key]
    else:
        sheet, key = path.split(".")
        value = data.values[sheet][key]
    return BLANK if value is None else value


def _table_row(data: WorkbookData, n: int) -> int:
    return next(i for i, r in enumerate(data.values["table"]) if r["row"] == n)


def _engine_verdict(kind: str, raw: Any) -> Any:
    value, problem = _normalize(_input_spec(kind, 0), raw)
    return problem or (BLANK if value is None else value)


def _indicator_verdict(data: WorkbookData, n: int) -> Any:
    where = data.ref(f"indicators[{n}].target")
    reader = [f.message for f in data.findings if f.where == where]
    if reader:
        return BLANK if reader == ["必填，不能为空"] else reader[0]
    findings: list[Finding] = []
    row = _indicators(data, findings)[n]
    mine = [f.message for f in findings if f.where == where]
    if mine:
        assert mine[0].startswith("定量指标（≥）"), mine
        return mine[0].removeprefix("定量指标（≥）")
    return row["target"]


def _survey(date: Any = "2021-09-20", answer: Any = "非常满意") -> tuple[Any, list[Finding]]:
    values = {"number": 1, "date": date, "place": "医保大厅", "surveyor": "陈军武", "category": "服务对象"}
    values |= {q.id: "非常满意" for q in QUESTIONNAIRE.questions} | {"Q1": answer}
    cells = {c.header: (values.get(c.key), f"{chr(64 + i)}2") for i, c in enumerate(response_columns(QUESTIONNAIRE), 1)}
    return tally(QUESTIONNAIRE, [ResponseRow("问卷", 2, cells)])


def _survey_date_verdict(raw: Any) -> Any:
    result, findings = _survey(date=raw)
    problems = [f.message for f in findings if f.field == "调查时间"]
    if problems:
        return BLANK if problems == ["未填写调查时间"] else problems[0]
    return result.date_from


def _survey_points_verdict(raw: Any) -> Any:
    result, findings = _survey(answer=raw)
    if any(f.severity == "warning" and "Q1 未作答" in f.message for f in findings):
        return BLANK
    if problems := [f.message for f in findings if f.field == "Q1"]:
        return problems[0]
    return next(c.points for c in result.questions[0].counts if c.count)


EXPECTED_ANSWER = "应为 非常满意/满意/一般/不满意 或 5/4/3/0"


def _points_expected(raw: Any, number: Any) -> Any:
    """An answer cell takes an option's label or its points: a number's verdict carries over (a
    number without an option says so), a non-number is neither label nor points."""
    if number is BLANK or isinstance(number, D) and number in (5, 4, 3, 0):
        return number
    if isinstance(number, D):
        return f"{number.normalize():f} 分没有对应的选项, {EXPECTED_ANSWER}"
    if number.startswith("应为数字"):
        return f'{EXPECTED_ANSWER}, 实际为 "{as_text(raw)}"'
    return number


@pytest.mark.parametrize(("n", "case"), list(enumerate(CASES)), ids=IDS)
def test_same_verdict_on_every_sheet(read: WorkbookData, n: int, case: tuple[Any, Any, Any, Any]) -> None:
    raw, number, date, yesno = case
    row = _table_row(read, n)
    # numbers: core key–value, core table, 评分填报 (reader, then engine on the reader's value and
    # on the raw content), a ≥ indicator's 年度指标值 (a text column, typed by build)
    assert _reader_verdict(read, f"kv.decimal{n}") == number
    assert _reader_verdict(read, f"table[{row}].decimal") == number
    sheet_value = _reader_verdict(read, f"inputs.decimal{n}")
    assert sheet_value == number
    if not isinstance(sheet_value, str):  # the value the reader hands to the scoring context
        assert _engine_verdict("decimal", None if sheet_value is BLANK else sheet_value) == number
    assert _engine_verdict("decimal", raw) == number
    assert _indicator_verdict(read, n) == number
    if number is not BLANK:
        assert parse_quantity(raw) == ((number, None) if isinstance(number, D) else (None, number))
    # dates: core key–value, core table, 问卷 调查时间
    assert _reader_verdict(read, f"kv.date{n}") == date
    assert _reader_verdict(read, f"table[{row}].date") == date
    assert _survey_date_verdict(raw) == date
    # yes/no: core key–value, core table, 评分填报 (reader and engine)
    assert _reader_verdict(read, f"kv.yesno{n}") == yesno
    assert _reader_verdict(read, f"table[{row}].yesno") == yesno
    assert _reader_verdict(read, f"inputs.yesno{n}") == yesno
    assert _engine_verdict("yesno", raw) == yesno
    # 问卷 answers: a number's verdict carries over to points
    assert _survey_points_verdict(raw) == _points_expected(raw, number)


def test_integer_inputs_agree_with_int_cells() -> None:
    spec = InputSpec(key="k", label="例数", kind="integer", indicator="测试")
    for raw in ("3", 3, "1.5", "-1", "1,000", "三"):
        assert _normalize(spec, raw)[1] == (parse_number(raw, "int")[1] or "")
    assert _normalize(spec, "1,000") == (D(1000), "")  # model-side: Decimal
    assert _normalize(spec, "1.5") == (None, '应为整数, 实际为 "1.5"')


@pytest.mark.parametrize(("raw", "unit", "verdict"), [
    ("95%", "%", D(95)),
    ("95 ％", "%", D(95)),
    ("≥95%", "%", D(95)),
    ("≥ 95", "%", D(95)),
    ("96.3", "%", D("96.3")),
    ("1,5%", "%", SEP("1,5%")),
    ("1E3%", "%", NUM("1E3%")),
    ("95个", "%", NUM("95个") + "（数字后只能带单位“%”）"),
    ("95%", "家", NUM("95%") + "（数字后只能带单位“家”）"),
    ("120家", "家", D(120)),
    ("236.5万元", "万元", D("236.5")),
    ("95%", None, NUM("95%")),
    ("约95", "%", NUM("约95")),
    ("-5%", "%", D(-5)),  # a change rate may be negative
    ("5²%", "%", NUM("5²%") + "（数字后只能带单位“%”）"),
    ("⑤家", "家", NUM("⑤家")),
    ("12㎡", "m2", D(12)),  # the unit as typed may differ from the declared one only by NFKC
])
def test_indicator_value_with_unit(raw: str, unit: str | None, verdict: Any) -> None:
    """A quantitative indicator's value may repeat its sign and carry the row's 度量单位; nothing else."""
    data = WorkbookData(values={"indicators": [{"level1": "产出指标", "level2": "数量指标", "level3": "x",
                                                "nature": "≥", "target": raw, "unit": unit, "actual": "100",
                                                "weight": None, "achievement": None, "deviation_reason": None}]},
                        refs={"indicators[0].target": "绩效指标!E2"})
    findings: list[Finding] = []
    row = _indicators(data, findings)[0]
    if isinstance(verdict, D):
        assert findings == [] and row["target"] == verdict
    else:
        assert [str(f) for f in findings] == [f"绩效指标!E2 W520 年度指标值: 定量指标（≥）{verdict}"]
    if unit == "%" and not raw.startswith("≥"):
        assert parse_percent(raw) == ((verdict, None) if isinstance(verdict, D) else (None, verdict))


def test_points_may_carry_their_unit() -> None:
    assert _survey_points_verdict("5分") == 5
    assert _survey_points_verdict("４ 分") == 4
    assert _survey_points_verdict(" 满　意 ") == 4
    assert _survey_points_verdict("5个") == f'{EXPECTED_ANSWER}, 实际为 "5个"'


@pytest.mark.parametrize(("raw", "verdict"), [
    ("服务对象", "服务对象"),
    (" 服务　对象 ", "服务对象"),
    ("游客", '应为 服务对象/社会公众 之一, 实际为 "游客"'),
    (1.0, '应为 服务对象/社会公众 之一, 实际为 "1"'),
])
def test_choice_same_on_core_and_survey(raw: Any, verdict: str) -> None:
    choices = tuple(QUESTIONNAIRE.categories)
    expected = (verdict, None) if not verdict.startswith("应为") else (None, verdict)
    assert parse_cell(raw, Field("c", "对象类别", "choice", choices=choices)) == expected
    assert parse_choice(raw, choices) == expected
    values = {"number": 1, "date": "2021-09-20", "place": "医保大厅", "surveyor": "陈军武", "category": raw}
    values |= {q.id: "非常满意" for q in QUESTIONNAIRE.questions}
    cells = {c.header: (values.get(c.key), f"{chr(64 + i)}2") for i, c in enumerate(response_columns(QUESTIONNAIRE), 1)}
    result, findings = tally(QUESTIONNAIRE, [ResponseRow("问卷", 2, cells)])
    if expected[1]:
        assert [(f.where, f.message) for f in findings] == [("问卷!G2", verdict)]
    else:
        assert findings == [] and result.by_category[0].valid == 1


def test_text_length_bounds_and_near_dates() -> None:
    from reportgen.cells import date_far_from

    name = Field("name", "单位名称", bounds=(1, 200))
    assert parse_cell("局" * 200, name) == ("局" * 200, None)
    assert parse_cell("局" * 20_000, name) == (None, "内容过长（20,000 个字符，上限 200），请检查是否误粘贴了其他内容")
    assert date_far_from(dt.date(2027, 12, 31), 2025) is None and date_far_from(dt.date(2023, 1, 1), 2025) is None
    assert date_far_from(dt.date(2099, 5, 1), 2025) == (
        "日期与评价年度 2025 相差太远（应在 2023 到 2027 年之间）, 实际为 2099-05-01")


def test_yesno_and_date_parsers_directly() -> None:
    assert parse_yesno("是") == (True, None) and parse_yesno(False) == (False, None)
    assert parse_yesno("√") == (None, YN("√"))
    assert parse_date("2021.9.19") == (SEPT19, None)
    assert parse_date(44458) == (None, DATE("44458"))  # an Excel serial number is not a date


@pytest.mark.parametrize(("value", "number_format", "read_as"), [
    (0.953, "0%", "95.3%"),
    (0.95, "0.00%", "95%"),
    (1, "0%", "100%"),
    (0.95, "General", 0.95),
])
def test_percent_formatted_number_reads_as_shown(value: Any, number_format: str, read_as: Any) -> None:
    """Typing 95% into a General cell stores 0.95 shown as 95%: a cell is read as the clerk sees it."""
    cell = Workbook().active["A1"]
    cell.value, cell.number_format = value, number_format
    assert cell_value(cell) == read_as
    if isinstance(read_as, str):
        assert parse_percent(read_as)[0] == D(read_as.rstrip("%"))
        assert parse_number(read_as) == (None, NUM(read_as))


CELL_READERS = ("workbook/reader.py", "cells.py", "questionnaire/tally.py", "workbook/assemble.py")


@pytest.mark.parametrize("module", CELL_READERS)
def test_cells_never_go_through_to_decimal(module: str) -> None:
    """``numbers.to_decimal`` (lenient: drops every comma, ignores %) is for YAML and templates only."""
    tree = ast.parse((SRC / module).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "reportgen.numbers" not in imported


@pytest.mark.parametrize(("typed", "sign", "number", "unit"), [
    ("≥120家", "≥", "120", "家"), ("100%", "=", "100", "%"), ("≥200万元", "≥", "200", "万元"),
    ("≤2小时", "≤", "2", "小时"), ("≥5万人次", "≥", "5", "万人次"), ("不低于 95 ％", "≥", "95", "%"),
    ("95%以上", "≥", "95", "%"), ("3个工作日内", "≤", "3", "个工作日"), ("不超过5%", "≤", "5", "%"),
    (">90%", ">", "90", "%"), ("１２０家", "=", "120", "家"), ("≥0.5", "≥", "0.5", ""),
    ("明显提升", "", None, ""), ("次月整理上月资料", "", None, ""),
])
def test_a_target_written_in_one_cell(typed: str, sign: str, number: str | None, unit: str) -> None:
    """parse_comparison: an older workbook's 预期值 (``≥120家``) as 指标性质, number and 度量单位."""
    from reportgen.cells import Comparison, parse_comparison

    assert parse_comparison(typed) == Comparison(sign, D(number) if number else None, unit)


@pytest.mark.parametrize("typed", ["9月底前", "12月31日前", "约100人", "2-3次", "100%覆盖", "≥95%以下", "100人左右", ""])
def test_a_target_that_needs_a_person(typed: str) -> None:
    from reportgen.cells import parse_comparison

    assert parse_comparison(typed) is None


def test_a_long_cell_without_its_unit_is_not_folded_ending_by_ending(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 20,000-character text pasted into a 年度指标值 folded each of its endings (1.5 s a cell)."""
    import reportgen.cells as cells

    calls = []
    real = cells.fold
    monkeypatch.setattr(cells, "fold", lambda text: calls.append(text) or real(text))
    number, problem = cells.parse_quantity("说明" * 10_000, "万亩")
    assert number is None and problem.startswith("应为数字")
    assert len(calls) <= 3
    calls.clear()
    assert cells.parse_quantity("12万亩", "万亩") == (D(12), None)
