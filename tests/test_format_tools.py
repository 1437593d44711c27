"""Template authors' tools: a brand-new format made only with files and the CLI, and the messages
`reportgen format check` gives for broken formats."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from docx import Document

from reportgen.cli import main
from tests.docx_helpers import replace_template

RUNNER = CliRunner()


def run(*args) -> tuple[int, str]:
    result = RUNNER.invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def _edit_yaml(path: Path, edit) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def test_new_format_by_files_and_cli_only(tmp_path: Path) -> None:
    folder = tmp_path / "hunan-county-2026"
    assert run("format", "new", folder, "--from", "yueyang-2020")[0] == 0
    assert yaml.safe_load((folder / "format.yaml").read_text("utf-8"))["id"] == "hunan-county-2026"

    # new weights and a new indicator: 资金结余 3 -> 2, new 预算执行率 (1 point) in the same group
    def reweigh(system: dict) -> None:
        group = system["levels"][1]["groups"][0]
        fund = next(i for i in group["indicators"] if i["name"] == "资金结余")
        fund["weight"] = 2
        fund["rule"]["tiers"] = [{"when": "balance.year_end <= 0", "points": 2, "text": "无结余"},
                                 {"when": "balance.year_end <= balance.carryover", "points": 1, "text": "结余不超过上年结转"},
                                 {"points": 0, "text": "结余超过上年结转"}]
        group["indicators"].append({
            "name": "预算执行率", "weight": 1, "standard": "预算执行率≥95%，计1分；否则不得分。",
            "value": "budget.execution_rate",
            "calc": "预算执行率{{ value|pct }}=全年执行数{{ budget.executed|wan }}万元/全年预算数{{ budget.final|wan }}万元×100%",
            "rule": {"kind": "bands", "bands": [{"range": "[95, +∞)", "points": 1}, {"range": "(-∞, 95)", "points": 0}]},
        })

    _edit_yaml(folder / "scoring.yaml", reweigh)
    # edit a template the way an author would in Word: add a sentence with a variable
    report = Document(folder / "自评报告.docx")
    report.add_paragraph("本县新增说明：预算执行率为{{ budget.execution_rate|pct }}。")
    report.save(folder / "自评报告.docx")

    code, output = run("format", "check", folder)
    assert code == 0, output
    workbook = tmp_path / "wb.xlsx"
    assert run("init", "--example", "--format", folder, workbook)[0] == 0
    code, output = run("build", workbook, "--format", folder, "-o", tmp_path / "out")
    assert code == 0, output
    built = Document(next((tmp_path / "out").glob("*_部门整体支出绩效自评报告.docx")))
    assert "本县新增说明：预算执行率为99.18%。" in [p.text for p in built.paragraphs]
    table = Document(next((tmp_path / "out").glob("*_评分表.docx"))).tables[0]
    rows = {r.cells[2].text: [c.text for c in r.cells] for r in table.rows}
    assert rows["预算执行率"][4:6] == ["1", "1.00"]  # 分值 as written, 得分 two decimals
    assert rows["资金结余"][4:6] == ["2", "1.00"]


def _new(tmp_path: Path) -> Path:
    folder = tmp_path / "broken"
    run("format", "new", folder, "--from", "yueyang-2020")
    return folder


def test_new_format_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    code, output = run("format", "new", tmp_path / "a-file" / "新格式", "--from", "yueyang-2020")
    assert code == 2 and "是一个文件，不是文件夹" in output, output
    assert "Traceback" not in output


@pytest.mark.parametrize(("error", "message"), [
    (errno.EACCES, "没有写入权限（文件夹只读或无权写入），未写入任何文件"),
    (errno.ENOSPC, "磁盘空间不足，未写入任何文件"),
])
def test_new_format_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int, message: str) -> None:
    """Issue 20: a read-only folder or a full disk made `format new` exit 3, and a full disk left a
    half-copied folder that blocked the next attempt. (The tests run as root, which a read-only
    folder does not stop: the failure is injected on the third file.)"""
    real, copied = shutil.copyfile, []

    def failing(src: str, dst: Path) -> object:
        if len(copied) == 2:
            raise OSError(error, os.strerror(error), str(dst))
        copied.append(dst)
        return real(src, dst)

    stale = tmp_path / ".reportgen-tmp-0badcafe"  # a killed run's half-copied folder
    stale.mkdir()
    os.utime(stale, (0, 0))
    monkeypatch.setattr(shutil, "copyfile", failing)
    dest = tmp_path / "新格式"
    code, output = run("format", "new", dest, "--from", "yueyang-2020")
    assert code == 2 and f"错误  {dest}: {message}" in output, output
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no folder, no staging, the stale one gone
    monkeypatch.setattr(shutil, "copyfile", real)
    assert run("format", "new", dest, "--from", "yueyang-2020")[0] == 0
    assert (dest / "format.yaml").is_file() and [p.name for p in tmp_path.iterdir()] == ["新格式"]


def test_check_reports_template_mistakes(tmp_path: Path) -> None:
    folder = _new(tmp_path)
    replace_template(folder, "自评报告.docx", "单位：{{ unit.nmae }}", "数字：{{ “budget.final” }}")
    replace_template(folder, "评分表.docx", "{% for x in goals %}没有结束")
    code, output = run("format", "check", folder)
    assert code == 2
    assert "自评报告.docx T430 第 1 段: 未知的变量 unit.nmae，是否想用 unit.name？" in output
    assert "自评报告.docx T414 第 2 段: 标签中有中文弯引号" in output
    assert "评分表.docx T410 第 1 段: {% for %} 标签没有对应的 {% endfor %}" in output


def test_check_reports_scoring_mistakes(tmp_path: Path) -> None:
    folder = _new(tmp_path)

    def break_it(system: dict) -> None:
        first = system["levels"][0]["groups"][0]["indicators"][0]
        first["rule"]["kind"] = "magic"
        system["levels"][0]["weight"] = 20  # total 105, and 投入's groups no longer add up

    _edit_yaml(folder / "scoring.yaml", break_it)
    code, output = run("format", "check", folder)
    assert code == 2
    assert "scoring.yaml" in output
    assert "magic" in output
    assert "100" in output


def test_check_reports_declaration_mistakes(tmp_path: Path) -> None:
    folder = _new(tmp_path)
    _edit_yaml(folder / "format.yaml", lambda d: d["documents"].append(
        {"id": "extra", "name": "附表", "template": "没有这个文件.docx", "output": "{{ unit.name }.docx"}))
    code, output = run("format", "check", folder)
    assert code == 2 and "声明中引用的文件不存在: 没有这个文件.docx" in output

    _edit_yaml(folder / "format.yaml", lambda d: d.pop("province"))
    code, output = run("format", "check", folder)
    assert code == 2 and "format.yaml:1 F101 province: 缺少必填项" in output


def test_check_reports_questionnaire_mistakes(tmp_path: Path) -> None:
    folder = _new(tmp_path)
    (folder / "questionnaire.yaml").write_text(
        "title: 问卷\ncategories: [服务对象]\noptions:\n  - {label: 满意, points: 六, satisfied: true}\n"
        "  - {label: 不满意, points: 0}\nquestions:\n  - {id: Q1, text: 总体评价}\n", "utf-8")
    _edit_yaml(folder / "format.yaml", lambda d: d.update(questionnaire="questionnaire.yaml"))
    code, output = run("format", "check", folder)
    assert code == 2 and "questionnaire.yaml" in output and "六" in output


BUILTIN = sorted(p for p in (Path(__file__).parents[1] / "templates").iterdir() if (p / "format.yaml").exists())


def test_builtin_formats_are_listed() -> None:
    code, output = run("formats")
    assert code == 0 and all(folder.name in output for folder in BUILTIN)


@pytest.mark.parametrize("folder", BUILTIN, ids=lambda p: p.name)
def test_builtin_formats_check_clean(folder: Path) -> None:
    code, output = run("format", "check", folder)
    assert code == 0, output


def test_vars_reference_lists_model_names() -> None:
    code, output = run("format", "vars")
    assert code == 0
    assert "expenditure.basic_share" in output and "基本支出占总支出比例" in output
    assert "score.total" in output and "questionnaire_summary.score_rate" in output
    assert "unit.name" in output and "青山县医疗保障局" in output  # example value


def test_a_template_full_of_unused_styles_is_flagged_and_copied_slim(tmp_path: Path) -> None:
    from reportgen.render.slim import surplus_bytes

    folder = _new(tmp_path)
    fat_doc = Document()  # python-docx's own default document: ~170 styles, latent styles, stylesWithEffects
    for text in ("{{ unit.name }}自评报告", "单位：{{ unit.name }}"):
        fat_doc.add_paragraph(text)
    fat_doc.save(folder / "自评报告.docx")
    fat = (folder / "自评报告.docx").read_bytes()
    assert surplus_bytes(fat) > 600_000  # ~170 styles, latent styles, stylesWithEffects, a thumbnail
    code, output = run("format", "check", folder)
    assert "自评报告.docx F121" in output and "未使用的样式" in output
    assert "评分表.docx F121" not in output  # the built-in templates are slim

    copy = tmp_path / "slim-copy"
    assert run("format", "new", copy, "--from", folder)[0] == 0
    slimmed = copy / "自评报告.docx"
    assert len(slimmed.read_bytes()) < len(fat) / 2 and surplus_bytes(slimmed.read_bytes()) == 0
    assert [p.text for p in Document(str(slimmed)).paragraphs] == [p.text for p in Document(str(folder / "自评报告.docx")).paragraphs]
    assert {s.name for s in Document(str(slimmed)).styles} >= {"Normal"}
    assert "F121" not in run("format", "check", copy)[1]
