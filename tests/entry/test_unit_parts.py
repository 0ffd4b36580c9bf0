"""A unit's accountant (单位填报人) enters only his unit's figures and reports them to the department, which returns
or accepts the part, and submits the 部门预算 only once every reporting unit's part is accepted."""

import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from budgets.models import Budget, BudgetEvent, Notification, UnitPart
from budgets.selectors import budget_assets, budget_data, budget_lines, budget_procurement
from budgets.services.unit_parts import UNIT_LINES_ONLY, unit_replace_figures, unit_replace_supplementary
from departments.models import Unit
from domain.errors import BudgetFiguresError
from domain.ledger import AssetInfo, LineInput
from domain.supplementary import asset_rows
from domain.unit_parts import PartState
from tests.support.budgets import ARCHIVES, CENTRE, EQUIPMENT, OFFICE, OTHER, OWN, YEAR, SmallWorld
from tests.support.posting import form_data, page_form, stored_target_post
from tests.support.workflow import step
from workflow.services import WorkflowError

pytestmark = pytest.mark.django_db

D = Decimal


def part_url(name: str, unit: Unit, *more: object) -> str:
    return reverse(name, args=[YEAR, OWN, unit.pk, *more])


def centre_lines(budget: Budget) -> dict[tuple, Decimal]:
    return {
        (line.function, line.economic, line.kind, line.source, line.project): line.amount
        for line in budget_lines(budget)
        if line.unit == CENTRE
    }


def test_a_unit_accountant_sees_his_unit_and_nothing_else(small: SmallWorld, centre: Unit, login) -> None:
    client = login("unit_centre")
    home = client.get(reverse("home")).content.decode()
    assert part_url("budget_unit_part", centre) in home
    assert client.get(part_url("budget_unit_part", centre)).status_code == 200
    office = Unit.objects.get(name=OFFICE)
    assert client.get(part_url("budget_unit_part", office)).status_code == 403
    assert client.get(part_url("budget_unit_figures_edit", office)).status_code == 403
    for department_page in ("budget_detail", "budget_figures_edit", "budget_review", "budget_workbook"):
        assert client.get(reverse(department_page, args=[YEAR, OWN])).status_code == 403, department_page
    assert client.get(reverse("budget_detail", args=[YEAR, OTHER])).status_code == 404


def posted_grid(client, unit: Unit) -> dict[str, str]:
    return page_form(client, part_url("budget_unit_figures_edit", unit) + "?unit=元", "figures-form")


def test_the_unit_changes_its_own_lines_and_every_other_unit_stays_as_stored(
    small: SmallWorld, centre: Unit, login
) -> None:
    client = login("unit_centre")
    data = posted_grid(client, centre)
    rows = int(data["line-TOTAL_FORMS"])
    assert {data[f"line-{index}-unit"] for index in range(rows) if data.get(f"line-{index}-function")} == {CENTRE}
    first = next(index for index in range(rows) if data.get(f"line-{index}-economic") == "30101")
    data[f"line-{first}-amount"] = "160000.00"  # 150000 → 160000
    office_before = [line for line in budget_lines(small.budget) if line.unit != CENTRE]
    response = client.post(part_url("budget_unit_figures_edit", centre) + "?unit=元", data)
    assert response.status_code == 302
    assert centre_lines(small.budget)[("2013101", "30101", "basic", "general", "")] == D("160000.00")
    assert [line for line in budget_lines(small.budget) if line.unit != CENTRE] == office_before
    assert small.budget.projects.get(name=ARCHIVES).unit.name == CENTRE
    assert BudgetEvent.objects.filter(budget=small.budget, action="figures").latest("id").data["changed"] == 1


def test_a_line_for_another_unit_is_refused_and_nothing_changes(small: SmallWorld, centre: Unit, login) -> None:
    client = login("unit_centre")
    data = posted_grid(client, centre)
    data["line-0-unit"] = OFFICE
    before = budget_lines(small.budget)
    response = client.post(part_url("budget_unit_figures_edit", centre) + "?unit=元", data)
    assert response.status_code == 200
    assert budget_lines(small.budget) == before
    unit = User.objects.get(username="unit_centre")
    office_line = LineInput(OFFICE, "2013101", "30201", "basic", "general", D("1.00"))
    with pytest.raises(BudgetFiguresError, match=UNIT_LINES_ONLY):
        unit_replace_figures(budget=small.budget, unit=centre, lines=[office_line], actor=unit)
    assert budget_lines(small.budget) == before


def take(client, unit: Unit, action: str, comment: str = ""):
    budget = Budget.objects.get(department__code=OWN, year_id=YEAR)
    return client.post(
        part_url("budget_unit_step", unit, action), {"comment": comment, "revision": str(budget.revision)}
    )


def test_the_unit_reports_the_department_returns_then_accepts_and_only_then_submits(
    small: SmallWorld, centre: Unit, login
) -> None:
    unit_client = login("unit_centre")
    assert take(unit_client, centre, "accept").status_code == 403  # the department's step
    assert take(unit_client, centre, "report").status_code == 302
    part = UnitPart.objects.get(budget=small.budget, unit=centre)
    assert part.state == PartState.REPORTED
    assert unit_client.get(part_url("budget_unit_figures_edit", centre)).status_code == 403  # reported: not his

    with pytest.raises(WorkflowError, match=CENTRE):
        step(small.budget, "submit", "accountant")
    department = login("accountant")
    assert take(department, centre, "report").status_code == 403  # the unit's step
    refused = department.post(part_url("budget_unit_step", centre, "return"), {"comment": ""}, follow=True)
    assert "退回单位必须填写意见。" in refused.content.decode()
    assert take(department, centre, "return", "请补充档案数字化的测算依据").status_code == 302
    part.refresh_from_db()
    assert part.state == PartState.RETURNED
    event = BudgetEvent.objects.filter(budget=small.budget, action="unit_return").get()
    assert (event.actor, event.comment, event.data["unit"]) == (small.accountant, "请补充档案数字化的测算依据", CENTRE)

    unit_client = login("unit_centre")
    assert unit_client.get(part_url("budget_unit_figures_edit", centre)).status_code == 200  # his again
    take(unit_client, centre, "report")
    take(login("accountant"), centre, "accept")
    part.refresh_from_db()
    assert part.state == PartState.ACCEPTED
    assert step(small.budget, "submit", "accountant").state == "submitted"


def test_a_department_without_unit_accountants_submits_as_before(small: SmallWorld) -> None:
    assert step(small.budget, "submit", "accountant").state == "submitted"
    assert not UnitPart.objects.exists()


def test_each_step_tells_the_other_side(small: SmallWorld, centre: Unit, login) -> None:
    take(login("unit_centre"), centre, "report")
    assert Notification.objects.filter(user=small.accountant, message__contains=f"{CENTRE} 单位预算已报送部门").exists()
    take(login("accountant"), centre, "return", "补充测算依据")
    told = Notification.objects.filter(user__username="unit_centre").latest("id")
    assert "已被部门退回" in told.message
    assert "补充测算依据" in told.message
    inbox = login("unit_centre").get(reverse("notifications")).content.decode()
    assert part_url("budget_unit_part", centre) in inbox  # his link leads to his unit's page


def test_the_unit_page_prints_the_units_own_tables(small: SmallWorld, centre: Unit, login) -> None:
    page = login("unit_centre").get(part_url("budget_unit_part", centre)).content.decode()
    # 服务中心: 150000 + 6000 + 20000 basic, 40000 + 10000 project, 5000 operating = 23.10 万元
    assert "23.10" in page
    assert (
        "石家庄市测试局本级" not in BeautifulSoup(page, "html.parser").select_one("section.official-table").get_text()
    )


def test_the_unit_downloads_its_own_workbook_and_only_its_own(small: SmallWorld, centre: Unit, login) -> None:
    client = login("unit_centre")
    response = client.get(reverse("budget_unit_workbook", args=[YEAR, OWN, centre.pk]) + "?unit=元")
    assert response.status_code == 200
    assert quote(CENTRE) in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    texts = [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]
    assert any(CENTRE in text for text in texts)
    assert not any(OFFICE in text for text in texts)
    assert "231000" in {text.removesuffix(".00").removesuffix(".0") for text in texts}  # the unit's 支出合计 in 元
    office = Unit.objects.get(name=OFFICE)
    assert client.get(reverse("budget_unit_workbook", args=[YEAR, OWN, office.pk])).status_code == 403


def test_the_summary_puts_each_unit_beside_the_department_and_they_add_up(small: SmallWorld, login) -> None:
    url = reverse("budget_unit_summary", args=[YEAR, OWN]) + "?table=expenditure&column=total"
    page = BeautifulSoup(login("accountant").get(url).content, "html.parser")
    headers = [th.get_text(strip=True) for th in page.select("table.unit-summary thead th")]
    assert headers[1:4] == [OFFICE, CENTRE, "部门"]
    rows = {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in page.select("table.unit-summary tbody tr")
    }
    assert rows["合计"][:3] == ["590,000.00", "231,000.00", "821,000.00"]
    assert not page.select("table.unit-summary tr.differs")
    assert login("other_accountant").get(url).status_code == 404


def test_the_unit_page_runs_the_rules_on_the_units_own_tables(small: SmallWorld, centre: Unit, login) -> None:
    client = login("unit_centre")
    page = BeautifulSoup(client.get(part_url("budget_unit_part", centre)).content, "html.parser")
    assert page.select_one("section.unit-audit").get_text(strip=True) == "本单位审核本单位的表没有错误或警告。"
    small.budget.projects.get(name=ARCHIVES).target.delete()  # its 绩效目标表 gone: the unit's project lacks one
    page = BeautifulSoup(client.get(part_url("budget_unit_part", centre)).content, "html.parser")
    flagged = [item.get_text() for item in page.select("section.unit-audit li")]
    assert any(ARCHIVES in text for text in flagged), flagged


def test_the_unit_keeps_its_own_projects_target_tables_only(small: SmallWorld, centre: Unit, login) -> None:
    client = login("unit_centre")
    archives = small.budget.projects.get(name=ARCHIVES)  # 服务中心's
    equipment = small.budget.projects.get(name=EQUIPMENT)  # 本级's
    target_url = reverse("budget_target_edit", args=[YEAR, OWN, archives.pk])
    assert client.get(target_url).status_code == 200
    saved = client.post(target_url, stored_target_post(small.budget, archives, goal="完成 3000 卷档案数字化。"))
    assert saved.status_code == 302
    archives.target.refresh_from_db()
    assert archives.target.goal == "完成 3000 卷档案数字化。"
    other = reverse("budget_target_edit", args=[YEAR, OWN, equipment.pk])
    assert client.post(other, stored_target_post(small.budget, equipment, goal="改别人的")).status_code == 403
    assert equipment.target.goal != "改别人的"
    take(client, centre, "report")
    assert client.get(target_url).status_code == 403  # reported: the department's to review now


# --- The unit's procurement -----------------------------------------------------------------------------------


def procurement_form(client, unit: Unit) -> dict[str, str]:
    return page_form(client, part_url("budget_unit_procurement_edit", unit) + "?unit=元", "procurement-form")


def test_the_unit_edits_its_own_projects_procurement_and_the_others_stay(
    small: SmallWorld, centre: Unit, login
) -> None:
    client = login("unit_centre")
    data = procurement_form(client, centre)
    assert data["item-TOTAL_FORMS"] == "1"
    assert (data["item-0-project"], data["item-0-item_name"]) == (ARCHIVES, "档案扫描仪")
    assert data["asset-TOTAL_FORMS"] == "0"  # the stored assets are the department's own, not the unit's
    data["item-0-quantity"], data["item-0-general"] = "3", "30000.00"
    equipment_before = [item for item in budget_procurement(small.budget) if item.project == EQUIPMENT]
    assets_before = budget_assets(small.budget)
    response = client.post(part_url("budget_unit_procurement_edit", centre) + "?unit=元", data)
    assert response.status_code == 302
    stored = budget_procurement(small.budget)
    assert [(item.project, item.quantity, item.general) for item in stored if item.project == ARCHIVES] == [
        (ARCHIVES, D("3"), D("30000.00"))
    ]
    assert [item for item in stored if item.project == EQUIPMENT] == equipment_before
    assert budget_assets(small.budget) == assets_before
    event = BudgetEvent.objects.filter(budget=small.budget, action="supplementary").latest("id")
    assert event.actor.username == "unit_centre"
    assert event.data["changes"]  # old → new, in the trail


@pytest.mark.parametrize(
    ("project", "message"),
    [(EQUIPMENT, "请从本单位的项目中选择政府采购项目来源"), ("", "请从本单位的项目中选择政府采购项目来源")],
)
def test_an_item_of_another_units_project_or_of_none_is_refused_and_kept(
    small: SmallWorld, centre: Unit, login, project: str, message: str
) -> None:
    client = login("unit_centre")
    data = procurement_form(client, centre)
    data["item-0-project"] = project
    before = (budget_procurement(small.budget), Budget.objects.get(pk=small.budget.pk).revision)
    response = client.post(part_url("budget_unit_procurement_edit", centre) + "?unit=元", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert form_data(page, "procurement-form")["item-0-project"] == project  # what he typed stays
    assert (budget_procurement(small.budget), Budget.objects.get(pk=small.budget.pk).revision) == before


def test_the_service_refuses_an_item_of_another_units_project(small: SmallWorld, centre: Unit) -> None:
    office_item = next(item for item in budget_procurement(small.budget) if item.project == EQUIPMENT)
    with pytest.raises(BudgetFiguresError, match="本单位的项目"):
        unit_replace_supplementary(
            budget=small.budget,
            unit=centre,
            procurement=[office_item],
            assets=[],
            actor=User.objects.get(username="unit_centre"),
        )
    assert office_item in budget_procurement(small.budget)


def test_the_unit_enters_its_assets_and_the_department_table_sums_them_by_item(
    small: SmallWorld, centre: Unit, login
) -> None:
    department_assets = budget_assets(small.budget)
    item = department_assets[0].item
    client = login("unit_centre")
    data = procurement_form(client, centre)
    data.update({"asset-TOTAL_FORMS": "1", "asset-0-item": item, "asset-0-quantity": "2", "asset-0-value": "5000.00"})
    data["asset-0-unit"] = OFFICE  # no such column on his page: ignored, the asset is his unit's
    assert client.post(part_url("budget_unit_procurement_edit", centre) + "?unit=元", data).status_code == 302
    stored = budget_assets(small.budget)
    assert stored[: len(department_assets)] == department_assets
    assert stored[len(department_assets) :] == (AssetInfo(item, D("2"), D("5000.00"), CENTRE),)
    rows = asset_rows(budget_data(small.budget))
    (printed,) = [row for row in rows if row.cells["item"] == item]
    expected = (department_assets[0].quantity + 2, department_assets[0].value + D("5000.00"))
    assert (printed.cells["quantity"], printed.cells["value"]) == expected
    office_page = login("accountant").get(reverse("budget_procurement_edit", args=[YEAR, OWN]) + "?unit=元")
    shown = form_data(office_page.content.decode(), "procurement-form")
    assert shown[f"asset-{len(department_assets)}-unit"] == CENTRE


def test_a_reported_part_no_longer_takes_procurement(small: SmallWorld, centre: Unit, login) -> None:
    client = login("unit_centre")
    data = procurement_form(client, centre)
    take(client, centre, "report")
    assert client.get(part_url("budget_unit_procurement_edit", centre)).status_code == 403
    before = budget_procurement(small.budget)
    assert client.post(part_url("budget_unit_procurement_edit", centre), data).status_code == 403
    assert budget_procurement(small.budget) == before


def test_after_the_bureaus_return_the_department_reopens_the_parts_it_chooses(
    small: SmallWorld, centre: Unit, login
) -> None:
    take(login("unit_centre"), centre, "report")
    take(login("accountant"), centre, "accept")
    step(small.budget, "submit", "accountant")
    step(small.budget, "start_review", "reviewer")
    step(small.budget, "return", "reviewer", "档案数字化的测算依据不足。")
    unit_client = login("unit_centre")
    assert unit_client.get(part_url("budget_unit_figures_edit", centre)).status_code == 403  # still accepted
    assert take(login("accountant"), centre, "return", "按财政意见补充测算依据。").status_code == 302
    assert UnitPart.objects.get(budget=small.budget, unit=centre).state == PartState.RETURNED
    unit_client = login("unit_centre")  # one test client: each login replaces the last
    assert unit_client.get(part_url("budget_unit_figures_edit", centre)).status_code == 200
    with pytest.raises(WorkflowError, match=CENTRE):  # reopened: the department resubmits once it is accepted again
        step(small.budget, "submit", "accountant")
