"""``reportgen format check``: load everything a format folder declares and report every problem.

A template author finds here, with file names and places, what a clerk would otherwise hit at
build time: a declaration that does not validate, scoring rules that do not add up, a
questionnaire that does not parse, Jinja errors, tags Word broke, and variables the model lacks
(with the closest real name). When those pass, the format's example is built in a scratch folder,
so what only running shows (a refused operation, an endless loop, an overflow) is reported too.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import TemplateSyntaxError

from reportgen.errors import Finding, ReportgenError
from reportgen.formats.loader import Format, load_format
from reportgen.formats.reference import VarDoc, describe, known_paths, variable_reference
from reportgen.validation import field_path


def _collect(findings: list[Finding], load) -> object | None:
    try:
        return load()
    except ReportgenError as exc:
        findings.extend(exc.findings)
        return None


def questionnaire_reference() -> list[VarDoc]:
    from reportgen.model.report import Unit
    from reportgen.questionnaire.definition import Questionnaire

    docs = [VarDoc("questionnaire", "对象", "问卷定义")]
    docs += describe(Questionnaire, "questionnaire.")
    docs += [VarDoc("questionnaire.note", "文本", "备注（计分说明，由问卷定义生成）"),
             VarDoc("questionnaire.full_score_each", "数字(Decimal)", "每份问卷满分"),
             VarDoc("questionnaire.option_labels", "列表[文本]", "选项文字")]
    docs.append(VarDoc("unit", "对象（可为空）", "单位基本信息（给出 --workbook 时）"))
    docs += describe(Unit, "unit.")
    docs += [VarDoc("document", "对象", "当前文档（空白问卷）"), VarDoc("document.id", "文本", "文档编号"),
             VarDoc("document.name", "文本", "文档名称"),
             VarDoc("document.label", "文本", "附件标识（format.yaml 中的 questionnaire_label，如“附件5”；可为空）")]
    return docs


def _check_templates(fmt: Format, findings: list[Finding]) -> None:
    from reportgen.formats.template_check import check_template
    from reportgen.render.env import parsed

    reference = variable_reference()
    known = known_paths(reference)
    suggestions = {d.path for d in reference}
    for n, doc in enumerate(fmt.spec.documents):
        findings += check_template(fmt.path(doc.template), known, suggestions)
        output, needs = ("documents", n, "output"), ("documents", n, "needs")
        try:
            parsed(doc.output)
        except TemplateSyntaxError as exc:
            findings.append(Finding(f"输出文件名模板有语法错误: {exc.message}", fmt.where(output),
                                    field_path(output), code="F111"))
        if "project." in doc.output and doc.for_each != "project":
            findings.append(Finding("输出文件名用到了 project，但文档没有声明 for_each: project",
                                    fmt.where(output), field_path(output), code="F112"))
        if "questionnaire" in doc.needs and not fmt.spec.questionnaire:
            findings.append(Finding("文档需要问卷数据（needs: questionnaire），但格式没有声明 questionnaire",
                                    fmt.where(needs), field_path(needs), code="F113"))
        if "scoring" in doc.needs and not fmt.spec.scoring:
            findings.append(Finding("文档需要评分结果（needs: scoring），但格式没有声明 scoring",
                                    fmt.where(needs), field_path(needs), code="F114"))
    from reportgen.formats.scoring_names import part_name_findings
    from reportgen.formats.scoring_paths import scoring_path_findings

    for name in (fmt.spec.scoring, fmt.spec.project_scoring):
        if name:
            findings += scoring_path_findings(fmt.path(name), known, suggestions)
    names = _part_names(fmt)
    if names:
        for doc in fmt.spec.documents:
            findings += part_name_findings(fmt.path(doc.template), names)
    findings += _surplus_findings(fmt)
    if fmt.spec.questionnaire_template:
        q_reference = questionnaire_reference()
        findings += check_template(fmt.path(fmt.spec.questionnaire_template), known_paths(q_reference),
                                   {d.path for d in q_reference})


SURPLUS_WARNING_BYTES = 200 * 1024


def _surplus_findings(fmt: Format) -> list[Finding]:
    """A template carrying > 200 KB of styles it never uses (python-docx's and some Word versions'
    defaults) makes every document slower to write: a warning, with the way to a slim copy."""
    import zipfile

    from lxml import etree

    from reportgen.render.slim import surplus_bytes

    findings = []
    names = [doc.template for doc in fmt.spec.documents] + [fmt.spec.questionnaire_template or ""]
    for name in dict.fromkeys(n for n in names if n):
        path = fmt.path(name)
        try:
            surplus = surplus_bytes(path.read_bytes())
        except (OSError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError):
            continue  # an unreadable template has its own finding
        if surplus > SURPLUS_WARNING_BYTES:
            findings.append(Finding(
                f"模板带有约 {surplus // 1024} KB 未使用的样式等内容，每生成一份文档都要处理一遍；"
                f"可用 reportgen format new 新文件夹 --from {fmt.folder} 复制一份精简的格式", name,
                severity="warning", code="F121"))
    return findings


def _measure_findings(fmt: Format) -> list[Finding]:
    """A 满意度 row scored from the survey (``goal_rows.actual_from: questionnaire_summary.<measure>``) must
    take the measure the format means (``satisfaction_measure``): two measures of one survey in one
    submission (问卷汇总 96.50%, 自评表 98.50%) is what a reviewer returns."""
    from reportgen.formats.loader import MEASURES

    found = []
    for name, load in ((fmt.spec.scoring, lambda: fmt.scoring), (fmt.spec.project_scoring, lambda: fmt.project_scoring)):
        try:
            system = load()
        except ReportgenError:
            continue
        for level in system.levels if system is not None else ():
            source = level.goal_rows.actual_from if level.goal_rows is not None else None
            measure = (source or "").removeprefix("questionnaire_summary.")
            if measure not in MEASURES:
                continue
            declared = fmt.spec.satisfaction_measure
            if declared is None:
                found.append(Finding(f"“{level.name}”的实际完成值取问卷的{MEASURES[measure]}，请在 format.yaml 中写明"
                                     f"satisfaction_measure: {measure}，问卷汇总才会写明满意度按哪个数计", fmt.where(),
                                     "satisfaction_measure", "warning", "F119"))
            elif declared != measure:
                found.append(Finding(f"“{level.name}”的实际完成值取问卷的{MEASURES[measure]}（{name}），而 format.yaml 说满意度"
                                     f"按{MEASURES[declared]}计：同一份问卷两个满意度，请改为同一个", fmt.where(("satisfaction_measure",)),
                                     "satisfaction_measure", code="F119"))
    return found


def _required_unused(fmt: Format) -> list[Finding]:
    """A required input the format's documents never print and its rules never use: the workbook no
    longer asks for it (``formats.uses``); the author hears of it, in case a template forgot it."""
    from reportgen.formats.uses import format_uses
    from reportgen.workbook.schema import CORE_SHEETS, TableSheet, sheet_fields

    uses = format_uses(fmt)
    found = []
    for sheet in CORE_SHEETS:
        if not uses.reads(sheet.key):
            needed = bool(sheet.min_rows) if isinstance(sheet, TableSheet) else any(f.required for f in sheet_fields(sheet))
            if needed:
                found.append(Finding(f"必填的“{sheet.name}”表，本格式的文档不打印、评分也不用：填报表中已标为可不填"
                                     "（如应打印，请在模板中加上）", fmt.where(), sheet.name, "warning", "F120"))
            continue
        labels = [f.label for f in sheet_fields(sheet) if f.required and not uses.reads(sheet.key, f.key)]
        if labels:
            found.append(Finding(f"“{sheet.name}”的必填项 {'、'.join(labels)}，本格式的文档不打印、评分也不用："
                                 "填报表中已标为可不填（如应打印，请在模板中加上）", fmt.where(), sheet.name, "warning",
                                 "F120"))
    return found


def _part_names(fmt: Format) -> dict[str, set[str]]:
    """The 一级/二级 names each loaded scoring system declares (empty when it does not load)."""
    names: dict[str, set[str]] = {}
    for prefix, load in (("score", lambda: fmt.scoring), ("project_score", lambda: fmt.project_scoring)):
        try:
            system = load()
        except ReportgenError:
            continue  # its own findings are reported by the loader
        if system is None:
            continue
        names[f"{prefix}.levels"] = {level.name for level in system.levels}
        if not any(level.goal_rows for level in system.levels):  # goal rows' 二级 come from the workbook
            names[f"{prefix}.groups"] = {group.name for level in system.levels for group in level.groups}
    return names


def check_format(folder: Path) -> tuple[Format | None, list[Finding]]:
    """All problems of a format folder (errors and warnings); the format if its declaration loads."""
    findings: list[Finding] = []
    fmt = _collect(findings, lambda: load_format(folder))
    if not isinstance(fmt, Format):
        return None, findings
    _collect(findings, lambda: fmt.scoring)
    _collect(findings, lambda: fmt.project_scoring)
    _collect(findings, lambda: fmt.questionnaire)
    _collect(findings, lambda: fmt.example_values)
    findings += _measure_findings(fmt)
    _check_templates(fmt, findings)
    if not any(f.is_error for f in findings):
        findings += _required_unused(fmt)
        _trial_build(fmt, findings)
    return fmt, findings


def _trial_build(fmt: Format, findings: list[Finding]) -> None:
    """Build the format's own example as ``reportgen build`` would (in memory, per-project
    documents for the first project only), and report what only running shows: scoring texts and templates that are refused by the
    sandbox, overflow, or never end. Problems of the example data itself are warnings (the
    format's files may still be right); problems in the format's files are errors."""
    import tempfile

    from reportgen.pipeline import evaluate, init_workbook, render_documents

    folder = str(fmt.folder)
    with tempfile.TemporaryDirectory(prefix="reportgen-check-") as scratch:
        workbook = Path(scratch) / "示例填报表.xlsx"
        try:
            init_workbook(workbook, folder, example=True)
            render_documents(evaluate(workbook, folder), Path(scratch) / "out", projects=1)
        except ReportgenError as exc:
            for f in exc.findings:
                if str(f.where).startswith(folder) or str(f.where).endswith(".docx") or not f.is_error:
                    findings.append(f)
                else:  # a cell of the example workbook
                    findings.append(Finding(f"用格式的示例数据试生成时：{f.message}", f.where, f.field, "warning"))
