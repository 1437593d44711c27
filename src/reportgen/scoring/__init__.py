"""The scoring engine: scoring systems declared as data (``templates/<format>/scoring.yaml``).

``load_scoring_system(path)`` validates a declaration; ``required_inputs(system)`` lists what the
workbook's 评分填报 sheet must collect; ``score(system, context)`` scores a context (the report
model, or plain nested dicts) and ``format_score_table(result)`` prints it for ``reportgen check``.
"""

from reportgen.scoring.engine import (
    ScoreGroup,
    ScoreLevel,
    ScoreResult,
    ScoreRow,
    format_score_table,
    score,
)
from reportgen.scoring.rules import INPUTS_SHEET
from reportgen.scoring.system import (
    InputSpec,
    ScoringSystem,
    build_scoring_system,
    load_scoring_system,
    required_inputs,
)

__all__ = [
    "INPUTS_SHEET",
    "InputSpec",
    "ScoreLevel",
    "ScoreResult",
    "ScoreRow",
    "ScoreGroup",
    "ScoringSystem",
    "build_scoring_system",
    "format_score_table",
    "load_scoring_system",
    "required_inputs",
    "score",
]
