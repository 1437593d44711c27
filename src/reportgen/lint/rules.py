"""The reviewer's lint: the weak spots a 财政局 reviewer sends a self-evaluation back for, which the
consistency checks do not catch because nothing is arithmetically wrong (an unmeasurable 指标值, a
weight piled on one indicator, 存在问题 written "无" while points were lost, a high score on a low
执行率, a paragraph copied across projects, text over a province's word limit).

Contract: :func:`lint` takes the report, where each cell was (``refs``), the unit's score and the
projects' (as the pipeline computed them) and the format's :class:`LintSettings`, and returns
warnings with codes L101–L112 (``settings.CODES``, docs/findings.md), each at the cell or cells it is
about, in code order. A code the format switches off says nothing. Labels come from the model's
declarations; thresholds from the settings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from reportgen.checks.rules import Refs, at
from reportgen.errors import Finding, Location
from reportgen.lint.settings import LintSettings
from reportgen.model.inputs import label_of
from reportgen.model.report import (
    NARRATIVE_KEYS,
    NARRATIVE_PART_OF,
    Budget,
    Goal,
    IndicatorRow,
    Project,
    Report,
    Section,
    percent,
)
from reportgen.render.filters import num, pct, wan
from reportgen.render.filters import score as fmt_score
from reportgen.scoring.engine import ScoreResult

NOTHING = {"无", "没有", "暂无", "无问题", "不存在", "/", "-", "—", "——", "－"}
_PUNCTUATION = r"\s。．.；;，,！!"  # what a bare word may be written with


def _bare(text: str, also: str = "") -> str:
    return re.sub(f"[{_PUNCTUATION}{also}]", "", text)


def says_nothing(text: str | None) -> bool:
    """Empty, or only 无 / 没有 / — (punctuation aside)."""
    bare = _bare(text or "", also="、")
    return not bare or bare in NOTHING


def chars(text: str | None) -> int:
    """字 as the provinces count them: every character but spaces and line breaks."""
    return len(re.sub(r"\s", "", text or ""))


@dataclass(frozen=True)
class Evaluated:
    """What the lint reads of one evaluated workbook."""

    report: Report
    refs: Refs
    score: ScoreResult | None
    project_scores: list[ScoreResult | None]
    settings: LintSettings

    def at(self, path: str, sheet: str) -> Location:
        return at(self.refs, path, sheet)

    def rows(self) -> Iterator[tuple[str, IndicatorRow]]:
        """Every 绩效指标 row, the unit's then each project's, with the words that say whose it is."""
        for row in self.report.indicators:
            yield "", row
        for project in self.report.projects.rows:
            for item in project.indicators:
                yield f"项目“{project.name}”：", item

    def scores(self) -> Iterator[tuple[str, ScoreResult, list[IndicatorRow]]]:
        """The unit's score and each project's, with the rows they scored."""
        if self.score is not None:
            yield "", self.score, list(self.report.indicators)
        for project, result in zip(self.report.projects.rows, self.project_scores, strict=False):
            if result is not None:
                yield f"项目“{project.name}”：", result, list(project.indicators)


def _warn(message: str, where: Location | str, field: str, code: str) -> Finding:
    return Finding(message, where, field, "warning", code)


# -- the 绩效指标 rows -------------------------------------------------------------------------------


def no_measure_unit(unit: Evaluated) -> Iterator[Finding]:
    """L101: a 定量 indicator without its 度量单位 cannot be read (95 what?)."""
    for subject, row in unit.rows():
        if row.quantitative and not (row.unit or "").strip():
            yield _warn(f"{subject}“{row.level3}”是定量指标（{row.target_text}），没有度量单位：请填写单位（如 %、人、件、万元）",
                        row.cell("unit"), label_of(IndicatorRow, "unit"), "L101")


def vague_values(unit: Evaluated) -> Iterator[Finding]:
    """L102: a 指标值 or 实际完成值 that is only 完成 / 较好 / 基本达到 measures nothing. (A 定量 row whose
    value is a word is already an error, W520: this is about 定性 rows.)"""
    words = set(unit.settings.vague_words)
    for subject, row in unit.rows():
        if row.quantitative:
            continue
        vague = [(field, str(getattr(row, field))) for field in ("target", "actual")
                 if _bare(str(getattr(row, field))) in words]
        if vague:
            said = "，".join(f"{label_of(IndicatorRow, field)}只写了“{text}”" for field, text in vague)
            yield _warn(f"{subject}“{row.level3}”{said}，无法衡量：请写明可检验的内容（数量、标准、时间或状态，"
                        "如“6项重点工作按期完成”）", Location.join(row.cell(field) for field, _ in vague),
                        label_of(IndicatorRow, vague[0][0]), "L102")


def _goal_parts(unit: Evaluated) -> Iterator[tuple[str, Decimal, list[IndicatorRow]]]:
    """The unit's scored parts (一级指标 of the score) and their 绩效指标 rows."""
    if unit.score is None:
        return
    by_ref = {row.ref: row for row in unit.report.indicators}
    for level in unit.score.levels:
        rows = [by_ref[r.ref] for g in level.groups for r in g.rows if r.kind == "goal_row" and r.ref in by_ref]
        if rows:
            yield level.name, level.weight, rows


def weight_piled_up(unit: Evaluated) -> Iterator[Finding]:
    """L103: one indicator carrying more than ``max_share`` % of its part's points."""
    limit = unit.settings.max_share
    for part, weight, rows in _goal_parts(unit):
        if len(rows) < 2 or not weight:
            continue
        for row in rows:
            share = percent(row.weight or 0, weight)
            if share > limit:
                yield _warn(f"“{row.level3}”{fmt_score(row.weight or 0)}分，占“{part}”{fmt_score(weight)}分的{pct(share)}，"
                            f"超过{num(limit)}%：分值过于集中在一个指标上，请细化指标或调整分值",
                            row.cell("weight"), label_of(IndicatorRow, "weight"), "L103")


def single_indicator(unit: Evaluated) -> Iterator[Finding]:
    """L104: a part with one indicator only (the format may exempt parts, e.g. 满意度指标)."""
    for part, weight, rows in _goal_parts(unit):
        if len(rows) == 1 and part not in unit.settings.single_exempt:
            row = rows[0]
            yield _warn(f"“{part}”（{fmt_score(weight)}分）只有一个三级指标“{row.level3}”：一个指标难以反映这部分绩效，"
                        "请细化为几个可衡量的指标", row.cell("level3"), label_of(IndicatorRow, "level3"), "L104")


def _lost(unit: Evaluated) -> str:
    """Why points count as lost ("综合得分99.92分"), or "" when none were."""
    if unit.score is not None and unit.score.raw_total < unit.score.total_weight:
        return f"综合得分{fmt_score(unit.score.total)}分"
    lost = [name for name, result, _ in unit.scores() if name and result.raw_total < result.total_weight]
    if lost:
        return f"{'、'.join(n.rstrip('：') for n in lost[:3])}{'等' if len(lost) > 3 else ''}有扣分"
    if unit.score is None and any(not row.met for _, row in unit.rows()):
        return "有指标未达到指标值"
    return ""


def _part_text(sections: list[Section]) -> str:
    return "\n".join(p for s in sections for p in s.paragraphs)


def _part_at(sections: list[Section]) -> Location:
    return Location.join([s.ref for s in sections if s.ref]) or Location.sheet("文字说明")


def problems_unsaid(unit: Evaluated) -> Iterator[Finding]:
    """L105: points lost, yet 存在的问题 or 改进措施 is empty or "无"."""
    why = _lost(unit)
    if not why:
        return
    narrative = unit.report.narrative
    for key in ("problems", "measures"):
        sections, part = getattr(narrative, key), NARRATIVE_PART_OF[key]
        text = _part_text(sections)
        if says_nothing(text):
            how = "没有填写" if not text.strip() else f"写作“{text.strip()}”"
            yield _warn(f"{why}，“文字说明”的“{part}”却{how}：请写明扣分反映的问题和改进措施", _part_at(sections), part,
                        "L105")


def reason_says_nothing(unit: Evaluated) -> Iterator[Finding]:
    """L106: a row short of its points whose 偏差原因 is "无" (an empty one is G804's)."""
    for subject, result, rows in unit.scores():
        by_ref = {row.ref: row for row in rows}
        for r in result.rows:
            row = by_ref.get(r.ref)
            if row is None or r.points >= r.weight or not (row.deviation_reason or "").strip():
                continue
            if says_nothing(row.deviation_reason):
                yield _warn(f"{subject}“{row.level3}”得{fmt_score(r.points)}分，低于分值{fmt_score(r.weight)}分，"
                            f"偏差原因却写作“{row.deviation_reason.strip()}”：请说明未达到的原因和改进措施",
                            row.cell("deviation_reason"), label_of(IndicatorRow, "deviation_reason"), "L106")


# -- money and the score ------------------------------------------------------------------------------


def low_execution_unexplained(unit: Evaluated) -> Iterator[Finding]:
    """L107: a 预算执行率 (the unit's or a project's) below the floor without a reason."""
    floor = unit.settings.execution_floor
    budget = unit.report.budget
    if budget.execution_rate is not None and budget.execution_rate < floor and not (budget.explanation or "").strip():
        field = label_of(Budget, "explanation")
        yield _warn(f"预算执行率{pct(budget.execution_rate)}，低于{num(floor)}%，没有说明原因：请在“预算”表“{field}”中说明",
                    unit.at("budget.explanation", "预算"), field, "L107")
    for i, p in enumerate(unit.report.projects.rows):
        if p.execution_rate is not None and p.execution_rate < floor and not (p.explanation or "").strip():
            field = label_of(Project, "explanation")
            yield _warn(f"项目“{p.name}”执行率{pct(p.execution_rate)}，低于{num(floor)}%，没有说明原因：请在“{field}”中说明",
                        unit.at(f"projects[{i}].explanation", "项目"), field, "L107")


def overspend_unexplained(unit: Evaluated) -> Iterator[Finding]:
    """L108: the unit spent more than its 全年预算数 and says nothing why (a project's is C619)."""
    budget = unit.report.budget
    if budget.final > 0 and budget.executed > budget.final and not (budget.explanation or "").strip():
        field = label_of(Budget, "explanation")
        yield _warn(f"支出合计{wan(budget.executed)}万元超过全年预算数{wan(budget.final)}万元（执行率{pct(budget.execution_rate)}），"
                    f"没有说明原因：请在“预算”表“{field}”中说明", unit.at("budget.explanation", "预算"), field, "L108")


def score_too_high(unit: Evaluated) -> Iterator[Finding]:
    """L109: 总分 ≥ 90 while 预算执行率 < 80 % ("自评结果偏高"), the unit's and each project's."""
    high, low = unit.settings.high_score, unit.settings.low_execution
    rate = unit.report.budget.execution_rate
    if unit.score is not None and unit.score.total >= high and rate is not None and rate < low:
        yield _warn(f"预算执行率{pct(rate)}，低于{num(low)}%，综合得分却为{fmt_score(unit.score.total)}分（{num(high)}分及以上）："
                    "自评结果偏高，请核对各指标的完成值和得分", unit.at("budget.initial", "预算"), label_of(Budget, "initial"),
                    "L109")
    for i, (p, result) in enumerate(zip(unit.report.projects.rows, unit.project_scores, strict=False)):
        if result is not None and result.total >= high and p.execution_rate is not None and p.execution_rate < low:
            yield _warn(f"项目“{p.name}”执行率{pct(p.execution_rate)}，低于{num(low)}%，项目自评得分却为{fmt_score(result.total)}分"
                        f"（{num(high)}分及以上）：自评结果偏高，请核对各指标的完成值和得分",
                        unit.at(f"projects[{i}].executed", "项目"), label_of(Project, "executed"), "L109")


# -- text ---------------------------------------------------------------------------------------------


def _texts(unit: Evaluated) -> Iterator[tuple[str, str, Location, str]]:
    """(owner, text, where, field) for every paragraph a project or the 文字说明 holds."""
    for i, p in enumerate(unit.report.projects.rows):
        owner = f"项目“{p.name}”"
        for field in ("explanation", "expected", "achieved"):
            for para in (getattr(p, field) or "").splitlines():
                yield owner, para, unit.at(f"projects[{i}].{field}", "项目"), label_of(Project, field)
        for item in p.indicators:
            for para in (item.deviation_reason or "").splitlines():
                yield owner, para, Location.parse(item.cell("deviation_reason")), label_of(IndicatorRow, "deviation_reason")
    narrative = unit.report.narrative
    for part, key in NARRATIVE_KEYS.items():
        for section in getattr(narrative, key):
            for para in section.paragraphs:
                yield f"文字说明{section.ref}", para, Location.parse(section.ref) or Location.sheet("文字说明"), part


def copied_text(unit: Evaluated) -> Iterator[Finding]:
    """L110: the same paragraph (``copy_min_chars`` 字 or more) in two or more projects or 文字说明 rows."""
    seen: dict[str, list[tuple[str, Location, str]]] = {}
    for owner, text, where, field in _texts(unit):
        key = re.sub(r"\s", "", text)
        if len(key) >= unit.settings.copy_min_chars:
            seen.setdefault(key, []).append((owner, where, field))
    for key, places in seen.items():
        owners = list(dict.fromkeys(owner for owner, _, _ in places))
        if len(owners) < 2:
            continue
        shown = key if len(key) <= 30 else key[:30] + "……"
        projects = [o for o in owners if o.startswith("项目")]
        among = f"（{'、'.join(projects)}{'和文字说明' if len(projects) < len(owners) else ''}）" if projects else ""
        yield _warn(f"同一段文字“{shown}”出现在{len(places)}处{among}：各处的情况不同，请分别写明",
                    Location.join(w for _, w, _ in places), places[0][2], "L110")


def _boxes(unit: Evaluated) -> Iterator[tuple[str, str, Location, str]]:
    """(limit key, text, where, field) for each box a province limits."""
    for i, g in enumerate(unit.report.goals):
        for field in ("content", "result"):
            yield "goals", getattr(g, field) or "", unit.at(f"goals[{i}].{field}", "年度目标"), label_of(Goal, field)
    for i, p in enumerate(unit.report.projects.rows):
        for field in ("expected", "achieved"):
            yield "goals", getattr(p, field) or "", unit.at(f"projects[{i}].{field}", "项目"), label_of(Project, field)
        yield "reasons", p.explanation or "", unit.at(f"projects[{i}].explanation", "项目"), label_of(Project, "explanation")
    for _, row in unit.rows():
        yield ("reasons", row.deviation_reason or "", Location.parse(row.cell("deviation_reason")),
               label_of(IndicatorRow, "deviation_reason"))
    budget = unit.report.budget
    yield "reasons", budget.explanation or "", unit.at("budget.explanation", "预算"), label_of(Budget, "explanation")
    narrative = unit.report.narrative
    for key in ("conclusion", "problems", "measures"):
        sections = getattr(narrative, key)
        yield key, _part_text(sections), _part_at(sections), NARRATIVE_PART_OF[key]


def over_word_limit(unit: Evaluated) -> Iterator[Finding]:
    """L111: a box over the format's limit (四川: 100 字 for goals and reasons, 200 for 评价结论 …)."""
    limits = unit.settings.word_limits
    for key, text, where, field in _boxes(unit):
        limit = getattr(limits, key)
        if limit is not None and (n := chars(text)) > limit:
            yield _warn(f"“{field}”{n}字，超过本格式{limit}字的限制：请精简到{limit}字以内", where, field, "L111")


def all_exactly_met(unit: Evaluated) -> Iterator[Finding]:
    """L112: every 定量 row's 实际完成值 equal to its 指标值 (the unit's; each project's) — worth a look."""
    groups: list[tuple[str, list[IndicatorRow]]] = [("", list(unit.report.indicators))]
    groups += [(f"项目“{p.name}”：", list(p.indicators)) for p in unit.report.projects.rows]
    for subject, rows in groups:
        numeric = [r for r in rows if r.quantitative and isinstance(r.target, Decimal) and isinstance(r.actual, Decimal)]
        if len(numeric) >= unit.settings.all_met_rows and all(r.actual == r.target for r in numeric):
            yield _warn(f"{subject}{len(numeric)}个定量指标的实际完成值都恰好等于指标值：请核对是否照抄了指标值（确实如此的可不改）",
                        Location.join(r.cell("actual") for r in numeric), label_of(IndicatorRow, "actual"), "L112")


RULES: tuple[tuple[str, Callable[[Evaluated], Iterable[Finding]]], ...] = (
    ("L101", no_measure_unit), ("L102", vague_values), ("L103", weight_piled_up), ("L104", single_indicator),
    ("L105", problems_unsaid), ("L106", reason_says_nothing), ("L107", low_execution_unexplained),
    ("L108", overspend_unexplained), ("L109", score_too_high), ("L110", copied_text), ("L111", over_word_limit),
    ("L112", all_exactly_met),
)


def lint(report: Report, refs: Refs, score: ScoreResult | None = None, project_scores: list[ScoreResult | None] | None = None,
         settings: LintSettings | None = None) -> list[Finding]:
    """Every lint warning about one evaluated workbook, in code order."""
    unit = Evaluated(report, refs, score, list(project_scores or []), settings or LintSettings())
    return [f for code, rule in RULES if unit.settings.on(code) for f in rule(unit)]
