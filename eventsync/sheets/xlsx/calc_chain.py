"""Dropping the calculation chain after a formula cell was replaced.

A stale `xl/calcChain.xml` makes Excel 'repair' the file, so the part goes together with
its relationship (in the workbook's .rels) and its `[Content_Types].xml` override; Excel
rebuilds the chain on load. It must never change anything else in those two parts: only
the two elements are cut, the rest keeps its bytes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from urllib.parse import unquote

from eventsync.sheets.xlsx.package import DeflatedPart
from eventsync.sheets.xlsx.parts import (
    CONTENT_TYPES_PART,
    RT_CALC_CHAIN,
    member_name,
    relationships,
    rels_name,
)

_CALC_TYPE = re.compile(rb"\sType\s*=\s*[\"'][^\"']*/calcChain[\"']")
_ANY_ELEMENT = (
    rb"<(?:[\w.-]+:)?%s\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(?:/>|>.*?</(?:[\w.-]+:)?%s\s*>)"
)
_RELATIONSHIP = re.compile(_ANY_ELEMENT % (b"Relationship", b"Relationship"), re.S)
_OVERRIDE = re.compile(_ANY_ELEMENT % (b"Override", b"Override"), re.S)


def drop_calc_chain(zf: zipfile.ZipFile, workbook_part: str) -> dict[str, DeflatedPart | None]:
    """Replacements (for `write_package`) that remove the calculation chain."""
    return {
        name: None if content is None else DeflatedPart.from_bytes(content)
        for name, content in calc_chain_cuts(zf, workbook_part).items()
    }


def calc_chain_cuts(zf: zipfile.ZipFile, workbook_part: str) -> dict[str, bytes | None]:
    """The new content of the parts that change when the chain goes (None: dropped);
    empty when the workbook has no calculation chain."""
    calc = [r for r in relationships(zf, workbook_part) if r.type.endswith(RT_CALC_CHAIN)]
    if not calc:
        return {}
    calc_part = member_name(zf, calc[0].target) or calc[0].target
    rels = member_name(zf, rels_name(workbook_part)) or rels_name(workbook_part)
    new_rels = _cut(zf.read(rels), _RELATIONSHIP, lambda el: _CALC_TYPE.search(el) is not None)
    cuts: dict[str, bytes | None] = {rels: new_rels}
    if calc_part in zf.namelist():
        cuts[calc_part] = None
    types = member_name(zf, CONTENT_TYPES_PART)
    if types is not None:
        target = ("/" + calc_part).casefold().encode()
        cuts[types] = _cut(zf.read(types), _OVERRIDE, lambda el: _part_name(el) == target)
    return cuts


def _part_name(element: bytes) -> bytes:
    found = re.search(rb"\sPartName\s*=\s*[\"']([^\"']*)", element)
    return unquote(found.group(1).decode()).casefold().encode() if found else b""


def _cut(xml: bytes, element: re.Pattern[bytes], wanted: Callable[[bytes], bool]) -> bytes:
    return element.sub(lambda m: b"" if wanted(m.group()) else m.group(), xml)
