"""A unit's accountant imports his unit's 录入模板 (issue 20): the preview and the write reach his unit's part and
nothing else; a file that would change another unit, the department's assets or its goals is refused whole."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl.utils import get_column_letter

from accounts.models import User
from budgets.models import Budget, BudgetEvent, BudgetLine, FixedAsset
from budgets.resources import AMOUNT, CARRIED_OVER, PROJECT, UNIT
from budgets.selectors import budget_assets, budget_data
from departments.models import Unit
from domain.ledger import AssetInfo
from importing import pending as pending_files
from importing.services import ImportRefused, budget_import_apply, budget_import_preview
from tests.support.budgets import ARCHIVES, CENTRE, EQUIPMENT, OFFICE, OWN, YEAR, SmallWorld
from tests.support.workbooks import edited, exported

pytestmark = pytest.mark.django_db


def part_url(name: str, unit: Unit) -> str:
    return reverse(name, args=[YEAR, OWN, unit.pk])


def unit_template(client, unit: Unit) -> bytes:
    response = client.get(part_url("budget_unit_entry_template", unit))
    assert response.status_code == 200
    return response.content


def with_cells(data: bytes, cells: dict[str, object]) -> bytes:
    def edit(workbook: openpyxl.Workbook) -> None:
        for place, value in cells.items():
            sheet, cell = place.split("!")
            workbook[sheet][cell] = value

    return edited(data, edit)


def archives_row(data: bytes) -> tuple[int, dict[str, str]]:
    """The 预算明细 row of the unit's 档案数字化 line not carried over, and each column's letter by its title."""
    sheet = openpyxl.load_workbook(io.BytesIO(data))["预算明细"]
    header = [str(cell.value) for cell in sheet[1]]
    letters = {title: get_column_letter(index) for index, title in enumerate(header, 1)}
    for row in sheet.iter_rows(min_row=2):
        values = dict(zip(header, (cell.value for cell in row), strict=False))
        if values.get(PROJECT) == ARCHIVES and values.get(CARRIED_OVER) == "否":
            return row[0].row, letters
    raise AssertionError(f"no {ARCHIVES} row")


def cell_of(data: bytes, title: str) -> str:
    row, letters = archives_row(data)
    return f"预算明细!{letters[title]}{row}"


def upload(client, unit: Unit, data: bytes, name: str = "unit.xlsx"):
    return client.post(part_url("budget_unit_import", unit), {"workbook": SimpleUploadedFile(name, data)})


def others(budget: Budget) -> list:
    return [line for line in budget_data(budget).lines if line.unit != CENTRE]


def test_the_units_template_lists_its_own_part_only(small: SmallWorld, centre: Unit, login) -> None:
    data = unit_template(login("unit_centre"), centre)
    book = openpyxl.load_workbook(io.BytesIO(data))
    units = {row[2] for row in book["预算明细"].iter_rows(min_row=2, values_only=True) if row[2]}
    assert units == {CENTRE}
    projects = {row[0] for row in book["政府采购"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert EQUIPMENT not in projects


def test_the_unit_imports_one_changed_figure_and_only_it_changes(small: SmallWorld, centre: Unit, login) -> None:
    client = login("unit_centre")
    data = unit_template(client, centre)
    changed = with_cells(data, {cell_of(data, AMOUNT): 45000})  # 档案数字化 30201: 40000 → 45000
    before_others = others(small.budget)
    preview = upload(client, centre, changed)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "确认导入" in page, page[:3000]
    assert [(c.old, c.new) for c in preview.context["figure_changes"]] == [(40000, 45000)]
    token = preview.context["token"]
    confirmed = client.post(part_url("budget_unit_import_confirm", centre), {"token": token})
    assert confirmed.status_code == 302
    assert confirmed.url == part_url("budget_unit_part", centre)
    after = budget_data(Budget.objects.get(pk=small.budget.pk))
    assert others(small.budget) == before_others
    archives = [line.amount for line in after.lines if line.project == ARCHIVES and not line.carried_over]
    assert archives == [45000]
    assert (
        BudgetEvent.objects.filter(budget=small.budget, action="figures").latest("id").actor.username == "unit_centre"
    )


def test_the_departments_template_is_refused_to_the_unit(small: SmallWorld, centre: Unit, login) -> None:
    department_file = login("accountant").get(reverse("budget_entry_template", args=[YEAR, OWN])).content
    client = login("unit_centre")
    before = (budget_data(small.budget), Budget.objects.get(pk=small.budget.pk).revision)
    response = upload(client, centre, department_file)
    page = response.content.decode()
    assert f"属于其他单位（{OFFICE}）" in page
    assert response.context["token"] == ""  # nothing kept to confirm
    assert (budget_data(small.budget), Budget.objects.get(pk=small.budget.pk).revision) == before


def test_a_template_moving_an_item_to_another_units_project_is_refused(small: SmallWorld, centre: Unit, login) -> None:
    client = login("unit_centre")
    data = unit_template(client, centre)
    preview = upload(client, centre, with_cells(data, {"政府采购!A2": EQUIPMENT}))
    assert f"项目“{EQUIPMENT}”不是本单位的项目" in preview.content.decode()
    assert preview.context["token"] == ""


def test_the_departments_official_workbook_is_refused_to_the_unit(small: SmallWorld, centre: Unit, login) -> None:
    workbook = login("accountant").get(reverse("budget_workbook", args=[YEAR, OWN])).content
    response = upload(login("unit_centre"), centre, workbook)
    assert "单位填报人只能导入本单位" in response.content.decode()


def test_the_service_refuses_a_file_that_changes_another_unit(small: SmallWorld, centre: Unit, login) -> None:
    data = unit_template(login("unit_centre"), centre)
    moved = with_cells(data, {cell_of(data, UNIT): OFFICE})  # his line, now the office's
    preview = budget_import_preview(data=moved, year=YEAR, department_code=OWN, unit=CENTRE)
    assert not preview.ok
    with pytest.raises(ImportRefused):
        budget_import_apply(
            data=moved, year=YEAR, department_code=OWN, unit=centre, actor=User.objects.get(username="unit_centre")
        )


def test_a_reported_part_takes_no_import_and_a_pending_one_is_not_confirmed(
    small: SmallWorld, centre: Unit, login
) -> None:
    client = login("unit_centre")
    data = unit_template(client, centre)
    preview = upload(client, centre, with_cells(data, {cell_of(data, AMOUNT): 45000}))
    token = preview.context["token"]
    assert token
    budget = Budget.objects.get(pk=small.budget.pk)
    report = reverse("budget_unit_step", args=[YEAR, OWN, centre.pk, "report"])
    assert client.post(report, {"revision": str(budget.revision)}).status_code == 302
    before = budget_data(small.budget)
    assert client.post(part_url("budget_unit_import_confirm", centre), {"token": token}).status_code == 403
    assert upload(client, centre, data).status_code == 403
    assert budget_data(small.budget) == before
    assert pending_files.exists(token)  # refused before it was spent


def with_asset(data: bytes, unit: str) -> bytes:
    def add(workbook: openpyxl.Workbook) -> None:
        workbook["固定资产"].append(["档案柜（个）", 4, 8000, unit])

    return edited(data, add)


def test_the_unit_imports_the_assets_it_holds(small: SmallWorld, centre: Unit, login) -> None:
    client = login("unit_centre")
    department_assets = budget_assets(small.budget)
    preview = upload(client, centre, with_asset(unit_template(client, centre), ""))  # blank: his own
    assert preview.context["token"], preview.context["problems"]
    client.post(part_url("budget_unit_import_confirm", centre), {"token": preview.context["token"]})
    assert budget_assets(small.budget) == (
        *department_assets,
        AssetInfo("档案柜（个）", Decimal("4"), Decimal("8000.00"), CENTRE),
    )


def test_an_asset_of_another_unit_in_his_file_is_refused(small: SmallWorld, centre: Unit, login) -> None:
    client = login("unit_centre")
    preview = upload(client, centre, with_asset(unit_template(client, centre), OFFICE))
    assert f"单位“{OFFICE}”不在“单位”工作表中" in preview.content.decode()  # his file lists his unit only
    assert preview.context["token"] == ""

    def list_the_office_too(workbook: openpyxl.Workbook) -> None:
        units = workbook["单位"]
        units.append([OFFICE, *[cell.value for cell in units[2][1:]]])

    listed = edited(with_asset(unit_template(client, centre), OFFICE), list_the_office_too)
    preview = upload(client, centre, listed)
    assert "单位只能填报本单位的固定资产" in preview.content.decode()
    assert preview.context["token"] == ""


def test_the_departments_workbook_keeps_which_unit_holds_each_asset(small: SmallWorld) -> None:
    FixedAsset.objects.filter(budget=small.budget).update(unit=Unit.objects.get(name=CENTRE))
    held = budget_assets(small.budget)
    data = exported(small.budget)
    line = BudgetLine.objects.filter(budget=small.budget).order_by("pk").first()
    line.amount += 10000  # the stored budget differs from the file in one figure: importing it is a change
    line.save(update_fields=["amount"])
    preview = budget_import_preview(data=data, year=YEAR, department_code=OWN)
    assert preview.ok, preview.problems
    assert preview.assets == list(held)
    assert preview.text_changes == []


def test_the_command_imports_a_units_file_into_its_part_only(small: SmallWorld, centre: Unit, login, tmp_path) -> None:
    data = unit_template(login("unit_centre"), centre)
    file = tmp_path / "centre.xlsx"
    file.write_bytes(with_cells(data, {cell_of(data, AMOUNT): 45000}))
    before_others = others(small.budget)
    call_command("import_budget", str(file), "--year", str(YEAR), "--department", OWN, "--unit", CENTRE)
    assert others(small.budget) == before_others
    lines = budget_data(small.budget).lines
    assert [line.amount for line in lines if line.project == ARCHIVES and not line.carried_over] == [45000]
    department_file = tmp_path / "department.xlsx"
    department_file.write_bytes(login("accountant").get(reverse("budget_entry_template", args=[YEAR, OWN])).content)
    with pytest.raises(CommandError, match="处问题，未导入"):
        call_command("import_budget", str(department_file), "--year", str(YEAR), "--department", OWN, "--unit", CENTRE)
    with pytest.raises(CommandError, match="没有单位“无此单位”"):
        call_command("import_budget", str(file), "--year", str(YEAR), "--department", OWN, "--unit", "无此单位")


def test_an_older_template_without_the_unit_column_keeps_who_holds_each_asset(small: SmallWorld, login) -> None:
    FixedAsset.objects.filter(budget=small.budget).update(unit=Unit.objects.get(name=CENTRE))
    held = budget_assets(small.budget)
    template = login("accountant").get(reverse("budget_entry_template", args=[YEAR, OWN])).content

    def as_made_before_units_held_assets(workbook: openpyxl.Workbook) -> None:
        sheet = workbook["固定资产"]
        column = next(cell.column for row in sheet.iter_rows() for cell in row if cell.value == "单位")
        sheet.delete_cols(column)
        sheet[f"C{sheet.max_row}"] = float(held[-1].value) + 1  # one asset's value changed: an import with a change

    preview = budget_import_preview(
        data=edited(template, as_made_before_units_held_assets), year=YEAR, department_code=OWN
    )
    assert preview.ok, preview.problems
    assert [asset.unit for asset in preview.assets] == [CENTRE] * len(held)
    assert preview.assets[-1].value == held[-1].value + 1
