"""Budget pages and downloads print in the year's edition; a download may ask for another."""

import io

import pytest
from openpyxl import load_workbook

from budgets.models import Budget
from catalog.models import BudgetYear
from disclosure.publication import render_publication
from official.edition import Edition
from tests.support.budgets import CENTRE, OWN, YEAR
from tests.support.editions import PREFIX, RENAMED

pytestmark = pytest.mark.django_db

PAGE = f"/budgets/{YEAR}/{OWN}/"
WORKBOOK = f"{PAGE}workbook.xlsx"


def titles(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    try:
        return [str(next(sheet.iter_rows(max_row=1, values_only=True))[0]) for sheet in book.worksheets]
    finally:
        book.close()


@pytest.fixture
def year_in_renamed(small, renamed_edition: Edition) -> Edition:
    BudgetYear.objects.filter(year=YEAR).update(edition=RENAMED)
    return renamed_edition


def test_a_year_prints_in_hebei_2021_unless_told_otherwise(small) -> None:
    assert BudgetYear.objects.get(year=YEAR).edition == "hebei-2021"


def test_the_budget_page_and_a_table_page_print_the_years_edition(year_in_renamed: Edition, login) -> None:
    client = login("accountant")
    page = client.get(PAGE).content.decode()
    assert f"{PREFIX}部门预算收支总表" in page
    table = client.get(f"{PAGE}tables/income/").content.decode()
    assert f"{PREFIX}部门预算收入总表" in table


def test_the_download_is_in_the_years_edition_or_the_one_asked_for(year_in_renamed: Edition, login) -> None:
    client = login("accountant")
    renamed = titles(client.get(WORKBOOK).content)
    assert renamed[:2] == [f"{PREFIX}部门预算收支总表", f"{PREFIX}部门预算收入总表"]
    assert titles(client.get(f"{WORKBOOK}?edition=hebei-2021").content)[:2] == ["部门预算收支总表", "部门预算收入总表"]


def test_a_download_in_an_unknown_edition_is_refused_in_chinese(small, login) -> None:
    response = login("accountant").get(f"{WORKBOOK}?edition=guangdong-2030")
    assert response.status_code == 404
    assert "没有这种公开表版式" in response.content.decode()


def test_the_publication_prints_the_years_edition(year_in_renamed: Edition, small) -> None:
    budget = Budget.objects.get(pk=small.budget.pk)  # with the year as it is now
    html = render_publication(budget, preview=True)
    assert f"{PREFIX}部门预算收支总表" in html
    assert f"{PREFIX}部门机构设置情况" in html


def download_choice(page: str) -> str:
    """The form next to the download that offers the other editions."""
    return page.split('class="no-print edition-download"', 1)[1].split("</form>", 1)[0]


def test_the_budget_page_offers_the_other_editions_next_to_the_download(year_in_renamed: Edition, login) -> None:
    whole = login("accountant").get(PAGE).content.decode()
    assert f"版式：{year_in_renamed.name}" in whole
    page = download_choice(whole)
    assert '<option value="hebei-2021">' in page
    assert f'<option value="{RENAMED}">' not in page


def test_the_choice_lists_every_shipped_edition_but_the_years(small, login) -> None:
    page = download_choice(login("accountant").get(PAGE).content.decode())
    assert '<option value="hebei-2025">' in page
    assert '<option value="hebei-2021">' not in page


def test_a_year_in_shanghai_prints_its_tables_in_yuan_and_the_three_public_row_in_wan(small, login) -> None:
    BudgetYear.objects.filter(year=YEAR).update(edition="shanghai-2026")
    client = login("accountant")
    page = client.get(f"{PAGE}tables/").content.decode()
    assert f"{YEAR}年部门财务收支预算总表" in page
    assert f"{YEAR}年部门“三公”经费和机关运行经费预算表" in page
    assert "编制部门：" in page
    income = page.split('id="table-income"', 1)[1].split("</section>", 1)[0]
    assert '<span class="unit-line">单位：元</span>' in income
    assert '<td class="text" colspan="4">合计</td>' in income  # merged across 类 | 款 | 项 | 名称, and last
    assert income.rindex("合计") > income.rindex("level-3")
    three_public = page.split('id="table-three-public-running"', 1)[1].split("</section>", 1)[0]
    assert '<span class="unit-line">单位：万元</span>' in three_public
    sheets = load_workbook(io.BytesIO(client.get(WORKBOOK).content), read_only=True).sheetnames
    assert sheets[:7] == ["封面", "目录", "部门主要职能", "部门机构设置", "名词解释", "部门编制说明", "部门收支总表"]
    assert "其他相关情况说明" in sheets
    duties = Budget.objects.get(pk=small.budget.pk).duties.splitlines()[0].strip()
    assert duties
    book = load_workbook(io.BytesIO(client.get(WORKBOOK).content))
    assert book["部门主要职能"]["A3"].value == duties  # the department's own words


def test_a_shanghai_year_offers_each_units_budget_next_to_the_download(small, login) -> None:
    client = login("accountant")
    assert "unit-budget-download" not in client.get(PAGE).content.decode()  # hebei-2021 has no 单位 variant
    BudgetYear.objects.filter(year=YEAR).update(edition="shanghai-2026")
    page = client.get(PAGE).content.decode()
    form = page.split('class="no-print unit-budget-download"', 1)[1].split("</form>", 1)[0]
    assert f'<option value="{CENTRE}">' in form
    response = client.get(WORKBOOK, {"unit_budget": CENTRE})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:2] == ["封面", "目录"]
    assert book["封面"]["A3"].value == f"预算单位：{CENTRE}"
    assert book["单位收支总表"]["A4"].value == f"编制单位：{CENTRE}"
    assert "部门整体绩效目标" not in book.sheetnames  # the department's goals are not a unit's


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"unit_budget": "别的单位"}, "本部门没有这个单位"),
        ({"edition": "shanghai-2026-unit"}, "单位预算表须指定单位"),
        ({"edition": "hebei-2021", "unit_budget": CENTRE}, "没有单位预算表"),
    ],
)
def test_a_unit_download_that_cannot_be_made_is_refused_in_chinese(small, login, query, message) -> None:
    BudgetYear.objects.filter(year=YEAR).update(edition="shanghai-2026")
    response = login("accountant").get(WORKBOOK, query)
    assert response.status_code == 404
    assert message in response.content.decode()


def test_a_year_chooses_among_department_editions_only() -> None:
    choices = dict(BudgetYear._meta.get_field("edition").choices)
    assert "shanghai-2026" in choices
    assert "shanghai-2026-unit" not in choices
