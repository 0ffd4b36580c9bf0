"""The benchmark's data: one department loaded by the demo loader (the example 202, or the large one), then
copies of it under other department codes, written in bulk (the services would take minutes for thousands)."""

from collections.abc import Sequence

from django.db import models, transaction

from accounts.models import Role, User
from bench.large import catalogue_rows, large_budget
from budgets.models import Budget, BudgetLine, ControlFigures, FixedAsset, ProcurementItem, Project
from catalog.models import EconomicCode, FunctionCode
from catalog.services import catalog_import
from demo import luquan_202
from demo.loader import load_demo_budget, load_starter_catalogue
from departments.models import Department, Unit
from performance.models import DepartmentGoals, Indicator, SubGoal, TargetTable

SIZES = ("small", "large")
FIRST_COPY_CODE = 9001


def load_template(size: str) -> Budget:
    """The department every other is a copy of: the example 202 ("small") or the large one, with its catalogue."""
    if size == "small":
        spec = luquan_202.BUDGET
        if not FunctionCode.objects.filter(year_id=spec.year).exists():
            load_starter_catalogue(spec.year)
    elif size == "large":
        spec = large_budget()
        if not EconomicCode.objects.filter(year_id=spec.year).exists():
            for kind, rows in catalogue_rows().items():
                catalog_import(year=spec.year, kind=kind, rows=rows)
    else:
        raise ValueError(f"size must be one of {SIZES}, not {size!r}")
    return load_demo_budget(spec)


def bench_users(template: Budget) -> tuple[User, User]:
    """The template department's accountant and a reviewer (responsible for every department)."""
    accountant = User.objects.create(username="bench-accountant", role=Role.ACCOUNTANT, department=template.department)
    reviewer = User.objects.create(username="bench-reviewer", first_name="基准审核", role=Role.REVIEWER)
    Department.objects.update(reviewer=reviewer)
    return accountant, reviewer


def _values(row: models.Model, **changes: object) -> dict[str, object]:
    """A row's field values (by attname, without its primary key), with ``changes``."""
    fields = {f.attname: getattr(row, f.attname) for f in type(row)._meta.concrete_fields if not f.primary_key}
    return {**fields, **changes}


def _copies(model: type[models.Model], rows: Sequence[models.Model], owners: Sequence, make) -> list:
    """One copy of every row for every owner, bulk-created; ``make(row, owner_index)`` gives the changed fields.
    The result is in owner order, each owner's copies in the order of ``rows``."""
    new = [model(**_values(row, **make(row, index))) for index in range(len(owners)) for row in rows]
    return model.objects.bulk_create(new, batch_size=2000)


@transaction.atomic
def copy_budget(template: Budget, count: int) -> list[Budget]:
    """``count`` more departments, each with a copy of the template's budget: units, projects, figures,
    procurement, assets, control figures and performance targets (departments 9001, 9002, …)."""
    if count <= 0:
        return []
    template = Budget.objects.select_related("department").get(pk=template.pk)
    department = template.department
    departments = Department.objects.bulk_create(
        Department(code=str(code), name=f"{department.name}{code}", reviewer_id=department.reviewer_id)
        for code in range(FIRST_COPY_CODE, FIRST_COPY_CODE + count)
    )
    units = list(Unit.objects.filter(department=department).order_by("pk"))
    new_units = _copies(Unit, units, departments, lambda row, i: {"department_id": departments[i].pk})
    unit_of = {(i, unit.pk): new_units[i * len(units) + n].pk for i in range(count) for n, unit in enumerate(units)}
    budgets = _copies(Budget, [template], departments, lambda row, i: {"department_id": departments[i].pk})

    def owned(row: models.Model, i: int) -> dict[str, object]:
        return {"budget_id": budgets[i].pk}

    projects = list(Project.objects.filter(budget=template).order_by("pk"))
    new_projects = _copies(
        Project, projects, budgets, lambda row, i: {**owned(row, i), "unit_id": unit_of[i, row.unit_id]}
    )
    project_of = {
        (i, project.pk): new_projects[i * len(projects) + n].pk
        for i in range(count)
        for n, project in enumerate(projects)
    }
    _copies(
        BudgetLine,
        list(BudgetLine.objects.filter(budget=template)),
        budgets,
        lambda row, i: {
            **owned(row, i),
            "unit_id": unit_of[i, row.unit_id],
            "project_id": project_of[i, row.project_id] if row.project_id else None,
        },
    )
    _copies(
        ProcurementItem,
        list(ProcurementItem.objects.filter(budget=template)),
        budgets,
        lambda row, i: {**owned(row, i), "project_id": project_of[i, row.project_id] if row.project_id else None},
    )
    _copies(FixedAsset, list(FixedAsset.objects.filter(budget=template)), budgets, owned)
    _copies(ControlFigures, list(ControlFigures.objects.filter(budget=template)), budgets, owned)
    _copies(DepartmentGoals, list(DepartmentGoals.objects.filter(budget=template)), budgets, owned)
    _copies(SubGoal, list(SubGoal.objects.filter(budget=template)), budgets, owned)
    tables = list(TargetTable.objects.filter(project__budget=template).order_by("pk"))
    new_tables = _copies(TargetTable, tables, budgets, lambda row, i: {"project_id": project_of[i, row.project_id]})
    table_of = {
        (i, table.pk): new_tables[i * len(tables) + n].pk for i in range(count) for n, table in enumerate(tables)
    }
    _copies(
        Indicator,
        list(Indicator.objects.filter(table__in=tables)),
        budgets,
        lambda row, i: {"table_id": table_of[i, row.table_id]},
    )
    return budgets
