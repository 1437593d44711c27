"""One recognised table read against its declaration: its facts, 功能分类 subjects and problems.

Contract: :func:`read_region` returns, for a :class:`layout.Region`, every figure a rule of its
declaration finds (a :class:`Fact`: the target, the unit's name (编制单位), the amount in 万元 —
exact, ``元`` divided by 10⁴ with ``Decimal`` — and the :class:`Place` it was read from), the
功能分类 leaf rows (:class:`Subject`), and findings: an amount cell holding text or an error value
(I106), no 金额单位 (I105), no header or nothing readable (I104), two rows of one item with
different amounts (I112), rows with an amount the workbook has no place for (I111). A 经济分类
table whose class rows include one no rule takes (债务利息, 其他支出) gives none of that breakdown:
the workbook's parts must add up to their whole, so the clerk fills them (I117).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reportgen.cells import parse_number
from reportgen.errors import Finding, Location
from reportgen.importer.declarations import MEASURES, Rule, Target, label, target
from reportgen.importer.layout import Column, Entry, Region, empty_amount
from reportgen.model.relations import parts
from reportgen.model.report import ExpenditureRow
from reportgen.render.filters import wan

ZERO = Decimal(0)
_SCALE = {"元": -4, "千元": -1, "万元": 0}
_SUBJECT = re.compile(r"^2\d{2}(?:\d{2}){0,2}$")  # 支出功能分类: 类 3 digits, 款 5, 项 7
_ECONOMY_CLASS = re.compile(r"^3\d{2}$")  # 支出经济分类 类


def to_wan(amount: Decimal, unit: str) -> Decimal:
    """An amount in the table's unit as 万元, exactly (元 → scaleb(-4): no rounding here)."""
    return amount.scaleb(_SCALE[unit]) if unit in _SCALE else amount


@dataclass(frozen=True)
class Place:
    """Where an imported figure was read: file, sheet, cell, the table, its row and column."""

    file: str
    sheet: str
    cell: str
    table: str
    row: str
    column: str
    raw: str = ""  # the amount as the table prints it, with its unit: 2,836,283.89 元

    def __str__(self) -> str:
        what = "".join(p for p in (f"“{self.row}”" if self.row else "", self.column) if p)
        cell = f"{self.sheet}!{self.cell}" if self.cell else f"{self.sheet}（表中无此行，按 0）"
        return f"{self.table} {what}（{Path(self.file).name} {cell}）"

    @property
    def where(self) -> Location:
        return Location.in_file(self.file, part=f"{self.sheet}!{self.cell}" if self.cell else self.sheet)


@dataclass(frozen=True)
class Fact:
    target: Target
    entity: str
    value: Decimal  # 万元, exact
    places: tuple[Place, ...]
    unit: str
    region: int
    scope: str
    add: bool = False
    derive: bool = False


@dataclass(frozen=True)
class Subject:
    """A 功能分类 leaf row: its code, 类/款/项 names, 决算数 (and 全年预算数) in 万元, exact."""

    code: str
    category: str
    section: str | None
    item: str | None
    actual: Decimal
    budget: Decimal | None
    places: tuple[Place, ...]
    entity: str
    region: int
    fallback: bool


@dataclass
class Reading:
    region: Region
    index: int
    facts: list[Fact] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    manual: list[tuple[str, str]] = field(default_factory=list)  # (target text, why the clerk types it)
    total_actual: Decimal | None = None  # the subjects' 合计 row
    names: dict[str, str] = field(default_factory=dict)  # 功能分类 code -> name, as the table prints it


def _shown_amount(value: object, unit: str) -> str:
    """The amount as the table prints it, with its unit: ``2,836,283.89 元``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = f"{Decimal(format(value, '.15g')):,.2f}"
    return f"{value} {unit}".strip()


class _Reader:
    def __init__(self, region: Region, index: int):
        self.region = region
        self.reading = Reading(region, index)
        self.grid = region.grid
        self.used: set[int] = set()  # rows whose amounts a rule or subject took

    def error(self, message: str, row: int, column: int, code: str, field_name: str = "") -> None:
        self.reading.findings.append(Finding(message, self.grid.where(row, column), field_name, code=code))

    def amount(self, row: int, column: Column, what: str) -> Decimal | None:
        """The cell's amount in the table's unit (an empty cell or a dash is 0), or None (reported);
        ``what``: the row's label, for messages."""
        name = f"{self.region.name}“{what}”{column.shown}" if what else f"{self.region.name}“{column.shown}”"
        if (row, column.index) in self.grid.errors:
            self.error(f"{name}是错误值 {self.grid.errors[(row, column.index)]}，请在原表中改正后再导入",
                       row, column.index, "I106", what or column.shown)
            return None
        raw = self.grid.get(row, column.index)
        if empty_amount(raw):
            return ZERO
        number, problem = parse_number(raw, "decimal", allow_negative=True)
        if problem is not None:
            self.error(f"{name}金额{problem}", row, column.index, "I106", what or column.shown)
            return None
        return number

    def place(self, entry: Entry | None, row: int, column: Column) -> Place:
        raw = self.grid.get(row, column.index)
        return Place(str(self.grid.file), self.grid.name, self.grid.coordinate(row, column.index), self.region.name,
                     entry.text if entry is not None else "", column.shown,
                     _shown_amount(raw if not empty_amount(raw) else 0, self.region.unit))

    def fact(self, rule: Rule, value: Decimal, places: tuple[Place, ...]) -> None:
        decl = self.region.decl
        assert decl is not None
        self.reading.facts.append(Fact(target(rule.target), self.region.entity.strip(), to_wan(value, self.region.unit),
                                       places, self.region.unit, self.reading.index, decl.scope, rule.add, rule.derive))


def _row_entries(region: Region, rule: Rule) -> list[Entry]:
    codes = [a for a in rule.items if a.isdigit()]
    for alias in rule.items:
        if alias.isdigit():
            found = [e for e in region.entries if e.code == alias]
        else:
            key = label(alias)
            found = [e for e in region.entries if e.label == key and (not e.code or not codes)]
        if found:
            return found
    return []


def _measure_column(columns: list[Column], measure: str) -> Column | None:
    amounts = [c for c in columns if c.role == "amount"]
    for alias in (label(a) for a in MEASURES[measure]):
        found = [c for c in amounts if alias in c.parts]
        if found:
            return found[0]
    if len(amounts) == 1 and not amounts[0].measures():
        return amounts[0]
    return None


def _qualified(column: Column, measure: str) -> bool:
    named = column.measures(with_item=False)
    return measure in named if named else measure == "决算"


def _columns_for(region: Region, rule: Rule) -> list[tuple[int, Column]]:
    for alias in (label(a) for a in rule.items):
        found = [(n, c) for n, b in enumerate(region.blocks) for c in b.amounts
                 if c.item == alias and _qualified(c, rule.measure)]
        if found:
            return found
    return []


def read_region(region: Region, index: int) -> Reading:
    reader = _Reader(region, index)
    decl = region.decl
    reading = reader.reading
    if decl is None or not decl.imports:
        return reading
    if not region.header:
        if region.data_rows or any(isinstance(v, int | float) for r in region.grid.cells[region.top:region.end] for v in r):
            reading.findings.append(Finding(
                f"找到了{region.name}，但找不到表头（项目、科目编码/科目名称、决算数等列名）：表头行被删除或改动过？"
                "请用决算软件原样导出的表", region.grid.where(region.top, 0), code="I104"))
        return reading
    if not region.unit:
        reading.findings.append(Finding(
            f"{region.name}没有写明金额单位（表头上方应有“单位：元”或“金额单位：万元”），无法确定是元还是万元；"
            "请在原表的表头上方补上后再导入", region.grid.where(region.top, 0), code="I105"))
        return reading
    for rule in decl.rules:
        if rule.form == "row":
            _row_rule(reader, rule)
        else:
            _column_rule(reader, rule)
    if decl.economy:
        _economy(reader)
    if decl.subjects is not None:
        _subjects(reader)
    if any(r.form == "row" for r in decl.rules):
        _leftover_rows(reader)
    if not reading.facts and not reading.subjects and not any(f.code == "I106" for f in reading.findings):
        reading.findings.append(Finding(
            f"{region.name}中找不到可读取的行或列（表头：{'、'.join(c.shown for c in region.columns if c.shown) or '无'}）："
            "表的样式与已知的不同，请用决算软件原样导出的表", region.grid.where(region.header[0], 0), code="I104"))
    return reading


def _row_rule(reader: _Reader, rule: Rule) -> None:
    region = reader.region
    found = []
    for entry in _row_entries(region, rule):
        column = _measure_column(entry.amounts, rule.measure)
        if column is None:
            continue
        value = reader.amount(entry.row, column, entry.text)
        reader.used.add(entry.row)
        if value is not None:
            found.append((entry, column, value))
    if not found:
        return
    values = {v for _, _, v in found}
    if len(values) > 1:
        where = [region.grid.where(e.row, c.index) for e, c, _ in found]
        reader.reading.findings.append(Finding(
            f"{region.name}中有 {len(found)} 行“{found[0][0].text}”，金额不同（"
            + "、".join(f"{w.part} {v}" for w, (_, _, v) in zip(where, found, strict=True)) + "），无法确定该用哪一行",
            where[0], found[0][0].text, code="I112"))
        return
    entry, column, value = found[0]
    reader.fact(rule, value, (reader.place(entry, entry.row, column),))


def _column_rule(reader: _Reader, rule: Rule) -> None:
    region = reader.region
    for n, column in _columns_for(region, rule):
        rows = [e for e in region.total_rows(n) if not empty_amount(region.grid.get(e.row, column.index))] \
            or region.total_rows(n)[:1]
        if not rows:
            continue
        if len(rows) > 1 and not region.blocks[n].labelled:
            region_rows = "、".join(str(e.row + 1) for e in rows)
            reader.reading.findings.append(Finding(
                f"{region.name}“{column.shown}”一列有 {len(rows)} 行数字（第 {region_rows} 行），这张表应只有一行数字",
                region.grid.where(rows[0].row, column.index), column.shown, code="I112"))
            return
        entry = rows[0]
        value = reader.amount(entry.row, column, entry.text)
        reader.used.add(entry.row)
        if value is not None:
            reader.fact(rule, value, (reader.place(entry if entry.text else None, entry.row, column),))
        return


def _economy(reader: _Reader) -> None:
    """经济分类 class rows: every part of the breakdown found, the others 0 — unless a class with an
    amount has no part to go to: then the breakdown is the clerk's to fill (I117)."""
    region, reading = reader.region, reader.reading
    decl = region.decl
    assert decl is not None
    members = {name for name, _ in parts(ExpenditureRow, decl.economy)}
    covered = {a for rule in decl.rules for a in rule.items if a.isdigit()}
    stray = []
    for entry in region.entries:
        if not _ECONOMY_CLASS.match(entry.code) or entry.code in covered:
            continue
        column = _measure_column(entry.amounts, "决算")
        value = reader.amount(entry.row, column, entry.text) if column is not None else None
        reader.used.add(entry.row)
        if value:
            stray.append(f"{entry.code} {entry.text} {wan(to_wan(value, region.unit))} 万元")
    ours = [f for f in reading.facts if f.target.field in members]
    if stray:
        reading.facts = [f for f in reading.facts if f.target.field not in members]
        fields = "、".join(cell.label for _, cell in parts(ExpenditureRow, decl.economy))
        reading.manual += [(f"expenditure.{name}", f"{region.name}有工作簿中没有的经济分类（{'；'.join(stray)}），"
                                                     f"{fields}须合计等于其总数，请手工填写") for name in sorted(members)]
        return
    if not ours:
        return
    for name in members - {f.target.field for f in ours}:  # a class row the table leaves out: nothing spent
        rule = Rule((), f"expenditure.{name}")
        blank = Place(str(region.grid.file), region.grid.name, "", region.name, target(rule.target).field_label, "")
        reader.fact(rule, ZERO, (blank,))


def _subjects(reader: _Reader) -> None:
    region, reading = reader.region, reader.reading
    decl = region.decl
    assert decl is not None and decl.subjects is not None
    spec = decl.subjects
    rows: dict[str, tuple[Entry, Decimal, Decimal | None, tuple[Place, ...]]] = {}
    names: dict[str, str] = {}
    for entry in region.entries:
        if not _SUBJECT.match(entry.code):
            continue
        names.setdefault(entry.code, entry.text)
        actual_col = _item_column(entry.amounts, spec.actual)
        if actual_col is None:
            continue
        actual = reader.amount(entry.row, actual_col, entry.text)
        budget_col = _item_column(entry.amounts, spec.budget) if spec.budget else None
        budget = reader.amount(entry.row, budget_col, entry.text) if budget_col is not None else None
        reader.used.add(entry.row)
        if actual is None:
            continue
        places = (reader.place(entry, entry.row, actual_col),)
        if budget_col is not None:
            places += (reader.place(entry, entry.row, budget_col),)
        if entry.code in rows:
            reading.findings.append(Finding(f"{region.name}中科目 {entry.code} 出现了两次", region.grid.where(entry.row, entry.column),
                                            entry.text, code="I112"))
            continue
        rows[entry.code] = (entry, actual, budget, places)
    codes = sorted(rows)
    leaves = [c for c in codes if not any(o != c and o.startswith(c) for o in codes)]
    reading.names.update(names)
    for code in leaves:
        entry, actual, budget, places = rows[code]
        # the names of its 类 and 款 may be on another sheet (a table continued): ``combine`` completes them
        category = names.get(code[:3], "")
        section = names.get(code[:5], "") if len(code) >= 5 else None
        item = names.get(code) if len(code) == 7 else None
        reading.subjects.append(Subject(code, category, section, item, to_wan(actual, region.unit),
                                        None if budget is None else to_wan(budget, region.unit), places,
                                        region.entity.strip(), reading.index, spec.fallback))
    for n in range(len(region.blocks)):
        for total in region.total_rows(n):
            column = _item_column(total.amounts, spec.actual)
            if column is not None and (value := reader.amount(total.row, column, total.text)) is not None:
                reading.total_actual = to_wan(value, region.unit)
                reader.used.add(total.row)
                break


def _item_column(columns: list[Column], items: tuple[str, ...]) -> Column | None:
    for alias in (label(a) for a in items):
        found = [c for c in columns if c.role == "amount" and c.item == alias and _qualified(c, "决算")]
        if found:
            return found[0]
    return None


def _leftover_rows(reader: _Reader) -> None:
    """Rows with an amount that no rule took: a row the workbook has no place for (使用非财政拨款结余),
    or one not recognised; each named (I111), since its amount is not in the workbook."""
    region = reader.region
    decl = region.decl
    assert decl is not None
    aliases = {label(a) for rule in decl.rules for a in rule.items}
    totals = {label(t) for t in ("合计", "总计")}
    for entry in region.entries:
        if entry.code or not entry.label or entry.label in aliases or entry.label in totals:
            continue
        unplaced = any(re.fullmatch(p, entry.label) for p in (label(u) for u in decl.unplaced))
        if not unplaced and any(re.fullmatch(p, entry.label) for p in decl.ignore):
            continue
        column = _measure_column(entry.amounts, "决算")
        if column is None:
            continue
        raw = region.grid.get(entry.row, column.index)
        if empty_amount(raw):
            continue
        value, problem = parse_number(raw, "decimal", allow_negative=True)
        if problem is not None or not value:
            continue
        amount = wan(to_wan(value, region.unit))
        why = ("工作簿中没有这一项，未导入；按工作簿计算的结转结余将与决算不同，请在报告中说明" if unplaced
               else "不认识这一行，未导入；如是收入或支出的一项，请手工填入相应单元格")
        reader.reading.findings.append(Finding(f"{region.name}“{entry.text}”{amount} 万元：{why}",
                                               region.grid.where(entry.row, column.index), entry.text, "warning", "I111"))
