"""Importing a unit's 部门决算 tables (``reportgen init --import``, ``reportgen import``,
``reportgen check --against``, ``reportgen batch --against``).

The figures a clerk would retype — income by source, spending by kind and 经济分类, 功能分类 lines,
“三公”经费, assets — are read from the 决算 software's export (财决 tables, amounts in 元) or the
published 决算公开 tables (公开 tables, usually 万元), .xlsx or .xls, one table a file or many.

* ``declarations`` — every supported table as data: its titles and tags, and which of its rows or
  columns feed which workbook field (named by the model's declaration: sheet key and field);
* ``sources`` — opening a file (bounded, encrypted and damaged files refused) as grids of cells;
* ``layout`` — finding tables in a grid by content: title or tag, 编制单位, 金额单位, merged
  multi-row headers, label/code/amount columns, data rows;
* ``figures`` — one recognised table read against its declaration: facts (target, amount, place);
* ``combine`` — all facts together: 元 → 万元 exactly, tables that disagree, rounding residues
  (尾差), breakdowns imported all or nothing, fiscal-only tables used only where they are the whole;
* ``apply`` — the result put into a workbook's values (new, next year's, or an existing one:
  the clerk's differing values kept and listed), with notes and the 来源 sheet (``provenance``);
* ``against`` — a filled workbook compared with the tables, nothing changed.
"""
