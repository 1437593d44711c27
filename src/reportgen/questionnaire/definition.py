"""A questionnaire, declared in a format folder's ``questionnaire.yaml`` and validated on load.

The YAML (keys in English, texts in Chinese)::

    title: 公众或服务对象满意度调查问卷
    authorising_unit: "{{ unit.name }}"      # 授权单位; may be Jinja, filled by fill_texts()
    intro: 您好！我们是{{ authorising_unit }}安排的调查员……
    categories: [服务对象, 社会公众]          # 对象类别
    options:                                 # one scale for every question, best first
      - {label: 非常满意, points: 5, satisfied: true}
      - {label: 满意, points: 4, satisfied: true}
      - {label: 一般, points: 3}
      - {label: 不满意, points: 0}
    questions:
      - {id: Q1, short: 总体评价, text: 您对该部门工作现状的总体评价是：}
    full_score: 50                           # optional; checked against questions × max points
    suggestion_prompt: 如果您对部门工作……请您在此处进行说明：

The 备注 line (``note``) and the per-questionnaire full score are derived from the scale and the
questions, never stored twice. ``response_columns`` is what the workbook's 问卷 sheet is built from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from reportgen.cells import plain_number
from reportgen.errors import Finding, ReportgenError
from reportgen.validation import duplicates, validation_findings
from reportgen.yamlfile import LineMarks, load_yaml

EXCEL_COLUMNS = 16_384  # columns in one worksheet row (XFD)
_OTHER_COLUMNS = 8  # the 问卷 sheet's columns besides one per question (see response_columns)
MAX_QUESTIONS = EXCEL_COLUMNS - _OTHER_COLUMNS
DEFAULT_SUGGESTION_PROMPT = "如果您对部门工作还存在有见解性的意见或建议，请您在此处进行说明："


def _nonblank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("不能为空")
    return value



class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    label: str = Field(description="选项文字（如 非常满意）")
    points: Decimal = Field(description="选项分值")
    satisfied: bool = Field(False, description="是否计入满意率（非常满意、满意为 true）")

    _label = field_validator("label")(_nonblank)

    @field_validator("points")
    @classmethod
    def _points(cls, value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError("分值应为数字")
        if value < 0:
            raise ValueError("分值不能为负数")
        # 5.0 from YAML prints as 5: integral points stay integral
        return value.to_integral_value() if value == value.to_integral_value() else value.normalize()


class Question(_Strict):
    id: str = Field(description="题号（如 Q1，唯一）")
    text: str = Field(description="题目全文")
    short: str = Field("", description="简称，用于表头和图表（如 总体评价）；不填则取题目前若干字")

    _text = field_validator("id", "text")(_nonblank)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if re.search(r"\s", value):
            raise ValueError("题号不能包含空格")
        return value

    @field_validator("short")
    @classmethod
    def _short(cls, value: str) -> str:
        return value.strip()

    @property
    def label(self) -> str:
        """``Q1 总体评价``: the workbook's column header (its id keeps old workbooks readable)."""
        return f"{self.id} {self.short_name}"

    @property
    def short_name(self) -> str:
        """``总体评价``: the short name, or the question's first ten characters."""
        if self.short:
            return self.short
        text = self.text.rstrip("：:？?。 ")
        return text if len(text) <= 10 else text[:10] + "…"


class Questionnaire(_Strict):
    title: str = Field("公众或服务对象满意度调查问卷", description="问卷标题")
    authorising_unit: str = Field("", description="授权单位（可写 Jinja 占位符，生成时填入）")
    intro: str = Field("", description="开头说明（可引用 {{ authorising_unit }}）")
    questions: list[Question] = Field(description="题目（列表）")
    options: list[Option] = Field(description="选项及分值（所有题目共用，按从好到差排列）")
    categories: list[str] = Field(description="调查对象类别（如 服务对象、社会公众）")
    full_score: Decimal | None = Field(None, description="每份问卷满分；不填则为 题目数 × 最高分值")
    suggestion_prompt: str = Field(DEFAULT_SUGGESTION_PROMPT, description="意见或建议栏的提示语")

    _source: str = PrivateAttr("")

    _title = field_validator("title")(_nonblank)

    @field_validator("questions")
    @classmethod
    def _questions(cls, questions: list[Question]) -> list[Question]:
        if not questions:
            raise ValueError("至少需要一道题目")
        if len(questions) > MAX_QUESTIONS:
            raise ValueError(f"题目过多（{len(questions):,} 道）：填报表的“问卷”表每题一列，加上其他 {_OTHER_COLUMNS} 列，"
                             f"Excel 一行最多 {EXCEL_COLUMNS:,} 列，最多 {MAX_QUESTIONS:,} 道题")
        repeated = duplicates([q.id.upper() for q in questions])
        if repeated:
            raise ValueError(f"题号重复: {'、'.join(repeated)}")
        return questions

    @field_validator("options")
    @classmethod
    def _options(cls, options: list[Option]) -> list[Option]:
        if len(options) < 2:
            raise ValueError("至少需要两个选项")
        labels = duplicates([re.sub(r"\s", "", o.label) for o in options])
        if labels:
            raise ValueError(f"选项重复: {'、'.join(labels)}")
        # an answer may be typed as its points, so points must identify one option
        points = duplicates([plain_number(o.points) for o in options])
        if points:
            raise ValueError(f"选项分值重复: {'、'.join(points)}（填写分值时无法判断是哪个选项）")
        if not any(o.satisfied for o in options):
            raise ValueError("至少要有一个选项标记 satisfied: true（计入满意率）")
        return options

    @field_validator("categories")
    @classmethod
    def _categories(cls, categories: list[str]) -> list[str]:
        categories = [_nonblank(c) for c in categories]
        if not categories:
            raise ValueError("至少需要一个调查对象类别")
        repeated = duplicates(categories)
        if repeated:
            raise ValueError(f"调查对象类别重复: {'、'.join(repeated)}")
        return categories

    @field_validator("full_score")
    @classmethod
    def _full_score(cls, declared: Decimal | None, info: ValidationInfo) -> Decimal | None:
        questions, options = info.data.get("questions"), info.data.get("options")
        if declared is None or not questions or not options:
            return declared  # nothing to check against: the other fields' errors are reported
        top = max(o.points for o in options)
        if declared != len(questions) * top:
            raise ValueError(f"声明为 {plain_number(declared)}，但 {len(questions)} 题 × 最高 "
                             f"{plain_number(top)} 分 = {plain_number(len(questions) * top)}")
        return declared

    @property
    def max_points(self) -> Decimal:
        return max(o.points for o in self.options)

    @property
    def derived_full_score(self) -> Decimal:
        return len(self.questions) * self.max_points

    @property
    def per_questionnaire_full(self) -> Decimal:
        """每份问卷满分 (declared and checked, or derived)."""
        return self.derived_full_score

    @property
    def option_labels(self) -> list[str]:
        return [o.label for o in self.options]

    @property
    def note(self) -> str:
        """``备注：本问卷计分50分，10个问题，每个问题5分：非常满意计5分，…``"""
        scale = "，".join(f"{o.label}计{plain_number(o.points)}分" for o in self.options)
        return (f"备注：本问卷计分{plain_number(self.per_questionnaire_full)}分，{len(self.questions)}个问题，"
                f"每个问题{plain_number(self.max_points)}分：{scale}。")

    @property
    def source(self) -> str:
        """The file it was loaded from (for messages)."""
        return self._source

    def fill_texts(self, context: dict[str, Any]) -> Questionnaire:
        """A copy with the Jinja placeholders of 授权单位 and the intro filled from ``context``;
        the intro may also use ``authorising_unit``."""
        from reportgen.render.env import render_text
        from reportgen.render.limits import describe_fault

        try:
            unit = render_text(self.authorising_unit, context)
            intro = render_text(self.intro, {**context, "authorising_unit": unit})
        except Exception as exc:  # untrusted text: whatever it provokes is the format's finding
            raise ReportgenError(Finding(f"问卷文字中的占位符无法填写: {describe_fault(exc)}", self._source,
                                         "authorising_unit/intro")) from exc
        filled = self.model_copy(update={"authorising_unit": unit, "intro": intro})
        filled._source = self._source
        return filled


# --- the workbook's 问卷 sheet ---------------------------------------------------------------

ColumnKind = Literal["text", "longtext", "date", "choice"]

NUMBER, DATE, PLACE, SURVEYOR, RESPONDENT, GENDER, CATEGORY, SUGGESTION = (
    "问卷编号", "调查时间", "调查地点", "调查人员", "调查对象", "性别", "对象类别", "意见或建议")
GENDERS = ("男", "女")


@dataclass(frozen=True)
class ResponseColumn:
    """One column of the 问卷 sheet (one questionnaire per row)."""

    key: str  # stable English key, or the question id
    header: str
    kind: ColumnKind = "text"
    choices: tuple[str, ...] = ()
    required: bool = True
    help: str = ""
    width: int = 12


def response_columns(q: Questionnaire) -> list[ResponseColumn]:
    """The 问卷 sheet's columns, in order: who/when/where, then one per question, then 意见或建议."""
    labels, points = "/".join(q.option_labels), "/".join(plain_number(o.points) for o in q.options)
    columns = [
        ResponseColumn("number", NUMBER, help="纸质问卷上的编号，每份唯一（如 1、2、3）", width=10),
        ResponseColumn("date", DATE, "date", help="如 2021-09-19", width=12),
        ResponseColumn("place", PLACE, help="如 办事大厅、社区广场", width=14),
        ResponseColumn("surveyor", SURVEYOR, help="调查员姓名", width=10),
        ResponseColumn("respondent", RESPONDENT, required=False, help="被调查人姓名，可不填（问卷匿名）", width=10),
        ResponseColumn("gender", GENDER, "choice", GENDERS, required=False, help="可不填", width=8),
        ResponseColumn("category", CATEGORY, "choice", tuple(q.categories),
                       help=f"从下拉列表选择：{'/'.join(q.categories)}", width=12),
    ]
    columns += [
        ResponseColumn(question.id, question.label, "choice", tuple(q.option_labels),
                       help=f"{question.id}. {question.text}\n选择 {labels}（也可填分值 {points}）",
                       width=max(12, len(question.label) * 2 + 2))
        for question in q.questions
    ]
    columns.append(ResponseColumn("suggestion", SUGGESTION, "longtext", required=False,
                                  help="问卷上填写的意见或建议，没有可不填", width=40))
    return columns


# --- loading -----------------------------------------------------------------------------------

# codes of questionnaire problems by kind (see validation.Kind and docs/templating.md)
QUESTIONNAIRE_CODES = {"missing": "Q301", "unknown": "Q302", "type": "Q303", "value": "Q304"}


def parse_questionnaire(raw: Any, where: str, marks: LineMarks | None = None) -> Questionnaire:
    """Validate an already-parsed YAML document; ``where`` names it in messages, ``marks`` (from
    ``yamlfile.load_yaml``) adds the line of each problem."""
    if not isinstance(raw, dict):
        raise ReportgenError(Finding("问卷定义应为键值结构（YAML 映射）", where, code="Y006"))
    try:
        questionnaire = Questionnaire.model_validate(raw)
    except ValidationError as exc:
        raise ReportgenError(validation_findings(exc, where, raw, codes=QUESTIONNAIRE_CODES, marks=marks)) from exc
    questionnaire._source = where
    return questionnaire


def load_questionnaire(path: Path) -> Questionnaire:
    doc = load_yaml(path)
    return parse_questionnaire(doc.data, str(path), doc.marks)
