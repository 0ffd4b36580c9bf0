"""Fuzzing the workbook importer: random bytes, damaged zips, and the demo 202 workbook mutated cell by cell.

Whatever the file, ``budget_import_preview`` (what the upload view calls) returns problems rather than raising,
and ``budget_import_apply`` (the confirmation) either imports or raises ImportRefused / BudgetFiguresError with a
Chinese message; a refused file leaves the database as it was. Files are mutated in memory at the XML level
(no openpyxl round trip), so a thousand cases stay within about a minute. Each case that may write runs in a
savepoint rolled back afterwards, so the next case starts from the demo again.
"""

import io
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from xml.sax.saxutils import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from budgets.models import Budget, BudgetEvent, BudgetLine, FixedAsset, ProcurementItem, Project
from departments.models import Department, Unit
from domain.errors import BudgetFiguresError
from importing.services import ImportRefused, budget_import_apply, budget_import_preview
from performance.models import Indicator, TargetTable
from tests.support.workbooks import edited, exported

pytestmark = pytest.mark.django_db

FUZZ = settings(
    database=None,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
CJK = re.compile(r"[\u4e00-\u9fff]")
YEAR = 2021
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_BASE: dict[str, bytes] = {}


def base_workbook(demo) -> bytes:
    """The demo 202 workbook as exported, built once per module (the demo is the same in every test)."""
    if "202" not in _BASE:
        _BASE["202"] = exported(demo["202"])
    return _BASE["202"]


def fingerprint() -> tuple:
    budgets = tuple(Budget.objects.order_by("pk").values_list("pk", "department__code", "revision", "state", "version"))
    lines = tuple(
        BudgetLine.objects.order_by("budget_id")
        .values("budget_id")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .values_list("budget_id", "n", "total")
    )
    counts = tuple(
        model.objects.count()
        for model in (Department, Unit, Project, ProcurementItem, FixedAsset, TargetTable, Indicator, BudgetEvent)
    )
    return budgets, lines, counts


def assert_chinese(messages: list[str]) -> None:
    assert messages, "a refusal names at least one problem"
    for message in messages:
        assert CJK.search(message), f"not a Chinese message: {message!r}"


def check_import(data: bytes) -> None:
    """Preview, then (if the preview is clean) apply, inside a savepoint rolled back at the end."""
    before = fingerprint()
    with transaction.atomic():
        preview = budget_import_preview(data=data, year=YEAR, department_code="202")
        assert fingerprint() == before, "the preview wrote to the database"
        if not preview.ok:
            assert_chinese([str(problem) for problem in preview.problems])
        elif not preview.unchanged:
            try:
                budget_import_apply(data=data, year=YEAR, department_code="202")
            except ImportRefused as refused:
                assert_chinese([str(problem) for problem in refused.preview.problems])
                assert fingerprint() == before, "a refused import changed the database"
            except BudgetFiguresError as refused:
                assert_chinese([str(error) for error in refused.errors])
        transaction.set_rollback(True)
    assert fingerprint() == before


# --- mutating the workbook in memory ----------------------------------------------------------------------------


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"[^>]*?(?:/>|>.*?</c>)', re.S)
ROW = re.compile(r"<row [^>]*?(?:/>|>.*?</row>)", re.S)
SHARED = re.compile(r"<si>.*?</si>", re.S)
SHEET_ENTRY = re.compile(r'<sheet name="[^"]*" sheetId="\d+" r:id="(rId\d+)"/>')

TEXTS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "合计",
            "合 计",
            "-",
            "—",
            "NaN",
            "nan",
            "Infinity",
            "-inf",
            "1e400",
            "-1",
            "0.001",
            "1,234.56",
            "９９",
            "=1+1",
            "=SUM(A1:A9)",
            "@cmd",
            "+1",
            "单位：元",
            "单位：万元",
            "预算年度：2020",
            "预算年度：99999",
            "202 中共石家庄市鹿泉区委办公室",
            "999 不存在的部门",
            "截止时间：2021-02-30",
            "截止时间：2021-13-01",
            "201",
            "2010101",
            "99999",
            "<script>alert(1)</script>",
            "一级指标",
            "产出指标",
            "绩效目标",
            "注：",
            "序号",
            "栏次",
        ]
    ),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
    st.floats().map(repr),
    st.sampled_from(["1e308", "1e309", "-1e400", "NaN", "inf", "", " ", "abc", "0x10", "1_000", "１２"]),
)


@st.composite
def new_cell(draw, ref: str) -> str:
    kind = draw(st.sampled_from(["inline", "number", "formula", "formula_no_value", "bool", "error", "shared", "none"]))
    if kind == "inline":
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(_xml_safe(draw(TEXTS)))}</t></is></c>'
    if kind == "number":
        return f'<c r="{ref}"><v>{escape(draw(NUMBERS))}</v></c>'
    if kind == "formula":
        return f'<c r="{ref}"><f>SUM(A1:A2)</f><v>{escape(draw(NUMBERS))}</v></c>'
    if kind == "formula_no_value":
        return f'<c r="{ref}"><f>A1+1</f></c>'
    if kind == "bool":
        return f'<c r="{ref}" t="b"><v>{draw(st.sampled_from(["0", "1", "2", "x"]))}</v></c>'
    if kind == "error":
        return f'<c r="{ref}" t="e"><v>{draw(st.sampled_from(["#DIV/0!", "#N/A", "#REF!"]))}</v></c>'
    if kind == "shared":
        return f'<c r="{ref}" t="s"><v>{draw(st.sampled_from(["0", "5", "-1", "999999", "x"]))}</v></c>'
    return ""


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot carry control characters or lone surrogates: keep what a real file could hold."""
    return "".join(ch for ch in text if ch in "\t\n\r" or ("\x20" <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd"))


def _sheets(parts: dict[str, bytes]) -> list[str]:
    return sorted(name for name in parts if name.startswith("xl/worksheets/sheet"))


@st.composite
def mutate_cell(draw, parts: dict[str, bytes]) -> None:
    name = draw(st.sampled_from(_sheets(parts)))
    xml = parts[name].decode()
    cells = list(CELL.finditer(xml))
    match = cells[draw(st.integers(0, len(cells) - 1))]
    replacement = draw(new_cell(match.group(1)))
    parts[name] = (xml[: match.start()] + replacement + xml[match.end() :]).encode()


@st.composite
def mutate_shared_string(draw, parts: dict[str, bytes]) -> None:
    xml = parts["xl/sharedStrings.xml"].decode()
    strings = list(SHARED.finditer(xml))
    match = strings[draw(st.integers(0, len(strings) - 1))]
    text = escape(_xml_safe(draw(TEXTS)))
    parts["xl/sharedStrings.xml"] = (xml[: match.start()] + f"<si><t>{text}</t></si>" + xml[match.end() :]).encode()


@st.composite
def mutate_row(draw, parts: dict[str, bytes]) -> None:
    name = draw(st.sampled_from(_sheets(parts)))
    xml = parts[name].decode()
    rows = list(ROW.finditer(xml))
    if not rows:
        return
    match = rows[draw(st.integers(0, len(rows) - 1))]
    duplicate = draw(st.booleans())
    replacement = match.group(0) * 2 if duplicate else ""
    parts[name] = (xml[: match.start()] + replacement + xml[match.end() :]).encode()


@st.composite
def mutate_sheet(draw, parts: dict[str, bytes]) -> None:
    """Delete a sheet from the workbook, or list one sheet twice under another name."""
    xml = parts["xl/workbook.xml"].decode()
    entries = list(SHEET_ENTRY.finditer(xml))
    match = entries[draw(st.integers(0, len(entries) - 1))]
    if draw(st.booleans()):
        parts["xl/workbook.xml"] = (xml[: match.start()] + xml[match.end() :]).encode()
        return
    copy = f'<sheet name="副本{draw(st.integers(1, 9))}" sheetId="{900 + len(entries)}" r:id="{match.group(1)}"/>'
    parts["xl/workbook.xml"] = (xml[: match.end()] + copy + xml[match.end() :]).encode()


MUTATIONS: list[Callable] = [mutate_cell, mutate_cell, mutate_cell, mutate_shared_string, mutate_row, mutate_sheet]


@st.composite
def mutated_workbook(draw, base: bytes) -> bytes:
    parts = members(base)
    for _ in range(draw(st.integers(1, 3))):
        draw(draw(st.sampled_from(MUTATIONS))(parts))
    return rezip(parts)


@st.composite
def damaged_zip(draw, base: bytes) -> bytes:
    how = draw(st.sampled_from(["truncate", "flip", "member", "drop", "garbage_member"]))
    if how == "truncate":
        return base[: draw(st.integers(0, len(base) - 1))]
    if how == "flip":
        data = bytearray(base)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    parts = members(base)
    name = draw(st.sampled_from(sorted(parts)))
    if how == "drop":
        del parts[name]
    elif how == "member":
        content = parts[name]
        cut = draw(st.integers(0, len(content)))
        parts[name] = content[:cut] + draw(st.binary(max_size=20))
    else:
        parts[name] = draw(st.binary(max_size=200))
    return rezip(parts)


# --- the tests ------------------------------------------------------------------------------------------------


@settings(FUZZ, max_examples=400)
@given(data=st.one_of(st.binary(max_size=2000), st.binary(max_size=50).map(lambda tail: b"PK\x03\x04" + tail)))
def test_random_bytes_are_refused_with_a_chinese_message(demo, data) -> None:
    check_import(data)


@settings(FUZZ, max_examples=350)
@given(st.data())
def test_a_damaged_zip_is_refused_or_imported_never_crashes(demo, data) -> None:
    check_import(data.draw(damaged_zip(base_workbook(demo))))


@settings(FUZZ, max_examples=250)
@given(st.data())
def test_a_mutated_demo_workbook_is_refused_or_imported_never_crashes(demo, data) -> None:
    check_import(data.draw(mutated_workbook(base_workbook(demo))))


@settings(FUZZ, max_examples=25)
@given(st.data())
def test_the_upload_page_answers_any_file_with_a_page_not_a_server_error(demo, client, data) -> None:
    """The same cases through the upload view: a preview page (problems listed, or changes to confirm)."""
    base = base_workbook(demo)
    content = data.draw(st.one_of(st.binary(max_size=300), damaged_zip(base), mutated_workbook(base)))
    client.force_login(User.objects.get(username="acc202"))
    before = fingerprint()
    file = SimpleUploadedFile("budget.xlsx", content, content_type=XLSX)
    response = client.post(reverse("budget_import", args=[YEAR, "202"]), {"workbook": file})
    assert response.status_code == 200
    assert "导入" in response.content.decode()
    assert fingerprint() == before


def test_the_unmutated_base_workbook_imports_cleanly(demo) -> None:
    """The fuzz cases start from a good file: what they find is the mutation's doing."""
    preview = budget_import_preview(data=base_workbook(demo), year=YEAR, department_code="202")
    assert preview.ok, [str(problem) for problem in preview.problems]
    assert preview.unchanged
    assert fingerprint()[1][0][2] > Decimal(0)


# --- what the fuzzing found, kept as plain cases ----------------------------------------------------------------


def test_a_member_with_corrupt_deflate_data_is_a_damaged_file_not_a_crash(demo) -> None:
    """zlib.error from a member whose compressed bytes are broken used to escape the reader."""
    raw = bytearray(base_workbook(demo))
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as archive:
        info = archive.getinfo("xl/_rels/workbook.xml.rels")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    raw[start : start + 8] = b"\xff" * 8
    preview = budget_import_preview(data=bytes(raw), year=YEAR, department_code="202")
    assert [str(problem) for problem in preview.problems] == ["文件无法作为 xlsx 工作簿读取，可能已损坏。"]


def test_a_table_with_an_unrecognised_column_header_is_refused_not_a_crash(demo) -> None:
    """The audit rules used to read a column the header did not name (KeyError 'out_general')."""

    def rename_header(workbook) -> None:
        sheet = next(sheet for sheet in workbook.worksheets if "财政拨款收支总表" in str(sheet["A1"].value))
        cells = (cell for row in sheet.iter_rows(max_row=6) for cell in row)
        header = next(cell for cell in cells if cell.value == "一般公共预算财政拨款")
        header.value = "某某预算"

    data = edited(base_workbook(demo), rename_header)
    before = fingerprint()
    preview = budget_import_preview(data=data, year=YEAR, department_code="202")
    assert any("无法识别的列“某某预算”" in str(problem) for problem in preview.problems)
    assert not any("缺少表" in str(problem) for problem in preview.problems)
    with pytest.raises(ImportRefused):
        budget_import_apply(data=data, year=YEAR, department_code="202")
    assert fingerprint() == before


@pytest.mark.parametrize("value", ["abc", "1_000x", "0x10"])
def test_a_number_cell_holding_text_is_a_damaged_sheet_not_a_crash(demo, value) -> None:
    """openpyxl converts a numeric cell's value while the rows are read: text there used to escape the reader."""
    parts = members(base_workbook(demo))
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    cell = next(match for match in CELL.finditer(xml) if 't="' not in match.group(0) and "<v>" in match.group(0))
    parts["xl/worksheets/sheet1.xml"] = xml.replace(
        cell.group(0), f'<c r="{cell.group(1)}"><v>{value}</v></c>'
    ).encode()
    preview = budget_import_preview(data=rezip(parts), year=YEAR, department_code="202")
    assert [str(problem) for problem in preview.problems] == ["工作表“部门预算收支总表”无法读取，文件可能已损坏。"]
