"""The department's indicator library (指标库): indicators kept for reuse, the department's, not a budget's."""

from django.db import transaction

from departments.models import Department
from domain.errors import BudgetFiguresError, FigureError
from domain.performance.checks import MAX_DESCRIPTION, MAX_TITLE, MAX_UNIT, _too_long
from domain.performance.framework import FRAMEWORK
from performance.models import LibraryIndicator

# --- The department's indicator library ------------------------------------------------------------------------


@transaction.atomic
def library_save(
    *, department: Department, level1: str, level2: str, name: str, description: str = "", unit: str = ""
) -> tuple[LibraryIndicator, bool]:
    """Keep an indicator in the department's library; one of the same 一级／二级／三级 is updated.
    Returns it and whether it is new."""
    name, description, unit = name.strip(), description.strip(), unit.strip()
    problems = [
        None if level2 in FRAMEWORK.get(level1, ()) else f"“{level1}／{level2}”不在指标体系中。",
        None if name else "三级指标不能为空。",
        _too_long("三级指标", name, MAX_TITLE),
        _too_long("绩效指标描述", description, MAX_DESCRIPTION),
        _too_long("单位", unit, MAX_UNIT),
    ]
    errors = [FigureError(0, problem) for problem in problems if problem]
    if errors:
        raise BudgetFiguresError(errors)
    return LibraryIndicator.objects.update_or_create(
        department=department,
        level1=level1,
        level2=level2,
        name=name,
        defaults={"description": description, "unit": unit},
    )


def library_delete(*, department: Department, pk: int) -> bool:
    """Remove one of the department's library indicators; another department's is left alone (False)."""
    deleted, _ = LibraryIndicator.objects.filter(department=department, pk=pk).delete()
    return bool(deleted)
