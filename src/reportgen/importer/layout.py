"""Tables found in a grid by their content, never by position.

Contract: :func:`find_tables` splits a sheet into the tables it holds (one per title or tag; a
sheet named after a table is one), and for each gives its declaration (``declarations.title_in``,
else ``tag_in``), its 编制单位 and 金额单位 (``单位：元`` / ``金额单位：万元``, in any cell above the
data), its header rows (the rows after the title lines up to the first row holding a number; a
``栏次`` row ends them), each column's header path (merged cells spread over the columns and rows
they cover, so ``预算数`` / ``公务用车购置及运行费`` / ``公务用车购置费`` is one column's path), and its
data rows as :class:`Entry` s: one per row and block, a block being a label column (项目, 科目名称
…) with its code columns (科目编码, or 类/款/项) and the amount columns after it. A two-sided table
(收入 | 支出) has two blocks; a table without labels (the wide “三公”经费 table) has one block
without a label. A sheet with no table is returned as such, for the caller to name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reportgen.cells import is_empty, parse_number
from reportgen.errors import Finding
from reportgen.importer.declarations import (
    CODE_LEVELS,
    LABEL_HEADS,
    MEASURES,
    ROW_NUMBERS,
    SUBTOTALS,
    TOTAL_ROWS,
    TableDecl,
    label,
    tag_in,
    tags_in,
    title_in,
)
from reportgen.importer.sources import Grid

MAX_HEADER_ROWS = 6
_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|千元|元)(?![\u4e00-\u9fff])")
_UNIT_ONLY = re.compile(r"^[(（]?\s*(?:金额)?单位\s*[:：]?\s*(万元|千元|元)\s*[)）]?$|^[(（](万元|元)[)）]$")
_ENTITY = re.compile(r"(?:编制单位|填报单位|单位名称|部门名称|预算单位|公开部门|公开单位|部门|单位)\s*[:：]\s*"
                     r"(.+?)\s*(?=(?:金额)?单位\s*[:：]|\s{2,}|$)")
_YEAR = re.compile(r"^\d{4}\s*年(度|\d{1,2}月(\d{1,2}日)?)?$|^\d{4}[-./]\d{1,2}[-./]\d{1,2}$")
_LABELLED = re.compile(r"^[\u4e00-\u9fff]{2,8}\s*[:：]")  # 填报日期：…, 公开日期：…: a header never has a colon
_NOT_TABLES = ("目录", "封面", "说明", "编制说明", "填报说明")
_TITLE_CHARS = 120  # longer text is a paragraph (a note under the table), never a title
_FOOT = ("注", "说明", "备注", "填表说明", "单位负责人", "财务负责人", "制表人", "填表人", "审核人", "经办人")
# the labels compared are those of constants: worked out once, not per row or per header part
_FOOT_LABELS = tuple(label(f) for f in _FOOT)
_TOTAL_LABELS = tuple(label(t) for t in TOTAL_ROWS)
_MEASURE_LABELS = {name: {label(a) for a in aliases} for name, aliases in MEASURES.items()}
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_LEADING_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*(\D.*)$")
_EMPTY_AMOUNTS = {"-", "—", "－", "--", "——", "/", "／", "…", "无"}  # how tables print nothing


_OWN = re.compile(r"[(（]\s*本级\s*[)）]$|本级$")


def entity_name(text: str) -> str:
    """A 编制单位 as one unit's key: spaces dropped, “（本级）” (the department's own tables) dropped."""
    return _OWN.sub("", re.sub(r"\s", "", text)).strip()


def is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, str) and any(ch.isdigit() for ch in value):
        return parse_number(value, "decimal", allow_negative=True)[1] is None
    return False


def empty_amount(value: Any) -> bool:
    return is_empty(value) or (isinstance(value, str) and value.strip() in _EMPTY_AMOUNTS)


def _meta(value: Any) -> bool:
    """A title line's cell: a title, a tag, 编制单位, 金额单位, a year or date."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return bool(title_in(text) or tags_in(text) or _UNIT.search(text) or _UNIT_ONLY.match(text)
                or _ENTITY.search(text) or _YEAR.match(text) or _LABELLED.match(text))


@dataclass
class Column:
    index: int
    parts: tuple[str, ...]  # header texts top to bottom, normalised (``declarations.label``)
    shown: str  # the header as printed in messages: 预算数/因公出国（境）费
    role: str = "amount"  # "label", "code", "rowno", "amount" or "none" (no header)
    level: int = 0  # a code column: the digits of its level (类 3, 款 5, 项 7); 0 when it holds whole codes

    @property
    def item(self) -> str:
        """What the column is about: its last header part, or for a 小计/合计 under an item, that item."""
        if not self.parts:
            return ""
        leaf = self.parts[-1]
        if leaf in SUBTOTALS and len(self.parts) > 1 and not measure_of(self.parts[-2]):
            return self.parts[-2]
        return leaf

    def measures(self, with_item: bool = True) -> set[str]:
        """The measures (决算, 预算 …) its header names; without the part naming the item (column rules)."""
        parts = self.parts if with_item else self.parts[:-1] if self.item == self.parts[-1] else self.parts[:-2]
        return {m for p in parts for m in measure_of(p)}


def measure_of(text: str) -> set[str]:
    return {name for name, labels in _MEASURE_LABELS.items() if text in labels}


@dataclass
class Block:
    keys: list[Column] = field(default_factory=list)  # code and label columns
    amounts: list[Column] = field(default_factory=list)

    @property
    def labelled(self) -> bool:
        return bool(self.keys)


@dataclass
class Entry:
    row: int
    block: int
    code: str  # 科目编码 (2010101, 301) or ""
    label: str  # normalised
    text: str  # as printed
    column: int  # where the label (or code) is
    amounts: list[Column]  # the amount columns this row's label governs


@dataclass
class Region:
    grid: Grid
    decl: TableDecl | None
    title: str  # the title or tag text found ("" when only the sheet name told)
    top: int
    end: int  # exclusive
    tag: str = ""
    entity: str = ""
    unit: str = ""  # "元", "万元", "千元" or "" (not stated)
    header: list[int] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    data_rows: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def name(self) -> str:
        """How messages name the table: 公开03表 支出决算表."""
        name = self.decl.key if self.decl else (self.title or self.grid.name)
        return f"{self.tag}表 {name}" if self.tag else name

    def total_rows(self, block: int) -> list[Entry]:
        """The block's total row(s): labelled 合计 (or 本年支出合计 …), or every data row of a block
        without labels."""
        entries = [e for e in self.entries if e.block == block]
        if not self.blocks[block].labelled:
            return entries
        for wanted in _TOTAL_LABELS:
            found = [e for e in entries if e.label == wanted and not e.code]
            if found:
                return found
        return []


# ---- finding the tables of a sheet -------------------------------------------------------------


def cover_sheet(grid: Grid) -> bool:
    """A sheet of a 决算 set that holds no table: its contents, cover or notes (by its name)."""
    return label(grid.name) in _NOT_TABLES


def find_tables(grid: Grid) -> list[Region]:
    """The tables in ``grid`` (see the module doc); an empty list when nothing names one."""
    if cover_sheet(grid):
        return []
    starts: list[tuple[int, TableDecl, str]] = []
    for r in range(grid.height):
        if any(is_number(v) for v in grid.cells[r]):
            continue  # a title beside a number is a line of a table of contents (the page), not a title
        for value in grid.cells[r]:
            if isinstance(value, str) and len(value) <= _TITLE_CHARS and (decl := title_in(value)) is not None:
                starts.append((r, decl, value.strip()))
                break
    sheet_decl = title_in(grid.name) or tag_in(grid.name)
    if not starts:
        tagged = next(((r, d, str(v).strip()) for r in range(min(grid.height, 10)) for v in grid.cells[r]
                       if isinstance(v, str) and (d := tag_in(v)) is not None), None)
        if sheet_decl is not None:
            starts = [(0, sheet_decl, "")]
        elif tagged is not None:
            starts = [(0, tagged[1], tagged[2])]
        else:
            return []
    regions: list[Region] = []
    kept: list[tuple[int, TableDecl, str]] = []
    for start in starts:  # a second title line before any number (a continued title) starts nothing
        if kept and not any(_numbers(grid, r) for r in range(kept[-1][0], start[0])):
            continue
        kept.append(start)
    for i, (top, decl, title) in enumerate(kept):
        end = kept[i + 1][0] if i + 1 < len(kept) else grid.height
        if i == 0 and sheet_decl is not None and top > 0 and any(_numbers(grid, r) for r in range(top)):
            regions.append(_read(grid, sheet_decl, "", 0, top))
        regions.append(_read(grid, decl, title, top, end))
    for previous, region in zip(regions, regions[1:], strict=False):
        if not region.entity:  # stacked tables of one unit name it once
            region.entity = previous.entity
    return regions


def _numbers(grid: Grid, row: int) -> bool:
    return any(is_number(v) for v in grid.cells[row]) if row < grid.height else False


def _read(grid: Grid, decl: TableDecl, title: str, top: int, end: int) -> Region:
    region = Region(grid, decl, title, top, end)
    tags = tags_in(title) or tags_in(grid.name)
    header_top = None
    for r in range(top, end):
        row = grid.cells[r]
        texts = [v for v in row if not is_empty(v)]
        for v in texts:
            if isinstance(v, str):
                tags = tags or tags_in(v)
                if not region.unit and (m := _UNIT.search(v) or _UNIT_ONLY.match(v.strip())):
                    region.unit = next(g for g in m.groups() if g)
                if not region.entity and (m := _ENTITY.search(v)) and not _UNIT_ONLY.match(m.group(1)) \
                        and m.group(1) not in ("元", "万元", "千元"):
                    region.entity = entity_name(m.group(1))
        if header_top is None and len(texts) >= 2 and not all(_meta(v) for v in texts) \
                and not any(is_number(v) for v in texts):
            header_top = r
        if header_top is not None:
            break
    region.tag = tags[0] if tags else ""
    if header_top is None:
        return region
    _header(region, header_top)
    return region


def _is_rownumbers(row: list[Any]) -> bool:
    first = next((v for v in row if not is_empty(v)), None)
    return isinstance(first, str) and label(first) in ROW_NUMBERS


def _header(region: Region, header_top: int) -> None:
    grid = region.grid
    r = header_top
    blank = 0
    while r < region.end and len(region.header) < MAX_HEADER_ROWS:
        row = grid.cells[r]
        if all(is_empty(v) for v in row):
            blank += 1
            if blank > 1:
                break
        elif _is_rownumbers(row):
            r += 1
            break
        elif any(is_number(v) for v in row if not _meta(v)):
            break
        else:
            region.header.append(r)
        r += 1
    data_top = r
    width = max((len(grid.cells[x]) for x in range(header_top, region.end)), default=0)
    region.columns = _columns(grid, region.header, width)
    for x in range(data_top, region.end):
        row = grid.cells[x]
        if all(is_empty(v) for v in row) or _is_rownumbers(row):
            continue
        first = next((v for v in row if not is_empty(v)), None)
        if isinstance(first, str) and label(first).startswith(_FOOT_LABELS) \
                and not any(is_number(v) for v in row[1:]):
            break
        region.data_rows.append(x)
    region.blocks = _blocks(region.columns)
    region.entries = _entries(region)


def _columns(grid: Grid, header: list[int], width: int) -> list[Column]:
    texts: dict[tuple[int, int], str] = {}
    for n, r in enumerate(header):
        for c in range(width):
            value = grid.shown(r, c)
            if is_empty(value) and c > 0 and n < len(header) - 1 and grid.merge_at(r, c) is None:
                # a group header written once over its columns without merging them: it spreads to the
                # right over the columns that have a sub-header below it
                left = texts.get((r, c - 1), "")
                if left and any(not is_empty(grid.shown(below, c)) for below in header[n + 1:]):
                    value = left
            texts[(r, c)] = "" if is_empty(value) else str(value).strip()
    columns = []
    for c in range(width):
        parts: list[str] = []
        shown: list[str] = []
        for r in header:
            text = texts[(r, c)]
            if text and (not parts or label(text) != parts[-1]) and not _meta(text):
                parts.append(label(text))
                shown.append(text)
        columns.append(_role(Column(c, tuple(parts), "/".join(shown))))
    return columns


def _role(column: Column) -> Column:
    parts = column.parts
    if not parts:
        column.role = "none"
    elif parts[-1] in ROW_NUMBERS:
        column.role = "rowno"
    elif parts[-1] in CODE_LEVELS or any("编码" in p or "代码" in p for p in parts):
        column.role = "code"
        column.level = CODE_LEVELS.get(parts[-1], 0)
    elif parts[-1] in LABEL_HEADS or parts[-1].endswith("名称") or any(p.endswith("科目名称") for p in parts):
        column.role = "label"
    return column


def _blocks(columns: list[Column]) -> list[Block]:
    blocks: list[Block] = []
    for column in columns:
        if column.role in ("code", "label"):
            if not blocks or blocks[-1].amounts:
                blocks.append(Block())
            blocks[-1].keys.append(column)
        elif column.role == "amount":
            if not blocks:
                blocks.append(Block())
            blocks[-1].amounts.append(column)
    return blocks


def _entries(region: Region) -> list[Entry]:
    grid = region.grid
    entries: list[Entry] = []
    last_codes: dict[tuple[int, int], str] = {}  # (block, level) -> the code last written at that level
    keys_at = sorted(c.index for b in region.blocks for c in b.keys)
    amount_columns = [c for b in region.blocks for c in b.amounts]
    for r in region.data_rows:
        for n, block in enumerate(region.blocks):
            if not block.labelled:
                if any(not empty_amount(grid.get(r, c.index)) for c in block.amounts):
                    entries.append(Entry(r, n, "", "", "", block.amounts[0].index, block.amounts))
                continue
            code, text, where, spans_to = _key(grid, region, block, n, r, last_codes)
            if not code and not text:
                continue
            amounts = block.amounts
            if spans_to is None and all(empty_amount(grid.get(r, c.index)) for c in amounts):
                # a label written over the next block's empty key cells (公用经费合计 | | | … | 148.26),
                # not merged: its amount is the first one to its right before any other text
                later = [c for c in range(where + 1, grid.width)
                         if not is_empty(grid.get(r, c)) and c not in {a.index for a in amounts}]
                if later and is_number(grid.get(r, later[0])):
                    spans_to = later[0] - 1
            if spans_to is not None:  # a label merged across the next block's keys: the amounts after it
                upto = next((k for k in keys_at if k > spans_to), 1 << 30)
                amounts = [c for c in amount_columns if spans_to < c.index < upto] or block.amounts
            entries.append(Entry(r, n, code, label(text), text, where, amounts))
    return entries


def _key(grid: Grid, region: Region, block: Block, n: int, r: int,
         last_codes: dict[tuple[int, int], str]) -> tuple[str, str, int, int | None]:
    """A data row's code, label text, label column and (a label merged to the right) the merge's end."""
    code, text, where, spans_to = "", "", block.keys[0].index, None
    levels: list[tuple[int, str]] = []
    for column in block.keys:
        value = grid.shown(r, column.index)
        if is_empty(value):
            continue
        shown = _text(value)
        merge = grid.merge_at(r, column.index)
        if column.role == "code" and column.level > 3 and re.fullmatch(r"\d{2}", shown):
            levels.append((column.level, shown))  # 款 or 项 written as its own two digits
            continue
        if _CODE.match(shown):
            levels.append((len(shown), shown))
            continue
        if not text:
            text, where = shown, column.index
            if merge is not None and merge[3] > column.index and merge[0] <= r:
                spans_to = merge[3]
    if levels:
        code = _code(levels, n, last_codes)
    if not code and (m := _LEADING_CODE.match(text)):
        code, text = m.group(1), m.group(2).strip()
    if code and not text:
        where = block.keys[0].index
    return code, text, where, spans_to


def _code(levels: list[tuple[int, str]], block: int, last: dict[tuple[int, int], str]) -> str:
    """A code from its level columns (类 201 | 款 01 | 项 01 → 2010101), a blank higher level taken
    from the row above (tables print 类 once over its 款 rows)."""
    code = ""
    for level, digits in sorted(levels):
        if len(digits) == level:  # a whole code
            code = digits
        else:
            parent = code or last.get((block, level - 2), "")
            code = parent + digits if len(parent) == level - 2 else ""
        if code:
            last[(block, len(code))] = code
    return code


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
