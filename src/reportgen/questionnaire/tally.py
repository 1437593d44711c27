"""Tally the questionnaires -> ``QuestionnaireSummary`` plus findings, from whichever of three
inputs the clerk has: the 问卷 sheet (one questionnaire per row, ``tally``), hand-tallied
per-question option counts (``tally_counts``) or only each 对象类别's totals (``tally_totals``).

Cells are read with the workbook's parsers (``workbook.cells``), so a date, a number or a choice
means the same here as on every other sheet. Answers may be typed as an option's label (spaces,
full-width or not, are ignored) or as its points (``5``, ``"5"``, ``5.0``, ``5分``, ``５``).
Anything else is an error naming the cell. A questionnaire with
unanswered questions is *invalid*: issued but not valid, reported as a warning, never guessed.
Only valid questionnaires count towards the score, the rates and the per-question counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from reportgen.cells import (
    NOT_A_NUMBER,
    as_text,
    date_far_from,
    fold,
    is_empty,
    label_key,
    parse_choice,
    parse_date,
    parse_percent,
    parse_quantity,
    plain_number,
)
from reportgen.errors import Finding, Location
from reportgen.questionnaire.definition import (
    CATEGORY,
    DATE,
    GENDER,
    GENDERS,
    NUMBER,
    PLACE,
    SUGGESTION,
    SURVEYOR,
    Option,
    Questionnaire,
)

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ResponseRow:
    """One filled row of the 问卷 sheet as read from Excel."""

    sheet: str
    row: int  # Excel row number
    cells: dict[str, tuple[Any, str]]  # column header -> (raw cell value, cell ref like "E7")


# --- the result templates and the scoring engine read --------------------------------------------


Source = Literal["rows", "counts", "totals"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class OptionCount(_Result):
    label: str = Field(description="选项")
    points: Decimal = Field(description="分值")
    count: int = Field(description="选择人数（有效问卷）")
    share: Decimal | None = Field(description="占比（%，无有效问卷时为空）")


class QuestionResult(_Result):
    id: str = Field(description="题号（如 Q1）")
    text: str = Field(description="题目全文")
    label: str = Field(description="题序加简称，用于表格和图表（如 1.总体评价）")
    title: str = Field(description="第几题加简称，用于行文（如 第1题（总体评价））")
    counts: list[OptionCount] = Field(description="各选项人数及占比（按选项顺序）")
    average: Decimal | None = Field(description="平均得分")
    satisfaction_rate: Decimal | None = Field(description="本题满意率（%）")


class CategoryResult(_Result):
    name: str = Field(description="对象类别（如 服务对象）")
    issued: int = Field(description="发放（回收）份数")
    valid: int = Field(description="有效份数")
    score: Decimal = Field(description="得分合计")
    full_score: Decimal = Field(description="满分合计")
    score_rate: Decimal | None = Field(description="得分率（%）")
    satisfaction_rate: Decimal | None = Field(description="满意率（%）")


class Suggestion(_Result):
    number: str = Field(description="问卷编号")
    category: str = Field(description="对象类别")
    text: str = Field(description="意见或建议")


class QuestionnaireSummary(_Result):
    issued: int = Field(description="发放（回收）问卷份数：填了内容的行")
    valid: int = Field(description="有效问卷份数：全部题目已作答")
    invalid: int = Field(description="无效问卷份数")
    date_from: dt.date | None = Field(description="调查开始日期")
    date_to: dt.date | None = Field(description="调查结束日期")
    places: list[str] = Field(description="调查地点（按出现顺序，不重复）")
    score: Decimal = Field(description="有效问卷得分合计")
    full_score: Decimal = Field(description="有效问卷满分合计 = 有效份数 × 每份满分")
    full_score_each: Decimal = Field(description="每份问卷满分")
    score_rate: Decimal | None = Field(description="得分率（%）= 得分 ÷ 满分")
    satisfaction_rate: Decimal | None = Field(description="满意率（%）= 选满意类选项的答案数 ÷ 全部答案数")
    questions: list[QuestionResult] = Field(description="各题统计")
    by_category: list[CategoryResult] = Field(description="按对象类别统计（按问卷定义的类别顺序）")
    suggestions: list[Suggestion] = Field(description="意见或建议（不含“无”）")
    options: list[str] = Field(description="选项文字（按顺序，用于表头）")
    source: Source = Field("rows", description=(
        "问卷数据来自哪里：rows 逐份录入（“问卷”表）；counts 各类别各题各选项人数（“问卷计数”表，手工汇总）；"
        "totals 各类别的份数和得分合计（“问卷总分”表，手工汇总，没有各题统计，questions 为空）"))


# --- cell parsing ----------------------------------------------------------------------------------


_NO_SUGGESTION = {"无", "没有", "暂无", "无意见", "没有意见", "无建议", "没有建议", "无意见或建议", "无意见建议",
                  "没有意见或建议", "无意见和建议", "/", "-", "--", "—", "——", "none", "n/a", "na", "nil"}


def _is_suggestion(text: str) -> bool:
    return fold(text).strip("。.，,！!；;").lower() not in _NO_SUGGESTION


class _Scale:
    """Answer cell -> option."""

    def __init__(self, q: Questionnaire):
        self.options = q.options
        self.by_label = {fold(o.label): i for i, o in enumerate(q.options)}
        self.by_points = {o.points: i for i, o in enumerate(q.options)}
        self.expected = f"应为 {'/'.join(q.option_labels)} 或 {'/'.join(plain_number(o.points) for o in q.options)}"

    def parse(self, value: Any) -> tuple[int | None, str]:
        """(option index, error message); both empty for an unanswered question. Points are a
        number as on every sheet (``parse_quantity`` with the unit 分): a number it refuses for
        its form (``1,5``, too large) gets that message; a non-number is neither label nor points."""
        if isinstance(value, str) and fold(value) in self.by_label:
            return self.by_label[fold(value)], ""
        points, problem = parse_quantity(value, "分")
        if points is None:
            if problem and not problem.startswith(NOT_A_NUMBER):
                return None, problem
            return None, f'{self.expected}, 实际为 "{as_text(value)}"'
        if points not in self.by_points:
            return None, f"{plain_number(points)} 分没有对应的选项, {self.expected}"
        return self.by_points[points], ""


# --- the tally --------------------------------------------------------------------------------------


@dataclass
class _Counter:
    issued: int = 0
    valid: int = 0
    score: Decimal = ZERO
    satisfied: Decimal | int = 0  # answers that chose a satisfied option


def _rate(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    return Decimal(part) * HUNDRED / Decimal(whole) if whole else None


class _Tally:
    def __init__(self, q: Questionnaire):
        self.q = q
        self.scale = _Scale(q)
        self.findings: list[Finding] = []
        self.total = _Counter()
        self.categories = {name: _Counter() for name in q.categories}
        self.counts = [[0] * len(q.options) for _ in q.questions]
        self.dates: list[dt.date] = []
        self.places: list[str] = []
        self.numbers: dict[str, Location] = {}  # 问卷编号 -> where first seen
        self.suggestions: list[Suggestion] = []
        self.source: Source = "rows"
        self.rates_known = True  # False for totals given without a 满意率
        self.year: int | None = None  # the evaluation's 年度, when known: 调查时间 is checked against it

    def error(self, where: Location | str, field: str, message: str, code: str) -> None:
        self.findings.append(Finding(message, where, field, code=code))

    def row(self, r: ResponseRow) -> None:
        cells = {label_key(h): cell for h, cell in r.cells.items()}
        row_where = Location.row(r.sheet, r.row)

        def cell(header: str) -> tuple[Any, Location]:
            value, ref = cells.get(label_key(header), (None, ""))
            return value, Location.cell(r.sheet, ref) if ref else row_where

        if all(is_empty(value) for value, _ in r.cells.values()):
            return
        errors_before = len(self.findings)
        self.total.issued += 1

        number = self._required_text(cell(NUMBER), NUMBER)
        if number:
            first = self.numbers.setdefault(number, cell(NUMBER)[1])
            if first != cell(NUMBER)[1]:
                self.error(cell(NUMBER)[1], NUMBER, f"问卷编号 {number} 重复（与 {first} 相同），每份问卷编号应唯一", "G821")
        date_value, date_where = cell(DATE)
        if is_empty(date_value):
            self.error(date_where, DATE, "未填写调查时间", "W501")
        elif (date := parse_date(date_value))[1]:
            self.error(date_where, DATE, date[1], "W502")
        elif self.year is not None and (far := date_far_from(date[0], self.year)):
            self.error(date_where, DATE, far, "W502")
        else:
            self.dates.append(date[0])
        place = self._required_text(cell(PLACE), PLACE)
        if place and place not in self.places:
            self.places.append(place)
        self._required_text(cell(SURVEYOR), SURVEYOR)
        gender, gender_where = cell(GENDER)
        if not is_empty(gender) and (problem := parse_choice(gender, GENDERS)[1]):
            self.error(gender_where, GENDER, f"{problem}（也可不填）", "W502")
        category = self._category(cell(CATEGORY))

        chosen: list[int] = []
        missing: list[str] = []
        for question in self.q.questions:
            value, where = cell(question.label)
            if is_empty(value):
                value, where = cell(question.id)  # a header shortened to the bare id still counts
            if is_empty(value):
                missing.append(question.id)
                continue
            index, message = self.scale.parse(value)
            if index is None:
                self.error(where, question.id, message, "W502")
            else:
                chosen.append(index)

        suggestion, _ = cell(SUGGESTION)
        label = (number if number.lower().startswith("no") else f"No.{number}") if number else row_where
        if not is_empty(suggestion) and _is_suggestion(str(suggestion)):
            self.suggestions.append(Suggestion(number=number, category=category or "", text=str(suggestion).strip()))

        if category is not None:
            self.categories[category].issued += 1
        if missing:
            which = (f"全部 {len(missing)} 题均未作答" if len(missing) == len(self.q.questions)
                     else f"{'、'.join(missing)} 未作答")
            self.findings.append(Finding(
                f"问卷 {label} {which}：按无效问卷计（计入发放份数，不计入有效份数和得分），请核对纸质问卷",
                row_where, severity="warning", code="G822"))
            return
        if len(self.findings) > errors_before:
            return  # a row with errors cannot be scored; the errors block the build anyway
        self._count(chosen, category)

    def _required_text(self, cell: tuple[Any, Location], header: str) -> str:
        value, where = cell
        if is_empty(value):
            self.error(where, header, f"未填写{header}", "W501")
            return ""
        return as_text(value)

    def _category(self, cell: tuple[Any, Location]) -> str | None:
        value, where = cell
        if is_empty(value):
            self.error(where, CATEGORY, f"未填写对象类别（{'/'.join(self.q.categories)}）", "W501")
            return None
        category, problem = parse_choice(value, self.q.categories)
        if problem:
            self.error(where, CATEGORY, problem, "W502")
        return category

    def _count(self, chosen: list[int], category: str | None) -> None:
        options: list[Option] = self.q.options
        score = sum((options[i].points for i in chosen), ZERO)
        satisfied = sum(1 for i in chosen if options[i].satisfied)
        counters = [self.total] + ([self.categories[category]] if category is not None else [])
        for counter in counters:
            counter.valid += 1
            counter.score += score
            counter.satisfied += satisfied
        for question_index, option_index in enumerate(chosen):
            self.counts[question_index][option_index] += 1

    def result(self) -> QuestionnaireSummary:
        q, total = self.q, self.total
        each, answers_each = q.per_questionnaire_full, len(q.questions)

        def satisfaction(counter: _Counter) -> Decimal | None:
            return _rate(counter.satisfied, counter.valid * answers_each) if self.rates_known else None

        questions = []
        per_question = () if self.source == "totals" else zip(q.questions, self.counts, strict=True)  # totals: none
        for number, (question, counts) in enumerate(per_question, start=1):
            points = sum((o.points * n for o, n in zip(q.options, counts, strict=True)), ZERO)
            satisfied = sum(n for o, n in zip(q.options, counts, strict=True) if o.satisfied)
            questions.append(QuestionResult(
                id=question.id, text=question.text, label=f"{number}.{question.short_name}",
                title=f"第{number}题（{question.short_name}）",
                counts=[OptionCount(label=o.label, points=o.points, count=n, share=_rate(n, total.valid))
                        for o, n in zip(q.options, counts, strict=True)],
                average=points / total.valid if total.valid else None,
                satisfaction_rate=_rate(satisfied, total.valid)))
        by_category = [
            CategoryResult(name=name, issued=c.issued, valid=c.valid, score=c.score, full_score=c.valid * each,
                           score_rate=_rate(c.score, c.valid * each),
                           satisfaction_rate=satisfaction(c))
            for name, c in self.categories.items()
        ]
        return QuestionnaireSummary(
            source=self.source, issued=total.issued, valid=total.valid, invalid=total.issued - total.valid,
            date_from=min(self.dates, default=None), date_to=max(self.dates, default=None),
            places=self.places, score=total.score, full_score=total.valid * each, full_score_each=each,
            score_rate=_rate(total.score, total.valid * each),
            satisfaction_rate=satisfaction(total),
            questions=questions, by_category=by_category, suggestions=self.suggestions,
            options=q.option_labels)


def tally(q: Questionnaire, rows: list[ResponseRow], year: int | None = None) -> tuple[QuestionnaireSummary, list[Finding]]:
    """Count the questionnaires. Completely empty rows are skipped; every other row is issued. With
    the evaluation's ``year``, a 调查时间 far from it is an error."""
    counter = _Tally(q)
    counter.year = year
    for row in rows:
        counter.row(row)
    return counter.result(), counter.findings


def tally_counts(q: Questionnaire, rows: list[tuple[Location, dict[str, Any]]]) -> tuple[QuestionnaireSummary, list[Finding]]:
    """The same summary from hand-tallied counts: one row per 对象类别 and question, with the number
    of valid questionnaires that chose each option (``rows``: (where, {"category", "question",
    "option_<n>"})). Every question of a category must be answered by the same number of people
    (each valid questionnaire answers them all); a category or question given twice, or a category
    missing a question, is an error naming the rows."""
    counter = _Tally(q)
    counter.source = "counts"
    labels = {question.label: i for i, question in enumerate(q.questions)}
    seen: dict[tuple[str, int], Location] = {}
    per_category: dict[str, dict[int, tuple[Location, list[int]]]] = {}
    for where, row in rows:
        category, question = row.get("category"), labels.get(str(row.get("question")))
        if category is None or question is None:
            continue  # the reader has named the cell
        counts = [int(row.get(f"option_{n}") or 0) for n in range(len(q.options))]
        if (category, question) in seen:
            counter.findings.append(Finding(f"“{category}”的“{q.questions[question].label}”填了两行（另见 "
                                            f"{seen[category, question]}）", where, "题目", code="G823"))
            continue
        seen[category, question] = where
        per_category.setdefault(category, {})[question] = (where, counts)
    for category, questions in per_category.items():
        missing = [q.questions[i].label for i in range(len(q.questions)) if i not in questions]
        if missing:
            counter.findings.append(Finding(f"“{category}”缺少题目：{'、'.join(missing)}（每个对象类别每题一行）",
                                            Location.sheet("问卷计数"), "题目", code="G824"))
            continue
        sizes = {sum(counts) for _, counts in questions.values()}
        if len(sizes) > 1:
            where = Location.join(w for w, _ in questions.values())
            counter.findings.append(Finding(f"“{category}”各题的人数合计不同（{'、'.join(map(str, sorted(sizes)))}）："
                                            "每份有效问卷每题都答，各题人数合计应相同", where, "人数", code="G825"))
            continue
        valid = sizes.pop()
        options = q.options
        score = sum((options[o].points * n for _, counts in questions.values() for o, n in enumerate(counts)), ZERO)
        satisfied = sum(n for _, counts in questions.values() for o, n in enumerate(counts) if options[o].satisfied)
        for c in (counter.total, counter.categories[category]):
            c.issued += valid
            c.valid += valid
            c.score += score
            c.satisfied += satisfied
        for i, (_, counts) in questions.items():
            for o, n in enumerate(counts):
                counter.counts[i][o] += n
    return counter.result(), counter.findings


def tally_totals(q: Questionnaire, rows: list[tuple[dict[str, Location], dict[str, Any]]]) -> tuple[QuestionnaireSummary, list[Finding]]:
    """The summary from each 对象类别's totals alone, as a clerk with only "965/1000" has them:
    ``rows`` are (cell refs by key, {"category", "issued", "valid", "score", "satisfaction_rate"}).
    Score, score rate and the per-category table come out as from single questionnaires; there
    are no per-question figures, and a 满意率 only when every category gives one (it is the share
    of satisfied answers, which no total can tell). A category given twice, more valid than issued
    questionnaires, a score above the full score or a rate outside 0–100 % is an error naming the cell."""
    counter = _Tally(q)
    counter.source = "totals"
    each, answers_each = q.per_questionnaire_full, len(q.questions)
    seen: dict[str, Location] = {}
    rates: list[tuple[str, Decimal | None]] = []
    for refs, row in rows:
        category, valid, score = row.get("category"), row.get("valid"), row.get("score")
        if category is None or valid is None or score is None:
            continue  # the reader has named the cell
        where = refs.get("") or Location.sheet("问卷总分")
        if category in seen:
            counter.error(refs.get("category", where), "对象类别", f"“{category}”填了两行（另见 {seen[category]}）", "G826")
            continue
        seen[category] = where
        issued = row.get("issued")
        if issued is None:
            issued = valid
        elif issued < valid:
            counter.error(refs.get("issued", where), "发放份数", f"发放份数 {issued} 少于有效份数 {valid}", "G827")
        if score > valid * each:
            counter.error(refs.get("score", where), "得分合计",
                          f"得分合计 {plain_number(score)} 超过满分 {valid} 份 × {plain_number(each)} 分 = "
                          f"{plain_number(valid * each)} 分", "G828")
        rate = _totals_rate(counter, row.get("satisfaction_rate"), refs.get("satisfaction_rate", where))
        rates.append((category, rate))
        for c in (counter.total, counter.categories[category]):
            c.issued += issued
            c.valid += valid
            c.score += score
            if rate is not None:
                c.satisfied += rate * valid * answers_each / HUNDRED  # back to answers: exact in Decimal
    given = [category for category, rate in rates if rate is not None]
    if given and len(given) < len(rates):
        missing = "、".join(category for category, rate in rates if rate is None)
        counter.error(Location.sheet("问卷总分"), "满意率", f"“{missing}”没有填满意率：满意率要么每个对象类别都填，要么都不填",
                      "G829")
    counter.rates_known = bool(rates) and len(given) == len(rates)
    return counter.result(), counter.findings


def _totals_rate(counter: _Tally, value: Any, where: Location) -> Decimal | None:
    """A 满意率 cell in percent points (``96.5`` or ``96.5%``); ``0.965`` is refused as a likely fraction."""
    if is_empty(value):
        return None
    rate, problem = parse_percent(value)
    if rate is None:
        counter.error(where, "满意率", problem or "应为百分数", "W502")
    elif not ZERO <= rate <= HUNDRED:
        counter.error(where, "满意率", f"应在 0 到 100 之间（百分数）, 实际为 {as_text(value)}", "W502")
    elif ZERO < rate <= 1:
        counter.error(where, "满意率", f"满意率按百分数填写（如 96.5 或 96.5%）, 实际为 {as_text(value)}：是否应为 "
                                       f"{plain_number(rate * HUNDRED)}%？", "G830")
    else:
        return rate
    return None
