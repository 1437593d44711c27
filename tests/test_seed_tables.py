"""The seed reports' scoring tables rebuilt from workbook inputs (the real reader and model)."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import yaml

from reportgen.formats.loader import resolve_format
from reportgen.formats.sheets import workbook_schema
from reportgen.pipeline import evaluate
from reportgen.workbook.blank import write_workbook
from reportgen.workbook.example import EXAMPLE
from tests.conftest import without_breakdowns

ROOT = Path(__file__).parents[1]


def yueyang_2020_values() -> dict:
    """岳阳市医疗保障局 2020 as typed into the workbook (amounts in 万元, from the seed's tables).

    The seed's own slip (公用经费 338.41 while 基本支出 − 人员经费 = 361.48) would be an error here,
    so 公用经费 is typed as the 决算 has it."""
    values = without_breakdowns(copy.deepcopy(EXAMPLE))
    values["unit"] |= {"name": "岳阳市医疗保障局", "year": 2020, "staff_quota": 96, "staff_actual": 94,
                       "fill_date": dt.date(2021, 3, 31)}
    values["income"] = [{"org": "局机关", "carryover": D("498.88"), "general_budget": D("1738.72"), "gov_fund": D(0),
                         "special_nontax": D(0), "other": D("36.83")}]
    values["expenditure"] = [{"org": "局机关", "basic": D("1502.19"), "personnel": D("1140.71"), "public": D("361.48"),
                              "wages": D("1093.69"), "goods_services": D("338.41"), "household": D("47.02"),
                              "capital": D("23.08"), "project": D("739.11")}]
    values["budget"] = {"initial": D("2241.30"), "adjustment": D(0), "last_year_income": None,
                        "last_year_expenditure": None}
    values["three_public"] = [
        {"item": "因公出国（境）费", "budget": D(0), "actual": D(0), "last_year": D(0)},
        {"item": "公务用车购置费", "budget": D(0), "actual": D(0), "last_year": D(0)},
        {"item": "公务用车运行维护费", "budget": D("3.84"), "actual": D("3.84"), "last_year": D("4.10")},
        {"item": "公务接待费", "budget": D("5.42"), "actual": D("5.42"), "last_year": D("6.00")},
    ]
    values["assets"] |= {"total": D("260.00"), "liabilities": D(0), "fixed_in_use": D("205.81"),
                         "fixed_rented": D(0), "fixed_other": D(0)}
    values["projects"] = [
        {"name": "医疗保障目标管理经费", "initial": D("305.70"), "adjustment": D(0), "executed": D("289.72"),
         "is_key": True, "purpose": None, "expected": None, "achieved": None, "explanation": None},
        {"name": "其他专项", "initial": D("449.39"), "adjustment": D(0), "executed": D("449.39"),
         "is_key": True, "purpose": None, "expected": None, "achieved": None, "explanation": None},
    ]
    values["project_indicators"] = []
    inputs = yaml.safe_load((ROOT / "templates/yueyang-2020/example.yaml").read_text("utf-8"))["inputs"]
    inputs |= {"政府采购实际数": 90, "政府采购计划数": 90, "其他工作实绩_得分": 4, "其他工作实绩_扣分原因": None,
               "履职效益_得分": 15, "履职效益_扣分原因": None, "服务对象满意度": 95}
    values["inputs"] = inputs
    return values


def test_yueyang_2020_scores_99(tmp_path: Path) -> None:
    path = tmp_path / "yueyang.xlsx"
    write_workbook(workbook_schema(resolve_format("yueyang-2020")), path, yueyang_2020_values())
    evaluation = evaluate(path)
    result = evaluation.score
    assert result.total == D("99")
    assert result.grade == "优"
    balance = result.row("资金结余")
    assert (balance.weight, balance.points) == (D(3), D(2))
    assert "不超过上年结转" in balance.deduction_reason
    assert [r.name for r in result.rows if r.points < r.weight] == ["资金结余"]
    # the workbook's own rounding slip (四项经济分类 1502.20 vs 基本支出 1502.19) is a warning, not a stop
    assert any("尾差" in f.message for f in evaluation.findings)
