"""Slim .docx files: drop what a template carries but never shows, so every render parses less.

A document made with python-docx (or saved by some Word versions) holds a 350 KB ``styles.xml`` of
~170 styles and ~380 latent-style entries, a 440 KB ``stylesWithEffects.xml`` copy of it and a
thumbnail — parsed, re-serialised and zipped again for every document reportgen writes. ``slim``
keeps the styles the document's parts refer to (with what they are based on, link to and are
followed by) and the default ones, and drops the rest, the latent styles, ``stylesWithEffects`` and
the thumbnail. What a reader sees does not change.

``surplus_bytes`` measures what ``slim`` would drop (``format check`` warns above a limit). Both take
untrusted bytes: XML is parsed without entities, DTDs or network.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from reportgen.render.source import TEMPLATE_MAX_BYTES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_STYLES = "word/styles.xml"
_DROPPED_TYPES = ("/stylesWithEffects", "/metadata/thumbnail")
_STYLE_REFS = ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink")
_STYLE_LINKS = ("basedOn", "next", "link")
_SMALL_STYLES = 32 * 1024  # unused styles below this cost nothing worth a rewrite
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _dropped_parts(parts: dict[str, bytes]) -> set[str]:
    """The stylesWithEffects and thumbnail parts, found through the relationships that name them."""
    dropped = set()
    for name, data in parts.items():
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))  # word/_rels/document.xml.rels -> word
        for rel in _parse(data).iter(f"{{{_RELS}}}Relationship"):
            if rel.get("Type", "").endswith(_DROPPED_TYPES) and rel.get("TargetMode") != "External":
                dropped.add(posixpath.normpath(posixpath.join(folder, rel.get("Target", "").lstrip("/"))))
    return dropped


def _without_relationships_to(data: bytes, folder: str, dropped: set[str]) -> bytes:
    root = _parse(data)
    for rel in list(root.iter(f"{{{_RELS}}}Relationship")):
        if posixpath.normpath(posixpath.join(folder, rel.get("Target", "").lstrip("/"))) in dropped:
            root.remove(rel)
    return _serialise(root)


def _without_overrides_for(data: bytes, dropped: set[str]) -> bytes:
    root = _parse(data)
    for override in list(root.iter(f"{{{_TYPES}}}Override")):
        if override.get("PartName", "").lstrip("/") in dropped:
            root.remove(override)
    return _serialise(root)


def _slim_styles(styles_xml: bytes, parts: dict[str, bytes]) -> bytes:
    root = _parse(styles_xml)
    for latent in root.findall(_w("latentStyles")):
        root.remove(latent)
    styles = {s.get(_w("styleId")): s for s in root.findall(_w("style"))}
    wanted = {sid for sid, s in styles.items() if s.get(_w("default")) in ("1", "true", "on")}
    for name, data in parts.items():
        if name.startswith("word/") and name.endswith(".xml") and name != _STYLES and b"Style" in data:
            tree = _parse(data)
            for ref in _STYLE_REFS:
                wanted |= {e.get(_w("val")) for e in tree.iter(_w(ref))}
    todo = list(wanted)
    while todo:  # what the wanted styles are based on, linked to and followed by
        style = styles.get(todo.pop())
        for link in _STYLE_LINKS if style is not None else ():
            for e in style.findall(_w(link)):
                if e.get(_w("val")) not in wanted:
                    wanted.add(e.get(_w("val")))
                    todo.append(e.get(_w("val")))
    for sid, style in styles.items():
        if sid not in wanted:
            root.remove(style)
    return _serialise(root)


def slim(data: bytes) -> bytes:
    """The .docx without unused styles, latent styles, stylesWithEffects and thumbnail.

    Raises ``zipfile.BadZipFile``, ``KeyError`` or ``etree.XMLSyntaxError`` for what is no .docx."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if sum(info.file_size for info in infos) > TEMPLATE_MAX_BYTES:  # left as it is: refused when rendered
            return data
        parts = {info.filename: archive.read(info) for info in infos}
    dropped = _dropped_parts(parts)
    styles = parts.get(_STYLES, b"")
    if not dropped and b"latentStyles" not in styles and len(styles) < _SMALL_STYLES:
        return data  # already slim (the built-in templates): nothing worth rewriting
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in infos:
            name, data = info.filename, parts[info.filename]
            if name in dropped:
                continue
            if name.endswith(".rels") and dropped:
                data = _without_relationships_to(data, posixpath.dirname(posixpath.dirname(name)), dropped)
            elif name == "[Content_Types].xml" and dropped:
                data = _without_overrides_for(data, dropped)
            elif name == _STYLES:
                data = _slim_styles(data, parts)
            kept = zipfile.ZipInfo(name, date_time=info.date_time)
            kept.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(kept, data)
    return out.getvalue()


def surplus_bytes(data: bytes) -> int:
    """How many unpacked bytes ``slim`` would drop from the .docx."""
    def unpacked(blob: bytes) -> int:
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            return sum(info.file_size for info in archive.infolist())

    return unpacked(data) - unpacked(slim(data))


def slim_file(path: Path) -> bool:
    """Slim a .docx in place; False (the file untouched) if it is not one that can be read. Reading
    and writing errors are raised."""
    data = path.read_bytes()
    try:
        slimmed = slim(data)
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return False
    if slimmed != data:
        path.write_bytes(slimmed)  # a failed write (disk full) raises: the caller's copy is not finished
    return True
