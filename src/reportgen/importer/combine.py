"""Every table's facts together: one value per unit (编制单位) and field, and what is wrong.

Contract: :func:`import_files` reads the files (all problems in one pass) and returns an
:class:`Imported`:

* per 机构 (``orgs``: 收入, 支出 of each 编制单位) and for the unit as a whole (``unit``: 三公经费,
  资产, 预算 — summed over the 编制单位, exactly, before rounding), each field's value in 万元:
  exact, rounded half-up to the cent, with every place it was read from;
* the 功能分类 rows (``subjects``), summed by 科目 over the 编制单位;
* the official totals the workbook computes itself (``checks``: 本年收入合计, 本年支出合计 …), for
  ``check --against``;
* findings: tables that disagree on a figure (I108, both places), a table whose 金额单位 must be
  wrong (I107: the same figure 10⁴ apart in two tables, or an amount no unit has), rounding
  residues kept on the official totals and said per row (I109), totals that their imported parts
  do not make (I110), a table without 编制单位 among several units (I113);
* ``manual``: the workbook's amounts no table gave, and why (需手工填写).

A table of one fund (公开06: 一般公共预算财政拨款 only) is used for a breakdown of the whole only
where its total equals the all-funds whole (then every yuan of it is of that fund); otherwise its
fields are listed as 需手工填写. When a 元 table and a 万元 table give one figure, the 元 one is used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from statistics import median

from reportgen.checks.sums import CENT, rounding_slack
from reportgen.errors import Finding, Location, ReportgenError, errors_only
from reportgen.importer.declarations import MANUAL, TABLES, Target, target
from reportgen.importer.figures import Fact, Place, Reading, Subject, read_region
from reportgen.importer.layout import cover_sheet, find_tables, is_number
from reportgen.importer.sources import expand, open_source
from reportgen.model.inputs import Table
from reportgen.model.relations import declared_sums, fund_fields, money_fields, parts
from reportgen.plausibility import LIMITS
from reportgen.render.filters import round_half_up, wan
from reportgen.workbook.schema import META_SHEET

ZERO = Decimal(0)
# 10⁷ 万元 is 1,000 亿元: more than any one budget unit spends; a 元 table read as 万元 reaches it
MAX_WAN = Decimal(10) ** 7
_EXACT_UNITS = ("元", "千元")


def rounded(value: Decimal) -> Decimal:
    """To the cent, half up: the amount as the workbook holds it."""
    return round_half_up(value, 2)


@dataclass(frozen=True)
class Value:
    exact: Decimal
    places: tuple[Place, ...]
    note: str = ""  # how it was obtained when not read as it is (derived, summed over units)

    @property
    def amount(self) -> Decimal:
        return rounded(self.exact)

    @property
    def source(self) -> str:
        return "；".join(str(p) for p in self.places)


@dataclass(frozen=True)
class SubjectValue:
    code: str
    category: str
    section: str | None
    item: str | None
    actual: Value
    budget: Value | None


@dataclass
class Imported:
    entities: list[str] = field(default_factory=list)
    orgs: dict[str, dict[str, Value]] = field(default_factory=dict)
    unit: dict[str, Value] = field(default_factory=dict)
    subjects: list[SubjectValue] = field(default_factory=list)
    checks: dict[str, dict[str, Value]] = field(default_factory=dict)  # entity ("" the unit) -> check -> value
    findings: list[Finding] = field(default_factory=list)
    manual: dict[str, str] = field(default_factory=dict)
    tables: list[str] = field(default_factory=list)  # what was read
    skipped: list[str] = field(default_factory=list)  # recognised with nothing to import, or not recognised

    @property
    def errors(self) -> list[Finding]:
        return errors_only(self.findings)

    def raise_errors(self) -> None:
        if self.errors:
            raise ReportgenError(self.findings)


# ---- reading ------------------------------------------------------------------------------------


@dataclass
class Files:
    """What a set of files holds, read and not yet combined (a county's folder: combined per unit)."""

    readings: list[Reading] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def import_files(paths: Iterable[Path]) -> Imported:
    """Read every file (a folder: the spreadsheets in it) and combine what they say."""
    files = read_files(paths)
    imported = combine(files.readings)
    imported.findings[:0] = files.findings
    imported.tables, imported.skipped = files.tables, files.skipped
    return imported


def read_files(paths: Iterable[Path]) -> Files:
    """Every table in the files, read (all problems in one pass)."""
    paths = list(paths)
    read = Files()
    readings, findings, tables, skipped = read.readings, read.findings, read.tables, read.skipped
    files = expand(paths)
    if not files:
        findings.append(Finding("没有给出决算表文件（文件夹中没有 .xls/.xlsx）", Location.in_file(", ".join(map(str, paths))),
                                code="I102"))
    for path in files:
        try:
            grids, too_big = open_source(path)
        except ReportgenError as exc:
            findings += exc.findings
            continue
        findings += too_big
        if any(grid.name == META_SHEET for grid in grids):
            skipped.append(f"{path.name}：是 reportgen 的填报表，不是决算表")
            continue
        found_any = False
        for grid in grids:
            regions = find_tables(grid)
            if not regions:
                if not cover_sheet(grid) and any(is_number(v) for row in grid.cells for v in row):
                    skipped.append(f"{path.name} 工作表“{grid.name}”：不是已知的决算表")
                    findings.append(Finding(f"工作表“{grid.name}”不是已知的决算表（表名或表号不认识），未读取",
                                            Location.in_file(path, part=grid.name), severity="warning", code="I103"))
                continue
            for region in regions:
                found_any = True
                reading = read_region(region, len(readings))
                readings.append(reading)
                findings += reading.findings
                where = f"（{path.name} {grid.name}）"
                if reading.facts or reading.subjects:
                    tables.append(f"{region.name}{where}")
                elif region.decl is not None and not region.decl.imports:
                    skipped.append(f"{region.name}{where}：没有本填报表需要的数字")
        if not found_any and grids:
            findings.append(Finding("文件中没有找到可识别的决算表（如收入支出决算总表、支出决算表、公开01表、财决04表……）",
                                    Location.in_file(path), code="I102"))
        elif not grids:
            findings.append(Finding("文件中没有任何内容", Location.in_file(path), code="I102"))
    if files and not any(r.facts or r.subjects for r in readings) and not any(f.is_error for f in findings):
        findings.append(Finding("给出的文件中没有读到任何决算表的数字（" + "；".join(skipped or tables or ["没有可识别的表"]) + "）",
                                Location.in_file(", ".join(str(p) for p in paths)), code="I102"))
    return read


# ---- combining ----------------------------------------------------------------------------------


def combine(readings: list[Reading]) -> Imported:
    """The readings' facts as one :class:`Imported` (the readings themselves are not changed)."""
    readings = [replace(r, facts=list(r.facts), subjects=list(r.subjects)) for r in readings]
    result = Imported()
    _assign_entities(readings, result)
    _fiscal_only(readings, result)
    _scale(readings, result)
    merged: dict[str, dict[str, Value]] = {}
    checks: dict[str, dict[str, Value]] = {}
    groups: dict[tuple[str, str], list[Fact]] = {}
    for reading in readings:
        for fact in _added(reading.facts):
            groups.setdefault((fact.entity, fact.target.text), []).append(fact)
    derived: dict[str, Fact] = {}
    bad: set[int] = set()  # regions found with the wrong 金额单位: one message, then left out
    for (entity, text), facts in groups.items():
        facts = [f for f in facts if f.region not in bad]
        if not facts:
            continue
        value = _agree(facts, result, bad)
        if value is None:
            continue
        into = checks if facts[0].target.check else merged
        into.setdefault(entity, {})[text] = value
        if facts[0].derive:
            derived[text] = facts[0]
    for entity in result.entities:
        result.orgs[entity] = {t: v for t, v in merged.get(entity, {}).items() if target(t).per_org}
        result.checks[entity] = {t: v for t, v in checks.get(entity, {}).items() if target(t).per_org}
    result.unit = _summed(merged, result.entities)
    result.checks[""] = _summed(checks, result.entities)
    for entity in result.entities:
        _residues(result.orgs[entity], result.checks[entity], entity, result, derived)
    _residues(result.unit, result.checks[""], "", result, derived)
    result.subjects = _subjects([r for r in readings if r.index not in bad], result)
    _manual(readings, result)
    return result


def entity_names(readings: list[Reading]) -> list[str]:
    """The 编制单位 the readings that hold figures name, in order, each once."""
    names: list[str] = []
    for reading in readings:
        name = reading.region.entity.strip()
        if name and name not in names and (reading.facts or reading.subjects):
            names.append(name)
    return names


def _assign_entities(readings: list[Reading], result: Imported) -> None:
    names = entity_names(readings)
    summary = [n for n in names if "汇总" in n]
    if summary and len(names) > 1:
        result.findings.append(Finding(
            f"同时给了汇总表（{'、'.join(summary)}）和各单位的表（{'、'.join(n for n in names if n not in summary)}）："
            "汇总数会与各单位的数重复计算；请只给各单位的表，或只给汇总表", Location.in_file(readings[0].region.grid.file),
            code="I113"))
    for reading in readings:
        if reading.region.entity.strip() or not (reading.facts or reading.subjects):
            continue
        if len(names) > 1:
            result.findings.append(Finding(
                f"{reading.region.name}没有写明编制单位，而给出的表属于 {len(names)} 个单位（{'、'.join(names)}），"
                "无法确定它属于哪个单位；请用带“编制单位：”的原表", reading.region.grid.where(reading.region.top, 0), code="I113"))
            reading.facts, reading.subjects = [], []
            continue
        entity = names[0] if names else ""
        reading.facts = [replace(f, entity=entity) for f in reading.facts]
        reading.subjects = [replace(s, entity=entity) for s in reading.subjects]
    result.entities = names or ([""] if any(r.facts or r.subjects for r in readings) else [])


def _fiscal_only(readings: list[Reading], result: Imported) -> None:
    """A table of one fund gives a breakdown only where its total is the all-funds whole."""
    for reading in readings:
        decl = reading.region.decl
        if decl is None or not decl.whole or not reading.facts:
            continue
        entity = reading.facts[0].entity
        whole = [f for r in readings if r.region.decl is not None and r.region.decl.scope == "全部资金"
                 for f in r.facts if f.entity == entity and f.target.text == decl.whole]
        fields = {f.target.text for f in reading.facts}
        # the table's total: 人员经费合计 + 公用经费合计 where it gives them, else its 经济分类 classes
        summed = ("personnel", "public") if any(f.target.field == "personnel" for f in reading.facts) \
            else tuple(n for n, _ in parts(target(decl.whole).model, decl.economy))
        total = sum((f.value for f in reading.facts if f.target.field in summed), ZERO)
        label = target(decl.whole).model.model_fields[target(decl.whole).field].description
        who = f"{entity}：" if entity else ""
        if not whole:
            why = (f"{who}{reading.region.name}只含{decl.scope}，又没有给出全部资金的{label}（如支出决算表），"
                   f"无法判断它是否就是全部{label}；请给出支出决算表或基本支出决算明细表，或手工填写")
        elif rounded(whole[0].value) != rounded(total):
            why = (f"{who}{reading.region.name}只含{decl.scope}（合计 {wan(rounded(total))} 万元），"
                   f"不等于全部资金的{label} {wan(rounded(whole[0].value))} 万元，不是同一口径，请按全部资金手工填写")
        else:
            continue
        for text in sorted(fields):
            result.manual.setdefault(text, why)
        reading.facts = []


def _added(facts: list[Fact]) -> list[Fact]:
    """Facts that add up (资本性支出 = 310 + 309 of one table) as one."""
    out: list[Fact] = []
    sums: dict[tuple[str, str, int], Fact] = {}
    for fact in facts:
        if not fact.add:
            out.append(fact)
            continue
        key = (fact.entity, fact.target.text, fact.region)
        if key in sums:
            first = sums[key]
            sums[key] = replace(first, value=first.value + fact.value, places=first.places + fact.places)
        else:
            sums[key] = fact
    return out + list(sums.values())


def _agree(facts: list[Fact], result: Imported, bad: set[int]) -> Value | None:
    """One value for a figure several tables give: they must agree (to the cent). A table 10⁴ apart
    from all the others has its 金额单位 wrong (I107, one message; its other figures are left out)."""
    ordered = sorted(facts, key=lambda f: (f.unit not in _EXACT_UNITS, f.region))
    base = ordered[0]
    what = describe(base.target)
    who = f"{base.entity} " if base.entity else ""
    for odd in ordered if len(ordered) > 1 else ():
        others = [f for f in ordered if f is not odd]
        if odd.value and all(f.value and _ten_thousand(odd.value, f.value) for f in others):
            bad.add(odd.region)
            blame = "这张表的金额单位标错了（元与万元）" if len(others) > 1 else "其中一张表的金额单位标错了（元与万元）"
            result.findings.append(Finding(
                f"{who}{what}：{odd.places[0]} 为 {wan(rounded(odd.value))} 万元（按“{odd.unit}”），"
                f"{others[0].places[0]} 为 {wan(rounded(others[0].value))} 万元（按“{others[0].unit}”），相差一万倍：{blame}，"
                "请核对表头的“单位”", odd.places[0].where, what, code="I107"))
            return None
    places = list(base.places)
    ok = True
    for other in ordered[1:]:
        a, b = rounded(base.value), rounded(other.value)
        if a == b:
            places += [p for p in other.places if p not in places]
        elif abs(a - b) == CENT and base.unit != other.unit:
            result.findings.append(Finding(
                f"{who}{what}：{other.places[0]} 为 {wan(b)} 万元，由 {base.places[0]} 的 {base.places[0].raw} 换算为 "
                f"{wan(a)} 万元（尾差 0.01，公开表多为调整尾差后的数），采用换算数", other.places[0].where, what,
                "warning", "I109"))
            places += [p for p in other.places if p not in places]
        else:
            ok = False
            result.findings.append(Finding(
                f"{who}{what}两张表不一致：{base.places[0]} 为 {wan(a)} 万元，{other.places[0]} 为 {wan(b)} 万元"
                f"（相差 {wan(a - b)}）；请核对决算表", other.places[0].where, what, code="I108"))
    return Value(base.value, tuple(places)) if ok else None


def _ten_thousand(a: Decimal, b: Decimal) -> bool:
    """Exactly 10⁴ apart (as read: one table's 元 taken for 万元, or the other way round)."""
    big, small = max(abs(a), abs(b)), min(abs(a), abs(b))
    return abs(big / small - 10000) <= Decimal("0.5")


def describe(t: Target) -> str:
    """A target in a clerk's words: 一般公共预算财政拨款, 公务接待费 决算数, 本年收入 (合计)."""
    model = t.model
    rows = "" if not t.rows or len(t.rows) == len(getattr(model.sheet, "fixed_rows", ())) else "+".join(t.rows)
    name = t.field
    if name in model.model_fields:
        name = model.model_fields[name].description or name
    elif name in declared_sums(model):
        name = declared_sums(model)[name].label
    elif name.startswith("fund:"):
        name = f"{name.removeprefix('fund:')}（收入）"
    if t.rows and len(t.rows) > 1:
        rows = rows or "“三公”经费合计"
    return f"{rows} {name}".strip() if rows else name


def _scale(readings: list[Reading], result: Imported) -> None:
    """An amount no unit has (a 元 table read as 万元), or a table whose amounts are 10⁴ times all
    the others' (``plausibility.LIMITS``, as for typed amounts): its 金额单位 is wrong."""
    medians: list[tuple[Reading, Decimal]] = []
    for reading in readings:
        big = [f for f in reading.facts if abs(f.value) >= MAX_WAN]
        if big:
            f = big[0]
            result.findings.append(Finding(
                f"{reading.region.name}“{f.places[0].row or f.places[0].column}”按“{f.unit}”为 {wan(rounded(f.value))} 万元"
                f"（超过 {wan(MAX_WAN)} 万元），不可能是一个单位的金额：表的金额单位应为“元”而不是“{f.unit}”？请核对表头的“单位”",
                f.places[0].where, code="I107"))
            reading.facts, reading.subjects = [], []
            continue
        values = [abs(f.value) for f in reading.facts if f.value] + [abs(s.actual) for s in reading.subjects if s.actual]
        if len(values) >= 3:
            medians.append((reading, Decimal(median(values))))
    for reading, own in medians:
        others = [m for r, m in medians if r is not reading]
        if not others:
            continue
        typical = Decimal(median(others))
        if typical and (own >= typical * LIMITS.scale_factor or own * LIMITS.scale_factor <= typical):
            result.findings.append(Finding(
                f"{reading.region.name}的金额（中位数 {wan(rounded(own))} 万元，按“{reading.region.unit}”）与其他表"
                f"（中位数 {wan(rounded(typical))} 万元）相差数千倍：这张表的金额单位标错了（元与万元）？请核对表头的“单位”",
                reading.region.grid.where(reading.region.top, 0), code="I107"))
            reading.facts, reading.subjects = [], []


def _summed(values: dict[str, dict[str, Value]], entities: list[str]) -> dict[str, Value]:
    """Unit-level figures (三公经费, 资产, 预算): each 编制单位's, added exactly."""
    out: dict[str, Value] = {}
    for entity in entities:
        for text, value in values.get(entity, {}).items():
            if target(text).per_org:
                continue
            if text in out:
                first = out[text]
                out[text] = Value(first.exact + value.exact, first.places + value.places, "各单位之和")
            else:
                out[text] = value
    return out


def member_targets(check: Target) -> list[str]:
    model, name = check.model, check.field
    key = check.sheet
    if check.rows:
        return [f"{key}[{row}].{name}" for row in check.rows]
    if name.startswith("fund:"):
        fund = name.removeprefix("fund:")
        return [f"{key}.{f}" for f, _ in fund_fields(model, fund)]
    return [f"{key}.{f}" for f, _ in parts(model, name)]


def _residues(values: dict[str, Value], checks: dict[str, Value], entity: str, result: Imported,
              derived: dict[str, Fact]) -> None:
    """Official totals against the imported parts (per row): a rounding residue is said (I109),
    a larger gap too (I110); the one missing part of a computed total is derived (预算调整数)."""
    who = f"{entity} " if entity else ""
    for text, official in checks.items():
        check = target(text)
        members = member_targets(check)
        have = [m for m in members if m in values]
        missing = [m for m in members if m not in values]
        if text in derived and len(missing) == 1 and have:
            part = target(missing[0])
            amount = official.amount - sum((values[m].amount for m in have), ZERO)
            note = f" = {describe(check)} {wan(official.amount)} − " + " − ".join(
                f"{describe(target(m))} {wan(values[m].amount)}" for m in have)
            if amount < 0 and not _allows_negative(part):
                continue
            values[missing[0]] = Value(amount, official.places + tuple(p for m in have for p in values[m].places),
                                       f"{part.field_label}{note}")
            continue
        if missing and not have:
            # the table gives the total, not (all) its parts: the clerk splits it (公务用车购置及运行费)
            place = official.places[0]
            given = f"“{place.row}”{place.column}" if place.row else f"“{place.column}”"
            for m in missing:
                result.manual.setdefault(m, (
                    f"{who.strip() + '：' if who else ''}{place.table}只给出{given} {wan(official.amount)} 万元，"
                    "没有分项，请按明细手工填写"))
        if not have:
            continue
        _compare(official.amount, [values[m] for m in have], [target(m) for m in missing], f"{who}{describe(check)}",
                 official.places[0], result, computed=True)
    for text, value in list(values.items()):
        t = target(text)
        for relation in t.model.relations:
            if relation.total != t.field or relation.check not in ("equal", "at_most"):
                continue
            members = [f"{t.sheet}.{f}" for f, _ in parts(t.model, relation.name)]
            if all(m in values for m in members) and relation.check == "equal":
                _compare(value.amount, [values[m] for m in members], [], f"{who}{relation.label}", value.places[0],
                         result, computed=False, what=relation.what)


def _allows_negative(t: Target) -> bool:
    return t.cell is not None and t.cell.allow_negative


def _compare(official: Decimal, have: list[Value], missing: list[Target], name: str, place: Place, result: Imported,
             computed: bool, what: str = "") -> None:
    summed = sum((v.amount for v in have), ZERO)
    diff = official - summed
    if not diff:
        return
    parts_text = what or "各项"
    if abs(diff) <= rounding_slack(len(have)):  # rounding, whatever else is missing
        kept = (f"工作簿按各项之和计算，文档中为 {wan(summed)}" if computed
                else f"保留决算的{name.split()[-1]} {wan(official)}，各项按决算四舍五入填写")
        result.findings.append(Finding(
            f"{name}：决算 {wan(official)} 万元，{parts_text}四舍五入到分后之和为 {wan(summed)} 万元（尾差 {wan(diff)}）；{kept}",
            place.where, name.split()[-1], "warning", "I109"))
        return
    if missing:  # parts not imported: listed as 需手工填写, not a gap in the table
        return
    result.findings.append(Finding(
        f"{name}：决算 {wan(official)} 万元，导入的{parts_text}之和为 {wan(summed)} 万元，相差 {wan(diff)}；"
        "决算表中可能有工作簿没有的项目，请核对并在相应单元格手工调整", place.where, name.split()[-1], "warning", "I110"))


def _subjects(readings: list[Reading], result: Imported) -> list[SubjectValue]:
    by_entity: dict[str, list[Subject]] = {}
    tables: dict[tuple[str, str, str], list[Reading]] = {}  # one table, maybe continued on other sheets
    for reading in readings:
        for s in reading.subjects:
            by_entity.setdefault(s.entity, []).append(s)
        if reading.subjects or reading.total_actual is not None:
            key = (reading.region.entity, reading.region.name, str(reading.region.grid.file))
            tables.setdefault(key, []).append(reading)
    for parts_of_table in tables.values():
        totals = [r.total_actual for r in parts_of_table if r.total_actual is not None]
        subjects = [s for r in parts_of_table for s in r.subjects]
        if len(totals) != 1 or not subjects:
            continue
        total, leaves = rounded(totals[0]), sum((rounded(s.actual) for s in subjects), ZERO)
        if total != leaves and abs(total - leaves) > rounding_slack(len(subjects)):
            region = parts_of_table[0].region
            result.findings.append(Finding(
                f"{region.name}各科目（类/款/项的末级）决算数之和 {wan(leaves)} 万元，不等于合计 {wan(total)} 万元；"
                "请核对是否缺行（表是否分在几个工作表或文件中）", region.grid.where(region.top, 0),
                severity="warning", code="I110"))
    names: dict[str, str] = {}
    for reading in readings:
        for code, name in reading.names.items():
            names.setdefault(code, name)
    for entity, rows in by_entity.items():
        complete = []
        for s in rows:
            s = replace(s, category=s.category or names.get(s.code[:3], ""),
                        section=None if s.section is None else s.section or names.get(s.code[:5], ""))
            if not s.category or s.section == "":
                result.findings.append(Finding(
                    f"科目 {s.code}“{s.item or s.section or s.category}”找不到所属的类或款（{s.code[:3]}、{s.code[:5]}）的名称，"
                    "未导入这一行", s.places[0].where, "功能分类", "warning", "I111"))
                continue
            complete.append(s)
        by_entity[entity] = complete
    summed: dict[str, SubjectValue] = {}
    for entity in result.entities:
        rows = by_entity.get(entity, [])
        chosen = [s for s in rows if not s.fallback] or rows
        if chosen and chosen[0].fallback:
            result.findings.append(Finding(
                f"{entity + '：' if entity else ''}功能分类取自一般公共预算财政拨款支出决算表（只含一般公共预算财政拨款），"
                "没有给出全部资金的支出决算表", chosen[0].places[0].where, "功能分类", "warning", "I117"))
        one: dict[str, Subject] = {}
        for s in chosen:
            if s.code in one:
                first = one[s.code]
                if rounded(first.actual) != rounded(s.actual):
                    result.findings.append(Finding(
                        f"科目 {s.code}“{s.item or s.section or s.category}”两张表不一致：{first.places[0]} 为 "
                        f"{wan(rounded(first.actual))} 万元，{s.places[0]} 为 {wan(rounded(s.actual))} 万元",
                        s.places[0].where, "功能分类", code="I108"))
                elif first.budget is None and s.budget is not None:  # the other table has the 预算数 column
                    one[s.code] = replace(first, budget=s.budget, places=first.places[:1] + s.places[1:])
                continue
            one[s.code] = s
        for code, s in one.items():
            budget = None if s.budget is None else Value(s.budget, s.places[1:] or s.places)
            if code not in summed:
                summed[code] = SubjectValue(code, s.category, s.section, s.item, Value(s.actual, s.places[:1]), budget)
                continue
            first = summed[code]
            both = None if first.budget is None or budget is None else \
                Value(first.budget.exact + budget.exact, first.budget.places + budget.places, "各单位之和")
            summed[code] = replace(first, actual=Value(first.actual.exact + s.actual, first.actual.places + s.places[:1],
                                                       "各单位之和"), budget=both)
    return [summed[c] for c in sorted(summed)]


def _manual(readings: list[Reading], result: Imported) -> None:
    """The amounts of the sheets imported into that no table gave, with the reason."""
    for reading in readings:
        for text, why in reading.manual:
            result.manual.setdefault(text, why)
    feeds: dict[str, list[str]] = {}
    for decl in TABLES:
        for rule in decl.rules:
            if not rule.target.startswith("="):
                feeds.setdefault(rule.target, [])
                if decl.key not in feeds[rule.target]:
                    feeds[rule.target].append(decl.key)
    touched = {target(t).sheet for vals in (*result.orgs.values(), result.unit) for t in vals}
    if result.subjects:
        touched.add("by_function")
    for text in _money_targets():
        t = target(text)
        if t.sheet not in touched:
            continue
        if t.per_org:
            lacking = [e for e in result.entities if text not in result.orgs.get(e, {})]
            if not lacking:
                result.manual.pop(text, None)
                continue
        elif text in result.unit:
            result.manual.pop(text, None)
            continue
        if text in result.manual:
            continue
        sources = feeds.get(text)
        result.manual[text] = MANUAL.get(text) or (f"所给的表中没有（可由{'、'.join(sources)}导入）" if sources
                                                   else "决算表中没有")


def _money_targets() -> list[str]:
    """Every amount of the sheets a 决算 table feeds, as target text."""
    out = []
    sheets = {target(r.target).model for d in TABLES for r in d.rules}
    for model in sheets:
        key = model.sheet.key  # type: ignore[attr-defined]
        placement = model.sheet  # type: ignore[attr-defined]
        for name, _ in money_fields(model):
            if isinstance(placement, Table) and placement.fixed_rows:
                out += [f"{key}[{row}].{name}" for row in placement.fixed_rows]
            else:
                out.append(f"{key}.{name}")
    return out
