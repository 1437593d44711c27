"""The reference of template variables, generated from the pydantic models (never out of date).

Used by ``reportgen format vars`` (printed for template authors) and ``reportgen format check``
(which variables exist, and the closest real name for a typo).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True)
class VarDoc:
    path: str  # unit.name, income.rows[].org
    type: str  # 文本, 金额/数字, 列表 …
    meaning: str
    example: str = ""


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType):
        names = [_type_name(a) for a in args]
        optional = len(args) < len(typing.get_args(annotation))
        return "/".join(dict.fromkeys(names)) + ("（可为空）" if optional else "")
    if origin is list:
        return f"列表[{_type_name(args[0])}]" if args else "列表"
    if origin is dict:
        return "字典"
    if origin is typing.Literal:  # one of fixed words, e.g. source: rows/counts/totals
        return "文本（" + "/".join(str(a) for a in args) + "）"
    if annotation is Decimal:
        return "数字(Decimal)"
    if annotation is int:
        return "整数"
    if annotation is bool:
        return "是/否"
    if annotation is str:
        return "文本"
    if annotation is dt.date:
        return "日期"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "对象"
    return "任意"


def _model_of(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model class inside an annotation, and whether it is a list of them."""
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is list and args:
        inner, _ = _model_of(args[0])
        return inner, True
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return _model_of(args[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def _members(model: type[BaseModel]):
    for name, info in model.model_fields.items():
        if info.exclude:  # not handed to templates (a row's cells, for messages only)
            continue
        yield name, info.annotation, info.description or ""
    for name, info in model.model_computed_fields.items():
        yield name, info.return_type, info.description or ""


def _example(value: Any) -> str:
    if isinstance(value, list | dict) or value is None:
        return ""
    if isinstance(value, Decimal) and value.as_tuple().exponent < -4:  # type: ignore[operator]
        value = value.quantize(Decimal("0.0001"))
    text = str(value)
    return text if len(text) <= 30 else text[:29] + "…"


def describe(model: type[BaseModel], prefix: str = "", example: Any = None) -> list[VarDoc]:
    docs: list[VarDoc] = []
    for name, annotation, meaning in _members(model):
        path = f"{prefix}{name}"
        value = example.get(name) if isinstance(example, dict) else None
        docs.append(VarDoc(path, _type_name(annotation), meaning, _example(value)))
        inner, is_list = _model_of(annotation)
        if inner is not None:
            if is_list:
                first = value[0] if isinstance(value, list) and value else None
                docs += describe(inner, f"{path}[].", first)
            else:
                docs += describe(inner, f"{path}.", value)
    return docs


def variable_reference(example_context: dict[str, Any] | None = None) -> list[VarDoc]:
    """Every variable a template can use, with meaning, type and (given a context) an example."""
    from reportgen.model.report import Project, Report
    from reportgen.questionnaire.tally import QuestionnaireSummary
    from reportgen.scoring.engine import ScoreResult

    ctx = example_context or {}
    docs = describe(Report, "", ctx)
    docs.append(VarDoc("score", "对象（可为空）", "评分结果（格式有评分体系时）"))
    docs += describe(ScoreResult, "score.", ctx.get("score"))
    docs.append(VarDoc("questionnaire_summary", "对象（可为空）", "满意度问卷汇总（格式有问卷时）"))
    docs += describe(QuestionnaireSummary, "questionnaire_summary.", ctx.get("questionnaire_summary"))
    docs.append(VarDoc("questionnaire_chart", "图片", "各题答案占比条形图（需要 needs: [questionnaire] 的文档）"))
    docs += [VarDoc("format.id", "文本", "格式编号"), VarDoc("format.name", "文本", "格式名称"),
             VarDoc("format.documents", "列表[对象]", "本次生成的全部文档（按 format.yaml 的顺序；用于“附件”清单）"),
             VarDoc("format.documents[].id", "文本", "文档编号"),
             VarDoc("format.documents[].name", "文本", "文档名称"),
             VarDoc("format.documents[].label", "文本", "附件标识（可为空）"),
             VarDoc("format.documents[].count", "整数", "份数（逐项目文档为项目个数，其余为 1）"),
             VarDoc("format.satisfaction_measure", "对象（可为空）",
                    "满意度按问卷的哪个数计（format.yaml 的 satisfaction_measure；没写为空）"),
             VarDoc("format.satisfaction_measure.key", "文本", "satisfaction_rate 或 score_rate"),
             VarDoc("format.satisfaction_measure.name", "文本", "满意率 或 得分率"),
             VarDoc("format.satisfaction_measure.value", "数字(Decimal)（可为空）", "本次调查的该数（%），没有有效问卷时为空")]
    docs += [VarDoc("document", "对象", "当前文档（format.yaml documents 中的一项）"),
             VarDoc("document.id", "文本", "文档编号（format.yaml documents 中的 id）"),
             VarDoc("document.name", "文本", "文档名称"),
             VarDoc("document.label", "文本", "附件标识（format.yaml 中的 label，如“附件2”；可为空）")]
    docs.append(VarDoc("project", "对象", "当前项目（仅用于 for_each: project 的逐项目文档）"))
    first_project = (ctx.get("projects") or {}).get("rows", [None])[0] if ctx else None
    docs += describe(Project, "project.", first_project)
    first_score = (ctx.get("project_scores") or [None])[0] if ctx else None
    docs.append(VarDoc("project_scores", "列表[对象]", "各项目的评分结果（格式有 project_scoring 时；与 projects.rows 对应）"))
    docs.append(VarDoc("project_score", "对象（可为空）",
                       "当前项目的评分结果（逐项目文档；格式有 project_scoring 时），结构同 score"))
    docs += describe(ScoreResult, "project_score.", first_score)
    return docs


def known_paths(docs: list[VarDoc]) -> set[str]:
    """Dotted paths a template may reference directly (list items are reached through loops)."""
    return {d.path for d in docs if "[]" not in d.path}


def example_context() -> dict[str, Any]:
    """The example unit's report as a template context, for example values in the reference."""
    from reportgen.workbook.assemble import build_report
    from reportgen.workbook.example import EXAMPLE
    from reportgen.workbook.reader import WorkbookData

    report, _ = build_report(WorkbookData(values=EXAMPLE))
    return report.model_dump()
