"""Issue 11, numbers and file properties: amounts with two decimals, percentages with two decimals,
a minus sign the 仿宋_GB2312 font has, 两 before a measure word, and the built files' properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from reportgen.render.filters import cn_count, cn_num, num, pct, score, wan
from tests.docx_helpers import build_format, example_values, full_text


@pytest.mark.parametrize(("value", "expected"), [
    (wan(Decimal("-17.185")), "-17.19"), (wan(Decimal("-1234.5")), "-1,234.50"),
    (pct(Decimal("-14.5309")), "-14.53%"), (num(Decimal("-2.50")), "-2.5"), (score(Decimal("-0.125")), "-0.13"),
])
def test_negative_numbers_use_the_hyphen_minus(value: str, expected: str) -> None:
    # 仿宋_GB2312 has no U+2212: Word would draw a fallback glyph (or a box)
    assert value == expected and "\u2212" not in value


@pytest.mark.parametrize(("n", "expected"), [(1, "一"), (2, "两"), (3, "三"), (10, "十"), (12, "十二"),
                                             (20, "二十"), (22, "二十二")])
def test_cn_count_says_liang_for_two(n: int, expected: str) -> None:
    assert cn_count(n) == expected


def test_ordinals_keep_er() -> None:
    assert cn_num(2) == "二" and cn_num(12) == "十二"


@pytest.fixture(scope="module")
def yueyang(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], datetime, datetime]:
    values = example_values("yueyang-2020")
    values["unit"]["subordinates"] = ["青山县医疗保障事务中心", "青山县医疗保障稽核中心"]
    before = datetime.now(UTC).replace(microsecond=0)
    _, paths = build_format(tmp_path_factory.mktemp("yueyang"), "yueyang-2020", values)
    return paths, before, datetime.now(UTC)


def test_two_units_are_liang_ge(yueyang: tuple[list[Path], datetime, datetime]) -> None:
    paths, _, _ = yueyang
    text = full_text(Document(next(p for p in paths if p.name.endswith("自评报告.docx"))))
    assert "下属青山县医疗保障事务中心、青山县医疗保障稽核中心两个单位" in text
    assert "二个" not in text


def test_yueyang_current_year_balance_is_income_total_less_expenditure(
        yueyang: tuple[list[Path], datetime, datetime]) -> None:
    # the seed's 表: 收入合计 2274.44（含上年结转 498.88）− 支出合计 2241.3 = 当年结余 33.14 = 累计结余
    paths, _, _ = yueyang
    report = Document(next(p for p in paths if p.name.endswith("自评报告.docx")))
    table = next(t for t in report.tables if t.cell(0, 6).text == "当年结余")
    rows = [[c.text for c in r.cells] for r in table.rows]
    # 汇总: 收入合计 1,540.25 − 支出合计 1,527.64 (not 本年收入 − 支出 = 1,487.89 − 1,527.64 = −39.75)
    assert rows[1] == ["汇总", "1,527.64", "1,030.64", "840.78", "189.86", "497.00", "12.61", "12.61"]
    assert rows[2][0] == "1、局机关" and rows[2][6:] == ["12.61", "12.61"]  # 1,224.45 − 1,211.84


def test_file_properties_name_the_document_and_unit(yueyang: tuple[list[Path], datetime, datetime]) -> None:
    paths, before, after = yueyang
    titles = {}
    for path in paths:
        props = Document(path).core_properties
        titles[path.name] = props.title
        assert props.author == props.last_modified_by == "青山县医疗保障局"
        for when in (props.created, props.modified):
            assert when is not None
            assert before - timedelta(seconds=1) <= when.replace(tzinfo=UTC) <= after + timedelta(seconds=1)
    assert titles == {
        "青山县医疗保障局_2025_部门整体支出绩效自评报告.docx": "青山县医疗保障局2025年度部门整体支出绩效自评报告",
        "青山县医疗保障局_2025_评分表.docx": "青山县医疗保障局2025年度部门整体支出绩效评价评分表",
    }


def test_project_documents_are_titled_with_the_project(tmp_path: Path) -> None:
    values = example_values("emeishan-2020")
    values["projects"] = values["projects"][:1]
    first = values["projects"][0]["name"]
    values["project_indicators"] = [i for i in values["project_indicators"] if i["project"] == first]
    _, paths = build_format(tmp_path, "emeishan-2020", values)
    titles = {Document(p).core_properties.title for p in paths}
    assert f"青山县医疗保障局2025年度{first}项目支出绩效自评报告" in titles
    assert all("python-docx" not in Document(p).core_properties.author for p in paths)


@pytest.mark.parametrize(("name", "after", "expected"), [
    ("青山县医疗保障局", 0, "青山县医疗保障局"),
    ("青山县医疗保障局（青山县医疗保障事务中心）", 0, "青山县医疗保障局\n（青山县医疗保障事务中心）"),  # 21 > 20
    ("青山县医疗保障局（县医保中心）", 4, "青山县医疗保障局（县医保中心）"),  # 15 + 2025年度 (4) fits
    ("青山县医疗保障局（青山县医保中心）", 4, "青山县医疗保障局\n（青山县医保中心）"),  # 17 + 4 does not
    ("中共青山县委员会机构编制委员会办公室青山县分部", 0, "中共青山县委员会机构编制委员会办公室青山县分部"),  # no bracket
])
def test_title_break_before_the_bracketed_part(name: str, after: int, expected: str) -> None:
    from reportgen.render.filters import title_break

    assert title_break(name, after) == expected
