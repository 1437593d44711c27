"""national-2025 (全国通用·2025 年起，默认格式).

current-2021 的部门整体支出绩效自评表、自评报告、基础数据表和项目支出绩效自评表（同一批生成函数），
加 yanling-2020 的满意度调查问卷汇总和空白问卷：不复制代码，只引用。
"""

from __future__ import annotations

from tools.formats import current_2021, yanling_2020

DOCUMENTS = {
    **current_2021.DOCUMENTS,
    "问卷汇总.docx": yanling_2020.questionnaire_summary,
    "空白问卷.docx": yanling_2020.blank_questionnaire,
}
