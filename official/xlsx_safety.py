"""What is checked about an uploaded workbook before openpyxl is allowed to parse it.

A workbook is a zip of XML files. Size, compression ratio, row count, merged ranges and formulas are
read from the raw parts with a streaming parser, so that a zip bomb or a sheet of a million rows is
refused before anything large is built in memory.
"""

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError, iterparse

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ROWS_PER_SHEET = 5000
MAX_SHEETS = 100
MAX_FORMULAS_LISTED = 200  # per sheet, for the sheets where any formula is refused (绩效目标)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted xlsx and legacy .xls files
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class UnsafeWorkbook(Exception):
    """The file cannot be read as a workbook; the message says why, in Chinese."""


@dataclass
class SheetScan:
    name: str
    rows: int = 0
    merged: list[str] = field(default_factory=list)  # "A1:F1"
    formulas_without_value: list[str] = field(default_factory=list)  # "C7"
    formulas: list[str] = field(default_factory=list)  # cells with a formula, cached value or not (the first few)


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part."""
    try:
        rels = {}
        with archive.open("xl/_rels/workbook.xml.rels") as stream:
            for _, element in iterparse(stream):
                if element.tag == f"{_PKG_REL}Relationship":
                    rels[element.get("Id")] = element.get("Target", "")
        sheets = {}
        with archive.open("xl/workbook.xml") as stream:
            for _, element in iterparse(stream):
                if element.tag == f"{_MAIN}sheet":
                    target = rels.get(element.get(f"{_REL}id"), "")
                    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
                    sheets[element.get("name", "")] = path
        return sheets
    except (KeyError, ParseError) as error:
        raise UnsafeWorkbook("文件不是有效的 xlsx 工作簿（缺少工作簿结构）。") from error


def _scan_sheet(archive: zipfile.ZipFile, name: str, path: str) -> SheetScan:
    scan = SheetScan(name)
    try:
        with archive.open(path) as stream:
            for _, element in iterparse(stream):
                tag = element.tag
                if tag == f"{_MAIN}row":
                    scan.rows += 1
                    if scan.rows > MAX_ROWS_PER_SHEET:
                        raise UnsafeWorkbook(f"工作表“{name}”超过 {MAX_ROWS_PER_SHEET} 行，拒绝导入。")
                    element.clear()  # keep memory flat on long sheets
                elif tag == f"{_MAIN}c":
                    value = element.find(f"{_MAIN}v")
                    if element.find(f"{_MAIN}f") is not None:
                        if len(scan.formulas) < MAX_FORMULAS_LISTED:
                            scan.formulas.append(element.get("r", "?"))
                        if value is None or not (value.text or "").strip():
                            scan.formulas_without_value.append(element.get("r", "?"))
                elif tag == f"{_MAIN}mergeCell":
                    scan.merged.append(element.get("ref", ""))
    except KeyError as error:
        raise UnsafeWorkbook(f"工作表“{name}”的数据缺失，文件可能已损坏。") from error
    except (ParseError, zipfile.BadZipFile, EOFError) as error:
        raise UnsafeWorkbook(f"工作表“{name}”无法读取，文件可能已损坏或被截断。") from error
    return scan


def scan_workbook(data: bytes) -> dict[str, SheetScan]:
    """Refuse what is not a safe, plain xlsx; return what was learnt about each sheet."""
    if len(data) > MAX_FILE_BYTES:
        raise UnsafeWorkbook(f"文件过大（{len(data) // 1024} KB），上限为 {MAX_FILE_BYTES // 1024 // 1024} MB。")
    if data.startswith(OLE_SIGNATURE):
        raise UnsafeWorkbook("文件已加密或是旧版 .xls 格式：请去掉密码并另存为 .xlsx 后再导入。")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnsafeWorkbook("文件不是 xlsx 工作簿。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise UnsafeWorkbook("文件不是有效的 xlsx 工作簿，可能已损坏或被截断。") from error
    with archive:
        members = archive.infolist()
        if any(member.flag_bits & 0x1 for member in members):
            raise UnsafeWorkbook("文件已加密：请去掉密码后再导入。")
        uncompressed = sum(member.file_size for member in members)
        compressed = sum(member.compress_size for member in members) or 1
        if uncompressed > MAX_UNCOMPRESSED_BYTES or uncompressed / compressed > MAX_COMPRESSION_RATIO:
            raise UnsafeWorkbook("文件解压后过大（疑似压缩炸弹），拒绝导入。")
        sheets = _sheet_paths(archive)
        if len(sheets) > MAX_SHEETS:
            raise UnsafeWorkbook(f"工作表过多（{len(sheets)} 个）。")
        return {name: _scan_sheet(archive, name, path) for name, path in sheets.items()}
