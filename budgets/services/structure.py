"""Writes to a budget's structure and texts: its department's units (预算单位), its projects (预算项目) and the
department's duties (部门职责).

Units belong to the department, not to one year's budget, but they are entered with a budget (表10 单位构成 lists
them): so a change is made through a budget, locked and revisioned like any other write of it, and logged in its
trail. A unit that figures or projects still name (in any year) is never removed.
"""

from collections.abc import Sequence

from django.db import transaction

from accounts.models import User
from budgets.models import Budget, BudgetEvent, BudgetLine, Project
from budgets.selectors import unit_in_use
from budgets.services.locking import budget_touch, lock_budget, park_renamed
from departments.models import Department, Unit
from departments.signals import department_touch
from domain.errors import BudgetFiguresError, FigureError
from domain.structure import ProjectEdit, UnitInput, project_errors, unit_changes, unit_errors


@transaction.atomic
def budget_set_duties(
    *, budget: Budget, duties: str, actor: User | None = None, expected_revision: int | None = None
) -> None:
    budget = lock_budget(budget, expected_revision)
    if budget.duties == duties:
        return
    BudgetEvent.objects.create(
        budget=budget, actor=actor, action="duties", data={"changes": [["部门职责", budget.duties, duties]]}
    )
    budget.duties = duties
    budget.save(update_fields=["duties", "updated_at"])
    budget_touch(budget)


# --- Projects (预算项目): their names and units, without figures ---------------------------------------------------


@transaction.atomic
def budget_replace_projects(
    *, budget: Budget, projects: Sequence[ProjectEdit], actor: User | None = None, expected_revision: int | None = None
) -> int:
    """Make the budget's projects exactly these (names, units, order); nothing is written if anything is wrong.

    A project moved to another unit takes its lines with it (a project's lines carry its unit). A stored project not
    listed is removed, which is refused while it has figures, performance targets or procurement items. Returns how
    many changes were made (0: nothing written, no new revision)."""
    budget = lock_budget(budget, expected_revision)
    units = {unit.name: unit for unit in budget.department.units.all()}
    stored = {project.pk: project for project in budget.projects.select_related("unit").order_by("position", "id")}
    errors = project_errors(projects, list(units))
    for index, project in enumerate(projects, start=1):
        if project.id is not None and project.id not in stored:
            errors.append(FigureError(index, "该项目不存在或不属于本预算，请重新打开页面。"))
    listed = [project.id for project in projects if project.id is not None]
    if len(set(listed)) != len(listed):
        errors.append(FigureError(0, "同一项目出现了两次，请重新打开页面。"))
    removed = [gone for pk, gone in stored.items() if pk not in set(listed)]
    if removed:
        busy = budget.projects.filter(pk__in=[gone.pk for gone in removed])
        with_lines = set(busy.filter(lines__isnull=False).values_list("pk", flat=True))
        with_targets = set(busy.filter(target__isnull=False).values_list("pk", flat=True))
        with_items = set(busy.filter(procurement_items__isnull=False).values_list("pk", flat=True))
        for gone in removed:
            reasons = [
                reason
                for reason, ids in (("预算数字", with_lines), ("绩效目标", with_targets), ("政府采购", with_items))
                if gone.pk in ids
            ]
            if reasons:
                errors.append(
                    FigureError(
                        0,
                        f"项目“{gone.name}”不能删除：它还有{'、'.join(reasons)}（请先在对应页面删除，再删除项目）。",
                    )
                )
    if errors:
        raise BudgetFiguresError(errors)

    changes: list[list[str]] = [[f"项目“{gone.name}”", gone.unit.name, "删除"] for gone in removed]
    for project in projects:
        old = stored.get(project.id) if project.id is not None else None
        if old is None:
            changes.append([f"项目“{project.name}”", "", f"新增（{project.unit}）"])
            continue
        if old.name != project.name:
            changes.append(["项目名称", old.name, project.name])
        if old.unit.name != project.unit:
            moving = BudgetLine.objects.filter(project_id=old.pk).count()
            place = f"项目“{project.name}”所属单位（{moving} 条预算数字随之移动）"
            changes.append([place, old.unit.name, project.unit])
    kept_order = [pk for pk in stored if pk in set(listed)]  # stored is in the budget's order (position, id)
    if listed != kept_order:
        changes.append(["项目排序", "", "已调整"])
    if not changes:
        return 0

    for gone in removed:
        gone.delete()
    park_renamed(Project, [p.id for p in projects if p.id is not None and stored[p.id].name != p.name])
    for position, project in enumerate(projects):
        unit = units[project.unit]
        if project.id is None:
            Project.objects.create(budget=budget, unit=unit, name=project.name, position=position)
            continue
        if stored[project.id].unit_id != unit.pk:
            BudgetLine.objects.filter(project_id=project.id).update(unit=unit)
        Project.objects.filter(pk=project.id).update(name=project.name, unit=unit, position=position)
    BudgetEvent.objects.create(
        budget=budget,
        actor=actor,
        action="projects",
        data={"projects": [len(stored), len(projects)], "changed": len(changes), "changes": changes},
    )
    budget_touch(budget)
    return len(changes)


@transaction.atomic
def department_replace_units(
    *, budget: Budget, units: Sequence[UnitInput], actor: User | None = None, expected_revision: int | None = None
) -> int:
    """Make the department's units exactly these, in this order; nothing is written if anything is wrong.

    A stored unit not listed is removed, which is refused while lines or projects (of any year) name it.
    Returns how many changes were made (0: nothing written, no new revision)."""
    budget = lock_budget(budget, expected_revision)
    # The department's row too: its budgets of other years may change the same units at the same time.
    department = Department.objects.select_for_update().get(pk=budget.department_id)
    stored = {
        unit.pk: unit
        for unit in Unit.objects.select_for_update().filter(department=department).order_by("position", "id")
    }
    errors = unit_errors(units)
    for index, unit in enumerate(units, start=1):
        if unit.id is not None and unit.id not in stored:
            errors.append(FigureError(index, "该单位不存在或不属于本部门，请重新打开页面。"))
    listed = {unit.id for unit in units if unit.id is not None}
    if len(listed) != len([unit for unit in units if unit.id is not None]):
        errors.append(FigureError(0, "同一单位出现了两次，请重新打开页面。"))
    removed = [gone for pk, gone in stored.items() if pk not in listed]
    for gone in removed:
        years = unit_in_use(gone)
        if years:
            errors.append(
                FigureError(
                    0,
                    f"单位“{gone.name}”不能删除：{'、'.join(f'{year}年' for year in years)}预算中还有它的预算数字、"
                    "项目或固定资产（请先在“预算数字”“项目”和“政府采购和资产”页删除或移到其他单位）。",
                )
            )
    if errors:
        raise BudgetFiguresError(errors)

    changes = unit_changes(
        {pk: UnitInput(pk, unit.name, unit.nature, unit.rank, unit.funding_form) for pk, unit in stored.items()}, units
    )
    if not changes:
        return 0

    for gone in removed:
        gone.delete()
    park_renamed(Unit, [u.id for u in units if u.id is not None and stored[u.id].name != u.name])
    for position, unit in enumerate(units):
        fields = {"name": unit.name, "nature": unit.nature, "rank": unit.rank, "funding_form": unit.funding_form}
        if unit.id is None:
            Unit.objects.create(department=department, position=position, **fields)
        else:
            Unit.objects.filter(pk=unit.id).update(position=position, **fields)
    department_touch(department.pk)  # the updates tell no signal; the department's other budgets print them too
    BudgetEvent.objects.create(
        budget=budget,
        actor=actor,
        action="units",
        data={"units": [len(stored), len(units)], "changed": len(changes), "changes": changes},
    )
    budget_touch(budget)
    return len(changes)
