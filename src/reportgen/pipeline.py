"""The main job, step by step: format -> workbook schema; workbook -> model -> checks, scores,
questionnaires -> template context -> documents. The CLI only calls these functions and prints.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.errors import Finding, Location, ReportgenError, errors_only
from reportgen.formats.loader import AUTO_LABEL, MEASURES, DocumentSpec, Format, resolve_format
from reportgen.model.report import Report
from reportgen.render.limits import budgeted
from reportgen.scoring.engine import score
from reportgen.workbook.schema import WorkbookSchema

if TYPE_CHECKING:
    from reportgen.outputs import Staged
    from reportgen.questionnaire.tally import QuestionnaireSummary
    from reportgen.scoring.engine import ScoreResult

from reportgen.formats.sheets import QUESTIONNAIRE_SHEET_KEY, SCORING_SHEET_KEY, allow_unused, workbook_schema


@dataclass
class Evaluation:
    """Everything known about one workbook under one format, typed: a holder of models already
    validated (a plain dataclass, so nothing is validated twice).

    Scoring reads these typed values (:meth:`variables`); templates get them as plain data,
    dumped once at the render boundary (:meth:`context`).
    """

    format: Format
    report: Report
    refs: dict[str, Location]
    findings: list[Finding] = field(default_factory=list)
    score: ScoreResult | None = None
    project_scores: list[ScoreResult | None] = field(default_factory=list)
    """各项目的评分（与 projects.rows 对应；没有绩效指标的项目为空）"""
    questionnaire_summary: QuestionnaireSummary | None = None

    def variables(self) -> dict[str, Any]:
        """What a scoring rule can name: the report's fields and figures, ``questionnaire_summary``, ``format``."""
        names = [*Report.model_fields, *Report.model_computed_fields]
        return {**{name: getattr(self.report, name) for name in names}, "questionnaire_summary": self.questionnaire_summary,
                "format": self._format_data()}

    def documents(self) -> list[tuple[DocumentSpec, int]]:
        """The format's documents this workbook gets, in format.yaml order, each with its number of
        copies (a per-project document: one per project it is made for); a questionnaire document only
        with a questionnaire."""
        produced = []
        for doc in self.format.spec.documents:
            if "questionnaire" in doc.needs and not (self.questionnaire_summary and self.questionnaire_summary.issued):
                continue  # no survey, no 问卷汇总 (tally_questionnaires has said so)
            copies = len(self.projects_for(doc)) if doc.for_each == "project" else 1
            if copies:
                produced.append((doc, copies))
        return produced

    def labelled_documents(self) -> list[tuple[DocumentSpec, int, str]]:
        """:meth:`documents` with each one's 附件 label: as declared, or for ``label: auto`` 附件1,
        附件2 … in the order of the documents this workbook gets (one not produced takes no number),
        so a report's 附件 list and the attachments' own marks agree."""
        labelled, number = [], 0
        for doc, copies in self.documents():
            if doc.label == AUTO_LABEL:
                number += 1
            labelled.append((doc, copies, f"附件{number}" if doc.label == AUTO_LABEL else doc.label))
        return labelled

    def projects_for(self, doc: DocumentSpec) -> list[int]:
        """The projects (indexes into projects.rows) a per-project document is made for: all, or, when it
        needs project indicators, those that have some (the others were named by ``unscored_projects``)."""
        rows = self.report.projects.rows
        return [i for i, p in enumerate(rows) if p.indicators or "project_indicators" not in doc.needs]

    def _format_data(self) -> dict[str, Any]:
        return {"id": self.format.id, "name": self.format.spec.name,
                "documents": [{"id": doc.id, "name": doc.name, "label": label, "count": copies}
                              for doc, copies, label in self.labelled_documents()],
                "satisfaction_measure": self._satisfaction_measure()}

    def _satisfaction_measure(self) -> dict[str, Any] | None:
        """The survey's measure the format means by 满意度 (format.yaml ``satisfaction_measure``): its
        key, what a clerk calls it and its value (None without a valid questionnaire)."""
        key = self.format.spec.satisfaction_measure
        if key is None:
            return None
        summary = self.questionnaire_summary
        return {"key": key, "name": MEASURES[key], "value": getattr(summary, key) if summary is not None else None}

    def context(self) -> dict[str, Any]:
        """The variables every template sees (documented by ``reportgen format vars``): plain data."""
        ctx = self.report.model_dump()
        ctx["score"] = self.score.model_dump() if self.score is not None else None
        ctx["project_scores"] = [r.model_dump() if r is not None else None for r in self.project_scores]
        ctx["questionnaire_summary"] = self.questionnaire_summary.model_dump() if self.questionnaire_summary is not None else None
        ctx["format"] = self._format_data()
        return ctx


def evaluate(workbook: Path, format_choice: str | None = None) -> Evaluation:
    """Read, validate, compute, check and score. Raises ReportgenError listing every problem."""
    from reportgen.workbook.reader import open_workbook

    return evaluate_workbook(open_workbook(workbook), workbook, format_choice)


@dataclass
class ReadWorkbook:
    """A workbook read under its format, before anything is built from it."""

    book: Any  # workbook.book.Book
    meta: dict[str, Any]  # the hidden meta sheet: format, schema_version …
    format: Format
    schema: WorkbookSchema
    data: Any  # workbook.reader.WorkbookData: values, cell places, findings


def read_workbook(wb: Any, workbook: Path, format_choice: str | None = None) -> ReadWorkbook:
    """The first stage of :func:`evaluate_workbook` (also ``importer``'s): the format the workbook
    names (or ``format_choice``), its schema, every sheet read, what the format does not use forgiven."""
    from reportgen.workbook.book import as_book
    from reportgen.workbook.reader import read_meta, read_sheets

    wb = as_book(wb)
    meta = read_meta(wb)
    fmt = resolve_format(format_choice, meta.get("format"), meta.get("format_folder", ""))
    schema = workbook_schema(fmt)
    raw = (QUESTIONNAIRE_SHEET_KEY,) if fmt.questionnaire is not None else ()
    data = read_sheets(wb, schema, workbook, raw_tables=raw)
    allow_unused(fmt, schema, data)
    return ReadWorkbook(wb, meta, fmt, schema, data)


def evaluate_workbook(wb: Any, workbook: Path, format_choice: str | None = None) -> Evaluation:
    """:func:`evaluate` for a workbook already opened from the file ``workbook``: as
    ``open_workbook`` returns it, or an openpyxl workbook (opened with ``data_only=True``)."""
    from reportgen.checks import check_report
    from reportgen.workbook.assemble import build_report

    read = read_workbook(wb, workbook, format_choice)
    fmt, schema, data = read.format, read.schema, read.data
    data.findings[:0] = _meta_findings(read.meta, fmt, schema, read.book, workbook)

    summary, summary_findings = None, []
    if fmt.questionnaire is not None and QUESTIONNAIRE_SHEET_KEY in data.raw_tables:
        from reportgen.formats.sheets import tally_questionnaires

        summary, summary_findings = tally_questionnaires(fmt.questionnaire, schema, data)
    data.findings.extend(summary_findings)

    report, findings = build_report(data, inputs=data.values.get(SCORING_SHEET_KEY) or {})
    checked = check_report(report, data.refs, data.stand_ins)
    evaluation = Evaluation(format=fmt, report=report, refs=data.refs, questionnaire_summary=summary)
    variables = evaluation.variables()
    scored: list[Finding] = []
    if fmt.scoring is not None:
        evaluation.score = score(fmt.scoring, variables)
        scored += evaluation.score.findings
    evaluation.project_scores = score_projects(fmt, variables, report)
    scored += [f for r in evaluation.project_scores if r is not None for f in r.findings]
    scored += unscored_projects(fmt, report, data.refs)
    # a cell the scoring already warned about (an unmet indicator without 偏差原因: "得3.92分，低于分值4分")
    # is not warned about again by the checks ("未达到指标值")
    warned = {(f.where, f.field) for f in scored if f.severity == "warning"}
    findings += [f for f in checked if f.severity != "warning" or (f.where, f.field) not in warned] + scored
    if not errors_only(findings):  # the reviewer's notes once the workbook holds together; one note per cell
        from reportgen.lint.rules import lint

        warned |= {(f.where, f.field) for f in checked if f.severity == "warning"}
        findings += [f for f in lint(report, data.refs, evaluation.score, evaluation.project_scores, fmt.spec.lint)
                     if (f.where, f.field) not in warned]
    evaluation.findings = findings
    if errors_only(findings):
        raise ReportgenError(findings)
    return evaluation


@budgeted("projects")  # the project scoring file over all projects
def score_projects(fmt: Format, variables: dict[str, Any], report: Report) -> list[ScoreResult | None]:
    """Each project scored by the format's ``project_scoring`` (none without one): the unit's
    ``variables`` plus ``project``; its goal rows are the project's own 绩效指标. A project without any
    is not scored (None) unless the format requires project indicators (then its score says what is missing)."""
    if fmt.project_scoring is None:
        return []
    required = fmt.spec.project_indicators == "required"
    return [score(fmt.project_scoring, {**variables, "project": project}) if project.indicators or required else None
            for project in report.projects.rows]


def unscored_projects(fmt: Format, report: Report, refs: dict[str, Location]) -> list[Finding]:
    """One warning per project without 绩效指标 whose documents need them: the unit's documents are
    built, the project's form is not (a format that requires project indicators errs in the scoring)."""
    needing = [doc.name for doc in fmt.spec.documents if doc.for_each == "project" and "project_indicators" in doc.needs]
    if not needing or fmt.spec.project_indicators == "required":
        return []
    return [Finding(f"项目“{p.name}”在“项目指标”表中没有绩效指标：不生成它的{'、'.join(needing)}（单位的其他文档照常生成）；"
                    "如需生成，请在“项目指标”表为它添加产出、效益、满意度指标（每行一个三级指标）",
                    refs.get(f"projects[{i}]") or Location.sheet("项目"), "项目名称", "warning", "G812")
            for i, p in enumerate(report.projects.rows) if not p.indicators]


def _meta_findings(meta: dict[str, str], fmt: Format, schema: WorkbookSchema, wb: Any,
                   workbook: Path) -> list[Finding]:
    """A workbook from another schema version or format is named as such before its cells are:
    an older one is to be converted with ``reportgen upgrade``."""
    from reportgen.workbook.versions import version_finding

    version = version_finding(wb, meta, schema, workbook)
    findings = [version] if version is not None else []
    recorded = meta.get("format")
    if recorded and recorded != fmt.id:
        findings.append(Finding(f"填报表是按格式“{recorded}”生成的，现按“{fmt.id}”处理；如缺少工作表，请用该格式重新 init",
                                Location.sheet("系统信息"), "format", "warning", "W515"))
    return findings


@dataclass(frozen=True)
class Written:
    """One file a build wrote, and why its name differs from the format's pattern (if it does)."""

    path: Path
    note: str = ""


def build_documents(evaluation: Evaluation, out_dir: Path, inputs: Sequence[Path] = ()) -> list[Path]:
    """Render every document of the format into ``out_dir``: all of them, or none (see outputs)."""
    return [w.path for w in build_outputs(evaluation, out_dir, inputs)]


def build_outputs(evaluation: Evaluation, out_dir: Path, inputs: Sequence[Path] = ()) -> list[Written]:
    """Render every document in memory, give each a safe unique name, then write them all.

    Nothing touches ``out_dir`` before every document has rendered; ``inputs`` (the workbook) are
    never overwritten. A name changed to stay unique or short carries a note for the CLI to show.
    """
    from reportgen.outputs import write_all

    rendered = render_documents(evaluation, out_dir, inputs)
    paths = write_all(out_dir, [staged for staged, _ in rendered])
    return [Written(path, note) for path, (_, note) in zip(paths, rendered, strict=True)]


@dataclass(frozen=True)
class DocumentJob:
    """One document to render: its declaration, its project (per-project documents) and the exact
    context its template sees, pictures aside (they are drawn only when rendering)."""

    doc: DocumentSpec
    project_index: int | None
    context: dict[str, Any]


def document_jobs(evaluation: Evaluation, projects: int | None = None) -> list[DocumentJob]:
    """Every document this workbook gets, in format.yaml order; ``projects`` limits per-project
    documents to the first N projects (``format check``'s trial)."""
    context = evaluation.context()
    scores = context["project_scores"]
    rows = context["projects"]["rows"]
    jobs = []
    for doc, _, label in evaluation.labelled_documents():
        document = {"id": doc.id, "name": doc.name, "label": label}
        if doc.for_each != "project":
            jobs.append(DocumentJob(doc, None, {**context, "document": document}))
            continue
        for i in evaluation.projects_for(doc)[:projects]:
            jobs.append(DocumentJob(doc, i, {**context, "document": document, "project": rows[i],
                                             "project_score": scores[i] if scores else None}))
    return jobs


COLLECT_EVERY = 25  # documents between garbage collections


@budgeted("documents")  # each template has its limit, and one unit's documents one more
def render_documents(evaluation: Evaluation, out_dir: Path, inputs: Sequence[Path] = (),
                     projects: int | None = None) -> list[tuple[Staged, str]]:
    """Every document of :func:`document_jobs` rendered in memory, with its planned file name and name note."""
    from reportgen.filenames import NamePlan, render_name, safe_stem
    from reportgen.outputs import Staged
    from reportgen.render.docx import DocProperties, render_docx

    fmt = evaluation.format
    built = datetime.now(UTC).replace(microsecond=0)
    declaration = str(fmt.folder / "format.yaml")
    templates = [fmt.path(doc.template) for doc in fmt.spec.documents]
    plan = NamePlan(out_dir, [*inputs, *templates])
    rendered: list[tuple[Staged, str]] = []
    for n, job in enumerate(document_jobs(evaluation, projects)):
        if n and n % COLLECT_EVERY == 0:
            gc.collect()  # each python-docx package is a knot of cycles: memory stays flat over 200 projects
        doc, i, doc_context = job.doc, job.project_index, job.context
        pattern_name = render_name(doc.output, doc_context, declaration, f"documents.{doc.id}.output")
        owner = _Owner(doc.id, str(evaluation.refs.get(f"projects[{i}]", "")) if i is not None else None)
        name, clash, shortened = plan.add(safe_stem(pattern_name, fallback=doc.name), owner)
        props = DocProperties(_doc_title(doc.name, doc_context), _unit_name(doc_context), built)
        data = render_docx(fmt.path(doc.template), _with_images(doc_context, evaluation, doc.needs),
                           properties=props)
        rendered.append((Staged(name, data), _name_note(owner, clash, shortened)))
    return rendered


def _unit_name(context: dict[str, Any]) -> str:
    unit = context.get("unit") or {}
    name = unit.get("name") if isinstance(unit, dict) else None
    return name.strip() if isinstance(name, str) else ""


def _doc_title(doc_name: str, context: dict[str, Any]) -> str:
    """The title in the file properties: 单位 + 年度 + (项目) + the document's name."""
    unit = context.get("unit") or {}
    year = unit.get("year") if isinstance(unit, dict) else None
    project = context.get("project") or {}
    project_name = project.get("name") if isinstance(project, dict) else None
    parts = [_unit_name(context), f"{year}年度" if isinstance(year, int) else "",
             project_name.strip() if isinstance(project_name, str) else "", doc_name]
    return "".join(parts)


@dataclass(frozen=True)
class _Owner:
    """Which document (and, per project, which workbook row) a file name belongs to."""

    doc_id: str
    row: str | None  # 项目!第3行 for per-project documents


def _name_note(owner: _Owner, clash: object, shortened: bool) -> str:
    """Why a file's name is not what the pattern gave: for the CLI's list of written files."""
    parts = []
    if isinstance(clash, _Owner):
        if owner.row is not None and clash.doc_id == owner.doc_id:
            parts.append(f"项目名称与{clash.row or '前面的项目'}重名，已加序号")
        else:
            parts.append("与本次生成的另一文档同名，已加序号")
    elif clash is not None:
        parts.append(f"与{clash}同名，已加序号")
    if shortened:
        parts.append("文件名过长，已截短")
    return "；".join(parts)


def _with_images(context: dict[str, Any], evaluation: Evaluation, needs: list[str]) -> dict[str, Any]:
    """Charts are drawn only for documents that show them."""
    if "questionnaire" not in needs or evaluation.questionnaire_summary is None:
        return context
    if not evaluation.questionnaire_summary.questions:  # totals only: nothing per question to draw
        return {**context, "questionnaire_chart": ""}
    from reportgen.questionnaire.chart import answer_share_chart
    from reportgen.render.docx import PngImage

    return {**context, "questionnaire_chart": PngImage(answer_share_chart(evaluation.questionnaire_summary), 150)}


def init_workbook(out: Path, format_choice: str | None, example: bool) -> Format:
    """A blank workbook, or the example (next year's, from last year's: ``carry.next_year``)."""
    from reportgen.workbook.blank import workbook_data

    fmt = resolve_format(format_choice)
    values = None
    if example:
        from reportgen.workbook.example import EXAMPLE

        values = {**EXAMPLE, **fmt.example_values}
    from reportgen.outputs import write_file

    schema, title = workbook_schema(fmt, relaxed=True), f"{fmt.spec.name} 数据填报表"
    write_file(out, workbook_data(schema, values, title=title))
    return fmt


def blank_questionnaire(out: Path, format_choice: str | None, workbook: Path | None) -> Format:
    """Render the format's printable blank questionnaire from its questionnaire definition.

    Template variables: ``questionnaire`` (the definition, with ``note``, ``options``, ``questions``)
    and ``unit`` (from ``workbook`` when given, so 授权单位 etc. can name the unit; else None).
    """
    from reportgen.render.docx import DocProperties, render_docx

    unit = None
    if workbook is not None:
        evaluation = evaluate(workbook, format_choice)
        unit, fmt = evaluation.report.unit.model_dump(), evaluation.format
    else:
        fmt = resolve_format(format_choice)
    if fmt.questionnaire is None or not fmt.spec.questionnaire_template:
        raise ReportgenError(Finding(f"格式“{fmt.id}”没有声明问卷（questionnaire 和 questionnaire_template）",
                                     str(fmt.folder / "format.yaml")))
    # Without a workbook the unit's name is left as a line to write on by hand.
    questionnaire = fmt.questionnaire.fill_texts({"unit": unit or {"name": "＿＿＿＿＿＿＿＿"}})
    context = {"questionnaire": _questionnaire_context(questionnaire), "unit": unit,
               "document": {"id": "questionnaire_blank", "name": "空白问卷", "label": fmt.spec.questionnaire_label}}
    name = _unit_name(context) if unit else ""
    props = DocProperties(f"{name}{questionnaire.title}", name, datetime.now(UTC).replace(microsecond=0))
    render_docx(fmt.path(fmt.spec.questionnaire_template), context, out, properties=props)
    return fmt


def _questionnaire_context(q: Any) -> dict[str, Any]:
    data = q.model_dump()
    data.update(note=q.note, full_score_each=q.per_questionnaire_full, option_labels=q.option_labels)
    return data
