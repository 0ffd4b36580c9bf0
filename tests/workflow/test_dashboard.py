"""The finance dashboard (财政审核工作台): who may open it, what each row shows, filters, sorting, paging, export."""

import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import Budget, ControlFigures
from budgets.selectors import budget_lines
from catalog.models import BudgetYear
from departments.models import Department
from domain.classifications import Kind, Source
from domain.control import control_actuals
from domain.money import to_wan
from domain.workflow import BudgetRound, BudgetState
from tests.support.admin_io import csv_rows
from tests.support.budgets import OTHER, OWN, YEAR
from tests.support.factories import BudgetFactory, BudgetLineFactory, BudgetYearFactory, DepartmentFactory, UserFactory
from tests.support.workflow import issue_control

pytestmark = pytest.mark.django_db

HEADERS = [
    "部门编码",
    "部门名称",
    "轮次",
    "状态",
    "版本",
    "财政拨款支出（万元）",
    "支出合计（万元）",
    "控制数（万元）",
    "差额（万元）",
    "错误",
    "警告",
    "提交天数",
    "截止",
    "退回次数",
    "未解决批注",
    "待答复审核数",
    "本状态天数",
    "责任审核人",
]


def dashboard_url(query: str = "") -> str:
    return reverse("dashboard") + query


def shown_codes(response) -> list[str]:
    assert response.status_code == 200
    return [row.record.department.code for row in response.context["table"].paginated_rows]


def row_of(response, code: str):
    rows = [row for row in response.context["table"].paginated_rows if row.record.department.code == code]
    assert len(rows) == 1, f"{code} is not shown exactly once"
    return rows[0]


def make_budget(code: str, *, fiscal: str | None = None, control: str | None = None, **fields) -> Budget:
    """A 2021 budget of department ``code`` with one fiscal line of ``fiscal`` yuan and, if given, control figures
    whose total is ``control`` yuan."""
    budget = BudgetFactory(department=DepartmentFactory(code=code), year=BudgetYearFactory(year=2021), **fields)
    if fiscal is not None:
        BudgetLineFactory(budget=budget, amount=Decimal(fiscal))
    if control is not None:
        ControlFigures.objects.create(
            budget=budget, total=Decimal(control), basic=Decimal(control), project=Decimal(0), three_public=Decimal(0)
        )
    return budget


def asking_its_control(budget: Budget) -> Budget:
    """The budget in 二上, its control figures exactly what it asks for (as the published example was approved)."""
    return issue_control(budget, "accountant", limits=control_actuals(budget_lines(budget)))


# Who may open it


@pytest.mark.parametrize("username", ["reviewer", "admin"])
def test_finance_bureau_opens_the_dashboard(small, login, username) -> None:
    response = login(username).get(dashboard_url())
    assert response.status_code == 200
    assert response.context["year"] == YEAR
    assert sorted(shown_codes(response)) == [OWN, OTHER]
    assert "财政审核工作台（2021年）" in response.content.decode()


def test_accountant_is_refused(small, login) -> None:
    client = login("accountant")
    assert client.get(dashboard_url()).status_code == 403
    assert client.get(dashboard_url("?_export=csv")).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, small) -> None:
    response = client.get(dashboard_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_dashboard_refuses_writes(small, login) -> None:
    assert login("reviewer").post(dashboard_url()).status_code == 405


def test_navigation_links_the_dashboard_for_the_bureau_only(small, login, client) -> None:
    assert f'href="{dashboard_url()}"' in login("reviewer").get(reverse("home")).content.decode()
    client.logout()
    assert "审核工作台" not in login("accountant").get(reverse("home")).content.decode()


# What a row shows


def test_rows_show_control_figures_and_variance(small, login) -> None:
    asking_its_control(small.budget)
    response = login("reviewer").get(dashboard_url())

    formal = row_of(response, OWN)
    control = ControlFigures.objects.get(budget=small.budget)
    assert formal.get_cell_value("round") == "二上（正式预算）"
    assert formal.get_cell_value("control_total") == to_wan(control.total)
    assert formal.get_cell_value("fiscal_spending") == to_wan(control.total)  # it asks exactly its control
    assert formal.get_cell_value("variance") == Decimal("0.00")
    assert formal.get_cell("variance") == "0.00"

    proposal = row_of(response, OTHER)
    assert proposal.get_cell_value("round") == "一上（预算建议）"
    assert proposal.get_cell_value("control_total") is None
    assert proposal.get_cell_value("variance") is None
    assert proposal.get_cell("control_total") == ""
    assert proposal.get_cell("variance") == ""

    html = response.content.decode()
    assert "over-control" not in html  # 0.00 is within control
    assert f'href="{reverse("budget_detail", args=[YEAR, OTHER])}"' in html
    assert "一上（预算建议）" in html


def test_amounts_agree_with_the_domain_definition_of_fiscal_spending(small, login) -> None:
    # The own budget has carried-over and non-fiscal lines: the fiscal column must leave them out, the total keep
    # them.
    response = login("reviewer").get(dashboard_url())
    for code, budget in small.budgets.items():
        lines = budget_lines(budget)
        row = row_of(response, code)
        assert row.get_cell_value("fiscal_spending") == to_wan(control_actuals(lines)["total"])
        assert row.get_cell_value("spending") == to_wan(sum(line.amount for line in lines))
    own = row_of(response, OWN)
    assert own.get_cell_value("fiscal_spending") < own.get_cell_value("spending")


def test_fiscal_spending_counts_this_years_appropriation_only(db, login, client) -> None:
    budget = make_budget("601", control="50000.00")
    BudgetLineFactory(budget=budget, source=Source.GENERAL, amount=Decimal("10000.00"))
    BudgetLineFactory(budget=budget, source=Source.STATECAP, amount=Decimal("30000.00"))
    BudgetLineFactory(budget=budget, source=Source.GOVFUND, amount=Decimal("20000.00"))
    BudgetLineFactory(budget=budget, source=Source.GENERAL, carried_over=True, amount=Decimal("40000.00"))
    BudgetLineFactory(budget=budget, source=Source.BUSINESS, kind=Kind.OPERATING, amount=Decimal("50000.00"))
    client.force_login(UserFactory())

    response = client.get(dashboard_url())
    row = row_of(response, "601")
    assert row.get_cell("fiscal_spending") == "6.00"
    assert row.get_cell("spending") == "15.00"
    assert row.get_cell("control_total") == "5.00"
    assert row.get_cell("variance") == "+1.00"
    assert '<td class="num over-control">+1.00</td>' in response.content.decode()


def test_amounts_are_rounded_half_up_to_two_decimals(db, client) -> None:
    make_budget("602", fiscal="12250.00")  # 1.225 万元: half-up gives 1.23 (half-even would give 1.22)
    client.force_login(UserFactory())
    row = row_of(client.get(dashboard_url()), "602")
    assert row.get_cell("fiscal_spending") == "1.23"
    assert row.get_cell_value("fiscal_spending") == Decimal("1.23")


def test_submitted_days_only_while_waiting_for_the_bureau(db, client) -> None:
    now = timezone.now()
    make_budget("603", state=BudgetState.IN_REVIEW, submitted_at=now - timedelta(days=3, hours=1))
    make_budget("604", state=BudgetState.SUBMITTED, submitted_at=now - timedelta(hours=5))
    make_budget("605", state=BudgetState.RETURNED, submitted_at=now - timedelta(days=9))
    client.force_login(UserFactory())
    response = client.get(dashboard_url())
    assert row_of(response, "603").get_cell("waiting_days") == 3
    assert row_of(response, "604").get_cell("waiting_days") == 0
    assert row_of(response, "605").get_cell("waiting_days") == ""
    assert shown_codes(client.get(dashboard_url("?sort=-waiting_days"))) == ["603", "604", "605"]


def test_reviewer_column_shows_the_full_name_or_the_username(db, client) -> None:
    named = UserFactory(username="wang", first_name="王审核")
    unnamed = UserFactory(username="li")
    make_budget("606")
    Department.objects.filter(code="606").update(reviewer=named)
    make_budget("607")
    Department.objects.filter(code="607").update(reviewer=unnamed)
    make_budget("608")
    client.force_login(named)
    response = client.get(dashboard_url())
    assert row_of(response, "606").get_cell("reviewer") == "王审核"
    assert row_of(response, "607").get_cell("reviewer") == "li"
    assert row_of(response, "608").get_cell("reviewer") == ""


# Filters


def test_filter_by_state_and_round(small, login) -> None:
    Budget.objects.filter(pk=small.budget.pk).update(state=BudgetState.SUBMITTED, submitted_at=timezone.now())
    Budget.objects.filter(pk=small.other.pk).update(round=BudgetRound.FORMAL)
    client = login("reviewer")
    assert shown_codes(client.get(dashboard_url("?state=submitted"))) == [OWN]
    assert shown_codes(client.get(dashboard_url("?state=draft"))) == [OTHER]
    assert shown_codes(client.get(dashboard_url("?state=approved"))) == []
    assert shown_codes(client.get(dashboard_url(f"?round={BudgetRound.FORMAL}"))) == [OTHER]
    assert shown_codes(client.get(dashboard_url(f"?round={BudgetRound.PROPOSAL}"))) == [OWN]


def test_filter_by_reviewer(small, login) -> None:
    other = UserFactory(username="zhao", first_name="赵审核")
    Department.objects.filter(code=OTHER).update(reviewer=other)
    client = login("reviewer")
    assert shown_codes(client.get(dashboard_url(f"?reviewer={other.pk}"))) == [OTHER]
    assert shown_codes(client.get(dashboard_url("?reviewer=mine"))) == [OWN]
    assert shown_codes(client.get(dashboard_url("?reviewer=none"))) == []
    Department.objects.filter(code=OWN).update(reviewer=None)
    assert shown_codes(client.get(dashboard_url("?reviewer=none"))) == [OWN]
    html = client.get(dashboard_url()).content.decode()
    assert "我负责的" in html
    assert "赵审核" in html


def test_filter_by_department_code_or_name(small, login) -> None:
    client = login("reviewer")
    assert shown_codes(client.get(dashboard_url("?department=邻近"))) == [OTHER]
    assert shown_codes(client.get(dashboard_url(f"?department={OWN}"))) == [OWN]
    assert shown_codes(client.get(dashboard_url("?department=没有这个部门"))) == []


def test_an_invalid_filter_value_is_reported_not_a_failure(small, login) -> None:
    response = login("reviewer").get(dashboard_url("?state=bogus&reviewer=999999&round=7"))
    assert sorted(shown_codes(response)) == [OWN, OTHER]
    assert response.context["filter"].errors.keys() == {"state", "reviewer", "round"}


# Sorting, paging, years


def test_sorting_by_variance_puts_budgets_without_control_last(db, client) -> None:
    make_budget("611", fiscal="30000.00", control="20000.00")  # +1.00
    make_budget("612", fiscal="10000.00", control="30000.00")  # -2.00
    make_budget("613", fiscal="10000.00", control="10000.00")  # 0.00
    make_budget("614", fiscal="10000.00")  # no control figures
    client.force_login(UserFactory())
    assert shown_codes(client.get(dashboard_url("?sort=variance"))) == ["612", "613", "611", "614"]
    assert shown_codes(client.get(dashboard_url("?sort=-variance"))) == ["611", "613", "612", "614"]
    # ties are broken by department code, in the direction asked
    assert shown_codes(client.get(dashboard_url("?sort=-fiscal_spending"))) == ["611", "614", "613", "612"]
    assert shown_codes(client.get(dashboard_url("?sort=fiscal_spending"))) == ["612", "613", "614", "611"]


def test_pages_of_fifty_and_no_failure_for_odd_pages(db, client) -> None:
    for number in range(55):
        make_budget(f"{700 + number}")
    client.force_login(UserFactory())
    assert len(shown_codes(client.get(dashboard_url()))) == 50
    assert shown_codes(client.get(dashboard_url("?page=2"))) == [f"{700 + n}" for n in range(50, 55)]
    assert len(shown_codes(client.get(dashboard_url("?page=abc")))) == 50
    assert len(shown_codes(client.get(dashboard_url("?page=-1")))) == 50
    assert client.get(dashboard_url("?page=999")).status_code == 404
    assert client.get(dashboard_url("?page=99999999999999999999999")).status_code == 404


def test_the_latest_year_with_budgets_is_the_default(db, client) -> None:
    make_budget("620")
    BudgetYearFactory(year=2023)  # a year without budgets is never the default
    client.force_login(UserFactory())
    response = client.get(dashboard_url())
    assert response.context["year"] == 2021
    assert client.get(dashboard_url("?year=2023")).status_code == 404
    assert client.get(dashboard_url("?year=abcd")).status_code == 404

    BudgetFactory(department=DepartmentFactory(code="621"), year=BudgetYear.objects.create(year=2022))
    assert shown_codes(client.get(dashboard_url())) == ["621"]
    assert shown_codes(client.get(dashboard_url("?year=2021"))) == ["620"]


def test_no_budgets_at_all_is_an_empty_page(db, client) -> None:
    client.force_login(UserFactory())
    response = client.get(dashboard_url())
    assert response.status_code == 200
    assert "还没有任何部门预算。" in response.content.decode()
    assert client.get(dashboard_url("?_export=csv")).status_code == 404


# Export


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    return csv_rows(response.content)


def test_csv_export_has_every_column_without_markup(small, login) -> None:
    asking_its_control(small.budget)
    response = login("reviewer").get(dashboard_url("?_export=csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="dashboard_2021.csv"'
    assert response.content.startswith("\ufeff".encode())  # so that Excel reads it as UTF-8
    header, *rows = read_csv(response)
    assert header == HEADERS
    assert [row[0] for row in rows] == [OWN, OTHER]
    control = ControlFigures.objects.get(budget=small.budget)
    formal, proposal = (dict(zip(header, row, strict=True)) for row in rows)
    assert formal["部门名称"] == small.budget.department.name
    assert formal["轮次"] == "二上（正式预算）"
    assert formal["状态"] == "草稿"
    assert formal["控制数（万元）"] == f"{to_wan(control.total):.2f}"
    assert formal["差额（万元）"] == "0.00"
    assert formal["责任审核人"] == small.reviewer.first_name
    assert proposal["控制数（万元）"] == ""
    assert proposal["差额（万元）"] == ""
    assert proposal["提交天数"] == ""
    text = response.content.decode("utf-8-sig")
    assert "<" not in text
    assert "href" not in text


def test_export_follows_the_filters_and_ordering(small, login) -> None:
    Budget.objects.filter(pk=small.budget.pk).update(state=BudgetState.SUBMITTED, submitted_at=timezone.now())
    client = login("reviewer")
    assert [row[0] for row in read_csv(client.get(dashboard_url("?state=submitted&_export=csv")))[1:]] == [OWN]
    assert [row[0] for row in read_csv(client.get(dashboard_url("?sort=-department_code&_export=csv")))[1:]] == [
        OTHER,
        OWN,
    ]


def test_export_has_every_page(db, client) -> None:
    for number in range(55):
        make_budget(f"{700 + number}")
    client.force_login(UserFactory())
    rows = read_csv(client.get(dashboard_url("?page=2&_export=csv")))[1:]
    assert len(rows) == 55


def test_xlsx_export(small, login) -> None:
    asking_its_control(small.budget)
    response = login("reviewer").get(dashboard_url("?_export=xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="dashboard_2021.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == HEADERS
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_code) == {OWN, OTHER}
    control = ControlFigures.objects.get(budget=small.budget)
    formal = by_code[OWN]
    assert Decimal(str(formal["控制数（万元）"])) == to_wan(control.total)  # a number, not text
    assert Decimal(str(formal["财政拨款支出（万元）"])) == to_wan(control.total)
    assert Decimal(str(formal["差额（万元）"])) == 0
    assert formal["部门名称"] == small.budget.department.name
    assert by_code[OTHER]["控制数（万元）"] in (None, "")
    assert not any(isinstance(value, str) and "<" in value for row in rows for value in row)


# Queries


def _queries_for(client, budgets: int, django_assert_max_num_queries) -> int:
    reviewer = UserFactory(username="counting")
    year = BudgetYearFactory(year=2021)
    for number in range(Budget.objects.count(), budgets):
        budget = BudgetFactory(year=year, department=DepartmentFactory(code=f"{900 + number}", reviewer=reviewer))
        BudgetLineFactory(budget=budget, source=Source.GENERAL, amount=Decimal("10000.00"))
        BudgetLineFactory(budget=budget, source=Source.BUSINESS, kind=Kind.OPERATING, amount=Decimal("500.00"))
        ControlFigures.objects.create(
            budget=budget, total=Decimal("9000"), basic=Decimal("9000"), project=Decimal(0), three_public=Decimal(0)
        )
    client.force_login(reviewer)
    # session, user, years, the reviewer choices, count, the page of rows, unread notifications (+ savepoints)
    with django_assert_max_num_queries(10) as captured:
        response = client.get(dashboard_url("?sort=-variance"))
    assert len(shown_codes(response)) == budgets
    assert "over-control" in response.content.decode()
    return len(captured)


def test_number_of_queries_does_not_grow_with_the_departments(db, client, django_assert_max_num_queries) -> None:
    few = _queries_for(client, 3, django_assert_max_num_queries)
    many = _queries_for(client, 30, django_assert_max_num_queries)
    assert few == many
