"""The answer-share chart: one horizontal stacked bar per question, a segment per option.

matplotlib is imported inside the functions: it takes about a second to import, and only the
documents that show the chart need it (``reportgen check`` must stay fast).
"""

from __future__ import annotations

import functools
import importlib.util
import io
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.render.filters import num, round_half_up

if TYPE_CHECKING:
    from reportgen.questionnaire.tally import QuestionnaireSummary

_MM = 1 / 25.4  # inch per millimetre
WIDTH_MM, HEIGHT_MM, DPI = 160, 90, 200
_BUNDLED_FONT = "NotoSansCJKsc-Regular.otf"  # shipped by the mplfonts package
_SYSTEM_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "SimHei", "Microsoft YaHei",
                 "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "PingFang SC")
_MIN_LABELLED_SHARE = 4  # % — narrower segments have no room for their number


def _bundled_font_path() -> Path | None:
    # find_spec locates the package without importing it (its __init__ pulls in matplotlib.pyplot)
    spec = importlib.util.find_spec("mplfonts")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "fonts" / _BUNDLED_FONT
        if path.is_file():
            return path
    return None


@functools.cache
def cjk_font_family() -> str | None:
    """A font family that has Chinese glyphs: mplfonts' bundled Noto Sans CJK SC, else a system font.
    ``None`` if there is none (the chart would show boxes instead of Chinese)."""
    from matplotlib import font_manager

    path = _bundled_font_path()
    if path is not None:
        font_manager.fontManager.addfont(str(path))
        return font_manager.FontProperties(fname=str(path)).get_name()
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in _SYSTEM_FONTS if name in installed), None)


def _share_text(share: Decimal) -> str:
    return num(round_half_up(share, 1)) + "%"


_PALETTES = {  # best option first; no near-white middle colour, it would vanish on the page
    2: ("#3a9e5c", "#d9432f"),
    3: ("#3a9e5c", "#f6c344", "#d9432f"),
    4: ("#3a9e5c", "#a6d96a", "#f6c344", "#d9432f"),
    5: ("#3a9e5c", "#a6d96a", "#f6c344", "#f08c3a", "#d9432f"),
}


def _colors(n: int) -> list[tuple[float, float, float, float]]:
    """Best option green through to worst red, whatever the number of options."""
    from matplotlib import colormaps
    from matplotlib.colors import to_rgba

    if n in _PALETTES:
        return [to_rgba(c) for c in _PALETTES[n]]
    cmap = colormaps["RdYlGn"]
    return [cmap(0.85 - 0.7 * i / max(n - 1, 1)) for i in range(n)]


def _text_color(rgba: tuple[float, float, float, float]) -> str:
    r, g, b, _ = rgba
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"


def answer_share_chart(result: QuestionnaireSummary) -> bytes:
    """PNG (about 160 × 90 mm at 200 dpi) of each question's answer shares among valid questionnaires."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    family = cjk_font_family()
    n = len(result.questions)
    # few questions: shorter, no slab-like bars; many: taller, never squashed
    height_mm = max(min(HEIGHT_MM, 30 + 8 * n), 25 + 6 * n)
    rc = {"font.size": 8, "axes.unicode_minus": False}
    if family:
        rc["font.family"] = [family, "DejaVu Sans"]

    with matplotlib.rc_context(rc):
        # the Agg canvas directly, not pyplot: no global backend state, nothing left open
        fig = Figure(figsize=(WIDTH_MM * _MM, height_mm * _MM), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        labels = [q.label for q in result.questions]
        positions = list(range(n))
        colors = _colors(len(result.options))
        if result.valid:
            left = [0.0] * n
            for k, option in enumerate(result.options):
                # floats for drawing only; the figures themselves stay Decimal
                shares = [float(q.counts[k].share or 0) for q in result.questions]
                bars = ax.barh(positions, shares, left=left, height=0.62, color=colors[k], label=option,
                               edgecolor="white", linewidth=0.6)
                for bar, q in zip(bars, result.questions, strict=True):
                    share = q.counts[k].share
                    if share is not None and share >= _MIN_LABELLED_SHARE:
                        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2,
                                _share_text(share), ha="center", va="center", fontsize=7,
                                color=_text_color(colors[k]))
                left = [a + b for a, b in zip(left, shares, strict=True)]
            ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(result.options), frameon=False,
                      fontsize=8, handlelength=1.2, columnspacing=1.4)
        else:
            ax.text(50, (n - 1) / 2 if n else 0, "暂无有效问卷", ha="center", va="center", fontsize=10,
                    color="#666666")
        ax.set_yticks(positions, labels)
        ax.set_ylim(n - 0.5, -0.5)  # Q1 on top
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=0))
        ax.set_xlabel(f"各选项占比（有效问卷 {result.valid} 份）")
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)

        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
