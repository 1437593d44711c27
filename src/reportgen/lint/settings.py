"""The reviewer's lint as a format declares it (``format.yaml``'s ``lint``): which codes are on and
their thresholds. Every code is on by default except the word limits (L111), which need the
province's limits; ``disable: [L112]`` switches codes off. The codes and what each reads are listed
here once (``CODES``, ``READS``): docs/findings.md explains them, ``formats.uses`` counts what they read.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# code -> what it points out (its one-line title; the messages say the particulars)
CODES: dict[str, str] = {
    "L101": "定量指标没有度量单位",
    "L102": "指标值是“完成”“较好”一类无法衡量的词",
    "L103": "一个指标的分值超过其一级指标分值的一半（或格式规定的比例）",
    "L104": "一级指标只有一个三级指标",
    "L105": "有扣分，存在的问题或改进措施却没写或写作“无”",
    "L106": "指标有扣分，偏差原因却写作“无”",
    "L107": "预算执行率偏低（低于90%）没有说明原因",
    "L108": "支出超过全年预算没有说明原因",
    "L109": "自评结果偏高：总分90分以上而预算执行率低于80%",
    "L110": "同一段文字抄在几个项目或几处文字说明中",
    "L111": "文字超过格式规定的字数",
    "L112": "每个定量指标的实际完成值都恰好等于指标值",
}

# what each code reads beyond the 绩效指标 rows and the score (``formats.uses``: these fields are used)
READS: dict[str, tuple[str, ...]] = {
    "L105": ("narrative.problems", "narrative.measures"),
    "L107": ("budget.explanation", "projects.rows[].explanation", "budget.execution_rate",
             "projects.rows[].execution_rate"),
    "L108": ("budget.explanation", "budget.final", "budget.executed"),
    "L109": ("budget.execution_rate", "projects.rows[].execution_rate"),
    "L110": ("narrative.overview", "narrative.achievements", "narrative.problems", "narrative.measures",
             "narrative.other", "narrative.conclusion", "projects.rows[].explanation", "projects.rows[].expected",
             "projects.rows[].achieved"),
    "L111": ("goals[].content", "goals[].result", "projects.rows[].expected", "projects.rows[].achieved", "projects.rows[].explanation",
             "budget.explanation", "narrative.conclusion", "narrative.problems", "narrative.measures"),
}

VAGUE_WORDS = ("完成", "已完成", "基本完成", "全部完成", "完成任务", "较好", "良好", "好", "优", "优秀", "较优",
               "基本达到", "达到", "已达到", "达标", "基本达标", "是", "有", "满意", "较满意", "合格", "有效")


class WordLimits(BaseModel):
    """L111: the most 字 (characters other than spaces) a box may hold; unset is unlimited."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    goals: int | None = Field(None, gt=0, description="年度目标的主要内容、完成情况，项目的预期目标、实际完成")
    reasons: int | None = Field(None, gt=0, description="偏差原因（绩效指标、项目指标）、项目偏差说明、预算执行偏差说明")
    conclusion: int | None = Field(None, gt=0, description="文字说明“自评结论”（评价结论）")
    problems: int | None = Field(None, gt=0, description="文字说明“存在的问题”")
    measures: int | None = Field(None, gt=0, description="文字说明“改进措施”")


class LintSettings(BaseModel):
    """``format.yaml``'s ``lint``: every key optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    disable: list[str] = Field(default_factory=list, description="关闭的审核提示代码，如 [L112]")
    max_share: Decimal = Field(Decimal(50), gt=0, le=100, description="L103：单个指标占其一级指标分值的比例上限（%）")
    single_exempt: list[str] = Field(default_factory=lambda: ["满意度指标"], description=(
        "L104：允许只有一个三级指标的一级指标（评分表中的一级指标名称）"))
    execution_floor: Decimal = Field(Decimal(90), ge=0, description="L107：预算执行率低于此值（%）须说明原因")
    high_score: Decimal = Field(Decimal(90), ge=0, description="L109：总分达到此值……")
    low_execution: Decimal = Field(Decimal(80), ge=0, description="L109：……而预算执行率低于此值（%）")
    copy_min_chars: int = Field(15, gt=0, description="L110：重复的一段文字至少多少字才算抄写")
    word_limits: WordLimits = Field(default_factory=WordLimits, description="L111：各栏字数上限（不写不限）")
    vague_words: list[str] = Field(default_factory=lambda: list(VAGUE_WORDS), description=(
        "L102：只写这些词的指标值算作无法衡量"))
    all_met_rows: int = Field(3, gt=0, description="L112：至少有几个定量指标时才看是否全部恰好等于指标值")

    @field_validator("disable")
    @classmethod
    def _known(cls, codes: list[str]) -> list[str]:
        unknown = [c for c in codes if c not in CODES]
        if unknown:
            raise ValueError(f"不认识的审核提示代码 {'、'.join(unknown)}（可用 {min(CODES)}–{max(CODES)}）")
        return codes

    def on(self, code: str) -> bool:
        return code not in self.disable
