"""Each template part is patched and compiled once per process, and every render stays as strict.

A cached compile is bound to each render's own sandboxed environment and runs inside the limits:
the second render of a template behaves exactly like the first.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reportgen.render import limits
from reportgen.render.docx import PngImage, render_docx
from reportgen.render.env import ReportSandbox
from tests.test_render import CONTEXT, make_template, png, render, render_error
from tests.test_sandbox import RUNAWAYS, small_memory_allowance  # noqa: F401  (autouse here too)


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    original = ReportSandbox.compile

    def counting(self, source, *args, **kwargs):
        seen.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(ReportSandbox, "compile", counting)
    return seen


def test_second_render_reuses_the_compiled_body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tpl = make_template(tmp_path / "自评报告.docx", paragraphs=["{{ unit.name }} 第一份 {{ 1 + 1 }}"])
    render_docx(tpl, CONTEXT)
    compiles = _compiles(monkeypatch)
    data = [render_docx(tpl, {**CONTEXT, "unit": {**CONTEXT["unit"], "name": f"单位{i}"}}) for i in range(3)]
    assert not [s for s in compiles if "第一份" in s]
    assert data[0] != data[1]  # each render has its own content


def test_edited_template_is_compiled_again(tmp_path: Path) -> None:
    assert render(tmp_path, CONTEXT, paragraphs=["旧 {{ unit.name }}"]).paragraphs[0].text == "旧 岳阳市某局"
    assert render(tmp_path, CONTEXT, paragraphs=["新 {{ unit.name }}"]).paragraphs[0].text == "新 岳阳市某局"


@pytest.mark.parametrize(("tag", "expected"), RUNAWAYS[:3] + RUNAWAYS[-2:])
def test_runaway_is_stopped_on_every_render(tmp_path: Path, tag: str, expected: str) -> None:
    for _ in range(2):  # the second render uses the cached compile
        finding = render_error(tmp_path, CONTEXT, paragraphs=["前文", tag]).findings[0]
        assert expected in finding.message and finding.field == "第 2 段"


def test_time_limit_holds_for_a_cached_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "TIME_LIMIT_S", 0.2)
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    for _ in range(2):
        started = time.monotonic()
        err = render_error(tmp_path, CONTEXT, paragraphs=[loop])
        assert time.monotonic() - started < 5
        assert "运行超过 0.2 秒仍未完成" in err.findings[0].message


def test_pictures_come_from_each_render(tmp_path: Path) -> None:
    for size in ((4, 2), (8, 8)):
        doc = render(tmp_path, {"chart": PngImage(png(*size), 100)}, paragraphs=["图：", "{{ chart }}"])
        blobs = [p.blob for p in doc.part.package.parts if p.partname.endswith(".png")]
        assert blobs == [png(*size)]


def test_syntax_error_is_reported_on_every_render(tmp_path: Path) -> None:
    for _ in range(2):
        finding = render_error(tmp_path, CONTEXT, paragraphs=["{% if %}"]).findings[0]
        assert finding.code == "T410"
