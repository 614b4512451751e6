"""A minimal, fast XLSX writer for large simulated exports (one sheet, no styling).

openpyxl needs about 0.3 s per thousand dossier rows without lxml, which made
every simulator start several seconds slower; this writes the same cells (text,
numbers, real date-time cells) as plain SpreadsheetML about ten times faster.
Files are checked by reading them back with openpyxl (tests/simulator).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

_EPOCH = datetime(1899, 12, 30)  # Excel's 1900 date system, leap-year bug included
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STATIC = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPES}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPES}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPES}.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Target="xl/workbook.xml" '
        f'Type="{_REL}/officeDocument"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{_REL}/worksheet"/>'
        f'<Relationship Id="rId2" Target="styles.xml" Type="{_REL}/styles"/></Relationships>'
    ),
    # style 1 = a date-time number format, so readers return datetimes for those cells
    "xl/styles.xml": (
        f'<styleSheet xmlns="{_NS}"><numFmts count="1"><numFmt numFmtId="164" '
        'formatCode="dd/mm/yyyy hh:mm:ss"/></numFmts><fonts count="1"><font><sz val="11"/>'
        '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill '
        'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
        'xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" '
        'xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    ),
}


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        serial = (value - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="1"><v>{serial!r}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = escape(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def write_sheet(path: Path, sheet: str, header: Sequence[str],
                rows: Iterable[Sequence[Any]]) -> Path:  # fmt: skip
    """One workbook with one sheet named `sheet`: the header row, then `rows`."""
    columns, table = [_column(i) for i in range(len(header))], [header, *rows]
    # the dimension lets streaming readers pad rows whose last cells are empty
    extent = f"A1:{columns[-1]}{len(table)}"
    lines = [f'<worksheet xmlns="{_NS}"><dimension ref="{extent}"/><sheetData>']
    for number, row in enumerate(table, start=1):
        cells = "".join(_cell(f"{c}{number}", v) for c, v in zip(columns, row, strict=True))
        lines.append(f'<row r="{number}">{cells}</row>')
    lines.append("</sheetData></worksheet>")
    workbook = (
        f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets><sheet name="{escape(sheet)}" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, xml in {**_STATIC, "xl/workbook.xml": workbook}.items():
            book.writestr(
                _member(name), '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml
            )
        book.writestr(_member("xl/worksheets/sheet1.xml"), "".join(lines))
    return path


def _member(name: str) -> zipfile.ZipInfo:
    """A part with a fixed timestamp: the same cells give the same bytes at every start, so
    the simulator's unchanged drop is not a new file version (issue 16)."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
