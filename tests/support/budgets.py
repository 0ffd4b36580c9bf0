"""A small world for most tests: one year with a tiny catalogue, two departments with a budget each, and one user
of each role. Everything is written through the product's own services, so each budget's stored verdict, revision
and trail are what the site would have made of them.

The own department (测试局, two units, two projects with their target tables, two procurement items and fixed
assets) has every kind of figure the tables and the dashboard tell apart: basic and project expenditure, personnel
and running costs, “三公” (reception and vehicle running), non-fiscal income, money carried over and operating
expenditure. Its budget has no error and no warning (tests/audit/test_verdict.py keeps it so). The other department
(邻近事务管理局) has one unit and two figures, so that "another department's budget" exists for every page.

Use the ``small`` fixture (tests/conftest.py). Its users log in with the ``login`` fixture: ``login("accountant")``.
Only where the published 2021 example is the point do tests load the full ``demo``.
"""

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from accounts.models import Role, User
from budgets.models import Budget
from budgets.services.figures import LineInput, ProjectInput, budget_get_or_create, budget_replace_figures
from budgets.services.structure import budget_set_duties
from budgets.services.supplementary import budget_replace_supplementary
from budgets.services.targets import budget_replace_performance
from catalog.services import catalog_import
from demo.loader import DEMO_PASSWORD
from departments.models import Department, Unit, UnitNature
from domain.catalogue import CatalogKind, CatalogRow
from domain.classifications import Kind, Source
from domain.ledger import AssetInfo, BudgetData, Catalogue, ProcurementInfo, UnitInfo
from domain.performance.framework import BENEFIT, OUTPUT, SATISFACTION
from domain.performance.targets import DepartmentGoals, Indicator, Performance, SubGoal, TargetTable
from domain.performance.values import parse_value
from tests.support.factories import AccountantFactory, AdministratorFactory, UserFactory

YEAR = 2021
# The same password as the demo's users, so that one ``login`` fixture serves both.
PASSWORD = DEMO_PASSWORD
STARTER = Path(__file__).resolve().parents[2] / "catalog" / "data"

# The tiny catalogue: a few 类/款/项 of the 2021 starter catalogue, with the codes the rules look at (the pairs of
# rule D01, the “三公” 款, a personnel class 301/303 and a running-cost class 302) and 30299, which a workbook import
# gives the figures the official tables do not break down by economic 款 (domain.reconstruct).
FUNCTION_CODES = (
    "201",
    "20131",
    "2013101",
    "2013102",
    "208",
    "20805",
    "2080505",
    "221",
    "22102",
    "2210201",
)
ECONOMIC_CODES = (
    "301",
    "30101",
    "30102",
    "30108",
    "30113",
    "302",
    "30201",
    "30217",
    "30231",
    "30299",
    "303",
    "30302",
    "310",
    "31002",
)

OWN, OTHER = "101", "102"
# The other name is longer than the 16 characters a progress line shows of "code name" (export_budget --all).
OWN_NAME, OTHER_NAME = "石家庄市测试局", "石家庄市鹿泉区邻近事务管理局"
OFFICE, CENTRE = "石家庄市测试局本级", "石家庄市测试局服务中心"
OTHER_OFFICE = "石家庄市鹿泉区邻近事务管理局本级"
EQUIPMENT, ARCHIVES = "办公设备购置", "档案数字化"
OWN_UNITS = ((OFFICE, UnitNature.ADMINISTRATIVE), (CENTRE, UnitNature.INSTITUTION))  # (name, nature)
OTHER_UNITS = ((OTHER_OFFICE, UnitNature.ADMINISTRATIVE),)
UNIT_RANK, UNIT_FUNDING = "正科级", "财政拨款"  # of every unit

B, P, OP = Kind.BASIC, Kind.PROJECT, Kind.OPERATING
G, BUSINESS, OPERATING = Source.GENERAL, Source.BUSINESS, Source.OPERATING


def _line(unit, function, economic, kind, source, yuan, project="", carried_over=False) -> LineInput:
    return LineInput(unit, function, economic, kind, source, Decimal(yuan), project, carried_over)


OWN_PROJECTS = (ProjectInput(EQUIPMENT, OFFICE), ProjectInput(ARCHIVES, CENTRE))
OWN_LINES = (
    # 基本支出 · 本级
    _line(OFFICE, "2013101", "30101", B, G, "300000.00"),
    _line(OFFICE, "2013101", "30102", B, G, "120000.00"),
    _line(OFFICE, "2013101", "30201", B, G, "30000.00"),
    _line(OFFICE, "2013101", "30217", B, G, "8000.00"),
    _line(OFFICE, "2013101", "30231", B, G, "12000.00"),
    _line(OFFICE, "2080505", "30108", B, G, "36000.00"),
    _line(OFFICE, "2210201", "30113", B, G, "24000.00"),
    # 基本支出 · 服务中心
    _line(CENTRE, "2013101", "30101", B, G, "150000.00"),
    _line(CENTRE, "2013101", "30302", B, G, "6000.00"),
    _line(CENTRE, "2013101", "30201", B, BUSINESS, "20000.00"),
    # 项目支出
    _line(OFFICE, "2013102", "31002", P, G, "60000.00", project=EQUIPMENT),
    _line(CENTRE, "2013102", "30201", P, G, "40000.00", project=ARCHIVES),
    _line(CENTRE, "2013102", "30201", P, G, "10000.00", project=ARCHIVES, carried_over=True),
    # 经营支出
    _line(CENTRE, "2013101", "30201", OP, OPERATING, "5000.00"),
)
OTHER_LINES = (
    _line(OTHER_OFFICE, "2013101", "30101", B, G, "80000.00"),
    _line(OTHER_OFFICE, "2013101", "30201", B, G, "10000.00"),
)

PROCUREMENT = (
    ProcurementInfo(
        EQUIPMENT, "台式计算机", "A02010104", "台", Decimal("10"), Decimal("6000.00"), general=Decimal("60000.00")
    ),
    ProcurementInfo(
        ARCHIVES, "档案扫描仪", "A02021101", "台", Decimal("2"), Decimal("10000.00"), general=Decimal("20000.00")
    ),
)
ASSETS = (
    AssetInfo("车辆（辆）", Decimal("1"), Decimal("180000.00")),
    AssetInfo("办公设备（台、套）", Decimal("25"), Decimal("150000.50")),
)
ASSETS_AS_OF = date(2020, 12, 31)
DUTIES = "负责本局的综合协调、档案管理和后勤保障工作。"


def _table(project: str, goal: str, count: tuple[str, str], cost: str) -> TargetTable:
    rows = (
        (OUTPUT, "数量指标", count[0], count[1], "工作计划"),
        (OUTPUT, "时效指标", "年内完成率", "100%", "工作计划"),
        (OUTPUT, "成本指标", "项目成本", cost, "预算安排"),
        (BENEFIT, "社会效益指标", "办公保障水平", "提高", "工作计划"),
        (SATISFACTION, "服务对象满意度指标", "干部职工满意度", "≥90%", "问卷调查"),
    )
    indicators = tuple(
        Indicator(level1, level2, name, name, parse_value(value), basis) for level1, level2, name, value, basis in rows
    )
    return TargetTable(project, goal, indicators)


PERFORMANCE = Performance(
    goals=DepartmentGoals(
        overall="保障机关正常运转，提升档案管理水平。",
        sub_goals=(SubGoal(ARCHIVES, "完成历史档案数字化。", "数字化档案不少于 2000 卷。"),),
        measures="严格执行预算，按进度支付资金。",
    ),
    targets=(
        _table(EQUIPMENT, "更新老旧办公设备，保障日常办公。", ("购置计算机数量", "10 台"), "6 万元"),
        _table(ARCHIVES, "完成历史档案数字化，方便查阅利用。", ("数字化档案数量", "≥2000 卷"), "5 万元"),
    ),
)


@dataclass(frozen=True)
class SmallWorld:
    budget: Budget  # the own department's (code OWN), in 一上 as a draft
    other: Budget  # another department's (code OTHER)
    accountant: User  # fills in the own department's budget
    other_accountant: User  # fills in the other department's
    reviewer: User  # of the finance bureau, the reviewer in charge of both departments
    admin: User

    @property
    def budgets(self) -> dict[str, Budget]:
        return {OWN: self.budget, OTHER: self.other}


@cache
def _starter_rows(kind: CatalogKind) -> tuple[CatalogRow, ...]:
    filename = {
        CatalogKind.FUNCTION: "function_classification.csv",
        CatalogKind.ECONOMIC: "economic_classification.csv",
    }
    wanted = set(FUNCTION_CODES if kind == CatalogKind.FUNCTION else ECONOMIC_CODES)
    with (STARTER / str(YEAR) / filename[kind]).open(encoding="utf-8") as file:
        rows = [row for row in csv.DictReader(file) if row["code"] in wanted]
    assert len(rows) == len(wanted), "a code of the tiny catalogue is missing from the starter catalogue"
    return tuple(
        CatalogRow(line, row["code"], row["name"], int(row["level"]), row["parent"])
        for line, row in enumerate(rows, start=2)
    )


def load_tiny_catalogue(year: int = YEAR) -> None:
    """The year's tiny catalogue, names as in the 2021 starter catalogue."""
    for kind in (CatalogKind.FUNCTION, CatalogKind.ECONOMIC):
        catalog_import(year=year, kind=kind, rows=_starter_rows(kind))


def make_department(code: str, name: str, units: tuple[tuple[str, str], ...]) -> Department:
    """A department with its units, given as (name, nature)."""
    department = Department.objects.create(code=code, name=name)
    Unit.objects.bulk_create(
        Unit(
            department=department,
            name=unit,
            nature=nature,
            rank=UNIT_RANK,
            funding_form=UNIT_FUNDING,
            position=position,
        )
        for position, (unit, nature) in enumerate(units)
    )
    return department


def make_budget(
    department: Department,
    lines: tuple[LineInput, ...],
    *,
    projects: tuple[ProjectInput, ...] = (),
    performance: Performance | None = None,
    procurement: tuple[ProcurementInfo, ...] = (),
    assets: tuple[AssetInfo, ...] = (),
    assets_as_of: date | None = None,
    duties: str = "",
    year: int = YEAR,
) -> Budget:
    """The department's budget of ``year`` with these figures and parts, each written by its service."""
    budget = budget_get_or_create(department=department, year=year)
    if duties:
        budget_set_duties(budget=budget, duties=duties)
    budget_replace_figures(budget=budget, projects=list(projects), lines=list(lines))
    if procurement or assets or assets_as_of:
        budget_replace_supplementary(budget=budget, procurement=procurement, assets=assets, assets_as_of=assets_as_of)
    if performance is not None:
        budget_replace_performance(budget=budget, performance=performance)
    return Budget.objects.select_related("department", "year").get(pk=budget.pk)


def make_own_budget(code: str = OWN, name: str = OWN_NAME) -> Budget:
    """The own department's budget; another ``code`` makes a copy of it for another department."""
    department = make_department(code, name, OWN_UNITS)
    return make_budget(
        department,
        OWN_LINES,
        projects=OWN_PROJECTS,
        performance=PERFORMANCE,
        procurement=PROCUREMENT,
        assets=ASSETS,
        assets_as_of=ASSETS_AS_OF,
        duties=DUTIES,
    )


def own_data() -> BudgetData:
    """The own department's budget as plain data, as budget_data reads it in the small world (the lines in the order
    they were written, the tiny catalogue's names): for tests that need no database."""
    function, economic = (_starter_rows(kind) for kind in (CatalogKind.FUNCTION, CatalogKind.ECONOMIC))
    return BudgetData(
        department_code=OWN,
        department_name=OWN_NAME,
        year=YEAR,
        catalogue=Catalogue({row.code: row.name for row in function}, {row.code: row.name for row in economic}),
        lines=tuple(item.line for item in OWN_LINES),
        units=tuple(UnitInfo(name, nature, UNIT_RANK, UNIT_FUNDING) for name, nature in OWN_UNITS),
        procurement=PROCUREMENT,
        assets=ASSETS,
        assets_as_of=ASSETS_AS_OF,
        performance=PERFORMANCE,
    )


def make_small_world() -> SmallWorld:
    load_tiny_catalogue()
    reviewer = UserFactory(username="reviewer", first_name="审核员", role=Role.REVIEWER, password=PASSWORD)
    admin = AdministratorFactory(username="admin", first_name="管理员", password=PASSWORD)
    budget = make_own_budget()
    other = make_budget(make_department(OTHER, OTHER_NAME, OTHER_UNITS), OTHER_LINES)
    Department.objects.filter(pk__in=[budget.department_id, other.department_id]).update(reviewer=reviewer)
    accountant = AccountantFactory(username="accountant", department=budget.department, password=PASSWORD)
    other_accountant = AccountantFactory(username="other_accountant", department=other.department, password=PASSWORD)
    budgets = Budget.objects.select_related("department", "year").in_bulk([budget.pk, other.pk])
    return SmallWorld(budgets[budget.pk], budgets[other.pk], accountant, other_accountant, reviewer, admin)
