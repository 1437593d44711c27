"""What the 财政局 downloads for a collection: the 汇总表 and every unit's documents in one zip;
and a clerk's documents of one version in one zip.

Contract: the 汇总表 is ``reportgen.county_summary.write_summary`` over each unit's **latest**
version (a unit without one is listed as 未提交, one being built as 处理中), exactly as ``reportgen
batch`` writes it; the unit's folder in the zip is its listed name made safe and unique by
``batch.FolderPlan``. Zips are written to a file under the data folder's ``files/tmp`` and handed to
the caller, who deletes them after sending. Documents are stored, not recompressed (.docx and .pdf
are compressed already).
"""

from __future__ import annotations

import sqlite3
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from reportgen.batch import SUMMARY_NAME, Folder, FolderPlan, Outcome, UnitResult
from reportgen.serve.records import stored_record, unit_result
from reportgen.serve.store import Store

_ROOT = Path("收集")
_LABELS = {"queued": "处理中", "building": "处理中", "failed": "处理失败"}


@dataclass(frozen=True)
class UnitOutcome(Outcome):
    """A unit as the 汇总表 shows it; ``label`` replaces batch's 状态 where the service knows more."""

    label: str = ""

    @property
    def status(self) -> str:
        return self.label or super().status


@dataclass(frozen=True)
class UnitFiles:
    folder: str  # the unit's folder in the zip
    files: list[tuple[Path, str]]  # (file on disk, name in the folder)


def gather(store: Store, cid: int) -> tuple[list[UnitOutcome], list[UnitFiles]]:
    """Each unit's latest version as an ``Outcome`` for the 汇总表, and its documents for the zip."""
    plan = FolderPlan()
    outcomes: list[UnitOutcome] = []
    files: list[UnitFiles] = []
    units = store.units(cid)
    latest = store.versions_with_documents([u["v_id"] for u in units if u["v_id"] is not None])
    for index, unit in enumerate(units):
        name = unit["name"]
        if unit["v_id"] is None or unit["v_id"] not in latest:
            result = UnitResult(index=index, path=_ROOT / name / "（未上传）", unit_name=name)
            outcomes.append(UnitOutcome(result, None, label="未提交"))
            continue
        version, documents = latest[unit["v_id"]]
        record = stored_record(version)
        result = unit_result(record, _ROOT / name / f"第{version['number']}版.xlsx", index)
        if not result.unit_name:
            result = replace(result, unit_name=name)
        built = version["status"] == "built"
        folder = plan.add(replace(result, unit_name=name), f"“{name}”")
        docs = [(store.document_path(d), d["name"]) for d in documents] if built else []
        label = _LABELS.get(version["status"], "")
        if built and unit["confirmed_version"] == version["id"]:
            label = "已确认"
        outcomes.append(UnitOutcome(result, Folder(folder.name) if built else None, [Path(n) for _, n in docs],
                                    result.findings, built, label))
        if docs:
            files.append(UnitFiles(folder.name, docs))
    return outcomes, files


def write_collection_summary(store: Store, collection: sqlite3.Row, path: Path) -> None:
    from reportgen.county_summary import write_summary

    outcomes, _ = gather(store, collection["id"])
    write_summary(path, outcomes, _ROOT, title=f"{collection['title']}汇总表")


def collection_zip(store: Store, collection: sqlite3.Row) -> Path:
    """Every unit's latest documents (``单位/文件``) and the 汇总表, as one zip file."""
    from reportgen.county_summary import write_summary

    outcomes, files = gather(store, collection["id"])
    out = store.temp_path(".zip")
    summary = out.with_suffix(".xlsx")
    try:
        write_summary(summary, outcomes, _ROOT, title=f"{collection['title']}汇总表")
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
            zf.write(summary, SUMMARY_NAME)
            for unit in files:
                for path, name in unit.files:
                    zf.write(path, f"{unit.folder}/{name}")
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    finally:
        summary.unlink(missing_ok=True)
    return out


def version_zip(store: Store, vid: int) -> Path:
    out = store.temp_path(".zip")
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
            for doc in store.documents(vid):
                zf.write(store.document_path(doc), doc["name"])
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return out
