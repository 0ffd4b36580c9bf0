"""Text a user typed never becomes a spreadsheet formula in what the system exports.

The official workbook (one budget, or every budget of a year in the bulk export) writes text as text cells:
whatever it starts with, the cell holds the string. The dashboard CSV/XLSX export goes through tablib, which
has no types in CSV and turns "=…" into a formula in XLSX: there, text starting with = + - @ tab or CR gets a
leading single quote (OWASP), and numbers (a negative variance too) stay numbers.
"""

import csv
import io
import zipfile
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from budgets.models import Budget
from budgets.selectors import budget_data, budget_lines
from departments.models import Department
from domain.control import control_actuals
from domain.performance.targets import Performance
from exports.services import write_year_zip
from official.workbook import write_workbook
from tests.support.budgets import OWN, PASSWORD
from tests.support.workflow import issue_control
from web.spreadsheets import inert_text, typed_text

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "=1+2",
    '=HYPERLINK("http://example.com/x","点击")',
    "+1+2",
    "-1+2",
    "@SUM(1+2)",
    "\t=1+2",
    "\r=1+2",
    "=cmd|' /C calc'!A0",
]


def injected(data, payload: str):
    """The budget's data with every free text a user can type replaced by ``payload`` (numbered where names must
    differ)."""
    performance = data.performance
    goals = replace(
        performance.goals,
        overall=payload,
        measures=payload,
        sub_goals=tuple(
            replace(sub, title=f"{payload}{i}", goal=payload, indicators=payload)
            for i, sub in enumerate(performance.goals.sub_goals)
        ),
    )
    targets = tuple(
        replace(
            table,
            goal=payload,
            indicators=tuple(
                replace(indicator, name=payload, description=payload, basis=payload) for indicator in table.indicators
            ),
        )
        for table in performance.targets
    )
    return replace(
        data,
        department_name=payload,
        units=tuple(replace(unit, name=f"{payload}{i}", rank=payload) for i, unit in enumerate(data.units)),
        procurement=tuple(replace(item, item_name=payload, measure_unit=payload) for item in data.procurement),
        # Each asset its own name: table 12 prints items of one name as one row.
        assets=tuple(replace(asset, item=f"{payload}{i}") for i, asset in enumerate(data.assets)),
        performance=Performance(goals, targets),
    )


def workbook_bytes(data) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, data)
    return buffer.getvalue()


def cells(data: bytes) -> list:
    workbook = openpyxl.load_workbook(io.BytesIO(data))  # formulas as formulas, not their values
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula(data: bytes) -> None:
    """No formula element in any sheet part (what Excel would evaluate)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name)
                assert b"<f>" not in xml, name
                assert b"<f " not in xml, name


@pytest.mark.parametrize("payload", PAYLOADS, ids=repr)
def test_official_workbook_writes_formula_like_text_as_text(small, payload) -> None:
    originals = [budget_data(budget) for budget in small.budgets.values()]
    assert any(data.performance.targets for data in originals)
    assert any(data.procurement for data in originals)
    assert any(data.assets for data in originals)
    for original in originals:
        output = workbook_bytes(injected(original, payload))
        assert_no_formula(output)
        written = cells(output)
        texts = [cell.value for cell in written if cell.data_type == "s"]
        if not payload.startswith(("\t", "\r")):
            assert texts.count(payload) >= 3  # goals, indicator texts, procurement, assets: as typed
        assert any(payload.strip() in str(text) for text in texts)  # the department line embeds it
        # Amounts stay numbers: as many numeric cells as in the workbook of the untouched budget.
        numbers = [cell for cell in written if cell.data_type == "n" and cell.value is not None]
        before = [cell for cell in cells(workbook_bytes(original)) if cell.data_type == "n" and cell.value is not None]
        assert len(numbers) == len(before) > 0


def test_bulk_export_writes_formula_like_names_as_text(small) -> None:
    Department.objects.filter(code=OWN).update(name=PAYLOADS[1])
    small.budget.projects.filter(pk=small.budget.projects.first().pk).update(name="=1+2 项目")
    output = io.BytesIO()
    assert write_year_zip(2021, output) == 2
    with zipfile.ZipFile(output) as archive:
        workbooks = [archive.read(name) for name in archive.namelist()]
    for workbook in workbooks:
        assert_no_formula(workbook)
    texts = [str(cell.value) for workbook in workbooks for cell in cells(workbook) if cell.data_type == "s"]
    assert any(PAYLOADS[1] in text for text in texts)


# --- the dashboard export ---------------------------------------------------------------------------------------


@pytest.fixture
def over_control(small) -> Budget:
    """The own budget in 二上, 100 万元 under its control figures (a negative variance on the dashboard)."""
    limits = control_actuals(budget_lines(small.budget))
    issue_control(small.budget, "accountant", limits={**limits, "total": limits["total"] + Decimal("1000000.00")})
    return small.budget


def dashboard_export(client, export_format: str):
    response = client.get(reverse("dashboard") + f"?year=2021&sort=department_code&_export={export_format}")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("payload", PAYLOADS, ids=repr)
def test_dashboard_csv_quotes_formula_like_text_and_keeps_negative_amounts_numbers(
    over_control, login, payload
) -> None:
    Department.objects.filter(code=OWN).update(name=payload)
    response = dashboard_export(login("reviewer"), "csv")
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = dict(zip(header, rows[0], strict=True))
    assert row["部门编码"] == OWN
    assert row["部门名称"] == "'" + payload
    assert row["差额（万元）"] == "-100.00"  # a negative amount, not text


@pytest.mark.parametrize("payload", PAYLOADS, ids=repr)
def test_dashboard_xlsx_has_no_formula_and_keeps_numbers(over_control, login, payload) -> None:
    Department.objects.filter(code=OWN).update(name=payload)
    output = dashboard_export(login("reviewer"), "xlsx").content
    assert_no_formula(output)
    assert not [cell.coordinate for cell in cells(output) if cell.data_type == "f"]
    sheet = openpyxl.load_workbook(io.BytesIO(output)).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    name = row["部门名称"].value
    assert name.startswith("'")
    assert name[1:].strip() == payload.strip()  # XML turns a CR into a line feed: the quote is what matters
    assert row["差额（万元）"].data_type == "n"
    assert row["差额（万元）"].value == Decimal("-100.00")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1", "'=1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("中共石家庄市鹿泉区委办公室", "中共石家庄市鹿泉区委办公室"),
        ("", ""),
        (Decimal("-1.00"), Decimal("-1.00")),
        (-3, -3),
        (None, None),
    ],
)
def test_inert_text_quotes_only_text_a_spreadsheet_would_run(value, expected) -> None:
    assert inert_text(value) == expected


def test_untouched_budget_names_export_unchanged(small, login) -> None:
    response = dashboard_export(login("reviewer"), "csv")
    _, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1] == Budget.objects.get(pk=small.budget.pk).department.name


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@x", "\t=1", "中共石家庄市鹿泉区委办公室", "'引号开头"])
def test_a_quoted_cell_reads_back_as_typed(value) -> None:
    assert typed_text(str(inert_text(value))) == value


@pytest.mark.parametrize(
    ("url_name", "model_update"),
    [
        ("admin:catalog_functioncode_export", "function"),
        ("admin:departments_department_export", "department"),
        ("admin:budgets_budgetline_export", "unit"),
    ],
)
def test_the_admins_flat_exports_write_formulas_as_quoted_text(small, client, url_name, model_update) -> None:
    from catalog.models import FunctionCode
    from departments.models import Unit

    payload = "=1+2"
    if model_update == "function":
        FunctionCode.objects.filter(code="2013101").update(name=payload)
    elif model_update == "department":
        Department.objects.filter(code=OWN).update(name=payload)
    else:
        Unit.objects.filter(department__code=OWN, position=0).update(name=payload)
    client.login(username="admin", password=PASSWORD)
    response = client.post(reverse(url_name), {"resource": "0", "format": "0", "year": "2021"})  # CSV
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for cell in row]
    assert f"'{payload}" in cells
    assert payload not in cells
