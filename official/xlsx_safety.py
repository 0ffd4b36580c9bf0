"""What is checked about an uploaded workbook before python-calamine is allowed to parse it.

A workbook is a zip of XML files. Everything a parser would spend time or memory on is measured from the raw
parts first, so that a file inside the size limits but crafted to be slow (two million cells in 4 MB, a million
shared strings) is refused in milliseconds, before anything large is built:

* the file: its size, its compression ratio (zip bombs), encryption, legacy .xls, parts named twice;
* the workbook's structure (``_rels/.rels``, ``workbook.xml`` and its relationships): their size, the sheets and
  the part each is read from, resolved as calamine resolves them (so that no part it reads goes unchecked);
* each sheet: its rows, its cells, the farthest cell holding a value (calamine builds a dense grid from A1 to
  it, so one value in XFD1048576 would ask for 17 billion cells), its merged ranges;
* all sheets together: their cells;
* the shared strings (how many, how many bytes) and the styles (cell formats, bytes): calamine loads both
  whole when it opens the file.

Sheets are not parsed as XML: the decompressed bytes are counted (``<c …>``, ``<row …>``) a chunk at a time, and
the scan stops at the chunk where a limit is crossed. A sheet within its limits is then searched, with regular
expressions over its bytes, for what the reader needs and calamine does not give: formulas (and those without a
cached value), error values such as ``#DIV/0!`` (calamine reads them as empty), hidden rows, the declared
dimension (openpyxl, which read these files before, padded every sheet to it) and number cells whose text is not
a number (calamine would read them as text; they are a damaged file). The cells, rows and merged ranges counted
are those under the namespace prefix the sheet's root element uses (``<c>`` or ``<x:c>``); a sheet that puts any
of them under another prefix is refused rather than read past the checks.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import cache
from xml.etree.ElementTree import ParseError, iterparse

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_SHEETS = 100
MAX_ROWS_PER_SHEET = 5000  # row elements, and the farthest row a value stands in
MAX_COLUMNS_PER_SHEET = 256  # the farthest column a value stands in: IV, the last column of Excel 2003
# Every cell a sheet may hold where the reader looks (5000 rows of its 60 columns); the large benchmark
# department's biggest sheet has 5 010 (blank formatted cells included), its whole workbook 18 314.
MAX_CELLS_PER_SHEET = 300_000
MAX_CELLS = 500_000  # all sheets together
# calamine gives each sheet as a grid from A1 to its farthest value: all sheets' grids together, checked before
# any is converted to Python (the large department's come to 18 427 cells).
MAX_GRID_CELLS = 1_000_000
MAX_MERGED_PER_SHEET = 20_000
MAX_SHARED_STRINGS = 200_000  # the large department's workbook has 1 728 (90 KB)
MAX_SHARED_STRINGS_BYTES = 10 * 1024 * 1024
MAX_CELL_FORMATS = 65_490  # cellXfs entries: as many as Excel itself allows in a workbook
MAX_STYLES_BYTES = 16 * 1024 * 1024
MAX_STRUCTURE_BYTES = 5 * 1024 * 1024  # workbook.xml and the relationship parts
MAX_FORMULAS_LISTED = 200  # per sheet, for the sheets where any formula is refused (绩效目标)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted xlsx and legacy .xls files
DAMAGED = "文件无法作为 xlsx 工作簿读取，可能已损坏。"
_MB = 1024 * 1024
_CHUNK = 1024 * 1024  # decompressed bytes counted at a time
_OVERLAP = 96  # longer than any counted tag start (a prefix is at most 64 characters)


class UnsafeWorkbook(Exception):
    """The file cannot be read as a workbook; the message says why, in Chinese."""


@dataclass
class SheetScan:
    name: str
    rows: int = 0  # row elements
    cells: int = 0  # cell elements, blank ones included
    merged: list[str] = field(default_factory=list)  # "A1:F1"
    formulas_without_value: list[str] = field(default_factory=list)  # "C7"
    formulas: list[str] = field(default_factory=list)  # cells with a formula, cached value or not (the first few)
    hidden_rows: list[int] = field(default_factory=list)  # 1-based
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column), 0-based → "#DIV/0!"
    # The rows and columns the sheet spans as openpyxl read it: its declared dimension (else its last row, and no
    # columns), never more than MAX_ROWS_PER_SHEET and MAX_COLUMNS_PER_SHEET.
    height: int = 0
    width: int = 0


def _mb(size: int) -> str:
    return f"{size / _MB:.1f} MB"


# --- the bytes of a part ---------------------------------------------------------------------------------------

_TAG_END = rb"(?=[\s/>])"
_PREFIX = rb"[A-Za-z_][\w.-]{0,63}:"
_ROOT = re.compile(rb"<(?![?!])(" + _PREFIX + rb")?[A-Za-z_][\w.-]*" + _TAG_END)
_ANY_PREFIX_SI = re.compile(rb"<(?:" + _PREFIX + rb")?si" + _TAG_END)
_ANY_PREFIX_XF = re.compile(rb"<(?:" + _PREFIX + rb")?xf" + _TAG_END)
_CELL_XFS = re.compile(
    rb"<((?:" + _PREFIX + rb")?)cellXfs" + _TAG_END + rb"[^>]*?(?:/>|>(.*?)</\1cellXfs\s*>)", re.DOTALL
)
_FOREIGN = re.compile(rb"<(" + _PREFIX + rb")?(?:c|row|mergeCell)" + _TAG_END)
_ATTRIBUTE = re.compile(rb"""(?:^|\s)([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]+)([0-9]+)")
_NUMBER = re.compile(rb"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)", re.IGNORECASE)
# An r attribute whose cell lies beyond MAX_ROWS_PER_SHEET or MAX_COLUMNS_PER_SHEET, or may (checked after).
_FAR = re.compile(
    rb"""r\s*=\s*["'](?:[A-Za-z]{3,}|[Ii][W-Zw-z]|[J-Zj-z][A-Za-z]|[A-Za-z]{1,3}(?:[5-9][0-9]{3}|[0-9]{5,}))"""
)
# calamine reserves room for as many strings as the table's root says it holds, before reading any.
_UNIQUE_COUNT = re.compile(rb"""<(?:""" + _PREFIX + rb""")?sst\s[^>]*?uniqueCount\s*=\s*["']([0-9]+)["']""")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


@cache
def column_letters(number: int) -> str:
    """The letters of a column, 1-based: 1 → A, 27 → AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _position(ref: bytes) -> tuple[int, int] | None:
    """(row, column), 1-based, of a cell reference such as b"C7"."""
    found = _REF.fullmatch(ref)
    return (int(found.group(2)), _column_number(found.group(1))) if found else None


def _attributes(tag: bytes) -> dict[bytes, bytes]:
    """The attributes of a start tag's bytes (``r="C7" t="s"``), by name as written; the first of a name wins."""
    found: dict[bytes, bytes] = {}
    for name, double, single in _ATTRIBUTE.findall(tag):
        found.setdefault(name, double or single)
    return found


@cache
def _patterns(prefix: bytes) -> "_Patterns":
    return _Patterns(prefix)


class _Patterns:
    """What is searched for in a sheet whose elements carry ``prefix`` (b"" or b"x:")."""

    def __init__(self, prefix: bytes):
        p = re.escape(prefix)
        self.prefix = prefix
        self.cell = b"<" + prefix + b"c"
        self.cell_with_ref = b"<" + prefix + b'c r="'
        self.cell_start = re.compile(b"<" + p + rb"c" + _TAG_END)
        self.row_start = re.compile(b"<" + p + rb"row" + _TAG_END)
        self.row = re.compile(b"<" + p + rb"row" + _TAG_END + rb"([^>]*)>")
        self.cell_end = re.compile(b"</" + p + rb"c\s*>")
        self.dimension = re.compile(b"<" + p + rb"""dimension\s[^>]*?ref\s*=\s*["']([^"']*)["']""")
        self.merge = re.compile(b"<" + p + rb"""mergeCell\s[^>]*?ref\s*=\s*["']([^"']*)["']""")
        self.formula = re.compile(b"<" + p + rb"f" + _TAG_END)
        self.value = re.compile(b"<" + p + rb"v(?:\s[^>]*)?>\s*[^<\s]")
        # A value that is not a number (nor empty): a string, an error, a date, or a number cell that is damaged.
        self.odd_value = re.compile(
            b"<" + p + rb"v(?:\s[^>]*)?>(?!(?i:" + _NUMBER.pattern + b")?</)([^<]*)</" + p + rb"v\s*>"
        )
        # Cells, rows and row ends in document order, for placing cells without an r as calamine does.
        self.walk = re.compile(b"<(/?)" + p + rb"(c|row)" + _TAG_END + rb"([^>]*)>")


def _cell_around(xml: bytes, patterns: _Patterns, at: int) -> tuple[int, int, int] | None:
    """(start, end of its start tag, end) of the cell holding position ``at``, or None."""
    start = at
    for _ in range(8):  # "<c" may begin another name (<cols>) outside sheetData
        start = xml.rfind(patterns.cell, 0, start)
        if start < 0:
            return None
        if xml[start + len(patterns.cell) : start + len(patterns.cell) + 1] in (b" ", b"\t", b"\r", b"\n", b">"):
            break
    else:
        return None
    tag_end = xml.find(b">", start)
    if tag_end < 0 or tag_end > at or xml[tag_end - 1 : tag_end] == b"/":
        return None  # ``at`` is in no open cell
    end = patterns.cell_end.search(xml, tag_end)
    if end is None or end.start() < at:
        return None
    return start, tag_end, end.start()


class _Counter:
    """Elements counted in a stream of chunks: each is counted once, even where a chunk cuts its tag in two."""

    def __init__(self, pattern: re.Pattern[bytes]):
        self.pattern = pattern
        self.count = 0
        self.tail = b""

    def feed(self, chunk: bytes) -> int:
        window = self.tail + chunk
        self.count += len(self.pattern.findall(window)) - len(self.pattern.findall(self.tail))
        self.tail = window[-_OVERLAP:]
        return self.count


# --- the structure ---------------------------------------------------------------------------------------------


class _Archive:
    """The zip's members, found as calamine finds them: by name, without regard to ASCII case."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in archive.infolist():
            key = _ascii_lower(info.filename.replace("\\", "/"))
            if key in self.members:
                raise UnsafeWorkbook(f"文件中有重名的部件“{info.filename}”，不是有效的 xlsx 工作簿。")
            self.members[key] = info

    def find(self, path: str) -> zipfile.ZipInfo | None:
        return self.members.get(_ascii_lower(path))

    def read(self, path: str, limit: int, too_large: str) -> bytes | None:
        """The part's bytes, None when there is none; refused (``too_large``, formatted with the part's path,
        size and limit) when it exceeds ``limit``."""
        info = self.find(path)
        if info is None:
            return None
        if info.file_size > limit:
            raise UnsafeWorkbook(too_large.format(path=path, size=_mb(info.file_size), limit=_mb(limit)))
        with self.archive.open(info) as stream:
            return stream.read(limit + 1)


def _ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_TOO_LARGE_STRUCTURE = "工作簿结构（{path}）过大（{size}），上限为 {limit}，拒绝导入。"
_NO_STRUCTURE = "文件不是有效的 xlsx 工作簿（缺少工作簿结构）。"


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _elements(data: bytes, local_name: str) -> list[dict[str, str]]:
    """The attributes (by local name, the last of a name winning, as calamine reads them) of every element of
    that local name, whatever its namespace."""
    found = []
    for _, element in iterparse(io.BytesIO(data)):
        if _local(element.tag) == local_name:
            found.append({_local(key): value for key, value in element.attrib.items()})
    return found


def _sheet_paths(archive: _Archive) -> tuple[str, list[tuple[str, str]]]:
    """(the workbook's folder, [(sheet name, path of its XML part)] in workbook order)."""
    try:
        package = archive.read("_rels/.rels", MAX_STRUCTURE_BYTES, _TOO_LARGE_STRUCTURE)
        if package is None:
            raise UnsafeWorkbook(_NO_STRUCTURE)
        target = next(
            (
                rel.get("Target", "")
                for rel in _elements(package, "Relationship")
                if rel.get("Type", "").endswith("/relationships/officeDocument")
            ),
            None,
        )
        if target is None:
            raise UnsafeWorkbook(_NO_STRUCTURE)
        folder = target[: target.rfind("/") + 1].removeprefix("/")
        rels_data = archive.read(f"{folder}_rels/workbook.xml.rels", MAX_STRUCTURE_BYTES, _TOO_LARGE_STRUCTURE)
        workbook = archive.read(f"{folder}workbook.xml", MAX_STRUCTURE_BYTES, _TOO_LARGE_STRUCTURE)
        if rels_data is None or workbook is None:
            raise UnsafeWorkbook(_NO_STRUCTURE)
        rels = {rel.get("Id", ""): rel.get("Target", "") for rel in _elements(rels_data, "Relationship")}
        sheets = []
        for sheet in _elements(workbook, "sheet"):
            path = rels.get(sheet.get("id", ""), "")
            sheets.append((sheet.get("name", ""), path[1:] if path.startswith("/") else folder + path))
        return folder, sheets
    except ParseError as error:
        raise UnsafeWorkbook(_NO_STRUCTURE) from error


# --- a sheet ---------------------------------------------------------------------------------------------------


def _scan_sheet(archive: _Archive, name: str, path: str, room: int) -> SheetScan:
    """What the reader needs to know of one sheet; refused past its limits, or past ``room`` cells (what is left of
    MAX_CELLS for the workbook)."""
    info = archive.find(path)
    if info is None:
        raise UnsafeWorkbook(f"工作表“{name}”的数据缺失，文件可能已损坏。")
    scan = SheetScan(name)
    pieces = []
    try:
        with archive.archive.open(info) as stream:
            first = stream.read(_CHUNK)
            root = _ROOT.search(first)
            if first.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in first[:1024]:
                raise UnsafeWorkbook(f"工作表“{name}”不是 UTF-8 编码的 XML，无法读取。")
            patterns = _patterns((root.group(1) or b"") if root else b"")
            cells, rows = _Counter(patterns.cell_start), _Counter(patterns.row_start)
            chunk = first
            while chunk:
                pieces.append(chunk)
                scan.cells, scan.rows = cells.feed(chunk), rows.feed(chunk)
                _check_counts(scan, room)
                chunk = stream.read(_CHUNK)
    except (zipfile.BadZipFile, EOFError) as error:
        raise UnsafeWorkbook(f"工作表“{name}”无法读取，文件可能已损坏或被截断。") from error
    xml = b"".join(pieces)
    _check_prefixes(xml, patterns, name)
    _extent(scan, xml, patterns)
    _merges(scan, xml, patterns)
    _formulas(scan, xml, patterns)
    _values(scan, xml, patterns)
    return scan


def _check_counts(scan: SheetScan, room: int) -> None:
    if scan.rows > MAX_ROWS_PER_SHEET:
        raise UnsafeWorkbook(f"工作表“{scan.name}”超过 {MAX_ROWS_PER_SHEET} 行，拒绝导入。")
    if scan.cells > MAX_CELLS_PER_SHEET:
        raise UnsafeWorkbook(f"工作表“{scan.name}”的单元格超过 {MAX_CELLS_PER_SHEET} 个，拒绝导入。")
    if scan.cells > room:
        raise UnsafeWorkbook(f"工作簿的单元格超过 {MAX_CELLS} 个（到工作表“{scan.name}”为止），拒绝导入。")


def _check_prefixes(xml: bytes, patterns: _Patterns, name: str) -> None:
    """Refuse a sheet that puts a cell, a row or a merged range under a prefix other than its root element's:
    calamine would read it (it goes by local names), the counts above would not have seen it."""
    prefix = patterns.prefix
    if not prefix and b":c" not in xml and b":row" not in xml and b":mergeCell" not in xml:
        return
    if any((found or b"") != prefix for found in _FOREIGN.findall(xml)):
        raise UnsafeWorkbook(
            f"工作表“{name}”的 XML 命名空间前缀不一致，无法安全读取：请在 Excel 中另存为 .xlsx 后再导入。"
        )


def _extent(scan: SheetScan, xml: bytes, patterns: _Patterns) -> None:
    """Refuse a value beyond MAX_ROWS_PER_SHEET or MAX_COLUMNS_PER_SHEET; note the hidden rows and the span."""
    if xml.count(patterns.cell_with_ref) == scan.cells:  # every cell names its place first, as Excel writes it
        for found in _FAR.finditer(xml):
            cell = _cell_at(xml, patterns, found.start())
            if cell is not None:
                _check_place(scan, *cell)
    else:
        _walk(scan, xml, patterns)
    dimension = patterns.dimension.search(xml)
    declared = _position(dimension.group(1).rpartition(b":")[2]) if dimension else None
    last_row = 0
    if declared is None or b"hidden" in xml:
        for found in patterns.row.finditer(xml):
            attributes = _attributes(found.group(1))
            number = attributes.get(b"r", b"")
            last_row = int(number) if number.isdigit() else last_row + 1
            if attributes.get(b"hidden") in (b"1", b"true"):
                scan.hidden_rows.append(last_row)
    rows, columns = declared or (last_row, 0)
    scan.height, scan.width = min(rows, MAX_ROWS_PER_SHEET), min(columns, MAX_COLUMNS_PER_SHEET)


def _cell_at(xml: bytes, patterns: _Patterns, at: int) -> tuple[int, int, bytes] | None:
    """(row, column, reference) of the value cell whose start tag has an r attribute at ``at``; None when the
    attribute belongs to no cell, or to one without a value."""
    start = xml.rfind(b"<", 0, at)
    if not xml.startswith(patterns.cell, start) or xml[at - 1 : at] not in (b" ", b"\t", b"\r", b"\n"):
        return None
    if xml[start + len(patterns.cell) : start + len(patterns.cell) + 1] not in (b" ", b"\t", b"\r", b"\n"):
        return None
    end = xml.find(b">", at)
    if end < 0 or xml[end - 1 : end] == b"/":
        return None  # a blank cell: calamine keeps no value for it
    ref = _attributes(xml[at:end]).get(b"r", b"")
    place = _position(ref)
    return (*place, ref) if place else None


def _check_place(scan: SheetScan, row: int, column: int, ref: bytes | str) -> None:
    shown = ref.decode(errors="replace") if isinstance(ref, bytes) else ref
    if row > MAX_ROWS_PER_SHEET:
        raise UnsafeWorkbook(f"工作表“{scan.name}”超过 {MAX_ROWS_PER_SHEET} 行（单元格 {shown}），拒绝导入。")
    if column > MAX_COLUMNS_PER_SHEET:
        last = column_letters(MAX_COLUMNS_PER_SHEET)
        raise UnsafeWorkbook(
            f"工作表“{scan.name}”的单元格 {shown} 超出第 {MAX_COLUMNS_PER_SHEET} 列（{last} 列），拒绝导入。"
        )


def _walk(scan: SheetScan, xml: bytes, patterns: _Patterns) -> None:
    """Place every value cell as calamine does where some cells give no r: after the cell before it in its row."""
    row = column = 0  # 0-based, as calamine counts
    for found in patterns.walk.finditer(xml):
        closing, kind, rest = found.groups()
        if kind == b"row":
            if not closing and (number := _attributes(rest.removesuffix(b"/")).get(b"r", b"")).isdigit():
                row = int(number) - 1
            if closing or rest.endswith(b"/"):  # the row ends: the next one, unless it says, is the row below
                row, column = row + 1, 0
            continue
        if closing:
            continue
        ref = _attributes(rest.removesuffix(b"/")).get(b"r")
        place = _position(ref) if ref else None
        if place:
            here, column = (place[0] - 1, place[1] - 1)
        else:
            here = row
        if not rest.endswith(b"/"):
            _check_place(scan, here + 1, column + 1, ref or f"{column_letters(column + 1)}{here + 1}")
        column += 1


def _merges(scan: SheetScan, xml: bytes, patterns: _Patterns) -> None:
    refs = patterns.merge.findall(xml)
    if len(refs) > MAX_MERGED_PER_SHEET:
        raise UnsafeWorkbook(f"工作表“{scan.name}”的合并单元格超过 {MAX_MERGED_PER_SHEET} 个，拒绝导入。")
    covered = 0
    for ref in refs:
        first, _, last = ref.partition(b":")
        top, bottom = _position(first), _position(last or first)
        if top and bottom:
            rows = min(bottom[0], MAX_ROWS_PER_SHEET) - top[0] + 1
            columns = min(bottom[1], MAX_COLUMNS_PER_SHEET) - top[1] + 1
            covered += max(rows, 0) * max(columns, 0)
    if covered > MAX_ROWS_PER_SHEET * MAX_COLUMNS_PER_SHEET:  # more than the sheet: the ranges overlap
        raise UnsafeWorkbook(f"工作表“{scan.name}”的合并单元格相互重叠，拒绝导入。")
    scan.merged = [ref.decode(errors="replace") for ref in refs]


def _formulas(scan: SheetScan, xml: bytes, patterns: _Patterns) -> None:
    last_cell = -1
    for found in patterns.formula.finditer(xml):
        cell = _cell_around(xml, patterns, found.start())
        if cell is None or cell[0] == last_cell:
            continue
        start, tag_end, end = cell
        last_cell = start
        ref = _attributes(xml[start + len(patterns.cell) : tag_end]).get(b"r", b"?").decode(errors="replace")
        if len(scan.formulas) < MAX_FORMULAS_LISTED:
            scan.formulas.append(ref)
        if patterns.value.search(xml, found.end(), end) is None:
            scan.formulas_without_value.append(ref)


def _values(scan: SheetScan, xml: bytes, patterns: _Patterns) -> None:
    """Note error values; refuse a number cell whose text is not a number."""
    for found in patterns.odd_value.finditer(xml):
        cell = _cell_around(xml, patterns, found.start())
        if cell is None:
            continue
        start, tag_end, _ = cell
        attributes = _attributes(xml[start + len(patterns.cell) : tag_end])
        kind, text = attributes.get(b"t"), found.group(1)
        if kind in _NUMERIC_VALUES and not _NUMERIC_VALUES[kind].fullmatch(text):
            raise UnsafeWorkbook(f"工作表“{scan.name}”无法读取，文件可能已损坏。")
        if kind == b"e" and (place := _position(attributes.get(b"r", b""))):
            scan.errors[(place[0] - 1, place[1] - 1)] = _unescape(found.group(1)).strip()


# What the text of a cell's value must be, by its type: a number (calamine would read other text as text, or
# fail), an index into the shared strings (it would read 0), a boolean.
_NUMERIC_VALUES = {None: _NUMBER, b"n": _NUMBER, b"s": re.compile(rb"[0-9]+"), b"b": re.compile(rb"[01]")}


def _unescape(text: bytes) -> str:
    decoded = text.decode(errors="replace")
    for entity, character in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        decoded = decoded.replace(entity, character)
    return decoded


# --- the parts calamine loads whole ------------------------------------------------------------------------------


def _check_shared_strings(archive: _Archive, folder: str) -> None:
    path = f"{folder}sharedStrings.xml"
    info = archive.find(path)
    if info is None:
        return
    if info.file_size > MAX_SHARED_STRINGS_BYTES:
        limit = _mb(MAX_SHARED_STRINGS_BYTES)
        raise UnsafeWorkbook(f"共享字符串表（{path}）过大（{_mb(info.file_size)}），上限为 {limit}，拒绝导入。")
    too_many = f"共享字符串表（{path}）超过 {MAX_SHARED_STRINGS} 条，拒绝导入。"
    strings = _Counter(_ANY_PREFIX_SI)
    with archive.archive.open(info) as stream:
        chunk = stream.read(_CHUNK)
        declared = _UNIQUE_COUNT.search(chunk)
        if declared and int(declared.group(1)) > MAX_SHARED_STRINGS:
            raise UnsafeWorkbook(too_many)
        while chunk:
            if strings.feed(chunk) > MAX_SHARED_STRINGS:
                raise UnsafeWorkbook(too_many)
            chunk = stream.read(_CHUNK)


def _check_styles(archive: _Archive, folder: str) -> None:
    path = f"{folder}styles.xml"
    styles = archive.read(path, MAX_STYLES_BYTES, "样式表（{path}）过大（{size}），上限为 {limit}，拒绝导入。")
    if styles is None:
        return
    formats = sum(len(_ANY_PREFIX_XF.findall(found.group(2) or b"")) for found in _CELL_XFS.finditer(styles))
    if formats > MAX_CELL_FORMATS:
        raise UnsafeWorkbook(f"样式表（{path}）的单元格格式超过 {MAX_CELL_FORMATS} 种，拒绝导入。")


def check_grid(name: str, rows: int, columns: int, room: int) -> int:
    """What is left of MAX_GRID_CELLS (``room``) once sheet ``name``'s grid of ``rows`` × ``columns`` is read;
    refused when nothing would be."""
    room -= rows * columns
    if room < 0:
        raise UnsafeWorkbook(
            f"工作簿各工作表从 A1 到最远一个有内容的单元格共超过 {MAX_GRID_CELLS} 个单元格"
            f"（到工作表“{name}”为止），拒绝导入。"
        )
    return room


# --- the file --------------------------------------------------------------------------------------------------


def scan_workbook(data: bytes) -> dict[str, SheetScan]:
    """Refuse what is not a safe, plain xlsx; return what was learnt about each sheet, by name, in workbook order."""
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
    try:
        with archive:
            return _scan(archive)
    except UnsafeWorkbook:
        raise
    except Exception as error:  # zipfile, zlib and the XML parser raise many kinds on damaged parts
        raise UnsafeWorkbook(DAMAGED) from error


def _scan(archive: zipfile.ZipFile) -> dict[str, SheetScan]:
    members = archive.infolist()
    if any(member.flag_bits & 0x1 for member in members):
        raise UnsafeWorkbook("文件已加密：请去掉密码后再导入。")
    uncompressed = sum(member.file_size for member in members)
    compressed = sum(member.compress_size for member in members) or 1
    if uncompressed > MAX_UNCOMPRESSED_BYTES or uncompressed / compressed > MAX_COMPRESSION_RATIO:
        raise UnsafeWorkbook("文件解压后过大（疑似压缩炸弹），拒绝导入。")
    parts = _Archive(archive)
    folder, sheets = _sheet_paths(parts)
    if len(sheets) > MAX_SHEETS:
        raise UnsafeWorkbook(f"工作表过多（{len(sheets)} 个）。")
    seen: set[str] = set()
    for name, _ in sheets:
        if name.casefold() in seen:
            raise UnsafeWorkbook(f"工作簿中有两个工作表都叫“{name}”，不是有效的 xlsx 工作簿。")
        seen.add(name.casefold())
    _check_shared_strings(parts, folder)
    _check_styles(parts, folder)
    scans: dict[str, SheetScan] = {}
    room = MAX_CELLS
    for name, path in sheets:
        scans[name] = _scan_sheet(parts, name, path, room)
        room -= scans[name].cells
    return scans
