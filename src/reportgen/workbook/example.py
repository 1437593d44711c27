"""The fictional example unit (青山县医疗保障局, 2025), complete and internally consistent.

Shape is exactly what the reader returns (``WorkbookData.values``), so the example is written
with the same code path as any workbook. Amounts in 万元. A format folder may add its own
``example.yaml`` for the sheets only it has (scoring inputs, questionnaire responses).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any


def _income(org: str, carryover: str, general: str, other: str) -> dict[str, Any]:
    return {"org": org, "carryover": D(carryover), "general_budget": D(general), "gov_fund": D(0),
            "state_capital": None, "upper_grant": None, "business": None, "operating": None, "affiliated": None,
            "special_nontax": D(0), "other": D(other)}


def _spend(org: str, personnel: str, public: str, wages: str, goods: str, household: str, capital: str,
           project: str, project_economy: tuple[str, str, str, str]) -> dict[str, Any]:
    """One institution's spending; ``project_economy``: its 项目支出 by 工资福利, 商品和服务,
    对个人和家庭的补助, 资本性支出."""
    p_wages, p_goods, p_household, p_capital = (D(x) for x in project_economy)
    return {"org": org, "basic": D(personnel) + D(public), "personnel": D(personnel), "public": D(public),
            "wages": D(wages), "goods_services": D(goods), "household": D(household), "capital": D(capital),
            "project": D(project), "to_upper": None, "operating": None, "to_affiliated": None,
            "project_wages": p_wages, "project_goods_services": p_goods, "project_household": p_household,
            "project_capital": p_capital}


def _project(name: str, initial: str, adjustment: str, executed: str, key: bool, purpose: str, expected: str,
             achieved: str, explanation: str | None = None, carryover: str | None = None) -> dict[str, Any]:
    """A project funded from 本年财政拨款, or (``carryover``) partly from 上年结转 added in the year's
    adjustment and spent in full."""
    carry = None if carryover is None else D(carryover)
    return {"name": name, "initial": D(initial), "adjustment": D(adjustment), "executed": D(executed),
            "initial_carryover": None, "initial_other": None, "budget_carryover": carry, "budget_other": None,
            "executed_carryover": carry, "executed_other": None, "is_key": key, "purpose": purpose,
            "expected": expected, "achieved": achieved, "explanation": explanation}


def project_indicator(project: str, level1: str, level2: str, level3: str, nature: str, target: str, unit: str | None,
        actual: str, weight: str, achievement: str | None = None, reason: str | None = None) -> dict[str, Any]:
    return {"project": project, **indicator(level1, level2, level3, nature, target, unit, actual, weight, achievement,
                                             reason)}


def indicator(level1: str, level2: str, level3: str, nature: str, target: str, unit: str | None, actual: str,
               weight: str, achievement: str | None = None, reason: str | None = None) -> dict[str, Any]:
    return {"level1": level1, "level2": level2, "level3": level3, "nature": nature, "target": target,
            "unit": unit, "actual": actual, "weight": D(weight), "achievement": achievement,
            "deviation_reason": reason}


EXAMPLE: dict[str, Any] = {
    "unit": {
        "name": "青山县医疗保障局", "year": 2025, "nature": "行政单位", "budget_level": "一级预算单位",
        "rank": "正科级", "founded": "2019年3月", "supervisor": "青山县人民政府",
        "departments": ["办公室", "待遇保障股", "医药服务管理股", "基金监管股"],
        "subordinates": ["青山县医疗保障事务中心"],
        "staff_quota": 45, "staff_actual": 42, "quota_admin": 12, "quota_civil": None, "quota_public": 33,
        "actual_admin": 11, "actual_civil": None, "actual_public": 31, "temporary": 3, "dispatched": 2, "retired": 9,
        "head": "周明远", "contact": "林晓雯", "phone": "0730-5551234",
        "preparer": "林晓雯", "fill_date": dt.date(2026, 3, 31),
    },
    "functions": [{"text": t} for t in (
        "贯彻执行国家和省、市医疗保障法律法规和政策，拟订全县医疗保障制度的实施办法并组织实施。",
        "组织实施医疗保障基金监督管理办法，建立健全医疗保障基金安全防控机制。",
        "组织实施医疗保障筹资和待遇政策，统筹城乡医疗保障待遇标准。",
        "执行药品、医用耗材、医疗服务项目等医保目录和支付标准，落实集中带量采购政策。",
        "负责全县医疗保障经办管理、公共服务体系和信息化建设。",
        "执行城乡医疗救助政策，做好困难群众参保资助和医疗救助工作。",
    )],
    "goals": [
        {"name": "巩固全民参保", "content": "基本医疗保险参保率稳定在95%以上，困难群众应保尽保。",
         "result": "全县基本医疗保险参保率96.3%，困难群众资助参保全覆盖。"},
        {"name": "守好基金安全", "content": "开展打击欺诈骗保专项治理，定点医药机构检查全覆盖。",
         "result": "检查定点医药机构132家，追回违规基金236.50万元。"},
        {"name": "提升经办服务", "content": "推进医保服务“一网通办”，待遇支付及时准确。",
         "result": "线上办理事项占比达到78%，待遇支付及时率99.2%。"},
    ],
    "income": [
        _income("局机关", "52.36", "1163.89", "8.20"),
        _income("青山县医疗保障事务中心", "0.00", "315.80", "0.00"),
    ],
    "expenditure": [
        _spend("局机关", "612.38", "148.26", "575.12", "139.86", "37.26", "8.40", "451.20",
               ("0.00", "375.40", "12.00", "63.80")),
        _spend("青山县医疗保障事务中心", "228.40", "41.60", "215.50", "39.10", "12.90", "2.50", "45.80",
               ("0.00", "45.80", "0.00", "0.00")),
    ],
    # 基本支出 980.25 + 55.00 and 项目支出 500.00 + 5.00 (the 项目 sheet's sums) make the unit's budget
    "budget": {"initial": D("1480.25"), "adjustment": D("60.00"), "basic_initial": D("980.25"),
               "basic_adjustment": D("55.00"), "project_initial": D("500.00"), "project_adjustment": D("5.00"),
               "last_year_income": D("1498.60"), "last_year_expenditure": D("1452.37")},
    # 上年结转 52.36 (the 收入 sheet's) added in the year and spent; 其他资金 the 其他收入 8.20; the rest 本年财政拨款
    "funds": [
        {"item": "本年财政拨款", "initial": D("1472.05"), "final": D("1479.69"), "executed": D("1467.08")},
        {"item": "上年结转", "initial": D("0.00"), "final": D("52.36"), "executed": D("52.36")},
        {"item": "其他资金", "initial": D("8.20"), "final": D("8.20"), "executed": D("8.20")},
    ],
    # 支出决算表 by 功能分类: 项目支出 497.00 in 医疗保障经办事务, 基本支出 1,030.64 in the other six lines
    "by_function": [
        {"category": "社会保障和就业支出", "section": "行政事业单位养老支出", "item": "机关事业单位基本养老保险缴费支出",
         "budget": D("86.40"), "actual": D("86.40")},
        {"category": "社会保障和就业支出", "section": "行政事业单位养老支出", "item": "机关事业单位职业年金缴费支出",
         "budget": D("43.20"), "actual": D("43.20")},
        {"category": "卫生健康支出", "section": "行政事业单位医疗", "item": "行政单位医疗",
         "budget": D("38.50"), "actual": D("38.50")},
        {"category": "卫生健康支出", "section": "医疗保障管理事务", "item": "行政运行",
         "budget": D("562.00"), "actual": D("560.34")},
        {"category": "卫生健康支出", "section": "医疗保障管理事务", "item": "事业运行",
         "budget": D("242.75"), "actual": D("239.80")},
        {"category": "卫生健康支出", "section": "医疗保障管理事务", "item": "医疗保障经办事务",
         "budget": D("505.00"), "actual": D("497.00")},
        {"category": "住房保障支出", "section": "住房改革支出", "item": "住房公积金",
         "budget": D("62.40"), "actual": D("62.40")},
    ],
    "social_fund": {"managed": False, "income": None, "expenditure": None, "balance": None},
    "three_public": [
        {"item": "因公出国（境）费", "budget": D("0.00"), "actual": D("0.00"), "last_year": D("0.00")},
        {"item": "公务用车购置费", "budget": D("0.00"), "actual": D("0.00"), "last_year": D("0.00")},
        {"item": "公务用车运行维护费", "budget": D("6.00"), "actual": D("5.12"), "last_year": D("5.86")},
        {"item": "公务接待费", "budget": D("3.00"), "actual": D("2.35"), "last_year": D("2.88")},
    ],
    "assets": {"total": D("486.32"), "liabilities": D("21.50"), "fixed_in_use": D("203.60"),
               "fixed_rented": D("0.00"), "fixed_other": D("4.20"), "current": D("248.62"),
               "fixed_original": D("207.80"), "fixed_net": D("186.30"), "intangible": D("51.40")},
    "projects": [
        _project("医疗保障基金监管经费", "120.00", "0.00", "118.50", True, "定点医药机构检查、第三方审核服务",
                 "检查定点医药机构不少于120家", "检查定点医药机构132家"),
        _project("城乡居民医保经办服务经费", "150.00", "10.00", "160.00", True, "参保登记、待遇审核与支付",
                 "待遇支付及时率不低于98%", "待遇支付及时率99.2%", carryover="10.00"),
        _project("医保信息化建设运维经费", "95.00", "0.00", "92.30", True, "医保信息平台运维、网络租赁",
                 "信息系统运行率不低于99%", "信息系统运行率99.6%"),
        _project("医疗救助经办经费", "60.00", "0.00", "60.00", True, "医疗救助审核、一站式结算",
                 "困难群众一站式结算全覆盖", "一站式结算覆盖全部定点医院"),
        _project("医保政策宣传经费", "25.00", "-5.00", "20.00", False, "政策宣传资料印制、集中宣传月活动",
                 "发放宣传资料3万份", "发放宣传资料3.2万份"),
        _project("业务培训经费", "12.00", "0.00", "8.40", False, "经办人员和定点机构业务培训",
                 "培训300人次", "培训326人次", "部分培训改为线上开展，节约场地费用"),
        _project("档案管理经费", "8.00", "0.00", "7.80", False, "档案整理、档案柜购置",
                 "完成当年业务档案归档", "完成归档档案1.2万卷"),
        _project("办公用房维修改造经费", "30.00", "0.00", "30.00", True, "办公用房及服务大厅维修改造",
                 "服务大厅改造按期完工", "服务大厅于9月完工并投入使用"),
    ],
    # 分值 per project as the 10号 form's notes: 产出 50, 效益 30, 满意度 10 (+ 项目资金 10 = 100)
    "project_indicators": [
        project_indicator("医疗保障基金监管经费", "产出指标", "数量指标", "检查定点医药机构数量", "≥", "120", "家", "132", "25"),
        project_indicator("医疗保障基金监管经费", "产出指标", "时效指标", "专项检查按期完成率", "=", "100", "%", "100", "25"),
        project_indicator("医疗保障基金监管经费", "效益指标", "社会效益指标", "追回违规医保基金", "≥", "200", "万元", "236.50", "30"),
        project_indicator("医疗保障基金监管经费", "满意度指标", "服务对象满意度指标", "参保群众满意度", "≥", "90", "%", "96.5", "10"),
        project_indicator("城乡居民医保经办服务经费", "产出指标", "数量指标", "参保登记办理人次", "≥", "5", "万人次", "5.6", "25"),
        project_indicator("城乡居民医保经办服务经费", "产出指标", "时效指标", "待遇支付及时率", "≥", "98", "%", "99.2", "25"),
        project_indicator("城乡居民医保经办服务经费", "效益指标", "社会效益指标", "参保群众就医结算便利程度", "定性", "明显提升", None,
            "明显提升", "30", "达成"),
        project_indicator("城乡居民医保经办服务经费", "满意度指标", "服务对象满意度指标", "参保群众满意度", "≥", "90", "%", "96.5", "10"),
        project_indicator("医保信息化建设运维经费", "产出指标", "质量指标", "信息系统运行率", "≥", "99", "%", "99.6", "25"),
        project_indicator("医保信息化建设运维经费", "产出指标", "时效指标", "系统故障响应时间", "≤", "2", "小时", "1.5", "25"),
        project_indicator("医保信息化建设运维经费", "效益指标", "社会效益指标", "线上办理事项占比", "≥", "70", "%", "78", "30"),
        project_indicator("医保信息化建设运维经费", "满意度指标", "服务对象满意度指标", "参保群众满意度", "≥", "90", "%", "95.8", "10"),
        project_indicator("医疗救助经办经费", "产出指标", "数量指标", "一站式结算定点医院覆盖率", "=", "100", "%", "100", "25"),
        project_indicator("医疗救助经办经费", "产出指标", "时效指标", "救助资金按时拨付率", "=", "100", "%", "100", "25"),
        project_indicator("医疗救助经办经费", "效益指标", "社会效益指标", "困难群众就医负担", "定性", "有效减轻", None, "有效减轻", "30",
            "达成"),
        project_indicator("医疗救助经办经费", "满意度指标", "服务对象满意度指标", "救助对象满意度", "≥", "90", "%", "97", "10"),
        project_indicator("医保政策宣传经费", "产出指标", "数量指标", "发放宣传资料", "≥", "3", "万份", "3.2", "25"),
        project_indicator("医保政策宣传经费", "产出指标", "数量指标", "集中宣传活动场次", "≥", "4", "场", "5", "25"),
        project_indicator("医保政策宣传经费", "效益指标", "社会效益指标", "医保政策知晓率", "≥", "85", "%", "88.6", "30"),
        project_indicator("医保政策宣传经费", "满意度指标", "服务对象满意度指标", "参保群众满意度", "≥", "90", "%", "95", "10"),
        project_indicator("业务培训经费", "产出指标", "数量指标", "培训人次", "≥", "300", "人次", "326", "25"),
        project_indicator("业务培训经费", "产出指标", "成本指标", "人均培训成本", "≤", "400", "元", "258", "25"),
        project_indicator("业务培训经费", "效益指标", "社会效益指标", "经办人员业务考核合格率", "≥", "95", "%", "93", "30", None,
            "新入职经办人员占比较高，首次考核合格率偏低；下年度增加岗前培训和补考辅导"),
        project_indicator("业务培训经费", "满意度指标", "服务对象满意度指标", "参训人员满意度", "≥", "90", "%", "94", "10"),
        project_indicator("档案管理经费", "产出指标", "数量指标", "归档业务档案", "≥", "1", "万卷", "1.2", "25"),
        project_indicator("档案管理经费", "产出指标", "时效指标", "档案归档及时性", "定性", "次月整理上月资料", None, "按月整理归档", "25",
            "达成"),
        project_indicator("档案管理经费", "效益指标", "社会效益指标", "档案查阅便捷程度", "定性", "明显提升", None, "明显提升", "30", "达成"),
        project_indicator("档案管理经费", "满意度指标", "服务对象满意度指标", "参保群众满意度", "≥", "90", "%", "95", "10"),
        project_indicator("办公用房维修改造经费", "产出指标", "时效指标", "改造完工时间", "定性", "9月底前", None, "9月完工", "25", "达成"),
        project_indicator("办公用房维修改造经费", "产出指标", "质量指标", "工程验收合格率", "=", "100", "%", "100", "25"),
        project_indicator("办公用房维修改造经费", "效益指标", "社会效益指标", "群众办事平均等候时间", "定性", "明显缩短", None,
            "平均缩短10分钟", "30", "达成"),
        project_indicator("办公用房维修改造经费", "满意度指标", "服务对象满意度指标", "办事群众满意度", "≥", "90", "%", "96", "10"),
    ],
    "indicators": [
        indicator("产出指标", "数量指标", "基本医疗保险参保率", "≥", "95", "%", "96.3", "10"),
        indicator("产出指标", "数量指标", "检查定点医药机构数量", "≥", "120", "家", "132", "10"),
        indicator("产出指标", "质量指标", "医保信息系统运行率", "≥", "99", "%", "99.6", "10"),
        indicator("产出指标", "时效指标", "医保待遇支付及时率", "≥", "98", "%", "99.2", "10"),
        indicator("产出指标", "成本指标", "资金使用控制在预算额度内", "定性", "不超预算", None, "未超预算", "10",
                   "达成"),
        indicator("效益指标", "社会效益指标", "困难群众就医负担", "定性", "有效减轻", None, "有效减轻", "15",
                   "达成"),
        indicator("效益指标", "经济效益指标", "追回违规医保基金", "≥", "200", "万元", "236.5", "15"),
        indicator("满意度指标", "服务对象满意度指标", "参保群众满意度", "≥", "90", "%", "96.5", "10"),
    ],
    "narrative": [
        {"part": "部门概况", "title": None, "body": (
            "本局负责全县职工基本医疗保险、城乡居民基本医疗保险、生育保险和医疗救助的政策执行与经办管理，"
            "服务参保群众约28.6万人，协议管理定点医药机构132家。")},
        {"part": "工作成效", "title": "全民参保持续巩固", "body": (
            "全县基本医疗保险参保率达到96.3%，建档立卡脱贫人口、低保对象等困难群众资助参保实现应保尽保。")},
        {"part": "工作成效", "title": "基金监管保持高压", "body": (
            "开展打击欺诈骗保专项治理，检查定点医药机构132家，追回违规医保基金236.50万元。\n"
            "建立智能审核规则库，对住院费用实行事前提醒、事中审核、事后稽核。")},
        {"part": "工作成效", "title": "经办服务提质增效", "body": (
            "推进医保服务事项“一网通办”，线上办理事项占比达到78%，待遇支付及时率99.2%。")},
        {"part": "存在的问题", "title": "预算编制精细化程度不够", "body": (
            "部分项目年中追加调整，业务培训经费执行率偏低，预算编制与实际需求衔接不够紧密。")},
        {"part": "存在的问题", "title": "绩效指标设置有待完善", "body": (
            "部分绩效指标以定性描述为主，可衡量性不强。")},
        {"part": "改进措施", "title": "提高预算编制质量", "body": (
            "结合上年执行情况和年度重点任务细化项目预算，减少年中调整。")},
        {"part": "改进措施", "title": "完善绩效指标体系", "body": (
            "将年度重点工作细化为可量化的绩效指标，加强绩效运行监控和结果应用。")},
        {"part": "其他需要说明的情况", "title": None, "body": "无。"},
        {"part": "自评结论", "title": None, "body": (
            "本单位2025年度部门整体支出管理规范，预算执行总体良好，年度绩效目标基本完成。")},
    ],
    "evaluators": [
        {"name": "周明远", "title": "局长", "org": "青山县医疗保障局"},
        {"name": "陈立新", "title": "副局长", "org": "青山县医疗保障局"},
        {"name": "林晓雯", "title": "办公室主任", "org": "青山县医疗保障局"},
        {"name": "赵海峰", "title": "会计师", "org": "青山县医疗保障事务中心"},
    ],
}
