"""The sheets a format adds to the common core, generated from its declarations.

A scoring system's inputs become the 评分填报 key–value sheet; a questionnaire definition becomes
the 问卷 table (one returned questionnaire per row). Because both come from the same declarations
the engine and the tally read, workbook and rules cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from reportgen.errors import Finding
from reportgen.workbook.reader import WorkbookData
from reportgen.workbook.schema import Field, KeyValueSheet, TableSheet, WorkbookSchema

_INPUT_KINDS = {"yesno": "yesno", "number": "decimal", "integer": "int", "score": "decimal", "text": "longtext"}

QUESTIONNAIRE_SHEET = "问卷"


def scoring_inputs_sheet(system: Any) -> KeyValueSheet | None:
    from reportgen.scoring.rules import INPUTS_SHEET
    from reportgen.scoring.system import required_inputs

    specs = required_inputs(system)
    if not specs:
        return None
    return KeyValueSheet(INPUTS_SHEET, "inputs", tuple(input_field(spec) for spec in specs),
                         help=f"“{system.name}”评分所需的数据和自评结果，逐项填写（是/否从下拉列表选择）。")


def input_field(spec: Any) -> Field:
    """The 评分填报 row for one scoring input (``scoring.system.InputSpec``). The reader parses the
    cell with it and the scoring engine re-checks a given value with the same declaration, so
    both accept exactly the same values."""
    help_text = f"【{spec.group}/{spec.indicator}】{spec.help}" if spec.group else spec.help
    if spec.max is not None:
        help_text += f"（最高 {spec.max} 分）"
    return Field(spec.key, spec.label, _INPUT_KINDS[spec.kind], required=spec.required, help=help_text)


def questionnaire_sheet(questionnaire: Any) -> TableSheet:
    from reportgen.questionnaire.definition import response_columns

    question_ids = {q.id for q in questionnaire.questions}
    columns = tuple(
        Field(c.key, c.header, c.kind, required=c.required, help=c.help, choices=c.choices, width=c.width,
              other_values_ok=c.key in question_ids)
        for c in response_columns(questionnaire))
    return TableSheet(QUESTIONNAIRE_SHEET, "questionnaire", columns,
                      help=f"“{questionnaire.title}”每收回一份填一行；答案可选下拉项，也可直接填分值。",
                      blank_rows=60)


def tally_questionnaires(questionnaire: Any, schema: WorkbookSchema, data: WorkbookData) -> tuple[Any, list[Finding]]:
    from reportgen.questionnaire.tally import ResponseRow, tally

    sheet = schema.sheet("questionnaire")
    rows = [ResponseRow(sheet.name, row_no, cells) for row_no, cells in data.raw_tables.get("questionnaire", [])]
    return tally(questionnaire, rows)
