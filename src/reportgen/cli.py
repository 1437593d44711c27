"""Command line: arguments, calls, printing, exit codes. Nothing else lives here.

Exit status: 0 done; 2 a problem with the input (workbook, format folder, template) or with
writing the output, or ``build --pdf`` could not make every PDF (the .docx are written) — every
problem printed in Chinese; 3 an internal error (a bug: set
REPORTGEN_DEBUG=1 for the traceback); 130 interrupted by Ctrl-C (nothing written).
Heavy modules are imported inside the commands so that start-up stays fast.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn

import click

from reportgen import __version__
from reportgen.errors import Finding, ReportgenError
from reportgen.quick_exit import exit_process

EXIT_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

_FORMAT_OPTION = click.option(
    "--format", "format_choice", metavar="ID|文件夹",
    help="使用的格式：内置格式编号（见 reportgen formats）或格式文件夹路径。默认使用工作簿中记录的格式。")


def print_findings(findings: list[Finding]) -> None:
    errors = [f for f in findings if f.is_error]
    warnings = [f for f in findings if not f.is_error and not f.is_lint]
    notes = [f for f in findings if not f.is_error and f.is_lint]
    for f in errors:
        click.secho(f"错误  {f}", fg="red", err=True)
    for f in warnings:
        click.secho(f"提示  {f}", fg="yellow", err=True)
    if notes:  # the reviewer's lint, apart: worth a look, never a stop
        click.secho(f"审核提示（{len(notes)} 条，审核时可能被问到，不影响生成）：", fg="cyan", err=True)
        for f in notes:
            click.secho(f"审核  {f}", fg="cyan", err=True)
    if errors:
        click.secho(f"共 {len(errors)} 个错误、{len(warnings) + len(notes)} 个提示，请修改后重试。", fg="red", err=True)


def handles_input_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn ReportgenError into printed findings and exit 2; never show a traceback to a clerk.

    Ctrl-C prints one Chinese line and exits 130 (click would print "Aborted!"); the commands
    clean up their own temporary files on the way out.
    """

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ReportgenError as exc:
            print_findings(exc.findings)
            sys.exit(EXIT_INPUT)
        except KeyboardInterrupt as exc:
            written = getattr(exc, "written", None)  # Ctrl-C came while files were put in place: they all were
            click.secho(f"已中断：{len(written)} 个文件已全部写入，其后的步骤未进行。" if written else "已中断，未生成任何文件。",
                        fg="red", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:  # output piped into `head` and closed early: not an error
            sys.stderr.close()
            sys.exit(0)
        except Exception as exc:
            if os.environ.get("REPORTGEN_DEBUG"):
                raise
            click.secho(f"内部错误（请把这条信息和所用文件发给维护人员）: {type(exc).__name__}: {exc}",
                        fg="red", err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="reportgen", message="%(prog)s %(version)s")
def main() -> None:
    """reportgen：根据一份 Excel 填报表生成部门整体支出绩效自评报告、评分表和问卷汇总（Word）。

    \b
    常用步骤：
      reportgen init 填报表.xlsx        生成空白填报表
      reportgen init 新表.xlsx --from 上年填报表.xlsx   以上年的填报表为起点生成新年度的填报表
      reportgen init 新表.xlsx --import 决算表.xls    填入部门决算表中的数字（也可与 --from 同用）
      reportgen import 填报表.xlsx 决算表.xls -o 新表.xlsx   把决算表的数字填入已有的填报表
      reportgen upgrade 旧表.xlsx 新表.xlsx   把旧版本的填报表转为本程序的版本
      reportgen check 填报表.xlsx       检查数据并显示关键指标
      reportgen build 填报表.xlsx -o 输出文件夹   生成 Word 文档（加 --pdf 同时生成 PDF）
      reportgen batch 填报表文件夹 -o 输出文件夹  全县各单位一次生成，另有汇总表
      reportgen serve --data 数据文件夹    财政局收集各单位填报表的网页服务
    """


def run() -> NoReturn:
    """The ``reportgen`` console script: the command, then a quick exit (``quick_exit``).

    Python's automatic garbage collector is off while a command runs: a ``build`` is over in a second or
    so, and the collector would spend some 50 ms of it (a tenth of a small unit's build) walking the
    objects imports made, which stay to the end anyway. Where memory would grow, the code collects
    itself (every few documents, after each unit of a batch); ``serve``, which runs for as long as it is
    wanted, turns the collector back on."""
    gc.disable()
    try:
        main()
    except SystemExit as exc:
        exit_process(exc.code)
    exit_process(0)


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@_FORMAT_OPTION
@click.option("--example", is_flag=True, help="填入示例单位（青山县医疗保障局）的数据。")
@click.option("--from", "previous", type=click.Path(path_type=Path), metavar="上年填报表.xlsx",
              help="以上年的填报表为起点：年度加一，单位信息、主要职能、项目名称和各“上年”栏自动填入"
                   "（格式默认沿用上年填报表的）。")
@click.option("--import", "imports", multiple=True, type=click.Path(path_type=Path), metavar="决算表",
              help="填入部门决算表（财决表或公开表，.xls/.xlsx，或存放它们的文件夹）中的数字；可多次给出。")
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
@handles_input_errors
def init(out: Path, format_choice: str | None, example: bool, previous: Path | None, imports: tuple[Path, ...],
         force: bool) -> None:
    """生成空白（或示例，或以上年数据为起点的）填报表 OUT.xlsx。"""
    from reportgen.filenames import check_out_file
    from reportgen.pipeline import init_workbook

    if example and (previous is not None or imports):
        raise ReportgenError(Finding("--example 与 --from、--import 不能同时使用", "--example"))
    check_out_file(out, ".xlsx", "填报表", inputs=[previous, *imports], force=force)
    if imports:
        from reportgen.importer.run import init_import

        run = init_import(out, imports, format_choice, previous)
        start = f"以 {previous} 为起点，" if previous is not None else ""
        click.echo(f"已生成填报表：{out}（{start}填入决算表的数字；格式：{run.format_id} {run.format_name}）")
        print_import(run)
        if run.carried is not None:
            print_carried(run.carried, out)
        else:
            print_blanks(run.blanks, run.errors, out)
        return
    if previous is not None:
        from reportgen.carry.next_year import carry_forward

        carried = carry_forward(previous, out, format_choice)
        click.echo(f"已生成新年度填报表：{out}（以 {previous} 为起点；格式：{carried.format.id} {carried.format.spec.name}）")
        print_carried(carried, out)
        return
    fmt = init_workbook(out, format_choice, example)
    click.echo(f"已生成{'示例' if example else '空白'}填报表：{out}（格式：{fmt.id} {fmt.spec.name}）")


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@_FORMAT_OPTION
@click.option("--force", is_flag=True, help="覆盖已存在的 NEW。")
@handles_input_errors
def upgrade(old: Path, new: Path, format_choice: str | None, force: bool) -> None:
    """把旧版本的填报表 OLD 转为本程序版本的填报表 NEW：已填的数据全部转入，OLD 不会被修改。

    列出新表中需要填写的新增必填单元格。
    """
    from reportgen.carry.upgrade import upgrade as upgrade_workbook
    from reportgen.filenames import check_out_file

    check_out_file(new, ".xlsx", "填报表", inputs=[old], force=force)
    carried = upgrade_workbook(old, new, format_choice)
    version = f"原表结构版本 {carried.version or '未记录'}"
    click.echo(f"已生成新版本填报表：{new}（{version}；格式：{carried.format.id} {carried.format.spec.name}）")
    if not carried.older:
        click.echo("原表已是本程序的版本，数据已原样转入。")
    print_carried(carried, new)


def print_import(run: Any) -> None:
    """What an import read and did: tables, counts, notes, 需手工填写, conflicts (exit 2 after them)."""
    from reportgen.importer.run import manual_lines

    imported, applied = run.imported, run.applied
    click.echo(f"读取的决算表（{len(imported.tables)} 张）：")
    for line in imported.tables:
        click.echo(f"  {line}")
    for line in imported.skipped:
        click.secho(f"  未导入：{line}", fg="yellow")
    done = applied.filled + applied.confirmed + applied.replaced
    click.echo(f"导入 {done} 个数：新填 {applied.filled} 个，与原有的数一致 {applied.confirmed} 个"
               + (f"，覆盖 {applied.replaced} 个" if applied.replaced else "")
               + "；来源见新表的“来源”表和各单元格的批注。")
    for line in applied.rows_added:
        click.echo(f"  新增机构行：{line}")
    print_findings([f for f in [*imported.findings, *applied.findings] if not f.is_error])
    manual = manual_lines(run)
    if manual:
        click.secho("需手工填写（决算表中没有，或只含财政拨款、不是同一口径）：", fg="yellow")
        for line in manual:
            click.secho(f"  {line}", fg="yellow")
    if run.conflicts:
        click.secho(f"以下 {len(run.conflicts)} 处填报表的数与决算不同，已保留填报表的数：", fg="red", err=True)
        for f in run.conflicts:
            click.secho(f"错误  {f}", fg="red", err=True)


SPLIT_TITLE = "写在一格里的指标值已拆分为指标性质、年度指标值和度量单位："
REVIEW_TITLE = "以下指标需要人工判断或核对："


def _section(title: str, lines: list[str], color: str | None = None) -> None:
    """A heading and its lines, indented; nothing when there are none."""
    if lines:
        click.secho(title, fg=color)
        for line in lines:
            click.secho(f"  {line}", fg=color)


def print_blanks(found: list[Any], errors: list[Finding], out: Path) -> None:
    """The cells a new workbook still needs, what is wrong in it, and the command to run next."""
    from reportgen.carry.blanks import describe_blanks

    blanks = describe_blanks(found)
    _section(f"请填写以下必填单元格（共 {sum(1 for b in found if b.cell or b.rows)} 处）：", blanks)
    _section("新表中还有以下错误：", [str(f) for f in errors], "yellow")
    click.echo(f"填写后运行：reportgen check {out}" if blanks else f"可以运行：reportgen check {out}")


@main.command("import")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out", required=True, type=click.Path(path_type=Path), metavar="新表.xlsx",
              help="写出的新填报表（不能与 WORKBOOK 相同；WORKBOOK 不会被修改）。")
@click.option("--overwrite", is_flag=True, help="填报表中已有且与决算不同的数，用决算数覆盖（默认保留填报表的数并列出）。")
@_FORMAT_OPTION
@click.option("--force", is_flag=True, help="覆盖已存在的 新表.xlsx。")
@handles_input_errors
def import_command(workbook: Path, files: tuple[Path, ...], out: Path, overwrite: bool, format_choice: str | None,
                   force: bool) -> None:
    """把部门决算表 FILES（财决表或公开表，.xls/.xlsx，或文件夹）中的数字填入填报表 WORKBOOK，写出新表。

    填报表中已有、与决算不同的数保留填报表的并列出（退出码 2），加 --overwrite 用决算数覆盖。
    每个导入的单元格有批注说明来源，新表的“来源”表列出全部。
    """
    from reportgen.filenames import check_out_file
    from reportgen.importer.run import import_into

    check_out_file(out, ".xlsx", "填报表", inputs=[workbook, *files], force=force)
    run = import_into(workbook, files, out, overwrite, format_choice)
    click.echo(f"已生成填报表：{out}（{workbook} 的数据，填入决算表的数字；格式：{run.format_id} {run.format_name}）")
    print_import(run)
    _section(SPLIT_TITLE, run.split)
    _section(REVIEW_TITLE, run.review, "yellow")
    print_blanks(run.blanks, run.errors, out)
    if run.conflicts:
        sys.exit(EXIT_INPUT)


def print_carried(carried: Any, out: Path) -> None:
    """What ``init --from`` / ``upgrade`` carried, could not carry, and what the clerk fills in."""
    from reportgen.carry.blanks import describe_blanks

    if carried.older:
        which = ("部分表头已改名" if carried.version == carried.current
                 else f"结构版本 {carried.version or '未记录'}，本程序为 {carried.current}")
        click.echo(f"原表是旧版本的填报表（{which}），已按新版本读取。")
    _section("按旧版本的名称读取：", [str(r) for r in carried.renamed])
    _section(SPLIT_TITLE, carried.split)
    _section("已转入：", carried.carried)
    _section("以下“上年”数据未能取得，请填写：", carried.missing, "yellow")
    _section(f"上年填报表有 {len(carried.problems)} 个错误（能读取的数据已转入）：", [str(f) for f in carried.problems],
            "yellow")
    _section("以下内容在新版本中没有对应位置，未转入（请自行转抄）：", carried.unread, "yellow")
    _section("以下单元格无法识别，已原样转入，请在新表中修改：", [str(f) for f in carried.unreadable], "yellow")
    _section(REVIEW_TITLE, carried.review, "yellow")
    _section("以下是上年的值（已标为橙色），请按本年度修改或确认：", describe_blanks(carried.revise))
    print_blanks(carried.blanks, [f for f in carried.errors if f not in carried.unreadable], out)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@_FORMAT_OPTION
@click.option("--against", "against", multiple=True, type=click.Path(path_type=Path), metavar="决算表",
              help="与部门决算表（.xls/.xlsx 或文件夹，可多次给出）核对：列出每个不同的数（两边的数和位置），退出码 2。")
@handles_input_errors
def check(workbook: Path, format_choice: str | None, against: tuple[Path, ...]) -> None:
    """检查填报表 WORKBOOK，不写任何文件；显示关键指标和评分。"""
    from reportgen.importer.provenance import provenance_lines
    from reportgen.pipeline import evaluate_workbook
    from reportgen.summary import key_figures
    from reportgen.workbook.reader import open_workbook

    try:
        book = open_workbook(workbook)  # opened once: the evaluation and the 来源 sheet read it
        evaluation = evaluate_workbook(book, workbook, format_choice)
    except ReportgenError as exc:
        if not against:
            raise
        check_against(workbook, format_choice, against, exc)  # the figures are compared all the same
    print_findings(evaluation.findings)
    click.echo(key_figures(evaluation))
    for line in provenance_lines(book, evaluation.report, evaluation.refs):
        click.echo(line)
    if against:
        check_against(workbook, format_choice, against, None, (evaluation.report, evaluation.refs))
    click.secho("检查通过。", fg="green")


def check_against(workbook: Path, format_choice: str | None, against: tuple[Path, ...], refused: ReportgenError | None,
                  read: tuple[Any, Any] | None = None) -> None:
    """``check --against``: every figure that differs from the 决算 tables (exit 2 when any does, or
    when the workbook has errors, which are printed first)."""
    from reportgen.importer.run import against as compare_against
    from reportgen.importer.run import read_report

    if refused is not None:
        print_findings(refused.findings)
        read = read_report(workbook, format_choice)
        if read is None:
            sys.exit(EXIT_INPUT)
    assert read is not None
    _, differences = compare_against(*read, against)
    if differences:
        print_findings(differences)
        click.secho(f"与决算表不一致：{len(differences)} 处（见上）。", fg="red", err=True)
        sys.exit(EXIT_INPUT)
    click.secho("与决算表一致。", fg="green")
    if refused is not None:
        sys.exit(EXIT_INPUT)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="输出文件夹。")
@_FORMAT_OPTION
@click.option("--pdf", is_flag=True, help="再用 LibreOffice 把每份文档转换为 PDF，放在 Word 文档旁。")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="--pdf 时同时运行的 LibreOffice 个数，一般不超过本机 CPU 核数。")
@handles_input_errors
def build(workbook: Path, out_dir: Path, format_choice: str | None, pdf: bool, jobs: int) -> None:
    """根据填报表 WORKBOOK 生成 Word 文档（全部生成成功才写入输出文件夹）。"""
    from reportgen.filenames import check_out_dir
    from reportgen.outputs import recover, stale_outputs_finding
    from reportgen.pipeline import build_outputs, evaluate

    check_out_dir(out_dir)
    print_findings(recover(out_dir))  # a build killed while replacing files is rolled back, and said so
    evaluation = evaluate(workbook, format_choice)
    print_findings(evaluation.findings)
    outputs = build_outputs(evaluation, out_dir, inputs=[workbook])
    for written in outputs:
        note = f"（{written.note}）" if written.note else ""
        click.echo(f"已生成：{written.path}{note}")
    if pdf:
        write_pdfs([w.path for w in outputs], jobs)
    if (stale := stale_outputs_finding(out_dir, [w.path for w in outputs])) is not None:
        print_findings([stale])


def write_pdfs(docx_paths: list[Path], jobs: int = 1) -> None:
    """PDFs beside documents already written: print each, the font notice once; exit 2 on a problem."""
    from reportgen.pdf import convert_to_pdf, font_notice

    click.echo("正在用 LibreOffice 生成 PDF……", err=True)
    try:
        result = convert_to_pdf(docx_paths, jobs=jobs)
    except KeyboardInterrupt:
        click.secho("已中断：Word 文档已生成，PDF 未生成完。", fg="red", err=True)
        sys.exit(EXIT_INTERRUPTED)
    for path in result.converted:
        click.echo(f"已生成：{path}")
    notice = font_notice(result.substituted)
    if not result.ok:
        raise ReportgenError([*result.findings, *([notice] if notice else [])])
    print_findings([*result.findings, *([notice] if notice else [])])


@main.command("batch")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="输出文件夹：每个单位一个子文件夹，另有 汇总表.xlsx。")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="同时处理的单位数（工作进程数），一般不超过本机 CPU 核数。")
@_FORMAT_OPTION
@click.option("--pdf", is_flag=True, help="各单位的文档再各生成一份 PDF（需要 LibreOffice；全部文档一起转换，--jobs 个同时）。")
@click.option("--against", "against", multiple=True, type=click.Path(path_type=Path), metavar="决算表文件夹",
              help="与各单位的部门决算表核对（按编制单位与单位名称、机构名称对应），不同的数列入问题清单。")
@handles_input_errors
def batch_command(folder: Path, out_dir: Path, jobs: int, format_choice: str | None, pdf: bool,
                  against: tuple[Path, ...]) -> None:
    """批量处理文件夹 FOLDER（含子文件夹）中的全部 .xlsx 填报表。

    每个单位生成到“输出文件夹/单位名称/”，单位名称相同的依次加序号（单位名（2））；
    有错误的填报表不生成，但不影响其他单位。最后写出 汇总表.xlsx（“问题清单”和“汇总”两张表）。
    全部生成时退出码为 0，有未生成的（或 --pdf 转换失败的）为 2。
    """
    from reportgen.batch import SUMMARY_NAME, FolderPlan, find_workbooks, finish_unit, run_batch
    from reportgen.county_summary import relative_name, write_summary
    from reportgen.interrupts import deferred
    from reportgen.outputs import folder_lock
    from reportgen.progress import StatusLine

    workbooks, others = find_workbooks(folder, out_dir)
    for path, why in others:
        click.secho(f"跳过  {relative_name(path, folder)}：{why}", fg="yellow", err=True)
    if not workbooks:
        raise ReportgenError(Finding("文件夹中没有找到 .xlsx 填报表", str(folder)))
    if format_choice:
        from reportgen.formats.loader import resolve_format

        resolve_format(format_choice)  # a wrong --format is one message, not one per unit
    county = None
    if against:
        from reportgen.importer.run import CountyTables

        county = CountyTables(against)
        print_findings(county.files.findings)
    status = StatusLine(len(workbooks))
    plan, outcomes = FolderPlan(), []
    # a second batch into the same -o refuses (exit 2) instead of mixing units; held until the command ends
    click.get_current_context().with_resource(folder_lock(out_dir))
    try:
        for result in run_batch(workbooks, out_dir, format_choice, jobs, keep_figures=county is not None,
                                started=lambda _i, path: status.start(relative_name(path, folder))):
            name = relative_name(result.path, folder)
            if county is not None and result.ok and result.figures is not None:  # in the 问题清单
                result = replace(result, findings=[*result.findings, *county.findings_for(*result.figures)],
                                 figures=None)
            with deferred() as held:  # Ctrl-C while a unit is written: it is written, counted, then we stop
                outcome = finish_unit(result, plan, out_dir, f"“{name}”")
                outcomes.append(outcome)
                status.advance(failed=not outcome.built)
                if outcome.built and outcome.folder is not None:
                    note = f"；{outcome.folder.note}" if outcome.folder.note else ""
                    status.echo(f"已生成  {name} → {out_dir / outcome.folder.name}，{len(outcome.written)} 个文件{note}")
                else:
                    errors = outcome.errors
                    unit = f"（{result.unit_name}）" if result.unit_name else ""
                    status.echo(f"未生成  {name}{unit}：{len(errors)} 个错误，如 {errors[0] if errors else ''}",
                                err=True, fg="red")
            if held.interrupted:
                raise KeyboardInterrupt
        status.clear()
        summary, summary_error = out_dir / SUMMARY_NAME, None
        try:
            write_summary(summary, outcomes, folder)
        except ReportgenError as exc:  # e.g. 汇总表.xlsx open in Excel: the units are written all the same
            summary_error = exc
    except KeyboardInterrupt as exc:
        status.clear()
        summary_state = "汇总表已更新" if getattr(exc, "written", None) else "汇总表未更新"
        click.secho(f"已中断：已处理 {len(outcomes)}/{len(workbooks)} 个填报表，已生成的单位文件夹保留，"
                    f"正在写入的单位保持原样；{summary_state}。", fg="red", err=True)
        sys.exit(EXIT_INTERRUPTED)
    if county is not None and (unused := county.unused()):
        click.secho(f"决算表中这些单位没有对应的填报表：{'、'.join(unused)}", fg="yellow", err=True)
    built = sum(o.built for o in outcomes)
    failed = len(outcomes) - built
    pdf_failed = False
    if pdf and built:
        try:
            write_pdfs([path for o in outcomes if o.built for path in o.written], jobs)
        except ReportgenError as exc:  # the documents stand; the count below still comes
            print_findings(exc.findings)
            pdf_failed = True
    if summary_error is not None:
        for finding in summary_error.findings:
            click.secho(f"错误  {finding}", fg="red", err=True)
        where = "汇总表未能写入（见上一行）"
    else:
        where = f"汇总表：{summary}" + ("（错误和提示见其中的“问题清单”）"
                                       if failed or any(o.findings for o in outcomes) else "")
    bad = bool(failed or summary_error or pdf_failed)
    click.secho(f"共 {len(outcomes)} 个填报表：已生成 {built} 个，未生成 {failed} 个。{where}",
                fg="red" if bad else "green", err=bad)
    if any(o.result.internal for o in outcomes):
        sys.exit(EXIT_INTERNAL)
    if bad:
        sys.exit(EXIT_INPUT)


@main.command("serve")
@click.option("--data", "data_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              metavar="文件夹", help="数据文件夹：数据库和全部上传、生成的文件都放在这里（不存在时自动创建）。")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址。默认只有本机能访问；局域网内各单位访问时用 0.0.0.0。")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="端口（0：任选一个空闲端口）。")
@click.option("--url", "public_url", default="", metavar="地址",
              help="各单位访问本机的地址，用于打印各单位链接，如 http://192.168.1.10:8000。")
@click.option("--format", "format_folders", multiple=True, metavar="文件夹",
              type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="除内置格式外可选用的格式文件夹（可多次给出）。上传的文件不能指定格式。")
@click.option("-j", "--jobs", type=click.IntRange(1, 32), default=2, show_default=True,
              help="同时生成的单位数（工作进程数）。")
@click.option("--pdf/--no-pdf", default=None, help="同时生成 PDF（默认：本机装有 LibreOffice 时生成）。")
@click.option("--max-upload-mb", type=click.IntRange(1, 200), default=20, show_default=True,
              help="上传文件大小上限（MB）。")
@click.option("--reset-password", is_flag=True, help="忘记管理员密码时使用：清除密码，打印新的一次性设置链接。")
@handles_input_errors
def serve_command(data_dir: Path, host: str, port: int, public_url: str, format_folders: tuple[Path, ...],
                  jobs: int, pdf: bool | None, max_upload_mb: int, reset_password: bool) -> None:
    """财政局收集各单位填报表的网页服务：各单位只需浏览器（需安装 pip install 'reportgen[serve]'）。

    \b
    启动后在浏览器打开 http://127.0.0.1:8000/admin ：新建收集任务、添加单位、
    把各单位的专用链接发给各单位；各单位通过链接下载填报表、上传、查看错误、下载文档。
    """
    gc.enable()  # a long-running process (``run`` turned the collector off for one-shot commands)
    try:
        from reportgen.serve.main import run
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in ("starlette", "uvicorn", "multipart", "python_multipart", "anyio"):
            raise
        raise ReportgenError(Finding("reportgen serve 需要另外安装网页服务组件：pip install 'reportgen[serve]'",
                                     "serve")) from exc
    if public_url and not public_url.startswith(("http://", "https://")):
        raise ReportgenError(Finding("--url 应以 http:// 或 https:// 开头，如 http://192.168.1.10:8000", "--url"))
    run(data_dir, host=host, port=port, formats=format_folders, jobs=jobs, public_url=public_url, pdf=pdf,
        max_upload_mb=max_upload_mb, reset_password=reset_password)


@main.command("formats")
@handles_input_errors
def list_formats() -> None:
    """列出内置格式。"""
    from reportgen.formats.loader import builtin_format_dirs, load_format

    for folder in builtin_format_dirs():
        fmt = load_format(folder)
        docs = "、".join(d.name for d in fmt.spec.documents)
        years = f"{fmt.spec.years[0]}–{fmt.spec.years[1]}"
        click.echo(f"{fmt.id:<16} {fmt.spec.name}（{fmt.spec.province}，{fmt.spec.level}，{years}）\n"
                   f"{'':<16} 文档：{docs}")


@main.group("format")
def format_group() -> None:
    """格式（模板）维护工具：新建、检查、变量参考。"""


@format_group.command("new")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--from", "source", required=True, metavar="ID|文件夹", help="以哪个格式为起点。")
@handles_input_errors
def format_new(dest: Path, source: str) -> None:
    """复制一个格式到新文件夹 DEST，作为新格式的起点（编号取文件夹名）。"""
    from reportgen.formats.loader import copy_format, resolve_format

    copy_format(resolve_format(source), dest)
    click.echo(f"已创建格式文件夹：{dest}\n下一步：修改 {dest / 'format.yaml'} 和模板，然后运行 reportgen format check {dest}")


@format_group.command("check")
@click.argument("folder", type=click.Path(path_type=Path))
@handles_input_errors
def format_check(folder: Path) -> None:
    """检查格式文件夹 FOLDER：声明、评分体系、问卷定义、每个模板。"""
    from reportgen.formats.check import check_format

    fmt, findings = check_format(folder)
    print_findings(findings)
    if any(f.is_error for f in findings):
        sys.exit(EXIT_INPUT)
    if fmt is not None:
        from reportgen.formats.uses import describe_unused

        click.echo(describe_unused(fmt))
    docs = len(fmt.spec.documents) if fmt else 0
    click.secho(f"格式“{fmt.id if fmt else folder}”检查通过（{docs} 个文档模板）。", fg="green")


@format_group.command("vars")
@click.option("--markdown", is_flag=True, help="输出 Markdown 表格（用于文档）。")
@handles_input_errors
def format_vars(markdown: bool) -> None:
    """列出模板中可用的全部变量：名称、类型、中文含义、示例值。"""
    from reportgen.formats.reference import example_context, variable_reference

    docs = variable_reference(example_context())
    if markdown:
        click.echo("| 变量 | 类型 | 含义 | 示例 |\n|---|---|---|---|")
        for d in docs:
            click.echo(f"| `{d.path}` | {d.type} | {d.meaning} | {d.example} |")
        return
    for d in docs:
        example = f"  例：{d.example}" if d.example else ""
        click.echo(f"{d.path:<44} {d.type:<18} {d.meaning}{example}")


@main.group()
def questionnaire() -> None:
    """满意度调查问卷。"""


@questionnaire.command("blank")
@click.argument("out", type=click.Path(path_type=Path))
@_FORMAT_OPTION
@click.option("--workbook", type=click.Path(path_type=Path), help="从填报表读取单位名称等（可选）。")
@handles_input_errors
def questionnaire_blank(out: Path, format_choice: str | None, workbook: Path | None) -> None:
    """按格式的问卷定义生成可打印的空白问卷 OUT.docx。"""
    from reportgen.filenames import check_out_file
    from reportgen.pipeline import blank_questionnaire

    check_out_file(out, ".docx", "问卷", inputs=[workbook])
    fmt = blank_questionnaire(out, format_choice, workbook)
    click.echo(f"已生成空白问卷：{out}（格式：{fmt.id}）")


if __name__ == "__main__":  # pragma: no cover
    run()
