"""A format is a folder: ``format.yaml`` (the declaration) plus its .docx templates and data files.

Built-in formats live in the repository's ``templates/`` folder; ``--format DIR`` points at any
other folder with the same layout. A declaration that does not validate is reported as findings
``format.yaml:<line> F1xx <field>: <Chinese message>``; YAML itself is read by ``reportgen.yamlfile``.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from reportgen.errors import Finding, ReportgenError
from reportgen.lint.settings import LintSettings
from reportgen.model.inputs import InputDecl
from reportgen.validation import duplicates, field_path, validation_findings
from reportgen.workbook.schema import META_SHEET
from reportgen.yamlfile import LineMarks, load_yaml, not_a_mapping, read_yaml

# codes of declaration problems by kind (see validation.Kind and docs/templating.md)
FORMAT_CODES = {"missing": "F101", "unknown": "F102", "type": "F103", "value": "F104"}

if TYPE_CHECKING:
    from reportgen.questionnaire.definition import Questionnaire
    from reportgen.scoring.system import ScoringSystem

DECLARATION = "format.yaml"
MEASURES = {"satisfaction_rate": "满意率", "score_rate": "得分率"}  # satisfaction_measure: what a clerk calls it


def templates_root() -> Path:
    """Where the built-in formats are: ``$REPORTGEN_TEMPLATES``, else the package
    ``reportgen.builtin_templates`` -- the repository's ``templates/`` folder, shipped in the wheel
    (pyproject.toml maps it) and, in an editable install, the checkout's folder itself."""
    env = os.environ.get("REPORTGEN_TEMPLATES")
    if env:
        return Path(env)
    from importlib import resources

    # pip and pipx unpack a wheel, so the package is a folder on disk
    return Path(str(resources.files("reportgen.builtin_templates")))


AUTO_LABEL = "auto"  # ``label: auto``: numbered 附件1, 附件2 … among the documents produced


class DocumentSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="文档编号（英文，唯一）")
    name: str = Field(description="文档名称")
    template: str = Field(description="模板文件名（.docx，位于格式文件夹内）")
    output: str = Field(description="输出文件名（Jinja 文本，可用 unit.name、unit.year；逐项目文档还可用 project.name）")
    for_each: Literal["project"] | None = Field(None, description="每个项目生成一份（project）")
    needs: list[Literal["scoring", "questionnaire", "project_indicators"]] = Field(default_factory=list, description=(
        "需要的数据：scoring 评分、questionnaire 问卷（没有问卷时不生成）、project_indicators 项目的绩效指标"
        "（逐项目文档：没有绩效指标的项目不生成这份文档，并提示）"))
    label: str = Field("", description=(
        "附件标识（如“附件2”“附件3-1”），模板中用 document.label 印在左上角；写 auto 时按本次生成的文档顺序"
        "编号为附件1、附件2……（写 auto 的文档依次编号，不生成的文档不占号）"))


class FormatInput(InputDecl):
    """A value the format collects beyond the common sheets and its scoring rules (e.g. 项目负责人,
    a province's 评价结论): a row of the workbook's 评分填报 sheet (补充填报 when the format
    scores nothing from it), read by templates as ``inputs.<key>``."""

    required: bool = Field(False, description="是否必填")


class FormatSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    province: str
    level: str = Field(description="适用层级：省级/市级/县级")
    years: tuple[int, int] = Field(description="适用年度范围 [起, 止]")
    version: str
    description: str = ""
    documents: list[DocumentSpec]
    scoring: str | None = Field(None, description="评分体系文件（YAML）")
    project_scoring: str | None = Field(None, description="项目支出绩效自评表的评分体系文件（YAML），逐项目计分")
    inputs: list[FormatInput] = Field(default_factory=list, description="格式自己的填报项（模板中为 inputs.键）")
    project_indicators: Literal["optional", "required"] = Field("optional", description=(
        "项目的绩效指标：optional（默认）没有绩效指标的项目不计分、不生成需要它的逐项目文档，只作提示；"
        "required 每个项目都必须有（如项目支出绩效评价格式），没有的是错误"))
    fund_sources: list[str] | None = Field(None, min_length=1, description=(
        "“资金来源”表的行（本省自评表的资金来源，如 财政资金、财政专户管理资金、单位资金、其他资金）；"
        "不写为 本年财政拨款、上年结转、其他资金。模板中逐行用 funds.rows"))
    questionnaire: str | None = Field(None, description="问卷定义文件（YAML）")
    questionnaire_template: str | None = Field(None, description="空白问卷模板（.docx，reportgen questionnaire blank 使用）")
    questionnaire_label: str = Field("", description="空白问卷的附件标识（如“附件5”），模板中用 document.label")
    satisfaction_measure: Literal["satisfaction_rate", "score_rate"] | None = Field(None, description=(
        "满意度按问卷的哪个数计：satisfaction_rate 满意率（选满意类选项的答案占全部答案的比例）或 score_rate 得分率"
        "（得分合计 ÷ 满分）。问卷汇总据此写明满意度是多少；评分取问卷的数（goal_rows 的 actual_from）时须是同一个"))
    example: str | None = Field(None, description="示例数据（YAML，补充通用示例之外的数据）")
    lint: LintSettings = Field(default_factory=LintSettings, description=(
        "审核提示（L1xx）：disable 关闭的代码，及各条的阈值（如 max_share、execution_floor、word_limits）"))

    @field_validator("inputs")
    @classmethod
    def _unique_keys(cls, inputs: list[FormatInput]) -> list[FormatInput]:
        if repeated := sorted(duplicates([i.key for i in inputs])):
            raise ValueError(f"填报键重复: {'、'.join(repeated)}")
        return inputs

    @field_validator("documents")
    @classmethod
    def _unique_ids(cls, docs: list[DocumentSpec]) -> list[DocumentSpec]:
        if repeated := sorted(duplicates([d.id for d in docs])):
            raise ValueError(f"文档编号重复: {'、'.join(repeated)}")
        return docs


class Format:
    """A loaded format folder. Scoring system and questionnaire are loaded on first use."""

    def __init__(self, folder: Path, spec: FormatSpec, marks: LineMarks | None = None):
        self.folder = folder
        self.spec = spec
        self.marks = marks or LineMarks()  # lines of format.yaml, for findings

    def where(self, loc: tuple[str | int, ...] = ()) -> str:
        """``…/format.yaml:12`` for a place in the declaration."""
        return self.marks.where(str(self.folder / DECLARATION), loc)

    @property
    def id(self) -> str:
        return self.spec.id

    def path(self, name: str) -> Path:
        return self.folder / name

    # imported on first use only to keep `reportgen formats` quick (~0.1 s): scoring and questionnaire
    # read YAML through reportgen.yamlfile and never import this module
    @cached_property
    def scoring(self) -> ScoringSystem | None:
        from reportgen.scoring.system import load_scoring_system

        return load_scoring_system(self.path(self.spec.scoring)) if self.spec.scoring else None

    @cached_property
    def project_scoring(self) -> ScoringSystem | None:
        """Scored once per project: ``project`` in the context, goal rows from its own 绩效指标."""
        from reportgen.scoring.system import load_scoring_system

        if not self.spec.project_scoring:
            return None
        return load_scoring_system(self.path(self.spec.project_scoring), per_project=True)

    @cached_property
    def questionnaire(self) -> Questionnaire | None:
        if not self.spec.questionnaire:
            return None  # the questionnaire modules are not even imported
        from reportgen.questionnaire.definition import load_questionnaire

        return load_questionnaire(self.path(self.spec.questionnaire))

    @cached_property
    def example_values(self) -> dict[str, Any]:
        if not self.spec.example:
            return {}
        return read_yaml(self.path(self.spec.example)) or {}


def load_format(folder: Path) -> Format:
    """The format in ``folder``, loaded once per process: a folder whose files are unchanged (same
    names, sizes and modification times) gives back the same ``Format``, with its scoring system
    and questionnaire already parsed. Editing any file loads it anew."""
    return _load_format(Path(folder).resolve(), _fingerprint(folder))


def _fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
        return tuple((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in entries if e.is_file())
    except OSError:
        return ()


@functools.lru_cache(maxsize=32)
def _load_format(folder: Path, fingerprint: tuple[tuple[str, int, int], ...]) -> Format:
    declaration = folder / DECLARATION
    if not declaration.is_file():
        raise ReportgenError(Finding(f"不是格式文件夹：缺少 {DECLARATION}", str(folder), code="F100"))
    if problem := outside_problem(folder, DECLARATION):
        raise ReportgenError(Finding(problem, str(declaration), code="F122"))
    doc = load_yaml(declaration)
    if error := not_a_mapping(doc, "声明文件"):
        raise error
    try:
        spec = FormatSpec.model_validate(doc.data)
    except ValidationError as exc:
        raise ReportgenError(validation_findings(exc, str(declaration), doc.data, codes=FORMAT_CODES,
                                                 marks=doc.marks)) from exc
    fmt = Format(folder, spec, doc.marks)
    missing: list[tuple[str, tuple[str | int, ...]]] = [
        (d.template, ("documents", n, "template")) for n, d in enumerate(spec.documents)]
    missing += [(name, (key,)) for key in ("scoring", "project_scoring", "questionnaire", "questionnaire_template",
                                           "example")
                if (name := getattr(spec, key))]
    problems = []
    for name, loc in missing:
        if problem := outside_problem(folder, name):
            problems.append(Finding(f"{problem}: {name}", fmt.where(loc), field_path(loc), code="F122"))
        elif not (folder / name).is_file():
            problems.append(Finding(f"声明中引用的文件不存在: {name}", fmt.where(loc), field_path(loc), code="F110"))
    if problems:
        raise ReportgenError(problems)
    return fmt


def outside_problem(folder: Path, name: str) -> str | None:
    """Why the file ``name`` that a format in ``folder`` (resolved) names may not be read, or None.

    A format folder is untrusted (another county's, a download): every file it names must be a
    regular file inside it after following links, never an absolute path, ``../``, a link out of
    the folder, a device or a pipe. Only names are judged here: nothing outside is opened."""
    path = folder / name
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a link loop
        return "声明中引用的文件无法解析（链接循环？）"
    if not resolved.is_relative_to(folder):
        return "声明中引用的文件不在格式文件夹内（不能写绝对路径、../，也不能是指向文件夹外的链接），为安全起见不予读取"
    try:
        mode = resolved.stat().st_mode
    except OSError:
        return None  # missing: said by the caller
    if not stat.S_ISREG(mode):
        return "声明中引用的不是普通文件（是文件夹、设备或管道），不予读取"
    return None


def builtin_format_dirs() -> list[Path]:
    root = templates_root()
    return sorted(p for p in root.iterdir() if (p / DECLARATION).is_file()) if root.is_dir() else []


def resolve_format(choice: str | None, recorded: str | None = None, recorded_folder: str = "") -> Format:
    """The format to use: ``choice`` from the command line (a built-in id or a folder path), else
    ``recorded`` from the workbook's hidden 系统信息 sheet, else the default.

    A workbook comes from any clerk, so what it records may only name a **built-in** format: a
    path there (absolute, ``../..``, ``\\\\server\\share``) is refused. A local format folder is
    loaded only when the person running reportgen names it with ``--format``. A workbook made from
    a local folder remembers it (``recorded_folder``) only to say which ``--format`` to give.
    """
    builtin = {p.name: p for p in builtin_format_dirs()}
    known = "、".join(builtin)
    if choice:
        if choice in builtin:
            return load_format(builtin[choice])
        if Path(choice).is_dir():
            return load_format(Path(choice))
        raise ReportgenError(Finding(f"没有名为“{choice}”的格式（内置格式：{known}；也可以给出格式文件夹路径）", "--format"))
    if recorded:
        if recorded in builtin:
            return load_format(builtin[recorded])
        recorded_folder = re.sub(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", "", recorded_folder)[:300]
        if recorded_folder and (Path(recorded_folder) / DECLARATION).is_file():
            hint = f"这份填报表是用本地格式文件夹 {recorded_folder} 生成的：请加 --format {recorded_folder}"
        elif recorded_folder:
            hint = f"这份填报表是用本地格式文件夹 {recorded_folder} 生成的，但该文件夹已不存在；请用 --format 指定格式文件夹"
        else:
            hint = "如要使用本地格式文件夹，请在命令行用 --format 文件夹 指定"
        raise ReportgenError(Finding(
            f"填报表记录的格式“{recorded}”不是内置格式（内置格式：{known}）；{hint}"
            "（为安全起见，本地格式只在命令行指定时使用）", META_SHEET, "format"))
    return load_format(builtin.get(DEFAULT_FORMAT) or templates_root() / DEFAULT_FORMAT)

DEFAULT_FORMAT = "national-2025"


def copy_format(source: Format, dest: Path) -> Path:
    """Start a new format from an existing one: copy the folder and give it the folder's name as id.

    All or nothing (``outputs.write_folder``): a read-only or full disk leaves no half-copied
    folder. Only regular files and folders are copied (a link or a pipe in a downloaded format is
    not followed). The declaration is edited as text (only its ``id:`` and ``name:`` lines) so the
    author's comments survive. The copied .docx are slimmed (``render.slim``): styles they never use
    are dropped.
    """
    import shutil

    from reportgen.outputs import write_folder
    from reportgen.render.slim import slim_file

    def fill(staging: Path) -> None:
        for root, _, files in os.walk(source.folder):  # links to folders are listed, not entered
            here = staging / Path(root).relative_to(source.folder)
            here.mkdir()
            for name in files:
                if stat.S_ISREG(os.lstat(os.path.join(root, name)).st_mode):
                    shutil.copyfile(os.path.join(root, name), here / name)  # the first failure stops
                    if name.lower().endswith(".docx"):
                        slim_file(here / name)
        declaration = staging / DECLARATION
        text = declaration.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^id:.*$", f"id: {dest.name}", text, count=1)
        text = re.sub(r"(?m)^name:(.*)$", lambda m: f"name:{m.group(1).rstrip()}（{dest.name}）", text, count=1)
        declaration.write_text(text, encoding="utf-8")

    write_folder(dest, fill)
    return dest
