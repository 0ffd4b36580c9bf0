"""Crafted workbooks: small files that would take a reader seconds and gigabytes, which the safety scan must refuse
before python-calamine parses them (official/xlsx_safety.py). Built with zipfile: a minimal package
(``_rels/.rels``, the workbook, its relationships, the sheets) is all calamine needs."""

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def sheet(rows: str, *, after: str = "", root: str = "worksheet", prefix: str = "") -> str:
    """A sheet part: ``rows`` in its sheetData, ``after`` it what follows (merged ranges)."""
    p = prefix
    return (
        f'<{p}{root} xmlns{":" + p[:-1] if p else ""}="{MAIN}"><{p}sheetData>{rows}</{p}sheetData>{after}</{p}{root}>'
    )


def workbook(*sheets: str | bytes, folder: str = "xl/", names: tuple[str, ...] = (), **parts: str | bytes) -> bytes:
    """A package of these sheets (named ``names``, else 表1, 表2, …) under ``folder``, with ``parts``
    (sharedStrings="…") beside the workbook."""
    names = names or tuple(f"表{n}" for n in range(1, len(sheets) + 1))
    entries = "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, start=1))
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
            f'Type="{RELATIONSHIPS}/officeDocument" Target="{folder}workbook.xml"/></Relationships>',
        )
        archive.writestr(
            f"{folder}workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>{entries}</sheets></workbook>',
        )
        archive.writestr(f"{folder}_rels/workbook.xml.rels", f'<Relationships xmlns="{PACKAGE}">{rels}</Relationships>')
        for number, xml in enumerate(sheets, start=1):
            archive.writestr(f"{folder}worksheets/sheet{number}.xml", xml)
        for name, xml in parts.items():
            archive.writestr(f"{folder}{name}.xml", xml)
    return buffer.getvalue()


def numbers(rows: int, per_row: int, start: int = 0) -> str:
    """``rows`` rows of ``per_row`` number cells (without their references, which the format allows)."""
    return "".join(
        "<row><c><v>" + "</v></c><c><v>".join(map(str, range(first, first + per_row))) + "</v></c></row>"
        for first in range(start, start + rows * per_row, per_row)
    )


def two_million_cells() -> bytes:
    """2 000 000 number cells in 5 000 rows of one sheet: about 5 MB."""
    return workbook(sheet(numbers(5000, 400)))


def shared_strings_xml(count: int) -> bytes:
    strings = "</t></si><si><t>".join(f"项目{number}" for number in range(count))
    return f'<sst xmlns="{MAIN}"><si><t>{strings}</t></si></sst>'.encode()


def a_million_shared_strings() -> bytes:
    """1 000 000 shared strings and an empty sheet: about 3 MB."""
    return workbook(sheet(""), sharedStrings=shared_strings_xml(1_000_000))
