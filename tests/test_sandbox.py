"""Untrusted format folders and workbooks: every escape or runaway a format author (or a workbook
naming a format) could try is refused with a Chinese finding and exit 2, quickly, writing nothing.

Each payload is a regression test; canary paths prove that nothing was written.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.formats.loader import templates_root
from reportgen.render import limits
from reportgen.render.docx import PngImage
from tests.docx_helpers import full_text, replace_template
from tests.test_render import CONTEXT, png, render, render_error
from tests.xlsx_edit import cell_values, set_cells

RUNNER = CliRunner()


def run(*args: object) -> tuple[int, str]:
    result = RUNNER.invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


# ---- template payloads (render level) -------------------------------------------------------

@pytest.fixture(autouse=True)
def small_memory_allowance(monkeypatch: pytest.MonkeyPatch) -> None:
    """A runaway is stopped at 128 MB here instead of 512 MB: the same mechanism, a quarter of the
    work (everything else these tests build stays far below it)."""
    monkeypatch.setattr(limits, "MEMORY_LIMIT_BYTES", 128 * 1024 * 1024)


RUNAWAYS = [
    ("{{ 9**999999999 }}", "乘方"),  # would be folded at compile time without interception
    ("{{ 'x'*10**9 }}", "重复（* 运算）"),
    ("{{ [0]*999999999 }}", "重复（* 运算）"),
    ("{{ (10**40000) * (10**40000) * (10**40000) }}", "超出报告所需的范围"),
    ("{{ lipsum(10**6) }}", "超出报告所需的范围"),
    ("{{ range(10**9)|list }}", "超出报告所需的范围"),
    ("{{ range(-90000, 90000)|list }}", "range() 的项数"),
    ("{{ 'x'.ljust(999999999) }}", "参数 999999999"),
    ("{{ 'x'|center(999999999) }}", "参数 999999999"),
    ("{{ '%999999999d' % 1 }}", "格式化宽度"),
    ("{{ '{:>999999999}'.format(1) }}", "格式化宽度"),
    ("{{ '%999999999d'|format(1) }}", "格式化宽度"),
    # issue 20: a width or precision given as an argument bypassed the cap (a 10 MB paragraph)
    ("{{ '%*d' % (99999999, 1) }}", "格式化宽度或精度不能由参数给出"),
    ("{{ '{:{}}'.format(1, '99999999') }}", "格式化宽度或精度不能由参数给出"),
    ("{{ '%.*f' % (99999999, 1.0) }}", "格式化宽度或精度不能由参数给出"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "递归过深"),
    # doubling a string 40 times: 1 TB unless the memory limit stops it
    ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
     "占用内存过多"),
]


@pytest.mark.parametrize(("tag", "expected"), RUNAWAYS)
def test_runaway_template_is_stopped_with_a_finding(tmp_path: Path, tag: str, expected: str) -> None:
    err = render_error(tmp_path, CONTEXT, paragraphs=["前文", tag])
    finding = err.findings[0]
    assert finding.where == "自评报告.docx" and finding.field == "第 2 段" and finding.code == "T440"
    assert expected in finding.message, finding.message


def test_endless_loop_is_stopped_by_the_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "TIME_LIMIT_S", 0.2)
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    started = time.monotonic()
    err = render_error(tmp_path, CONTEXT, paragraphs=[loop])
    assert time.monotonic() - started < 5
    assert "运行超过 0.2 秒仍未完成" in err.findings[0].message


def test_limits_are_lifted_after_rendering(tmp_path: Path) -> None:
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    render_error(tmp_path, CONTEXT, paragraphs=["{{ 'x'*10**9 }}"])
    render(tmp_path, CONTEXT, paragraphs=["{{ unit.name }}"])
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    time.sleep(0.01)  # no stray alarm fires later


def test_ordinary_arithmetic_and_formatting_still_work(tmp_path: Path) -> None:
    doc = render(tmp_path, CONTEXT, paragraphs=[
        "{{ 3 * 4 }}|{{ 2 ** 10 }}|{{ 'ab' * 3 }}|{{ '%05.1f' % 3.14159 }}|{{ '{:>4}'.format(7) }}|"
        "{{ 'x'|center(5) }}|{{ range(3)|list|length }}|{{ unit.name }}"])
    assert doc.paragraphs[0].text == "12|1024|ababab|003.1|   7|  x  |3|岳阳市某局"


# ---- pictures and other objects: printable, never explorable ------------------------------

CANARY_TAGS = [
    "{{ chart.tpl.save('%s') }}",  # what docxtpl's InlineImage allowed before
    "{{ chart|attr('data') }}",
    "{{ chart['data'] }}",
    "{{ (chart|attr('__class__')) }}",
]


@pytest.mark.parametrize("tag", CANARY_TAGS)
def test_picture_marker_exposes_nothing(tmp_path: Path, tag: str) -> None:
    canary = tmp_path / "pwned.docx"
    context = {**CONTEXT, "chart": PngImage(png(), 50)}
    err = render_error(tmp_path, context, paragraphs=[tag.replace("%s", str(canary))])
    assert "已被阻止" in err.findings[0].message or "未定义的变量 chart" in err.findings[0].message
    assert not canary.exists()


def test_model_objects_expose_fields_only(tmp_path: Path) -> None:
    from reportgen.questionnaire.definition import Option

    context = {**CONTEXT, "option": Option(label="满意", points=5)}
    assert render(tmp_path / "ok", context, paragraphs=["{{ option.label }}"]).paragraphs[0].text == "满意"
    err = render_error(tmp_path / "bad", context, paragraphs=["{{ option.parse_file('/etc/passwd') }}"])
    assert "不允许的属性 parse_file" in err.findings[0].message


# ---- whole builds: a format folder's templates and scoring texts --------------------------


def _format_copy(tmp_path: Path, source: str = "yueyang-2020") -> Path:
    folder = tmp_path / f"{source}-copy"
    shutil.copytree(templates_root() / source, folder)
    return folder


def test_chart_payload_in_a_format_folder_writes_nothing(tmp_path: Path) -> None:
    folder = _format_copy(tmp_path, "yanling-2020")
    canary = tmp_path / "site-packages" / "evil.pth"
    replace_template(folder, "问卷汇总.docx", "图：{{ questionnaire_chart }}",
                      f"{{{{ questionnaire_chart.tpl.save('{canary}') }}}}{{{{ questionnaire_chart|attr('width_mm') }}}}")
    out = tmp_path / "out"
    code, output = run("build", Path("inputs/example-yanling-2020.xlsx").resolve(), "-o", out, "--format", folder)
    assert code == 2, output
    assert "问卷汇总.docx T430 第 2 段: 未定义的变量 questionnaire_chart.tpl" in output
    assert "内部错误" not in output
    assert not canary.exists() and not canary.parent.exists()


def _edit_scoring(folder: Path, **indicator: str) -> None:
    path = folder / "scoring.yaml"
    system = yaml.safe_load(path.read_text("utf-8"))
    system["levels"][0]["groups"][0]["indicators"][0].update(indicator)
    path.write_text(yaml.safe_dump(system, allow_unicode=True, sort_keys=False), "utf-8")


SCORING_PAYLOADS = [
    ({"value": "9**999999999"}, "乘方"),
    ({"value": "staff.actual ** 99999999999"}, "超出报告所需的范围"),
    ({"calc": "{{ 'x' * 10**9 }}"}, "重复（* 运算）"),
    ({"calc": "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"},
     "占用内存过多"),
    ({"calc": "{{ lipsum(10**6) }}"}, "超出报告所需的范围"),
    ({"calc": "{{ staff.__class__ }}"}, "不允许"),
    ({"calc": "{{ '%*d' % (99999999, 1) }}"}, "格式化宽度或精度不能由参数给出"),
]


@pytest.mark.parametrize(("indicator", "expected"), SCORING_PAYLOADS)
def test_scoring_payload_is_a_finding_named_by_file_and_indicator(
        tmp_path: Path, indicator: dict[str, str], expected: str) -> None:
    folder = _format_copy(tmp_path)
    _edit_scoring(folder, **indicator)
    code, output = run("check", Path("inputs/example-yueyang-2020.xlsx").resolve(), "--format", folder)
    assert code == 2, output
    line = next(x for x in output.splitlines() if "scoring.yaml" in x)
    assert "财政供养人员控制率" in line and expected in line, output
    assert "内部错误" not in output


# ---- overall budgets (issue 20: 23 indicators × 10 s made one build take 231 s) ----------------

BUSY = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


def test_a_scoring_file_has_one_budget_for_all_its_indicators(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "TIME_LIMIT_S", 0.2)
    monkeypatch.setitem(limits.BUDGET_S, "scoring", 0.3)
    folder = _format_copy(tmp_path)
    path = folder / "scoring.yaml"
    system = yaml.safe_load(path.read_text("utf-8"))
    indicators = [ind for level in system["levels"] for group in level.get("groups", []) for ind in group["indicators"]]
    for ind in indicators:
        ind["calc"] = BUSY
    path.write_text(yaml.safe_dump(system, allow_unicode=True, sort_keys=False), "utf-8")
    code, output = run("check", EXAMPLE_YUEYANG, "--format", folder)
    assert code == 2, output
    lines = [x for x in output.splitlines() if "scoring.yaml S240" in x]
    assert len(lines) == len(indicators) + 1 > 5, "\n".join(lines)  # and the total's cap
    assert "运行超过 0.2 秒" in lines[0]  # the first one: its own limit
    for line in lines[1:]:  # the rest share what is left of the file's budget, then do not run
        assert "评分体系的全部指标合计运行超过 0.3 秒（可能有过大的循环），其余部分未运行" in line, line


def test_one_units_documents_have_one_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each document within its own limit, but together over the budget: the next one does not run.
    The clock is moved on by 15 s whenever it is read, so nothing waits."""
    from reportgen.errors import ReportgenError
    from reportgen.pipeline import evaluate, render_documents

    evaluation = evaluate(EXAMPLE_YUEYANG)
    ticks = iter(range(0, 10_000, 15))  # read on entry, then per document by its file name and its template
    monkeypatch.setattr(limits, "_clock", lambda: next(ticks))
    with pytest.raises(ReportgenError) as exc:
        render_documents(evaluation, tmp_path / "out")
    [finding] = exc.value.findings
    assert finding.code == "T440" and finding.where == "评分表.docx"  # the second document
    assert "本单位的全部文档合计运行超过 60 秒（可能有过大的循环），其余部分未运行" in finding.message


# ---- a workbook may name a built-in format only ---------------------------------------------


def _record_format(workbook: Path, dest: Path, value: str) -> Path:
    meta = cell_values(workbook, "系统信息")
    row = next(ref[1:] for ref, key in meta.items() if ref[0] == "A" and ref[1:].isdigit() and key == "format")
    return set_cells(workbook, dest, {"系统信息": {f"B{row}": value}})


@pytest.mark.parametrize("recorded", ["{local}", "../../{name}", "\\\\server\\share\\{name}", "/nonexistent/x"])
def test_workbook_cannot_pick_a_local_format_folder(tmp_path: Path, recorded: str) -> None:
    folder = _format_copy(tmp_path)
    replace_template(folder, "自评报告.docx", "LOCAL-FORMAT-WAS-USED")
    value = recorded.format(local=folder, name=folder.name)
    workbook = _record_format(Path("inputs/example-yueyang-2020.xlsx"), tmp_path / "wb.xlsx", value)
    out = tmp_path / "out"
    code, output = run("build", workbook, "-o", out)
    assert code == 2, output
    assert f"系统信息 format: 填报表记录的格式“{value}”不是内置格式" in output
    assert "--format" in output
    assert not out.exists() or not any(out.iterdir())


def test_local_format_folder_only_from_the_command_line(tmp_path: Path) -> None:
    folder = _format_copy(tmp_path)
    replace_template(folder, "自评报告.docx", "LOCAL-FORMAT-WAS-USED")
    workbook = _record_format(Path("inputs/example-yueyang-2020.xlsx"), tmp_path / "wb.xlsx", "yueyang-2020")
    code, output = run("build", workbook, "-o", tmp_path / "out", "--format", folder)
    assert code == 0, output
    report = next((tmp_path / "out").glob("*自评报告.docx"))
    assert "LOCAL-FORMAT-WAS-USED" in full_text(report)


# ---- format check reports the same payloads ----------------------------------------------


@pytest.mark.parametrize(("payload", "expected"), [
    ("{{ 9**999999999 }}", "乘方"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "运行超过 0.2 秒"),
    ("{{ unit|attr('__class__') }}", "已被阻止"),
])
def test_format_check_reports_template_payloads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, payload: str, expected: str) -> None:
    monkeypatch.setattr(limits, "TIME_LIMIT_S", 0.2)
    folder = _format_copy(tmp_path)
    replace_template(folder, "评分表.docx", "{{ unit.name }}", payload)
    code, output = run("format", "check", folder)
    assert code == 2, output
    line = next(x for x in output.splitlines() if "评分表.docx" in x)
    assert "第 2 段" in line and expected in line, output


def test_format_check_reports_scoring_payloads(tmp_path: Path) -> None:
    folder = _format_copy(tmp_path)
    _edit_scoring(folder, value="9**999999999")
    code, output = run("format", "check", folder)
    assert code == 2, output
    assert "scoring.yaml S240 财政供养人员控制率: 评分规则无法计算：乘方" in output


# ---- nesting deeper than Python's stack or compiler takes (issue 20: was exit 3) -------------

NESTED_IFS = "{% if true %}" * 120 + "x" + "{% endif %}" * 120
EXAMPLE_YUEYANG = Path("inputs/example-yueyang-2020.xlsx").resolve()
DEEP_SOURCES = {  # each too deep for the parser, the code generator or Python's compiler
    "parentheses": "{{ " + "(" * 100 + "1" + ")" * 100 + " }}",
    "sum": "{{ " + "+".join(["1"] * 500) + " }}",
    "ifs": NESTED_IFS,
    "loops": "{% for i in [1] %}" * 25 + "{% endfor %}" * 25,  # Python allows 20 nested loops
}


@pytest.mark.parametrize("source", DEEP_SOURCES.values(), ids=DEEP_SOURCES.keys())
def test_deep_nesting_is_a_syntax_error_of_its_own(source: str) -> None:
    from jinja2 import TemplateSyntaxError

    from reportgen.render.env import NESTING_MESSAGE, make_env
    from reportgen.scoring import expr

    with pytest.raises(TemplateSyntaxError, match=NESTING_MESSAGE):
        make_env().from_string(source)
    assert expr.syntax_error(source, expression=False) == NESTING_MESSAGE  # a scoring calc/text
    inner = source.removeprefix("{{ ").removesuffix(" }}")
    if inner != source:  # a scoring value
        assert expr.syntax_error(inner, expression=True) == NESTING_MESSAGE


def test_deeply_nested_scoring_text_is_a_finding(tmp_path: Path) -> None:
    folder = _format_copy(tmp_path)
    _edit_scoring(folder, value="(" * 100 + "staff.actual" + ")" * 100)
    for args in (("format", "check", folder), ("build", EXAMPLE_YUEYANG, "--format", folder, "-o", tmp_path / "out")):
        code, output = run(*args)
        assert code == 2, output
        assert "S223 财政供养人员控制率: value 的 Jinja 表达式有语法错误：嵌套过深或表达式过长" in output, output
        assert "内部错误" not in output
    assert not (tmp_path / "out").exists()


def test_deeply_nested_template_is_a_finding(tmp_path: Path) -> None:
    """format check crashed (exit 3) on a template that build reported as T440."""
    folder = _format_copy(tmp_path)
    replace_template(folder, "评分表.docx", "{{ unit.name }}", NESTED_IFS)
    for args in (("format", "check", folder), ("build", EXAMPLE_YUEYANG, "--format", folder, "-o", tmp_path / "out")):
        code, output = run(*args)
        assert code == 2, output
        assert "评分表.docx T410 第 2 段: 模板语法错误：嵌套过深或表达式过长" in output, output
        assert "内部错误" not in output
    assert not (tmp_path / "out").exists()


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    folder = _format_copy(tmp_path)
    laughs = "".join(f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}]\n" for i in range(1, 30))
    (folder / "example.yaml").write_text("l0: &l0 [哈]\n" + laughs, "utf-8")
    code, output = run("format", "check", folder)
    assert code == 2, output
    assert "example.yaml:2 Y004: YAML 格式错误: 不支持 YAML 别名" in output


def test_deeply_nested_yaml_is_a_finding(tmp_path: Path) -> None:
    """900 levels of brackets passed libyaml's limit (1000) and overflowed Python's recursion while
    the data was built: an internal error instead of a message."""
    folder = _format_copy(tmp_path)
    (folder / "example.yaml").write_text("unit:\n  name: " + "[" * 900 + "]" * 900 + "\n", "utf-8")
    code, output = run("format", "check", folder)
    assert code == 2, output
    assert "example.yaml:2 Y008: 嵌套超过 64 层，不像是格式声明" in output and "内部错误" not in output


def test_template_zip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportgen.render import source

    monkeypatch.setattr(source, "TEMPLATE_MAX_BYTES", 20_000)
    folder = _format_copy(tmp_path)
    replace_template(folder, "评分表.docx", "{{ unit.name }}" + "填充" * 20_000)
    code, output = run("format", "check", folder)
    assert code == 2, output
    assert "评分表.docx T403: 模板解压后有" in output and "不予处理" in output


def test_workbook_from_a_local_folder_names_it_but_does_not_load_it(tmp_path: Path) -> None:
    folder = tmp_path / "本县格式"
    assert run("format", "new", folder, "--from", "yueyang-2020")[0] == 0  # its own id: 本县格式
    replace_template(folder, "自评报告.docx", "LOCAL-FORMAT-WAS-USED")
    workbook = tmp_path / "wb.xlsx"
    assert run("init", "--example", workbook, "--format", folder)[0] == 0
    code, output = run("build", workbook, "-o", tmp_path / "out")
    assert code == 2 and not (tmp_path / "out").exists()
    assert f"这份填报表是用本地格式文件夹 {folder.resolve()} 生成的：请加 --format {folder.resolve()}" in output
    assert run("build", workbook, "-o", tmp_path / "out", "--format", folder)[0] == 0  # named: used
    shutil.rmtree(folder)
    assert "但该文件夹已不存在" in run("check", workbook)[1]
