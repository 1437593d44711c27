"""The sheets a format adds to the common core, generated from its declarations.

A scoring system's inputs and the format's own ``inputs`` (format.yaml) become the 评分填报
key–value sheet; a questionnaire definition becomes the 问卷 table (one returned questionnaire
per row); the 一级指标 its scoring matches become the choices of the 绩效指标 and 项目指标 sheets.
Because all come from the same declarations the engine and the tally read, workbook and rules
cannot drift apart.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from reportgen.errors import Finding, Location, ReportgenError
from reportgen.formats.loader import Format, builtin_format_dirs
from reportgen.formats.uses import Uses, format_uses
from reportgen.workbook.reader import WorkbookData
from reportgen.workbook.schema import (
    CORE_SHEETS,
    Field,
    KeyValueSheet,
    Sheet,
    TableSheet,
    WorkbookSchema,
    placeholder,
    sheet_fields,
    with_fields,
)

CORE_KEYS = {sheet.key for sheet in CORE_SHEETS}

QUESTIONNAIRE_SHEET = "问卷"
QUESTIONNAIRE_SHEET_KEY = "questionnaire"  # the 问卷 table, read unparsed (the tally interprets its cells)
SCORING_SHEET_KEY = "inputs"  # the 评分填报 (or 补充填报) key–value sheet
FORMAT_INPUTS_SHEET = "补充填报"  # the sheet's name when the format's own inputs are all it holds


def inputs_sheet(fmt: Any) -> KeyValueSheet | None:
    """The 评分填报 sheet: what the scoring rules need, then the format's own ``inputs``."""
    from reportgen.scoring.rules import INPUTS_SHEET
    from reportgen.scoring.system import InputSpec, input_field, required_inputs

    scoring = required_inputs(fmt.scoring) if fmt.scoring is not None else []
    declared = {spec.key for spec in scoring}
    clashes = [Finding(f"填报键“{extra.key}”与评分体系的填报项重复", fmt.where(("inputs", n, "key")), "inputs",
                       code="F118") for n, extra in enumerate(fmt.spec.inputs) if extra.key in declared]
    if clashes:
        raise ReportgenError(clashes)
    own = [InputSpec(key=extra.key, label=extra.label, kind=extra.kind, indicator="", help=extra.help,
                     required=extra.required) for extra in fmt.spec.inputs]
    if not scoring and not own:
        return None
    if scoring:
        name, text = INPUTS_SHEET, f"“{fmt.scoring.name}”评分所需的数据和自评结果，逐项填写（是/否从下拉列表选择）。"
    else:
        name, text = FORMAT_INPUTS_SHEET, f"“{fmt.spec.name}”需要的其他数据，逐项填写。"
    return KeyValueSheet(name, "inputs", tuple(input_field(spec) for spec in [*scoring, *own]), help=text)


def with_level1_choices(sheet: Sheet, choices: tuple[str, ...]) -> Sheet:
    """A 绩效指标-type sheet whose 一级指标 column offers ``choices`` (the format's parts)."""
    if not choices or not isinstance(sheet, TableSheet):
        return sheet
    columns = tuple(dataclasses.replace(c, choices=choices) if c.key == "level1" else c for c in sheet.columns)
    return dataclasses.replace(sheet, columns=columns)


def with_fund_sources(sheet: Sheet, sources: list[str] | None) -> Sheet:
    """The 资金来源 sheet with the format's own source rows (fixed rows and the column's choices)."""
    if not sources or not isinstance(sheet, TableSheet):
        return sheet
    columns = tuple(dataclasses.replace(c, choices=tuple(sources)) if c.key == "item" else c for c in sheet.columns)
    return dataclasses.replace(sheet, columns=columns, fixed_rows=tuple(sources), blank_rows=len(sources))


def questionnaire_sheet(questionnaire: Any) -> TableSheet:
    from reportgen.questionnaire.definition import response_columns

    question_ids = {q.id for q in questionnaire.questions}
    columns = tuple(
        Field(c.key, c.header, c.kind, required=c.required, help=c.help, choices=c.choices, width=c.width,
              other_values_ok=c.key in question_ids)
        for c in response_columns(questionnaire))
    return TableSheet(QUESTIONNAIRE_SHEET, "questionnaire", columns,
                      help=f"“{questionnaire.title}”每收回一份填一行；答案可选下拉项，也可直接填分值。"
                           f"只有手工汇总的数据时，改填“{COUNTS_SHEET}”或“{TOTALS_SHEET}”表，本表留空。",
                      blank_rows=60)


COUNTS_SHEET = "问卷计数"


def counts_sheet(questionnaire: Any) -> TableSheet:
    """For a clerk who has only hand-tallied counts: per 对象类别 and question, how many valid
    questionnaires chose each option (instead of the 问卷 sheet's one row per questionnaire)."""
    columns = (
        Field("category", "对象类别", "choice", choices=tuple(questionnaire.categories), width=14),
        Field("question", "题目", "choice", choices=tuple(q.label for q in questionnaire.questions), width=24),
        *(Field(f"option_{n}", f"{o.label}人数", "int", required=False, width=12,
                help="选这一项的有效问卷份数；没有填 0")
          for n, o in enumerate(questionnaire.options)),
    )
    return TableSheet(COUNTS_SHEET, "questionnaire_counts", columns, help=(
        "只有手工汇总的各题各选项人数时填写本表（每个对象类别每题一行），“问卷”表和“问卷总分”表留空；三张表只能填一张。"
        "汇总、满意率和得分的算法与逐份录入相同，问卷汇总会注明数据来自本表。"),
        blank_rows=len(questionnaire.categories) * len(questionnaire.questions), optional=True)


TOTALS_SHEET = "问卷总分"


def totals_sheet(questionnaire: Any) -> TableSheet:
    """For a clerk who has only each 对象类别's totals (the seed's "共计得分965/1000分"): issued
    and valid questionnaires, their score and, if counted, the 满意率."""
    from reportgen.cells import plain_number

    satisfied = "、".join(o.label for o in questionnaire.options if o.satisfied)
    columns = (
        Field("category", "对象类别", "choice", choices=tuple(questionnaire.categories), width=14),
        Field("issued", "发放份数", "int", required=False, width=12,
              help="发放并收回的问卷份数，含无效问卷；不填按有效份数计"),
        Field("valid", "有效份数", "int", width=12, help="全部题目都已作答的问卷份数"),
        Field("score", "得分合计", "decimal", width=12,
              help=f"有效问卷的得分之和（每份满分 {plain_number(questionnaire.per_questionnaire_full)} 分）"),
        Field("satisfaction_rate", "满意率（%）", "text", required=False, width=14,
              help=f"选“{satisfied}”的答案占全部答案的比例，如 96.5%；没有统计的不填（各类别都不填则不计满意率）"),
    )
    return TableSheet(TOTALS_SHEET, "questionnaire_totals", columns, help=(
        "只有各对象类别的问卷份数和得分合计（如“共计得分965/1000分”）时填写本表（每个对象类别一行），“问卷”表和"
        "“问卷计数”表留空；三张表只能填一张。得分和得分率照常计算，问卷汇总会注明数据来自本表，但没有各题的统计和图表。"),
        blank_rows=len(questionnaire.categories), optional=True)


# where each kind of questionnaire input (QuestionnaireSummary.source) is typed
SOURCE_SHEETS = {"rows": QUESTIONNAIRE_SHEET, "counts": COUNTS_SHEET, "totals": TOTALS_SHEET}


def tally_questionnaires(questionnaire: Any, schema: WorkbookSchema, data: WorkbookData) -> tuple[Any, list[Finding]]:
    """The summary from whichever questionnaire sheet the clerk filled (more than one is an error),
    with a warning when there is nothing to count: no questionnaire at all (and so no 问卷汇总
    document), or none valid."""
    summary, findings = _tally(questionnaire, schema, data)
    if summary is not None and summary.valid == 0:
        sheets = "、".join(f"“{name}”" for name in SOURCE_SHEETS.values())
        findings.append(Finding(
            f"没有填写满意度问卷（{sheets}表都是空的）：不生成满意度调查问卷汇总，满意度指标的计分见评分表"
            if summary.issued == 0 else
            f"“{SOURCE_SHEETS[summary.source]}”表中的问卷都无效（有题目未作答）：满意度无法统计，满意度指标的计分见评分表",
            Location.sheet(SOURCE_SHEETS[summary.source]), "", "warning", "G820"))
    return summary, findings


def _tally(questionnaire: Any, schema: WorkbookSchema, data: WorkbookData) -> tuple[Any, list[Finding]]:
    from reportgen.questionnaire.tally import ResponseRow, tally, tally_counts, tally_totals

    sheet = schema.sheet("questionnaire")
    rows = [ResponseRow(sheet.name, row_no, cells) for row_no, cells in data.raw_tables.get("questionnaire", [])]
    counted = data.values.get("questionnaire_counts") or []
    totals = data.values.get("questionnaire_totals") or []
    filled = [name for name, given in ((QUESTIONNAIRE_SHEET, rows), (COUNTS_SHEET, counted), (TOTALS_SHEET, totals))
              if given]
    if len(filled) > 1:
        return None, [Finding(f"{'、'.join(f'“{name}”' for name in filled)}表都填了，只能填一张：逐份录入的填“问卷”表，"
                              "只有各题各选项人数的填“问卷计数”表，只有各类别得分合计的填“问卷总分”表，其余清空",
                              Location.sheet(filled[-1]), code="G819")]
    if counted:
        return tally_counts(questionnaire, [(data.ref(f"questionnaire_counts[{i}]"), row)
                                            for i, row in enumerate(counted)])
    if totals:
        return tally_totals(questionnaire, [
            ({"": data.ref(f"questionnaire_totals[{i}]"),
              **{key: data.ref(f"questionnaire_totals[{i}].{key}") for key in row}}, row)
            for i, row in enumerate(totals)])
    year = (data.values.get("unit") or {}).get("year")
    return tally(questionnaire, rows, year if isinstance(year, int) else None)


UNUSED_SHEET = "本格式不使用本表，可不填。"
UNUSED_FIELD = "本格式不使用，可不填"


def not_used(sheet: Sheet, uses: Uses) -> Sheet:
    """``sheet`` with what the format does not read (``formats.uses``) marked and not required: the
    whole sheet (no rows needed), or its fields one by one."""
    if sheet.key in CORE_KEYS and not uses.reads(sheet.key):
        fields = tuple(dataclasses.replace(f, required=False, help=UNUSED_FIELD) for f in sheet_fields(sheet))
        changes = {"min_rows": 0} if isinstance(sheet, TableSheet) else {}
        return with_fields(sheet, fields, help=UNUSED_SHEET + sheet.help, **changes)
    if sheet.key not in CORE_KEYS:
        return sheet
    fields = tuple(f if uses.reads(sheet.key, f.key) else
                   dataclasses.replace(f, required=False, help=f"{UNUSED_FIELD}。{f.help}" if f.help else UNUSED_FIELD)
                   for f in sheet_fields(sheet))
    return with_fields(sheet, fields)


_EMPTY_REQUIRED = {"W501", "W504", "W506", "W508", "W510"}  # a required cell, row, column, rows or sheet left out


def allow_unused(fmt: Format, schema: WorkbookSchema, data: WorkbookData) -> None:
    """Forgive what a format does not read: the findings that a required cell, row, column or table is
    empty, where the format uses none of it (``formats.uses``), are dropped and its value stands in
    (``schema.placeholder``), so that a workbook made for another format, or with an unused sheet left
    blank, still builds. Computed only when such a finding is there."""
    if not any(f.code in _EMPTY_REQUIRED for f in data.findings):
        return
    uses = format_uses(fmt)
    by_name = {sheet.name: sheet for sheet in schema.sheets if sheet.key in CORE_KEYS}

    def unused(finding: Finding) -> bool:
        sheet = by_name.get(finding.where.refs[0].sheet) if finding.where.refs else None
        if finding.code not in _EMPTY_REQUIRED or sheet is None:
            return False
        if not uses.reads(sheet.key):
            return True
        field = next((f for f in sheet_fields(sheet) if f.label == finding.field), None)
        return field is not None and not uses.reads(sheet.key, field.key)

    data.findings = [f for f in data.findings if not unused(f)]
    for sheet in by_name.values():
        if sheet.key not in data.values and not uses.reads(sheet.key):  # an unused sheet left out
            data.values[sheet.key] = [] if isinstance(sheet, TableSheet) else {}
        stand_in = {f.key: placeholder(f) for f in sheet_fields(sheet)
                    if f.required and not (uses.reads(sheet.key) and uses.reads(sheet.key, f.key))}
        node = data.values.get(sheet.key)
        records = [(f"{sheet.key}[{i}]", r) for i, r in enumerate(node)] if isinstance(node, list) else \
            [(sheet.key, node)] if isinstance(node, dict) else []
        for path, record in records:
            for key, value in stand_in.items():
                if record.get(key) in (None, []):
                    record[key] = value
                    if (place := data.refs.get(f"{path}.{key}")) is not None:
                        data.stand_ins.add(place)


def workbook_schema(fmt: Format, relaxed: bool = False) -> WorkbookSchema:
    """The common core plus what this format's scoring systems, own inputs and questionnaire need;
    the 一级指标 columns offer the parts its scoring declares (``goal_rows``) when it does, and the
    资金来源 rows are the format's ``fund_sources`` when it declares them. ``relaxed``: what the
    format does not read is marked so and not required (the blank workbook; ``formats.uses``)."""
    sheets: list[Sheet] = list(CORE_SHEETS)
    if fmt.spec.fund_sources:
        sheets = [with_fund_sources(s, fmt.spec.fund_sources) if s.key == "funds" else s for s in sheets]
    if fmt.scoring is not None or fmt.project_scoring is not None:
        from reportgen.scoring.system import goal_levels

        unit_parts = goal_levels(fmt.scoring)
        parts = {"indicators": unit_parts, "project_indicators": goal_levels(fmt.project_scoring) or unit_parts}
        sheets = [with_level1_choices(s, parts[s.key]) if s.key in parts else s for s in sheets]
    if fmt.scoring is not None or fmt.spec.inputs:
        sheet = inputs_sheet(fmt)
        if sheet is not None:
            sheets.append(sheet)
    if fmt.questionnaire is not None:
        q = fmt.questionnaire
        sheets += [questionnaire_sheet(q), counts_sheet(q), totals_sheet(q)]
    if relaxed:
        uses = format_uses(fmt)
        sheets = [not_used(sheet, uses) for sheet in sheets]
    builtin = fmt.folder.resolve() in {d.resolve() for d in builtin_format_dirs()}
    return WorkbookSchema(tuple(sheets), format_id=fmt.id, format_folder="" if builtin else str(fmt.folder.resolve()))
