"""Findings a format author can act on: ``reportgen format check`` names the file and line, a
stable code (explained in docs/templating.md) and says what is wrong in Chinese, never in
pydantic's English.

The built-in formats are copied and their YAML edited as text, so every line is known.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Literal

import pytest
from click.testing import CliRunner
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from reportgen.cli import main
from reportgen.formats.loader import templates_root
from reportgen.validation import field_path, translated, validation_findings
from reportgen.yamlfile import LineMarks, load_yaml

ROOT = Path(__file__).resolve().parents[1]
PYDANTIC_ENGLISH = re.compile(
    r"Field required|Input should|Extra inputs|not permitted|Value error|valid (integer|decimal|string|list|tuple)"
    r"|should have|Unable to extract|does not match")


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def _format_copy(tmp_path: Path, source: str = "yueyang-2020") -> Path:
    folder = tmp_path / f"{source}-copy"
    shutil.copytree(templates_root() / source, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def _line(path: Path, needle: str, *, exact: bool = False) -> int:
    """1-based number of the only line containing ``needle`` (being ``needle``, when ``exact``)."""
    found = [n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1)
             if (text == needle if exact else needle in text)]
    assert len(found) == 1, (needle, found)
    return found[0]


def _errors(folder: Path) -> list[str]:
    code, output = run("format", "check", folder)
    assert code == 2, output
    assert not PYDANTIC_ENGLISH.search(output), output
    return [line.removeprefix("错误  ") for line in output.splitlines() if line.startswith("错误  ")]


# ---- format.yaml ----------------------------------------------------------------------------------


def test_broken_declaration_names_line_code_and_field(tmp_path: Path) -> None:
    folder = _format_copy(tmp_path)
    declaration = folder / "format.yaml"
    _edit(declaration, "name: 湖南省部门整体支出绩效自评（市级样式）\n", "")  # missing name
    _edit(declaration, "years: [2019, 2026]", "years: 二〇一九年起")  # wrong type
    _edit(declaration, 'version: "1"\n', 'version: "1"\nauthor: 某人\n')  # unknown key
    first = _line(declaration, "id: yueyang-2020")  # a missing top-level key: the declaration's first line
    assert sorted(_errors(folder)) == sorted([
        f"{declaration}:{first} F101 name: 缺少必填项",
        f"{declaration}:{_line(declaration, 'years:')} F103 years: 应为列表，实际为“二〇一九年起”",
        f"{declaration}:{_line(declaration, 'author:')} F102 author: 不认识的键（拼写错误？不需要的话请删除）",
    ])


def test_declaration_errors_inside_documents(tmp_path: Path) -> None:
    folder = _format_copy(tmp_path)
    declaration = folder / "format.yaml"
    _edit(declaration, "    needs: [scoring]\n  - id: scoring", "    needs: [scoring, 评分]\n  - id: scoring")
    _edit(declaration, "template: 评分表.docx", "template: 评分表.docx\n    for_each: 单位")
    assert sorted(_errors(folder)) == sorted([
        f"{declaration}:{_line(declaration, '评分]')} F104 documents[1].needs[2]: 取值应为 scoring、questionnaire 或 project_indicators，实际为“评分”",
        f"{declaration}:{_line(declaration, 'for_each')} F104 documents[2].for_each: 取值应为 project，实际为“单位”",
    ])


def test_declaration_missing_template_and_output_mistakes(tmp_path: Path) -> None:
    folder = _format_copy(tmp_path)
    declaration = folder / "format.yaml"
    _edit(declaration, "template: 评分表.docx", "template: 没有这个文件.docx")
    assert _errors(folder) == [
        f"{declaration}:{_line(declaration, '没有这个文件')} F110 documents[2].template: 声明中引用的文件不存在: 没有这个文件.docx"]
    _edit(declaration, "template: 没有这个文件.docx", "template: 评分表.docx")
    _edit(declaration, '_评分表.docx"', '_{{ project.name }}_评分表.docx"')
    assert _errors(folder) == [f"{declaration}:{_line(declaration, 'project.name')} F112 documents[2].output: "
                               "输出文件名用到了 project，但文档没有声明 for_each: project"]


# ---- scoring.yaml ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("            weight: 5\n            standard: 以100%为标准",
     "            weight: 五分\n            standard: 以100%为标准",
     "S203 财政供养人员控制率: weight：应为数字，实际为“五分”"),
    ("              per_point: 0.5\n              when_undefined: {points: zero, text: 编制数为0",
     "              per_point: 半分\n              when_undefined: {points: zero, text: 编制数为0",
     "S203 财政供养人员控制率: rule.per_point：应为数字，实际为“半分”"),
    ("              direction: over\n              per_point: 0.5\n              when_undefined: {points: zero, text: 编制数",
     "              direction: 超过\n              per_point: 0.5\n              when_undefined: {points: zero, text: 编制数",
     "S204 财政供养人员控制率: rule.direction：取值应为 over 或 under，实际为“超过”"),
    ("              kind: deduction\n              target: 100\n              direction: over\n              per_point: 0.5\n"
     "              when_undefined: {points: zero, text: 编制数为0",
     "              kind: deduct\n              target: 100\n              direction: over\n              per_point: 0.5\n"
     "              when_undefined: {points: zero, text: 编制数为0",
     "S205 财政供养人员控制率: rule.kind：取值“deduct”不认识（可用：bands、deduction、checklist、ratio、tiers、manual）"),
])
def test_scoring_structure_error_at_its_line(tmp_path: Path, old: str, new: str, expected: str) -> None:
    folder = _format_copy(tmp_path)
    scoring = folder / "scoring.yaml"
    _edit(scoring, old, new)
    [changed] = [line for line in new.splitlines() if line not in old.splitlines()]
    assert _errors(folder) == [f"{scoring}:{_line(scoring, changed, exact=True)} {expected}"]


def test_scoring_sums_point_at_the_weights(tmp_path: Path) -> None:
    folder = _format_copy(tmp_path)
    scoring = folder / "scoring.yaml"
    _edit(scoring, "  - name: 投入\n    weight: 15\n", "  - name: 投入\n    weight: 20\n")
    level_weight = _line(scoring, "  - name: 投入", exact=True) + 1
    assert sorted(_errors(folder)) == sorted([
        f"{scoring}:{_line(scoring, 'levels:')} S211 总分: 各一级指标分值合计为105分，应为100分",
        f"{scoring}:{level_weight} S212 投入: 二级指标分值合计为15分，与一级指标分值20分不符",
    ])


def test_key_written_twice_is_refused(tmp_path: Path) -> None:
    folder = _format_copy(tmp_path)
    scoring = folder / "scoring.yaml"
    _edit(scoring, "            weight: 5\n            standard: 以100%为标准",
          "            weight: 5\n            weight: 6\n            standard: 以100%为标准")
    again = _line(scoring, "standard: 以100%为标准") - 1
    assert _errors(folder) == [f"{scoring}:{again} Y007: 键“weight”在同一层写了两次（第 {again - 1} 行已有），后写的会覆盖先写的"]


# ---- questionnaire.yaml ---------------------------------------------------------------------------


def test_questionnaire_errors_at_their_lines(tmp_path: Path) -> None:
    folder = _format_copy(tmp_path, "yanling-2020")
    path = folder / "questionnaire.yaml"
    _edit(path, "{label: 满意, points: 4, satisfied: true}", "{label: 满意, points: 四, satisfied: true}")
    _edit(path, "  - id: Q2\n", "  - id: Q1\n")
    _edit(path, "categories: [服务对象, 社会公众]\n", "")
    assert sorted(_errors(folder)) == sorted([
        f"{path}:{_line(path, 'points: 四')} Q303 options[2].points: 应为数字，实际为“四”",
        f"{path}:{_line(path, 'questions:')} Q304 questions: 题号重复: Q1",
        f"{path}:{_line(path, 'title:')} Q301 categories: 缺少必填项",
    ])


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    folder = _format_copy(tmp_path, "yanling-2020")
    path = folder / "questionnaire.yaml"
    _edit(path, "categories: [服务对象, 社会公众]", "categories: [服务对象, 社会公众")
    [error] = _errors(folder)
    assert re.fullmatch(re.escape(str(path)) + r":\d+ Y003: YAML 格式错误: .*", error), error


# ---- the translator -------------------------------------------------------------------------------


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["a", "b"]
    count: int = Field(gt=0)
    flag: bool = False
    tags: list[str] = Field(default_factory=list, min_length=1)
    points: Literal["full", "zero"] | float = "full"

    @field_validator("tags")
    @classmethod
    def _no_blank(cls, tags: list[str]) -> list[str]:
        if "" in tags:
            raise ValueError("标签不能为空")
        return tags


class _Root(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    items: list[_Item]


def _problems(data: dict) -> dict[str, tuple[str, str]]:
    with pytest.raises(ValidationError) as info:
        _Root.model_validate(data)
    return {p.path: (p.kind, p.message) for p in translated(info.value, data)}


def test_translator_speaks_chinese_and_counts_from_one() -> None:
    data = {"name": 3, "items": [{"kind": "a", "count": 1, "tags": ["x"]},
                                 {"kind": "c", "count": "两", "flag": "也许", "tags": [""], "points": "半",
                                  "colour": "red"}, 5], "extra": 1}
    assert _problems(data) == {
        "name": ("type", "应为文本，实际为“3”"),
        "items[2].kind": ("value", "取值应为 a 或 b，实际为“c”"),
        "items[2].count": ("type", "应为整数，实际为“两”"),
        "items[2].flag": ("type", "应为 true 或 false，实际为“也许”"),
        "items[2].tags": ("value", "标签不能为空"),
        "items[2].points": ("value", "取值应为 full 或 zero；或应为数字，实际为“半”"),
        "items[2].colour": ("unknown", "不认识的键（拼写错误？不需要的话请删除）"),
        "items[3]": ("type", "应为键值结构（YAML 映射），实际为“5”"),
        "extra": ("unknown", "不认识的键（拼写错误？不需要的话请删除）"),
    }
    assert _problems({"items": [{"kind": "a", "count": 0, "tags": []}]}) == {
        "name": ("missing", "缺少必填项"),
        "items[1].count": ("value", "应大于0，实际为“0”"),
        "items[1].tags": ("value", "不能为空"),
    }


def test_validation_findings_with_lines_and_codes(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("# comment\nname: 甲\nitems:\n  - kind: a\n    count: 零\n    tags: [t]\n", "utf-8")
    doc = load_yaml(path)
    with pytest.raises(ValidationError) as info:
        _Root.model_validate(doc.data)
    [finding] = validation_findings(info.value, str(path), doc.data, codes={"type": "X1"}, marks=doc.marks)
    assert str(finding) == f"{path}:5 X1 items[1].count: 应为整数，实际为“零”"
    assert doc.marks.line(("items", 0, "missing", "deeper")) == 4  # nearest recorded ancestor
    assert LineMarks().where("a.yaml", ("x",)) == "a.yaml"
    assert field_path(("documents", 1, "output")) == "documents[2].output"


# ---- the code table -------------------------------------------------------------------------------

CODE = re.compile(r"\b[YFSQT]\d{3}\b")


@pytest.mark.parametrize(("families", "doc"), [("YFSQT", "docs/templating.md"), ("WCPGLI", "docs/findings.md")],
                         ids=["format-files", "workbook"])
def test_every_code_is_documented_and_every_documented_code_is_used(families: str, doc: str) -> None:
    used = {code for path in (ROOT / "src").rglob("*.py")
            for code in re.findall(rf"""["']([{families}]\d{{3}})["']""", path.read_text("utf-8"))}
    rows = re.findall(rf"^\| ([{families}]\d{{3}}) \| (.+?) \| (.+?) \|$", (ROOT / doc).read_text("utf-8"),
                      re.MULTILINE)
    documented = [code for code, _, _ in rows]
    assert len(documented) == len(set(documented)), "a code listed twice"
    assert used == set(documented), (sorted(used - set(documented)), sorted(set(documented) - used))
    assert all(meaning.strip() and fix.strip() for _, meaning, fix in rows)


def test_scoring_paths_must_name_model_fields(tmp_path: Path) -> None:
    """`value: staff.contrl_rate` used to pass format check; now it is named, with the real name."""
    folder = tmp_path / "fmt"
    shutil.copytree(templates_root() / "yueyang-2020", folder)
    scoring = folder / "scoring.yaml"
    text = scoring.read_text("utf-8")
    assert "value: staff.control_rate" in text and "{{ projects.key_spent|wan }}" in text
    scoring.write_text(text.replace("value: staff.control_rate", "value: staff.contrl_rate")
                       .replace("{{ projects.key_spent|wan }}", "{{ projects.key_spnt|wan }}"), "utf-8")
    result = CliRunner().invoke(main, ["format", "check", str(folder)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    value_line = _line(scoring, "value: staff.contrl_rate")
    assert (f"错误  {scoring}:{value_line} S235 财政供养人员控制率 value: "
            "评分规则用到的数据“staff.contrl_rate”不存在，是否想用 staff.control_rate？") in lines
    assert any("S235 重点支出安排率 calc: 评分规则用到的数据“projects.key_spnt”不存在，是否想用 projects.key_spent？" in x
               for x in lines), result.output


def test_template_naming_a_scoring_part_that_is_gone(tmp_path: Path) -> None:
    """Renaming 预算执行率 in scoring.yaml used to leave the 自评表's `g.name == '预算执行率'` matching
    nothing (blank 分值/得分) while format check passed."""
    folder = tmp_path / "fmt"
    shutil.copytree(templates_root() / "current-2021", folder)
    scoring = folder / "scoring.yaml"
    scoring.write_text(scoring.read_text("utf-8").replace("name: 预算执行率", "name: 资金执行率"), "utf-8")
    result = CliRunner().invoke(main, ["format", "check", str(folder)])
    assert result.exit_code == 2, result.output
    line = next(x for x in result.output.splitlines() if "部门整体支出绩效自评表.docx T432" in x)
    assert "模板按名称选取评分一级指标“预算执行率”，但评分体系中没有这一项（现有：" in line and "资金执行率" in line
