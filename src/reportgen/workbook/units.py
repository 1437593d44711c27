"""Example units unlike the 医疗保障局 example (``example.EXAMPLE``), of other departments and shapes.

* ``agriculture`` — 青山县农业农村局: a 行政单位 with three subordinate 事业单位 (four 机构 rows), 政府性基金
  and 国有资本经营预算 appropriations, 上级补助收入 and 事业收入, projects funded partly from 上年结转 and
  其他资金, a car bought; its survey given as hand-tallied counts (问卷计数).
* ``school`` — 青山县第一中学: a 事业单位 under the 教育局 with 事业收入, 经营收入/经营支出, 附属单位上缴收入,
  上缴上级支出, 对附属单位补助支出, 纳入专户管理的非税收入, no 基本/项目 budget split; its survey given as
  totals only (问卷总分, "得分 1,410/1,500").
* ``social_insurance`` — 青山县社会保险服务中心: a 参公 unit with no projects at all, which manages the
  county's 社会保险基金 (far larger than its own budget), and no survey.

Each is complete and internally consistent (its sums add up to the cent, its 收入 by source equals its
资金来源), so ``reportgen check`` passes it in every built-in format; between them every amount the
workbook asks for is nonzero somewhere (tests multiply each by 10⁴). Shape as ``WorkbookData.values``;
amounts in 万元. :func:`unit_values` adds what a format's own sheets need.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal as D
from typing import Any

from reportgen.workbook.example import EXAMPLE, indicator, project_indicator

Values = dict[str, Any]


def _income(org: str, carryover: str, general: str, *, gov_fund: str = "0", state_capital: str | None = None,
            upper_grant: str | None = None, business: str | None = None, operating: str | None = None,
            affiliated: str | None = None, special_nontax: str = "0", other: str = "0") -> Values:
    def amount(x: str | None) -> D | None:
        return None if x is None else D(x)

    return {"org": org, "carryover": D(carryover), "general_budget": D(general), "gov_fund": D(gov_fund),
            "state_capital": amount(state_capital), "upper_grant": amount(upper_grant), "business": amount(business),
            "operating": amount(operating), "affiliated": amount(affiliated), "special_nontax": D(special_nontax),
            "other": D(other)}


def _spend(org: str, uses: tuple[str, str], economy: tuple[str, str, str, str], project: str = "0",
           project_economy: tuple[str, str, str, str] | None = None, *, to_upper: str | None = None,
           operating: str | None = None, to_affiliated: str | None = None) -> Values:
    """One institution's spending: 基本支出 by 人员/公用经费 and by 经济分类 (each adding up to it), 项目支出
    (and its 经济分类, or None), and the other kinds."""
    personnel, public = (D(x) for x in uses)
    wages, goods, household, capital = (D(x) for x in economy)
    p = [None] * 4 if project_economy is None else [D(x) for x in project_economy]
    return {"org": org, "basic": personnel + public, "personnel": personnel, "public": public, "wages": wages,
            "goods_services": goods, "household": household, "capital": capital, "project": D(project),
            "to_upper": None if to_upper is None else D(to_upper), "operating": None if operating is None else D(operating),
            "to_affiliated": None if to_affiliated is None else D(to_affiliated),
            "project_wages": p[0], "project_goods_services": p[1], "project_household": p[2], "project_capital": p[3]}


def _project(name: str, initial: str, adjustment: str, executed: str, key: bool, purpose: str, expected: str,
             achieved: str, explanation: str | None = None, **sources: str) -> Values:
    """A project; ``sources``: its 上年结转 and 其他资金 amounts (initial_carryover=…, budget_other=…)."""
    keys = ("initial_carryover", "initial_other", "budget_carryover", "budget_other", "executed_carryover",
            "executed_other")
    return {"name": name, "initial": D(initial), "adjustment": D(adjustment), "executed": D(executed),
            **{k: D(sources[k]) if k in sources else None for k in keys}, "is_key": key, "purpose": purpose,
            "expected": expected, "achieved": achieved, "explanation": explanation}


def _line(category: str, section: str, item: str, budget: str, actual: str) -> Values:
    return {"category": category, "section": section, "item": item, "budget": D(budget), "actual": D(actual)}


def _three_public(abroad: tuple[str, str, str], purchase: tuple[str, str, str], running: tuple[str, str, str],
                  reception: tuple[str, str, str]) -> list[Values]:
    items = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
    return [{"item": item, "budget": D(b), "actual": D(a), "last_year": D(last)}
            for item, (b, a, last) in zip(items, (abroad, purchase, running, reception), strict=True)]


def _funds(initial: tuple[str, str, str], final: tuple[str, str, str], executed: tuple[str, str, str]) -> list[Values]:
    """资金来源 rows 本年财政拨款 / 上年结转 / 其他资金."""
    return [{"item": item, "initial": D(i), "final": D(f), "executed": D(e)}
            for item, i, f, e in zip(("本年财政拨款", "上年结转", "其他资金"), initial, final, executed, strict=True)]


def _narrative(*parts: tuple[str, str | None, str]) -> list[Values]:
    return [{"part": part, "title": title, "body": body} for part, title, body in parts]


# ---- 青山县农业农村局 --------------------------------------------------------------------------------------
#
# 收入合计 2,568.10 = 上年结转 110.40 + 本年收入 2,457.70 (一般公共预算 2,026.80, 政府性基金 320.00, 国有资本经营
# 15.00, 上级补助 30.00, 事业收入 51.10, 其他 14.80); 支出合计 2,521.45 = 基本 1,370.35 + 项目 1,151.10;
# 全年预算 2,380.00 + 188.10 = 2,568.10; 资金来源 本年财政拨款 2,361.80 (= 2,026.80 + 320.00 + 15.00),
# 上年结转 110.40, 其他资金 95.90 (= 30.00 + 51.10 + 14.80); 年末结转和结余 46.65.

AGRICULTURE: Values = {
    "unit": {
        "name": "青山县农业农村局", "year": 2025, "nature": "行政单位", "budget_level": "一级预算单位",
        "rank": "正科级", "founded": "2019年3月", "supervisor": "青山县人民政府",
        "departments": ["办公室", "计划财务股", "农业产业股", "农田建设管理股", "畜牧兽医股"],
        "subordinates": ["青山县农业技术推广中心", "青山县畜牧水产事务中心", "青山县农村经营管理服务站"],
        "staff_quota": 96, "staff_actual": 89, "quota_admin": 18, "quota_civil": None, "quota_public": 78,
        "actual_admin": 17, "actual_civil": None, "actual_public": 72, "temporary": 6, "dispatched": None,
        "retired": 40, "head": "郭振华", "contact": "许丽萍", "phone": "0730-5553306", "preparer": "许丽萍",
        "fill_date": dt.date(2026, 4, 8),
    },
    "functions": [{"text": t} for t in (
        "贯彻执行农业农村工作的法律法规和政策，拟订全县农业农村发展规划并组织实施。",
        "负责耕地质量和农田建设管理，组织实施高标准农田建设。",
        "负责动植物疫病防控和农产品质量安全监督管理。",
        "组织农业技术推广和农民教育培训，推进农村人居环境整治。",
    )],
    "goals": [
        {"name": "提升农田建设水平", "content": "新建高标准农田1.2万亩，项目按期验收。",
         "result": "建成高标准农田1.25万亩，12月通过县级验收。"},
        {"name": "守住动物疫病防线", "content": "重大动物疫病强制免疫应免尽免，不发生区域性疫情。",
         "result": "强制免疫密度98.6%，全年未发生区域性重大动物疫情。"},
        {"name": "推广农业实用技术", "content": "培训高素质农民800人次，主推技术到位率95%以上。",
         "result": "培训高素质农民856人次，主推技术到位率96.2%。"},
    ],
    "income": [
        _income("局机关", "85.40", "1245.60", gov_fund="320.00", state_capital="15.00", other="12.30"),
        _income("青山县农业技术推广中心", "18.20", "386.50", upper_grant="30.00", business="21.10"),
        _income("青山县畜牧水产事务中心", "6.80", "298.40", business="30.00", other="2.50"),
        _income("青山县农村经营管理服务站", "0.00", "96.30"),
    ],
    "expenditure": [
        _spend("局机关", ("498.60", "132.40"), ("470.20", "118.90", "28.40", "13.50"), "995.10",
               ("36.00", "402.10", "124.00", "433.00")),
        _spend("青山县农业技术推广中心", ("308.40", "52.30"), ("296.10", "50.80", "12.30", "1.50"), "96.00",
               ("0.00", "82.40", "0.00", "13.60")),
        _spend("青山县畜牧水产事务中心", ("246.80", "41.20"), ("236.50", "40.20", "10.30", "1.00"), "60.00",
               ("0.00", "48.00", "12.00", "0.00")),
        _spend("青山县农村经营管理服务站", ("78.20", "12.45"), ("74.60", "12.05", "3.60", "0.40")),
    ],
    "budget": {"initial": D("2380.00"), "adjustment": D("188.10"), "basic_initial": D("1380.00"),
               "basic_adjustment": D("12.00"), "project_initial": D("1000.00"), "project_adjustment": D("176.10"),
               "last_year_income": D("2412.36"), "last_year_expenditure": D("2388.90"), "public_budget": D("245.00"),
               "procurement_budget": D("520.00"), "procurement_actual": D("498.60")},
    "funds": _funds(("2300.00", "0.00", "80.00"), ("2361.80", "110.40", "95.90"), ("2330.15", "106.40", "84.90")),
    # 基本支出 1,370.35 in the first six lines, 项目支出 1,151.10 in the last five (one line per project)
    "by_function": [
        _line("社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出", "128.40", "128.40"),
        _line("卫生健康支出", "行政事业单位医疗", "行政单位医疗", "22.60", "22.60"),
        _line("卫生健康支出", "行政事业单位医疗", "事业单位医疗", "41.30", "41.30"),
        _line("住房保障支出", "住房改革支出", "住房公积金", "96.20", "96.20"),
        _line("农林水支出", "农业农村", "行政运行", "515.00", "505.20"),
        _line("农林水支出", "农业农村", "事业运行", "588.50", "576.65"),
        _line("农林水支出", "农业农村", "农田建设", "720.00", "712.50"),
        _line("农林水支出", "农业农村", "病虫害控制", "160.00", "156.00"),
        _line("农林水支出", "农业农村", "科技转化与推广服务", "140.00", "138.60"),
        _line("农林水支出", "农业农村", "农村社会事业", "126.10", "120.00"),
        _line("农林水支出", "农业农村", "农产品质量安全", "30.00", "24.00"),
    ],
    "social_fund": {"managed": False, "income": None, "expenditure": None, "balance": None},
    "three_public": _three_public(("0.00", "0.00", "0.00"), ("25.00", "24.80", "0.00"), ("18.00", "16.20", "17.50"),
                                  ("6.00", "4.30", "5.10")),
    "assets": {"total": D("3865.20"), "liabilities": D("142.30"), "fixed_in_use": D("2410.00"),
               "fixed_rented": D("85.00"), "fixed_other": D("36.50"), "current": D("1120.40"),
               "fixed_original": D("2531.50"), "fixed_net": D("2180.60"), "intangible": D("64.20")},
    "projects": [
        _project("高标准农田建设项目", "600.00", "120.00", "712.50", True, "土地平整、灌排渠系、田间道路建设",
                 "新建高标准农田1.2万亩", "建成1.25万亩并通过验收", budget_carryover="60.00", executed_carryover="60.00"),
        _project("动物疫病防控经费", "150.00", "10.00", "156.00", True, "强制免疫疫苗采购、监测采样、防疫员补助",
                 "强制免疫应免尽免", "免疫密度98.6%", initial_other="20.00", budget_other="30.00",
                 executed_other="30.00"),
        _project("农业技术推广与培训项目", "120.00", "20.00", "138.60", True, "主推技术示范、高素质农民培训",
                 "培训800人次，技术到位率95%", "培训856人次，到位率96.2%", initial_carryover="10.00",
                 budget_carryover="20.00", executed_carryover="20.00"),
        _project("农村人居环境整治项目", "100.00", "26.10", "120.00", False, "农村厕所改造、村庄清洁行动",
                 "改造农村户厕600户", "改造户厕612户"),
        _project("农产品质量安全检测经费", "30.00", "0.00", "24.00", False, "农产品抽样检测、检测耗材",
                 "抽检农产品1500批次", "抽检1320批次", "检测设备采购延至次年，部分抽检改由市级承担"),
    ],
    "project_indicators": [
        project_indicator("高标准农田建设项目", "产出指标", "数量指标", "新建高标准农田面积", "≥", "1.2", "万亩", "1.25", "25"),
        project_indicator("高标准农田建设项目", "产出指标", "质量指标", "工程验收合格率", "=", "100", "%", "100", "25"),
        project_indicator("高标准农田建设项目", "效益指标", "经济效益指标", "项目区亩均增产", "≥", "50", "公斤", "56", "30"),
        project_indicator("高标准农田建设项目", "满意度指标", "服务对象满意度指标", "项目区农户满意度", "≥", "90", "%",
                          "94", "10"),
        project_indicator("动物疫病防控经费", "产出指标", "数量指标", "强制免疫密度", "≥", "95", "%", "98.6", "25"),
        project_indicator("动物疫病防控经费", "产出指标", "时效指标", "疫情报告及时率", "=", "100", "%", "100", "25"),
        project_indicator("动物疫病防控经费", "效益指标", "社会效益指标", "区域性重大动物疫情", "定性", "不发生", None,
                          "未发生", "30", "达成"),
        project_indicator("动物疫病防控经费", "满意度指标", "服务对象满意度指标", "养殖户满意度", "≥", "90", "%", "93", "10"),
        project_indicator("农业技术推广与培训项目", "产出指标", "数量指标", "培训高素质农民", "≥", "800", "人次", "856", "25"),
        project_indicator("农业技术推广与培训项目", "产出指标", "质量指标", "主推技术到位率", "≥", "95", "%", "96.2", "25"),
        project_indicator("农业技术推广与培训项目", "效益指标", "社会效益指标", "受训农民技术应用率", "≥", "80", "%", "85",
                          "30"),
        project_indicator("农业技术推广与培训项目", "满意度指标", "服务对象满意度指标", "参训农民满意度", "≥", "90", "%",
                          "95", "10"),
        project_indicator("农村人居环境整治项目", "产出指标", "数量指标", "改造农村户厕", "≥", "600", "户", "612", "25"),
        project_indicator("农村人居环境整治项目", "成本指标", "经济成本指标", "户厕改造户均补助", "≤", "2000", "元",
                          "1960", "25"),
        project_indicator("农村人居环境整治项目", "效益指标", "生态效益指标", "村庄环境", "定性", "明显改善", None,
                          "明显改善", "30", "达成"),
        project_indicator("农村人居环境整治项目", "满意度指标", "服务对象满意度指标", "村民满意度", "≥", "90", "%", "92",
                          "10"),
        project_indicator("农产品质量安全检测经费", "产出指标", "数量指标", "农产品抽检批次", "≥", "1500", "批次", "1320",
                          "25", reason="检测设备采购延至次年，部分抽检由市级承担；下年度设备到位后补足批次"),
        project_indicator("农产品质量安全检测经费", "产出指标", "质量指标", "抽检合格率", "≥", "98", "%", "99.1", "25"),
        project_indicator("农产品质量安全检测经费", "效益指标", "社会效益指标", "农产品质量安全事件", "定性", "不发生",
                          None, "未发生", "30", "达成"),
        project_indicator("农产品质量安全检测经费", "满意度指标", "服务对象满意度指标", "消费者满意度", "≥", "90", "%",
                          "91", "10"),
    ],
    "indicators": [
        indicator("产出指标", "数量指标", "新建高标准农田面积", "≥", "1.2", "万亩", "1.25", "15"),
        indicator("产出指标", "数量指标", "培训高素质农民", "≥", "800", "人次", "856", "10"),
        indicator("产出指标", "质量指标", "重大动物疫病强制免疫密度", "≥", "95", "%", "98.6", "10"),
        indicator("产出指标", "时效指标", "项目资金拨付及时率", "≥", "95", "%", "97", "5"),
        indicator("成本指标", "经济成本指标", "支出控制在预算额度内", "定性", "不超预算", None, "未超预算", "10",
                  "达成"),
        indicator("效益指标", "经济效益指标", "项目区亩均增产", "≥", "50", "公斤", "56", "15"),
        indicator("效益指标", "社会效益指标", "区域性重大动物疫情", "定性", "不发生", None, "未发生", "15", "达成"),
        indicator("满意度指标", "服务对象满意度指标", "农户满意度", "≥", "90", "%", "91.67", "10"),  # the survey's 满意率
    ],
    "narrative": _narrative(
        ("部门概况", None, "本局负责全县农业农村经济发展、耕地和农田建设、动植物防疫、农产品质量安全和农村人居环境工作，"
                          "服务全县12个乡镇、186个行政村。"),
        ("工作成效", "农田建设提质增效", "新建高标准农田1.25万亩，项目区亩均增产56公斤，农田灌排条件明显改善。"),
        ("工作成效", "疫病防控扎实有效", "重大动物疫病强制免疫密度98.6%，全年未发生区域性重大动物疫情。"),
        ("工作成效", "技术推广覆盖面扩大", "培训高素质农民856人次，主推技术到位率96.2%。"),
        ("存在的问题", "检测能力不足", "农产品质量安全检测设备老化，抽检批次未达年度目标。"),
        ("改进措施", "补齐检测短板", "加快检测设备更新，完善县乡两级检测网络。"),
        ("其他需要说明的情况", None, "无。"),
        ("自评结论", None, "本单位2025年度部门整体支出管理规范，各项重点工作基本完成。"),
    ),
    "evaluators": [
        {"name": "郭振华", "title": "局长", "org": "青山县农业农村局"},
        {"name": "许丽萍", "title": "计划财务股股长", "org": "青山县农业农村局"},
        {"name": "邓国平", "title": "高级农艺师", "org": "青山县农业技术推广中心"},
    ],
}

# ---- 青山县第一中学 --------------------------------------------------------------------------------------
#
# 收入合计 3,845.50 = 上年结转 46.80 + 本年收入 3,798.70 (一般公共预算 3,120.50, 上级补助 12.00, 事业 486.20,
# 经营 58.30, 附属单位上缴 15.60, 专户非税 96.40, 其他 9.70); 支出合计 3,727.70 = 基本 3,136.70 + 项目 520.40
# + 上缴上级 8.00 + 经营 52.60 + 对附属单位补助 10.00; 全年预算 3,650.00 + 195.50 = 3,845.50; 资金来源 本年财政拨款
# 3,120.50, 上年结转 46.80, 其他资金 678.20; 年末结转和结余 117.80.

SCHOOL: Values = {
    "unit": {
        "name": "青山县第一中学", "year": 2025, "nature": "事业单位", "budget_level": "二级预算单位",
        "rank": "正科级", "founded": "1952年9月", "supervisor": "青山县教育局",
        "departments": ["校长办公室", "教务处", "政教处", "总务处"], "subordinates": ["青山县第一中学校办印刷厂"],
        "staff_quota": 210, "staff_actual": 198, "quota_admin": None, "quota_civil": None, "quota_public": 210,
        "actual_admin": None, "actual_civil": None, "actual_public": 198, "temporary": 25, "dispatched": 4,
        "retired": 60, "head": "唐建国", "contact": "彭晓燕", "phone": "0730-5552108", "preparer": "彭晓燕",
        "fill_date": dt.date(2026, 4, 15),
    },
    "functions": [{"text": t} for t in (
        "实施普通高中学历教育，完成国家规定的课程计划。",
        "开展教育教学研究，提高教育教学质量。",
        "负责学生资助、学籍管理和校园安全。",
    )],
    "goals": [
        {"name": "提高教学质量", "content": "高考本科上线率不低于60%。", "result": "高考本科上线率63.5%。"},
        {"name": "落实学生资助", "content": "家庭经济困难学生应助尽助。", "result": "资助家庭经济困难学生412人次，应助尽助。"},
        {"name": "改善办学条件", "content": "完成理化生实验室设备更新。", "result": "更新实验室3间，设备按期投入使用。"},
    ],
    "income": [
        _income("青山县第一中学", "46.80", "3120.50", upper_grant="12.00", business="486.20", operating="58.30",
                affiliated="15.60", special_nontax="96.40", other="9.70"),
    ],
    "expenditure": [
        _spend("青山县第一中学", ("2650.40", "486.30"), ("2412.80", "468.70", "237.60", "17.60"), "520.40",
               ("0.00", "310.20", "96.00", "114.20"), to_upper="8.00", operating="52.60", to_affiliated="10.00"),
    ],
    "budget": {"initial": D("3650.00"), "adjustment": D("195.50"), "basic_initial": None, "basic_adjustment": None,
               "project_initial": None, "project_adjustment": None, "last_year_income": D("3688.20"),
               "last_year_expenditure": D("3602.45"), "public_budget": D("500.00"), "procurement_budget": D("160.00"),
               "procurement_actual": D("152.30")},
    "funds": _funds(("3000.00", "0.00", "650.00"), ("3120.50", "46.80", "678.20"), ("3060.20", "40.00", "627.50")),
    "by_function": [
        _line("教育支出", "普通教育", "高中教育", "3269.50", "3166.50"),
        _line("社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出", "296.00", "286.40"),
        _line("卫生健康支出", "行政事业单位医疗", "事业单位医疗", "100.00", "98.50"),
        _line("住房保障支出", "住房改革支出", "住房公积金", "180.00", "176.30"),
    ],
    "social_fund": {"managed": None, "income": None, "expenditure": None, "balance": None},
    "three_public": _three_public(("5.00", "4.60", "0.00"), ("0.00", "0.00", "0.00"), ("4.00", "3.20", "3.80"),
                                  ("2.00", "1.10", "1.60")),
    "assets": {"total": D("6820.40"), "liabilities": D("310.20"), "fixed_in_use": D("4860.00"),
               "fixed_rented": D("0.00"), "fixed_other": D("120.00"), "current": D("1680.30"),
               "fixed_original": D("4980.00"), "fixed_net": D("3950.10"), "intangible": None},
    "projects": [
        _project("教学设备购置项目", "300.00", "60.00", "356.40", True, "理化生实验室设备、多媒体教室设备",
                 "更新实验室3间", "更新实验室3间并投入使用", budget_other="60.00", executed_other="56.40"),
        _project("学生资助经费", "96.00", "0.00", "96.00", True, "国家助学金、学费减免", "应助尽助",
                 "资助412人次"),
        _project("校舍维修改造项目", "84.00", "0.00", "68.00", False, "教学楼屋面防水、围墙维修",
                 "完成教学楼屋面防水和围墙维修", "屋面防水完工，围墙维修部分完成", "围墙维修部分工程延至寒假施工"),
    ],
    "project_indicators": [
        project_indicator("教学设备购置项目", "产出指标", "数量指标", "更新实验室数量", "≥", "3", "间", "3", "25"),
        project_indicator("教学设备购置项目", "产出指标", "质量指标", "设备验收合格率", "=", "100", "%", "100", "25"),
        project_indicator("教学设备购置项目", "效益指标", "社会效益指标", "实验课开出率", "≥", "95", "%", "98", "30"),
        project_indicator("教学设备购置项目", "满意度指标", "服务对象满意度指标", "师生满意度", "≥", "90", "%", "95", "10"),
        project_indicator("学生资助经费", "产出指标", "数量指标", "资助学生人次", "≥", "400", "人次", "412", "25"),
        project_indicator("学生资助经费", "产出指标", "时效指标", "资助资金发放及时率", "=", "100", "%", "100", "25"),
        project_indicator("学生资助经费", "效益指标", "社会效益指标", "因贫辍学学生", "≤", "0", "人", "0", "30"),
        project_indicator("学生资助经费", "满意度指标", "服务对象满意度指标", "受助学生满意度", "≥", "90", "%", "97", "10"),
        project_indicator("校舍维修改造项目", "产出指标", "数量指标", "完成维修项目", "≥", "2", "项", "1.5", "25",
                          reason="围墙维修部分工程延至寒假施工，已于次年1月完工"),
        project_indicator("校舍维修改造项目", "产出指标", "质量指标", "工程验收合格率", "=", "100", "%", "100", "25"),
        project_indicator("校舍维修改造项目", "效益指标", "社会效益指标", "校舍安全隐患", "定性", "消除", None, "基本消除",
                          "30", "部分达成", "围墙维修未全部完工，隐患已设围挡隔离"),
        project_indicator("校舍维修改造项目", "满意度指标", "服务对象满意度指标", "师生满意度", "≥", "90", "%", "92", "10"),
    ],
    "indicators": [
        indicator("产出指标", "数量指标", "在校学生人数", "≥", "2400", "人", "2436", "15"),
        indicator("产出指标", "质量指标", "高考本科上线率", "≥", "60", "%", "63.5", "15"),
        indicator("产出指标", "时效指标", "学生资助资金发放及时率", "=", "100", "%", "100", "10"),
        indicator("成本指标", "经济成本指标", "生均公用经费", "≤", "2200", "元", "1996", "10"),
        indicator("效益指标", "社会效益指标", "巩固率", "≥", "98", "%", "99.2", "15"),
        indicator("效益指标", "可持续影响指标", "教学质量", "定性", "稳步提升", None, "稳步提升", "15", "达成"),
        indicator("满意度指标", "服务对象满意度指标", "家长满意度", "≥", "90", "%", "95.4", "10"),  # the survey's 满意率
    ],
    "narrative": _narrative(
        ("部门概况", None, "学校为公办普通高中，现有教学班48个、在校学生2436人。"),
        ("工作成效", "教学质量稳步提高", "高考本科上线率63.5%，较上年提高2.1个百分点。"),
        ("工作成效", "资助政策全面落实", "资助家庭经济困难学生412人次，做到应助尽助。"),
        ("存在的问题", "维修工程进度滞后", "校舍维修项目部分工程未能在年内完工。"),
        ("改进措施", "加强项目进度管理", "合理安排施工时间，建立项目进度月报制度。"),
        ("自评结论", None, "本校2025年度部门整体支出管理规范，年度目标基本完成。"),
    ),
    "evaluators": [
        {"name": "唐建国", "title": "校长", "org": "青山县第一中学"},
        {"name": "彭晓燕", "title": "总务处主任", "org": "青山县第一中学"},
    ],
}

# ---- 青山县社会保险服务中心 ------------------------------------------------------------------------------
#
# 收入合计 416.60 = 上年结转 3.20 + 一般公共预算 412.60 + 其他 0.80; 支出合计 410.90, all 基本支出 (no projects);
# 全年预算 405.00 + 11.60 = 416.60; 年末结转和结余 5.70. It manages the county's 社会保险基金: 收入 86,420.50,
# 支出 81,305.20 万元 — some 300 times its own budget, which is why a fund is judged on its own scale.

SOCIAL_INSURANCE: Values = {
    "unit": {
        "name": "青山县社会保险服务中心", "year": 2025, "nature": "参照公务员法管理事业单位",
        "budget_level": "二级预算单位", "rank": "副科级", "founded": "2002年6月",
        "supervisor": "青山县人力资源和社会保障局", "departments": ["综合股", "征缴股", "待遇审核股", "基金财务股"],
        "subordinates": [], "staff_quota": 28, "staff_actual": 26, "quota_admin": None, "quota_civil": 28,
        "quota_public": None, "actual_admin": None, "actual_civil": 26, "actual_public": None, "temporary": 4,
        "dispatched": None, "retired": 11, "head": "黎文军", "contact": "钟海燕", "phone": "0730-5554120",
        "preparer": "钟海燕", "fill_date": dt.date(2026, 3, 27),
    },
    "functions": [{"text": t} for t in (
        "负责全县社会保险登记、缴费基数核定和社会保险费征缴。",
        "负责社会保险待遇审核、支付和社会保险基金财务管理。",
        "负责社会保险关系转移接续和经办服务。",
    )],
    "goals": [
        {"name": "扩大参保覆盖面", "content": "城乡居民养老保险参保率稳定在95%以上。", "result": "参保率96.4%。"},
        {"name": "确保待遇按时足额发放", "content": "养老金按月足额发放。", "result": "全年按月足额发放，发放率100%。"},
    ],
    "income": [_income("青山县社会保险服务中心", "3.20", "412.60", other="0.80")],
    "expenditure": [_spend("青山县社会保险服务中心", ("352.30", "58.60"), ("330.10", "55.40", "22.20", "3.20"))],
    "budget": {"initial": D("405.00"), "adjustment": D("11.60"), "basic_initial": D("405.00"),
               "basic_adjustment": D("11.60"), "project_initial": D("0.00"), "project_adjustment": D("0.00"),
               "last_year_income": D("398.75"), "last_year_expenditure": D("395.10")},
    "funds": _funds(("404.20", "0.00", "0.80"), ("412.60", "3.20", "0.80"), ("406.90", "3.20", "0.80")),
    "by_function": [
        _line("社会保障和就业支出", "人力资源和社会保障管理事务", "社会保险经办机构", "341.90", "336.20"),
        _line("社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出", "38.20", "38.20"),
        _line("卫生健康支出", "行政事业单位医疗", "事业单位医疗", "12.50", "12.50"),
        _line("住房保障支出", "住房改革支出", "住房公积金", "24.00", "24.00"),
    ],
    "social_fund": {"managed": True, "income": D("86420.50"), "expenditure": D("81305.20"), "balance": D("152860.40")},
    "three_public": _three_public(("0.00", "0.00", "0.00"), ("0.00", "0.00", "0.00"), ("0.00", "0.00", "0.00"),
                                  ("0.80", "0.52", "0.60")),
    "assets": {"total": D("268.40"), "liabilities": D("12.60"), "fixed_in_use": D("96.20"), "fixed_rented": D("0.00"),
               "fixed_other": D("0.00"), "current": D("160.30"), "fixed_original": D("96.20"),
               "fixed_net": D("58.40"), "intangible": D("38.50")},
    "projects": [],
    "project_indicators": [],
    "indicators": [
        indicator("产出指标", "数量指标", "城乡居民养老保险参保率", "≥", "95", "%", "96.4", "20"),
        indicator("产出指标", "时效指标", "养老金按月发放率", "=", "100", "%", "100", "20"),
        indicator("成本指标", "经济成本指标", "支出控制在预算额度内", "定性", "不超预算", None, "未超预算", "10", "达成"),
        indicator("效益指标", "社会效益指标", "社会保险基金安全", "定性", "不发生重大风险", None, "未发生", "30", "达成"),
        indicator("满意度指标", "服务对象满意度指标", "参保群众满意度", "≥", "90", "%", "95.2", "10"),
    ],
    "narrative": _narrative(
        ("部门概况", None, "中心承担全县企业职工、机关事业单位和城乡居民社会保险经办工作。"),
        ("工作成效", "待遇按时足额发放", "全年按月足额发放养老保险待遇，发放率100%。"),
        ("存在的问题", None, "经办信息化水平有待提高。"),
        ("改进措施", None, "推进社保经办数字化转型，扩大“掌上办”事项。"),
        ("自评结论", None, "本中心2025年度部门整体支出管理规范，年度目标全面完成。"),
    ),
    "evaluators": [{"name": "黎文军", "title": "主任", "org": "青山县社会保险服务中心"}],
}

UNITS: dict[str, Values] = {"medical": EXAMPLE, "agriculture": AGRICULTURE, "school": SCHOOL,
                            "social_insurance": SOCIAL_INSURANCE}

# Each unit's survey as typed by hand: per 对象类别, how many of its valid questionnaires chose each option
# (the same for every question: 问卷计数), or only its totals (问卷总分, "得分 1,410/1,500"); or none.
SURVEY_COUNTS: dict[str, dict[str, tuple[int, ...]]] = {
    "agriculture": {"服务对象": (18, 10, 2, 0), "社会公众": (14, 13, 3, 0)},  # 30 + 30 questionnaires
}
SURVEY_TOTALS: dict[str, list[Values]] = {
    "school": [{"category": "服务对象", "issued": 32, "valid": 30, "score": D(1410), "satisfaction_rate": "96.0%"},
               {"category": "社会公众", "issued": 20, "valid": 20, "score": D(920), "satisfaction_rate": "94.5%"}],
}


def unit_values(unit: str, fmt: Any) -> Values:
    """``unit``'s values for format ``fmt``: the unit's own data, the format example's scoring inputs
    (a self-assessment of management, the same for any unit) and the unit's survey where the format
    has a questionnaire."""
    values = copy.deepcopy(UNITS[unit])  # callers may edit theirs; the shared data stays as declared
    if unit == "medical":
        return {**values, **fmt.example_values}
    if "inputs" in fmt.example_values:
        values["inputs"] = fmt.example_values["inputs"]
    q = fmt.questionnaire
    if q is not None and unit in SURVEY_COUNTS:
        values["questionnaire_counts"] = [
            {"category": category, "question": question.label, **{f"option_{n}": c for n, c in enumerate(counts)}}
            for category, counts in SURVEY_COUNTS[unit].items() for question in q.questions]
    if q is not None and unit in SURVEY_TOTALS:
        values["questionnaire_totals"] = SURVEY_TOTALS[unit]
    return values
