"""The short terminal summary ``reportgen check`` prints: key figures, score and questionnaires."""

from __future__ import annotations

from reportgen.pipeline import Evaluation
from reportgen.render.filters import pct, points, score, wan


def key_figures(evaluation: Evaluation) -> str:
    r = evaluation.report
    e, b, tp = r.expenditure, r.budget, r.three_public
    lines = [
        f"{r.unit.name} {r.unit.year} 年度（格式：{evaluation.format.id}）",
        f"  收入合计 {wan(r.income.total.total)} 万元（其中上年结转 {wan(r.income.total.carryover)}）",
        f"  支出合计 {wan(e.total.total)} 万元：基本支出 {wan(e.total.basic)}（{pct(e.basic_share)}），"
        f"项目支出 {wan(e.total.project)}（{pct(e.project_share)}）",
        f"  人员经费占基本支出 {pct(e.personnel_share)}，公用经费占基本支出 {pct(e.public_share)}",
        f"  全年预算 {wan(b.final)} 万元，预算执行率 {pct(b.execution_rate)}，预算调整率 {pct(b.adjustment_rate)}",
        f"  年末结转和结余 {wan(r.balance.year_end)} 万元",
        f"  “三公”经费 决算 {wan(tp.actual_total)} / 预算 {wan(tp.budget_total)} 万元，"
        f"控制率 {pct(tp.control_rate)}，变动率 {pct(tp.change_rate)}",
        f"  在职人员控制率 {pct(r.staff.control_rate)}（{r.staff.actual}/{r.staff.quota}），"
        f"重点支出安排率 {pct(r.projects.key_share)}，固定资产利用率 {pct(r.assets.fixed_utilization)}",
    ]
    if evaluation.questionnaire_summary is not None:
        from reportgen.formats.sheets import SOURCE_SHEETS

        s = evaluation.questionnaire_summary
        lines.append(f"  满意度问卷 有效 {s.valid}/{s.issued} 份，得分 {score(s.score)}/{score(s.full_score)}，"
                     f"满意率 {pct(s.satisfaction_rate)}（据“{SOURCE_SHEETS[s.source]}”表）")
    if evaluation.score is not None:
        from reportgen.scoring.engine import format_score_table

        lines += ["", format_score_table(evaluation.score)]
    scored = [r for r in evaluation.project_scores if r is not None]
    if scored:
        lines += ["", f"项目评分：{scored[0].system_name}"]
        lines += [f"  {p.name}：{points(result.total)} 分（满分 {score(result.total_weight)}），等次：{result.grade or '—'}"
                  if result is not None else f"  {p.name}：没有绩效指标，不计分"
                  for p, result in zip(evaluation.report.projects.rows, evaluation.project_scores, strict=True)]
    lines += ["", "将生成：" + "、".join(doc.name + (f"（{copies} 份）" if doc.for_each == "project" else "")
                                        for doc, copies in evaluation.documents())]
    return "\n".join(lines)
