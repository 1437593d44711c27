"""Questionnaire definition, tally and chart (附件5 公众或服务对象满意度调查问卷)."""

from __future__ import annotations

import datetime as dt
import struct
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl.utils import get_column_letter

from reportgen.errors import ReportgenError
from reportgen.questionnaire.definition import Questionnaire, load_questionnaire, response_columns
from reportgen.questionnaire.tally import ResponseRow, tally

YAML = Path(__file__).resolve().parents[1] / "templates" / "yanling-2020" / "questionnaire.yaml"
SHEET = "问卷"
FIRST_ROW = 2  # row 1 is the header

# 20 questionnaires, one letter per question: A 非常满意 5, B 满意 4, C 一般 3, D 不满意 0.
# Rows 1–10 服务对象 (487 points), 11–20 社会公众 (478 points): 965 / 1000.
ANSWERS = [
    "AABAABABAB", "ABAAAAAAAA", "AAAABAAAAA", "ABAAAAAAAA", "AAAAAAAAAA",
    "AACAAAAAAA", "BAAAAAAABA", "AAAAAAAAAA", "AAABAAAAAA", "AAAAAAAAAB",
    "AAAAAAAABA", "BBAAAAAAAA", "AAAAABAAAA", "AAAAAAADAA", "AABAAAAAAA",
    "AAAABAAAAA", "ABAAACAAAB", "AAAAAAABAA", "BBBAAAAAAA", "AAAAAAABCA",
]
LABELS = {"A": "非常满意", "B": "满意", "C": "一般", "D": "不满意"}
POINTS = {"A": 5, "B": 4, "C": 3, "D": 0}


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return load_questionnaire(YAML)


def make_row(q: Questionnaire, row: int, values: dict[str, Any]) -> ResponseRow:
    """A row as the workbook reader hands it over: every column, by header, with its cell ref."""
    cells = {}
    for i, column in enumerate(response_columns(q), start=1):
        cells[column.header] = (values.get(column.key), f"{get_column_letter(i)}{row}")
    return ResponseRow(SHEET, row, cells)


def answer(letter: str, style: int) -> Any:
    """Mix the ways a clerk may type an answer: label, int, text number, float, padded label."""
    return [LABELS[letter], POINTS[letter], str(POINTS[letter]), float(POINTS[letter]),
            f"\u3000{LABELS[letter]} "][style % 5]


def sample_rows(q: Questionnaire) -> list[ResponseRow]:
    rows = []
    for n, letters in enumerate(ANSWERS, start=1):
        values: dict[str, Any] = {
            "number": n,
            "date": dt.datetime(2021, 9, 18 + n % 3),
            "place": "医保大厅" if n <= 10 else "城区广场",
            "surveyor": "陈军武",
            "gender": "男" if n % 2 else "女",
            "category": "服务对象" if n <= 10 else "社会公众",
            "suggestion": {1: "无", 3: "希望延长窗口服务时间", 4: "没有。", 12: "  "}.get(n),
        }
        values |= {f"Q{i}": answer(letter, n + i) for i, letter in enumerate(letters, start=1)}
        rows.append(make_row(q, FIRST_ROW + n - 1, values))
    return rows


def valid_values(number: int, **overrides: Any) -> dict[str, Any]:
    values = {"number": number, "date": "2021.09.20", "place": "医保大厅", "surveyor": "陈军武",
              "category": "服务对象"} | {f"Q{i}": "非常满意" for i in range(1, 11)}
    return values | overrides


# --- definition ------------------------------------------------------------------------------------


def test_shipped_questionnaire(q: Questionnaire) -> None:
    assert q.title == "公众或服务对象满意度调查问卷"
    assert [x.id for x in q.questions] == [f"Q{i}" for i in range(1, 11)]
    assert q.questions[3].text == "您对该部门支出项目在促进社会经济发展、提高人民生活水平方面的满意度如何："
    assert q.option_labels == ["非常满意", "满意", "一般", "不满意"]
    assert [o.satisfied for o in q.options] == [True, True, False, False]
    assert q.per_questionnaire_full == 50
    assert q.categories == ["服务对象", "社会公众"]
    assert q.note == "备注：本问卷计分50分，10个问题，每个问题5分：非常满意计5分，满意计4分，一般计3分，不满意计0分。"


def test_fill_texts(q: Questionnaire) -> None:
    filled = q.fill_texts({"unit": {"name": "炎陵县医疗保障局"}})
    assert filled.authorising_unit == "炎陵县医疗保障局"
    assert filled.intro.startswith("您好！我们是炎陵县医疗保障局安排的调查员。")
    with pytest.raises(ReportgenError, match="占位符"):
        q.fill_texts({})


def test_response_columns(q: Questionnaire) -> None:
    columns = response_columns(q)
    assert [c.header for c in columns[:7]] == ["问卷编号", "调查时间", "调查地点", "调查人员", "调查对象", "性别", "对象类别"]
    assert columns[1].kind == "date"
    assert not columns[4].required and not columns[5].required and columns[5].choices == ("男", "女")
    assert columns[6].choices == ("服务对象", "社会公众") and columns[6].required
    assert columns[7].header == "Q1 总体评价" and columns[7].kind == "choice"
    assert columns[7].choices == ("非常满意", "满意", "一般", "不满意")
    assert "您对该部门工作现状的总体评价是：" in columns[7].help
    assert [c.header for c in columns[7:17]][-1] == "Q10 厉行节约"
    assert columns[-1].header == "意见或建议" and not columns[-1].required and len(columns) == 18


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "questionnaire.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BASE = """
title: 测试问卷
categories: [群众]
options:
  - {label: 满意, points: 10, satisfied: true}
  - {label: 基本满意, points: 6}
  - {label: 不满意, points: 0}
questions:
  - {id: A1, short: 服务, text: 您对服务是否满意？}
  - {id: A2, text: 您对办事效率是否满意？}
"""


@pytest.mark.parametrize(("change", "field", "message"), [
    (("- {id: A2,", "- {id: A1,"), "questions", "题号重复: A1"),
    (("label: 基本满意", "label: 满意"), "options", "选项重复: 满意"),
    (("points: 6}", "points: 10}"), "options", "选项分值重复: 10"),
    (("points: 6}", "points: 六}"), "options[2].points", "应为数字"),
    (("points: 6}", "points: -1}"), "options[2].points", "不能为负数"),
    (("text: 您对服务是否满意？", "text: '  '"), "questions[1].text", "不能为空"),
    (("categories: [群众]", "categories: []"), "categories", "至少需要一个调查对象类别"),
    (("satisfied: true", "satisfied: false"), "options", "satisfied: true"),
    (("title: 测试问卷", "title: 测试问卷\ncolour: red"), "colour", "不认识的键"),
    (("title: 测试问卷", "title: 测试问卷\nfull_score: 30"), "full_score", "2 题 × 最高 10 分 = 20"),
])
def test_loader_errors(tmp_path: Path, change: tuple[str, str], field: str, message: str) -> None:
    path = write(tmp_path, BASE.replace(*change))
    with pytest.raises(ReportgenError) as info:
        load_questionnaire(path)
    finding = info.value.findings[0]
    assert str(finding.where).startswith(f"{path}:") and finding.code.startswith("Q3")
    assert finding.field == field
    assert message in finding.message


def test_loader_no_options_and_missing_fields(tmp_path: Path) -> None:
    text = BASE.split("options:")[0] + "options: []\n"
    with pytest.raises(ReportgenError) as info:
        load_questionnaire(write(tmp_path, text))
    got = {(f.field, f.message) for f in info.value.findings}
    assert ("options", "至少需要两个选项") in got
    assert ("questions", "缺少必填项") in got


def test_loader_not_a_mapping_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(ReportgenError, match="键值结构"):
        load_questionnaire(write(tmp_path, "- a\n- b\n"))
    with pytest.raises(ReportgenError, match="YAML 格式错误"):
        load_questionnaire(write(tmp_path, "title: [unclosed\n"))
    with pytest.raises(ReportgenError, match="文件不存在"):
        load_questionnaire(tmp_path / "nope.yaml")


def test_declared_full_score_and_fractional_points(tmp_path: Path) -> None:
    text = BASE.replace("points: 6}", "points: 6.5}").replace("title: 测试问卷", "title: 测试问卷\nfull_score: 20.0")
    q = load_questionnaire(write(tmp_path, text))
    assert q.per_questionnaire_full == 20
    assert "基本满意计6.5分" in q.note and q.note.startswith("备注：本问卷计分20分，2个问题，每个问题10分")


# --- tally ------------------------------------------------------------------------------------------


def test_tally_965(q: Questionnaire) -> None:
    result, findings = tally(q, sample_rows(q))
    assert findings == []
    assert (result.issued, result.valid, result.invalid) == (20, 20, 0)
    assert result.score == 965 and result.full_score == 1000 and result.full_score_each == 50
    assert result.score_rate == Decimal("96.5")
    assert result.satisfaction_rate == 98  # 196 of 200 answers 非常满意/满意
    assert (result.date_from, result.date_to) == (dt.date(2021, 9, 18), dt.date(2021, 9, 20))
    assert result.places == ["医保大厅", "城区广场"]
    assert result.options == ["非常满意", "满意", "一般", "不满意"]

    q1 = result.questions[0]
    assert (q1.id, q1.label, q1.title) == ("Q1", "1.总体评价", "第1题（总体评价）")
    assert [(c.label, c.points, c.count, c.share) for c in q1.counts] == [
        ("非常满意", 5, 17, 85), ("满意", 4, 3, 15), ("一般", 3, 0, 0), ("不满意", 0, 0, 0)]
    assert q1.average == Decimal("4.85") and q1.satisfaction_rate == 100
    q3 = result.questions[2]
    assert [c.count for c in q3.counts] == [16, 3, 1, 0] and q3.average == Decimal("4.75")
    assert q3.satisfaction_rate == 95 and q3.counts[2].share == 5
    q8 = result.questions[7]
    assert [c.count for c in q8.counts] == [16, 3, 0, 1] and q8.average == Decimal("4.6")
    for i, question in enumerate(result.questions):  # every question against an independent count
        column = Counter(letters[i] for letters in ANSWERS)
        assert [c.count for c in question.counts] == [column[k] for k in "ABCD"]
        assert sum(c.share for c in question.counts) == 100

    services, public = result.by_category
    assert (services.name, services.issued, services.valid, services.score, services.full_score) == (
        "服务对象", 10, 10, 487, 500)
    assert services.score_rate == Decimal("97.4") and services.satisfaction_rate == 99
    assert (public.name, public.score, public.score_rate, public.satisfaction_rate) == (
        "社会公众", 478, Decimal("95.6"), 97)
    assert [(s.number, s.category, s.text) for s in result.suggestions] == [("3", "服务对象", "希望延长窗口服务时间")]


def test_invalid_rows(q: Questionnaire) -> None:
    bad = [
        make_row(q, 30, valid_values(21, Q2=None, Q5="  ")),
        make_row(q, 31, valid_values(22, Q3="很好")),
        make_row(q, 32, valid_values(23, Q4=2)),
        make_row(q, 33, valid_values(24, category="游客")),
        make_row(q, 34, valid_values(25, date="九月")),
        make_row(q, 35, {}),  # empty: ignored
        make_row(q, 36, valid_values(3)),  # number used twice
        make_row(q, 37, valid_values(26, Q7="5分", Q8="  满　意 ", Q9="３")),  # tolerated spellings
        make_row(q, 38, {"number": 27, "category": "社会公众"}),
    ]
    result, findings = tally(q, sample_rows(q) + bad)
    messages = [str(f) for f in findings]
    assert messages == [
        "问卷!第30行 G822: 问卷 No.21 Q2、Q5 未作答：按无效问卷计（计入发放份数，不计入有效份数和得分），请核对纸质问卷",
        '问卷!J31 W502 Q3: 应为 非常满意/满意/一般/不满意 或 5/4/3/0, 实际为 "很好"',
        "问卷!K32 W502 Q4: 2 分没有对应的选项, 应为 非常满意/满意/一般/不满意 或 5/4/3/0",
        '问卷!G33 W502 对象类别: 应为 服务对象/社会公众 之一, 实际为 "游客"',
        '问卷!B34 W502 调查时间: 应为日期（如 2026-03-31）, 实际为 "九月"',
        "问卷!A36 G821 问卷编号: 问卷编号 3 重复（与 问卷!A4 相同），每份问卷编号应唯一",
        "问卷!B38 W501 调查时间: 未填写调查时间",
        "问卷!C38 W501 调查地点: 未填写调查地点",
        "问卷!D38 W501 调查人员: 未填写调查人员",
        "问卷!第38行 G822: 问卷 No.27 全部 10 题均未作答：按无效问卷计（计入发放份数，不计入有效份数和得分），请核对纸质问卷",
    ]
    assert [f.severity for f in findings] == ["warning"] + ["error"] * 8 + ["warning"]
    # 20 good + row 37; rows with errors or gaps are issued but not valid
    assert (result.issued, result.valid, result.invalid) == (28, 21, 7)
    assert result.score == 965 + 5 * 6 + 5 + 4 + 3 + 5 and result.full_score == 1050
    assert result.by_category[0].issued == 10 + 6 and result.by_category[1].issued == 10 + 1


def test_dates_and_points_spellings(q: Questionnaire) -> None:
    rows = [make_row(q, 2, valid_values(1, date="2021年9月1日")), make_row(q, 3, valid_values(2, date=20210930)),
            make_row(q, 4, valid_values(3, date=dt.date(2021, 9, 15), Q1=4.0, Q2=Decimal("3"))),
            make_row(q, 5, valid_values(4, date="2021-02-30"))]
    result, findings = tally(q, rows)
    assert [str(f) for f in findings] == ['问卷!B5 W502 调查时间: 应为日期（如 2026-03-31）, 实际为 "2021-02-30"']
    assert (result.date_from, result.date_to) == (dt.date(2021, 9, 1), dt.date(2021, 9, 30))
    assert result.questions[0].counts[1].count == 1 and result.questions[1].counts[2].count == 1


def test_empty_survey(q: Questionnaire) -> None:
    result, findings = tally(q, [make_row(q, 2, {})])
    assert findings == []
    assert (result.issued, result.valid, result.score, result.full_score) == (0, 0, 0, 0)
    assert result.score_rate is None and result.satisfaction_rate is None
    assert result.date_from is None and result.places == []
    assert result.questions[0].average is None and result.questions[0].counts[0].share is None
    assert all(c.score_rate is None for c in result.by_category)


def test_other_question_set_from_yaml(tmp_path: Path) -> None:
    q = load_questionnaire(write(tmp_path, BASE.replace("categories: [群众]", "categories: [群众, 企业]")))
    assert [c.header for c in response_columns(q)][7:9] == ["A1 服务", "A2 您对办事效率是否满意"]
    rows = [ResponseRow("问卷", 2 + i, {"问卷编号": (i + 1, f"A{2 + i}"), "调查时间": ("2022-03-01", f"B{2 + i}"),
                                         "调查地点": ("大厅", f"C{2 + i}"), "调查人员": ("李四", f"D{2 + i}"),
                                         "对象类别": (category, f"G{2 + i}"), "A1 服务": (a1, f"H{2 + i}"),
                                         "A2 您对办事效率是否满意": (a2, f"I{2 + i}")})
            for i, (category, a1, a2) in enumerate([
                ("群众", "满意", "基本满意"), ("群众", 10, 0), ("企业", "6", "满意"), ("企业", "不满意", 10)])]
    result, findings = tally(q, rows)
    assert findings == []
    assert result.full_score_each == 20 and result.full_score == 80
    assert result.score == 16 + 10 + 16 + 10 and result.score_rate == Decimal("65")
    assert result.satisfaction_rate == 50  # 4 of 8 answers 满意
    assert [c.count for c in result.questions[0].counts] == [2, 1, 1]
    assert result.questions[1].average == Decimal("6.5")
    assert [(c.name, c.score, c.score_rate) for c in result.by_category] == [
        ("群众", 26, Decimal("65")), ("企业", 26, Decimal("65"))]
    _, findings = tally(q, [ResponseRow("问卷", 9, {**rows[0].cells, "A1 服务": (4, "H9")})])
    assert [str(f) for f in findings] == ["问卷!H9 W502 A1: 4 分没有对应的选项, 应为 满意/基本满意/不满意 或 10/6/0"]


# --- chart ------------------------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    return struct.unpack(">II", data[16:24])


def test_chart(q: Questionnaire, tmp_path: Path) -> None:
    from reportgen.questionnaire.chart import answer_share_chart, cjk_font_path

    result, _ = tally(q, sample_rows(q))
    png = answer_share_chart(result)
    assert png.startswith(b"\x89PNG")
    width, height = png_size(png)
    assert 1200 <= width <= 1300 and 680 <= height <= 740  # 160 × 90 mm at 200 dpi
    assert 20_000 < len(png) < 1_000_000
    assert cjk_font_path() is not None  # the font mplfonts ships, whatever the machine has

    empty, _ = tally(q, [])
    assert answer_share_chart(empty).startswith(b"\x89PNG")


def test_more_questions_than_excel_has_columns_is_a_format_finding(tmp_path: Path, monkeypatch) -> None:
    """Issue 20: 20,000 questions (under the 1 MB cap) made format check and init exit 3 ("Invalid
    column index 18279"); the 问卷 sheet has one column per question, so it is a Q304 finding.
    The limit is lowered here so that the YAML stays small (parsing 20,000 questions takes seconds)."""
    import re
    import shutil

    from click.testing import CliRunner

    from reportgen.cli import main
    from reportgen.questionnaire import definition

    q = load_questionnaire(YAML)
    assert definition.MAX_QUESTIONS + len(response_columns(q)) - len(q.questions) == definition.EXCEL_COLUMNS == 16_384
    monkeypatch.setattr(definition, "MAX_QUESTIONS", 12)
    folder = tmp_path / "fmt"
    shutil.copytree(YAML.parent, folder)
    text = re.sub(r"(?ms)^full_score:.*?\n", "", YAML.read_text("utf-8"))
    text = text[: text.index("questions:")] + "questions:\n" + "".join(f"  - {{id: Q{n}, text: 题{n}}}\n"
                                                                         for n in range(1, 14))
    (folder / "questionnaire.yaml").write_text(text, "utf-8")
    for args in (("format", "check", folder), ("init", tmp_path / "new.xlsx", "--format", folder)):
        result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == 2, result.output
        assert "questionnaire.yaml:" in result.output and " Q304 questions: 题目过多（13 道）" in result.output
        assert "Excel 一行最多 16,384 列，最多 12 道题" in result.output
    assert not (tmp_path / "new.xlsx").exists()
