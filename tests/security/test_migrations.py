"""Migrations: none missing, reversible from an empty database, and an upgrade from the last release keeps data.

The last release is git commit d945222; RELEASE_LEAVES are the newest migration of each of our apps there
(``git ls-tree d945222 -r --name-only | grep migrations``). Rows are written through the historical models of
that state, then the database is migrated to whatever the latest migrations are today.
"""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OUR_APPS = ("accounts", "catalog", "departments", "budgets", "performance", "disclosure", "exports")
RELEASE_LEAVES = [
    ("accounts", "0001_initial"),
    ("catalog", "0001_initial"),
    ("departments", "0002_department_reviewer"),
    ("budgets", "0005_warning_explanations"),
    ("performance", "0001_targets"),
    ("disclosure", "0002_explanation_inputs"),
    ("exports", "0001_initial"),
]


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"makemigrations --check found missing migrations (exit {exit_.code}):\n{out.getvalue()}")


def _latest_leaves(executor: MigrationExecutor) -> list[tuple[str, str]]:
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_every_app_migrates_to_zero_and_back_to_the_latest() -> None:
    executor = MigrationExecutor(connection)
    latest = _latest_leaves(executor)
    executor.migrate([(app, None) for app in OUR_APPS])
    executor.loader.build_graph()
    applied = executor.loader.applied_migrations
    assert not [key for key in applied if key[0] in OUR_APPS]
    tables = set(connection.introspection.table_names())
    assert not [table for table in tables if table.startswith(("budgets_", "performance_", "departments_"))]
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    executor.loader.build_graph()
    assert set(latest) <= set(executor.loader.applied_migrations)
    assert "budgets_budget" in connection.introspection.table_names()


@pytest.mark.django_db(transaction=True)
def test_data_of_the_last_release_survives_the_upgrade_to_the_latest() -> None:
    executor = MigrationExecutor(connection)
    latest = _latest_leaves(executor)
    executor.migrate(RELEASE_LEAVES)
    executor.loader.build_graph()
    old = executor.loader.project_state(RELEASE_LEAVES).apps

    year = old.get_model("catalog", "BudgetYear").objects.create(year=2021, name="2021年")
    function = old.get_model("catalog", "FunctionCode").objects.create(
        year=year, code="2010101", name="行政运行", level=3
    )
    economic = old.get_model("catalog", "EconomicCode").objects.create(
        year=year, code="30101", name="基本工资", level=2
    )
    department = old.get_model("departments", "Department").objects.create(
        code="202", name="中共石家庄市鹿泉区委办公室"
    )
    Unit = old.get_model("departments", "Unit")
    unit = Unit.objects.create(department=department, name="区委办公室本级", nature="行政", position=0)
    Unit.objects.create(department=department, name="档案馆", nature="事业", position=1)
    budget = old.get_model("budgets", "Budget").objects.create(department=department, year=year, duties="负责文电")
    project = old.get_model("budgets", "Project").objects.create(budget=budget, unit=unit, name="党代会经费")
    Line = old.get_model("budgets", "BudgetLine")
    common = {"budget": budget, "unit": unit, "function": function, "economic": economic, "source": "general"}
    Line.objects.create(**common, kind="basic", amount=Decimal("1234567.89"))
    Line.objects.create(**common, kind="project", project=project, amount=Decimal("0.01"))
    table = old.get_model("performance", "TargetTable").objects.create(project=project, goal="保障党代会召开")
    old.get_model("performance", "Indicator").objects.create(
        table=table,
        level1="产出指标",
        level2="数量指标",
        name="会议次数",
        description="召开会议",
        comparator="≥",
        number=Decimal("2"),
        unit="次",
        raw="≥2次",
        basis="计划",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    from budgets.models import Budget, BudgetLine
    from departments.models import Department
    from performance.models import TargetTable

    department = Department.objects.get(code="202")
    assert department.name == "中共石家庄市鹿泉区委办公室"
    assert list(department.units.order_by("position").values_list("name", "nature")) == [
        ("区委办公室本级", "行政"),
        ("档案馆", "事业"),
    ]
    budget = Budget.objects.get(department=department, year_id=2021)
    assert budget.duties == "负责文电"
    assert sorted(
        BudgetLine.objects.filter(budget=budget).values_list(
            "function__code", "economic__code", "kind", "source", "project__name", "amount"
        ),
        key=str,
    ) == sorted(
        [
            ("2010101", "30101", "basic", "general", None, Decimal("1234567.89")),
            ("2010101", "30101", "project", "general", "党代会经费", Decimal("0.01")),
        ],
        key=str,
    )
    target = TargetTable.objects.get(project__budget=budget)
    assert target.goal == "保障党代会召开"
    indicator = target.indicators.get()
    assert (indicator.name, indicator.description, indicator.basis) == ("会议次数", "召开会议", "计划")
    assert (indicator.comparator, indicator.number, indicator.unit, indicator.raw) == ("≥", Decimal(2), "次", "≥2次")
