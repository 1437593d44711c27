"""Workbook values -> ``Report``.

The reader has already typed each cell; here rows are assembled into the model (projects with
their indicators, narrative rows into sections) and the few checks that need more than one cell
to decide a type (a quantitative indicator needs numeric values) are made.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from reportgen.cells import parse_quantity
from reportgen.errors import Finding, Location, ReportgenError, errors_only
from reportgen.model.report import (
    NARRATIVE_KEYS,
    NARRATIVE_PARTS,
    Assets,
    Balance,
    Budget,
    ByFunction,
    Evaluator,
    Expenditure,
    ExpenditureRow,
    FunctionItem,
    Funds,
    FundSource,
    Goal,
    Income,
    IncomeRow,
    Indicator,
    Narrative,
    Project,
    ProjectIndicator,
    Projects,
    Report,
    Section,
    SocialFund,
    ThreePublic,
    ThreePublicItem,
    Unit,
)
from reportgen.validation import field_path, translated
from reportgen.workbook.reader import WorkbookData


def paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _indicators(data: WorkbookData, findings: list[Finding], key: str = "indicators") -> list[dict[str, Any]]:
    """The 绩效指标 rows of sheet ``key`` (the unit's, or the projects' ``project_indicators``):
    quantitative values as numbers, each row with its place (``ref``)."""
    result = []
    for i, row in enumerate(data.values.get(key, [])):
        row = dict(row)
        if row["nature"] in ("≥", "≤", "="):
            for field, label in (("target", "年度指标值"), ("actual", "实际完成值")):
                if row[field] is None:
                    continue
                # a number as on every sheet; a clerk may repeat the sign (≥95) and the unit (95%)
                number, problem = parse_quantity(row[field], row["unit"], sign=row["nature"])
                if problem:
                    findings.append(Finding(f'定量指标（{row["nature"]}）{problem}',
                                            data.ref(f"{key}[{i}].{field}"), label, code="W520"))
                else:
                    row[field] = number
        elif row["nature"] == "定性" and not row.get("achievement"):
            findings.append(Finding("定性指标请在“完成程度”中选择 达成/部分达成/未达成，未填按“达成”处理",
                                    data.ref(f"{key}[{i}].achievement"), "完成程度", "warning", "W521"))
        row["ref"] = str(data.ref(f"{key}[{i}]"))
        row["cells"] = {field: str(where) for field in list(row)
                        if (where := data.refs.get(f"{key}[{i}].{field}")) is not None}
        result.append(row)
    return result


def _projects(data: WorkbookData, findings: list[Finding]) -> list[dict[str, Any]]:
    """The 项目 rows, each with its 项目指标 rows (matched by 项目名称, which must be unique)."""
    projects = [row | {"indicators": []} for row in data.values.get("projects", [])]
    rows: dict[str, list[int]] = {}
    for i, p in enumerate(projects):
        rows.setdefault(p["name"], []).append(i)
    for name, indexes in rows.items():
        if len(indexes) > 1 and name:
            findings.append(Finding(f"项目名称“{name}”重复（{len(indexes)} 行）：项目指标按名称对应项目，请把名称改为各不相同",
                                    Location.join(data.ref(f"projects[{i}].name") for i in indexes), "项目名称",
                                    code="W523"))
    by_name = {p["name"]: p for p in projects}
    for i, row in enumerate(_indicators(data, findings, "project_indicators")):
        if len(rows.get(row["project"], ())) > 1:
            continue  # its project is ambiguous: the duplicate name is the finding
        project = by_name.get(row["project"])
        if project is None:
            findings.append(Finding(f'“项目”表中没有名为“{row["project"]}”的项目',
                                    data.ref(f"project_indicators[{i}].project"), "项目名称", code="W522"))
            continue
        try:
            project["indicators"].append(ProjectIndicator(**row))
        except ValidationError as exc:  # a blank or unknown cell the reader let through (a salvage)
            findings += [Finding(f"数据不完整: {p.message}", row["ref"], field_path(p.loc)) for p in translated(exc)]
    return projects


def _narrative(data: WorkbookData, findings: list[Finding]) -> Narrative:
    sections: dict[str, list[Section]] = {key: [] for key in NARRATIVE_KEYS.values()}
    for i, row in enumerate(data.values.get("narrative", [])):
        key = NARRATIVE_KEYS.get(row["part"])
        if key is None:  # blank or unknown 部分 the reader let through (a salvage)
            findings.append(Finding(f"应为 {'/'.join(NARRATIVE_PARTS)} 之一", data.ref(f"narrative[{i}].part"), "部分"))
            continue
        sections[key].append(Section(title=row["title"], paragraphs=paragraphs(row["body"]),
                                     ref=str(data.ref(f"narrative[{i}].body"))))
    return Narrative(**sections)


def build_report(data: WorkbookData, inputs: dict[str, Any] | None = None) -> tuple[Report, list[Finding]]:
    """Assemble the model. Raises ReportgenError (with every finding so far) if any cell is unusable."""
    findings = list(data.findings)
    if errors_only(findings):
        raise ReportgenError(findings)
    v = data.values
    indicators = _indicators(data, findings)
    projects = _projects(data, findings)
    narrative = _narrative(data, findings)
    if errors_only(findings):
        raise ReportgenError(findings)
    try:
        income = Income(rows=[IncomeRow(**r) for r in v["income"]])
        expenditure = Expenditure(rows=[ExpenditureRow(**r) for r in v["expenditure"]])
        report = Report(
            unit=Unit(**v["unit"]),
            functions=[r["text"] for r in v["functions"]],
            goals=[Goal(**r) for r in v["goals"]],
            income=income,
            expenditure=expenditure,
            budget=Budget(**v["budget"], executed=expenditure.total.total, income_total=income.total.total,
                          basic_executed=expenditure.total.basic, project_executed=expenditure.total.project),
            funds=Funds(rows=[FundSource(**r) for r in v["funds"]]),
            by_function=ByFunction(rows=[FunctionItem(**r) for r in v["by_function"]]),
            social_fund=SocialFund(**v["social_fund"]),
            balance=Balance(carryover=income.total.carryover, current_income=income.total.current_year,
                            expenditure=expenditure.total.total),
            three_public=ThreePublic(rows=[ThreePublicItem(**r) for r in v["three_public"]]),
            assets=Assets(**v["assets"]),
            projects=Projects(rows=[Project(**p) for p in projects]),
            indicators=[Indicator(**r) for r in indicators],
            narrative=narrative,
            evaluators=[Evaluator(**r) for r in v["evaluators"]],
            inputs=inputs or {},
        )
    except ValidationError as exc:  # should not happen after the reader's typing; never a traceback
        raise ReportgenError(findings + [Finding(f"数据不完整: {p.message}", data.ref(field_path(p.loc)) or Location(part=field_path(p.loc)),
                                                 code="W524")
                                         for p in translated(exc)]) from exc
    return report, findings
