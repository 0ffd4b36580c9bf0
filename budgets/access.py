"""Who may do what: every decision about budgets, and the ``*_or_404`` helpers that views, services, imports, the
admin and the commands call. Nothing decides access anywhere else.

Reading: an accountant reads his own department's budgets, the finance bureau's staff (reviewers, administrators)
read all. A budget someone may not read answers 404, exactly like one that does not exist; one he may read but not
act on answers 403 with the reason.

Entering (every part a department types: figures, units, projects, procurement, duties, targets, the explanation's
inputs, warning explanations, workbook imports): the department's own accountant or an administrator, while the
budget is 草稿 or 退回. A finance reviewer never types a department's figures.

A unit's accountant (单位填报人) reads and enters only his unit's part: its page, its figures and its projects'
绩效目标表, while the part is 草稿 or 部门退回; every department-level page of his budget answers him 403. Review:
the reviewer records 审核数 while the budget is before him and starts and resolves comment threads; the
department's accountant answers both.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from budgets.models import Budget
from departments.models import Department, Unit
from domain.unit_parts import UNIT_EDITABLE, PartStep
from domain.workflow import EDITABLE_STATES, REVIEWING, Actor, BudgetState, Transition

EDIT_REFUSED = "只有本部门填报人或系统管理员可以在草稿或退回状态{what}。"
BUREAU_ONLY = "只有财政审核人和系统管理员可以{what}。"
REVIEWER_ONLY = "只有财政审核人可以{what}。"
CREATE_REFUSED = "只有部门填报人和系统管理员可以新建预算。"
TRANSITION_REFUSED = "您不能对该预算执行“{action}”。"
CONTROL_REFUSED = "只有财政审核人可以设置控制数，已批复的预算不能再设置。"
LIBRARY_REFUSED = "指标库由本部门填报人和系统管理员维护。"
NO_LIBRARY = "没有这个部门的指标库。"
REVIEW_REFUSED = "只有财政审核人可以在预算已提交或审核中时填写审核数。"
ANSWER_REFUSED = "只有本部门填报人可以在草稿或退回状态答复审核数。"
COMMENT_REFUSED = "只有财政审核人可以批注，部门填报人可以回复本部门预算的批注。"
RESOLVE_REFUSED = "只有财政审核人可以将批注标为已解决。"
UNIT_ONLY = "单位填报人只能查看和填写本单位的预算，请从本单位的页面进入。"
OTHER_UNIT = "单位填报人只能查看和填写本单位的预算。"
NO_SUCH_UNIT = "本部门没有这个单位。"
UNIT_EDIT_REFUSED = "只有本单位填报人可以在单位预算为草稿或部门退回、且部门预算为草稿或退回时修改本单位的数字。"
PART_STEP_REFUSED = "您不能对该单位预算执行“{action}”。"


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_bureau(user: User) -> bool:
    """The finance bureau's staff: its reviewers and the administrators (dashboard, year exports)."""
    return _active(user) and (user.is_reviewer or user.is_administrator)


# --- Decisions ----------------------------------------------------------------------------------------------------


def budgets_visible_to(user: User) -> QuerySet[Budget]:
    """The budgets a user may read: an accountant (and a unit's, for his unit's part) only his own department's,
    the bureau's staff all."""
    budgets = Budget.objects.select_related("department", "year", "control", "goals")
    if not user.is_authenticated:
        return budgets.none()
    if user.is_administrator or user.is_reviewer:
        return budgets
    if user.department_id is None or not (user.is_accountant or user.is_unit_accountant):
        return budgets.none()
    return budgets.filter(department_id=user.department_id)


def may_edit(user: User, budget: Budget) -> bool:
    """The department's own accountant, or an administrator, while the budget is a draft or returned."""
    if not _active(user) or budget.state not in EDITABLE_STATES:
        return False
    if user.is_administrator:
        return True
    return _own_accountant(user, budget)


def may_act(user: User, budget: Budget, transition: Transition) -> bool:
    """A transition is the department's (its accountant) or the bureau's (a reviewer)."""
    if not _active(user):
        return False
    if transition.actor is Actor.DEPARTMENT:
        return _own_accountant(user, budget)
    return user.is_reviewer


def may_set_control(user: User, budget: Budget) -> bool:
    """Only the finance bureau's reviewers issue control figures, and never to an approved budget."""
    return _active(user) and user.is_reviewer and budget.state != BudgetState.APPROVED


def may_review(user: User, budget: Budget) -> bool:
    """审核数 are the reviewer's, while the budget is before him (已提交, 审核中)."""
    return _active(user) and user.is_reviewer and budget.state in REVIEWING


def may_answer_review(user: User, budget: Budget) -> bool:
    """The department answers the 审核数 carried to it while it may change its figures: its accountant."""
    return _active(user) and budget.state in EDITABLE_STATES and _own_accountant(user, budget)


def may_see_review_drafts(user: User) -> bool:
    """审核数 not yet carried to the department are the bureau's working notes."""
    return is_bureau(user)


def may_comment(user: User, budget: Budget) -> bool:
    """A thread is started by a reviewer, on any budget not yet approved."""
    return _active(user) and user.is_reviewer and budget.state != BudgetState.APPROVED


def may_reply(user: User, budget: Budget) -> bool:
    """The reviewer and the department's own accountant write in a thread."""
    return _active(user) and (user.is_reviewer or _own_accountant(user, budget))


def may_resolve(user: User) -> bool:
    return _active(user) and user.is_reviewer


def _own_accountant(user: User, budget: Budget) -> bool:
    return user.is_accountant and user.department_id == budget.department_id


def may_edit_unit(user: User, budget: Budget, unit: Unit, part_state: str) -> bool:
    """A unit's own accountant, while the budget may change and his part is his (草稿, 部门退回)."""
    return (
        _active(user)
        and budget.state in EDITABLE_STATES
        and part_state in UNIT_EDITABLE
        and user.is_unit_accountant
        and user.unit_id == unit.pk
        and unit.department_id == budget.department_id
    )


def may_take_part_step(user: User, budget: Budget, unit: Unit, step: PartStep) -> bool:
    """报送部门 is the unit's accountant's; 审核通过 and 退回单位 are the department's accountant's."""
    if not _active(user) or budget.state not in EDITABLE_STATES or unit.department_id != budget.department_id:
        return False
    if step.by_unit:
        return user.is_unit_accountant and user.unit_id == unit.pk
    return _own_accountant(user, budget)


def may_create_budget(user: User) -> bool:
    """The department's accountant (his own department only) or an administrator (any)."""
    if not _active(user):
        return False
    return user.is_administrator or (user.is_accountant and user.department_id is not None)


def creatable_departments(user: User) -> QuerySet[Department]:
    """The departments a user may start a budget for."""
    if not may_create_budget(user):
        return Department.objects.none()
    if user.is_administrator:
        return Department.objects.all()
    if user.department_id is None:  # not reached: may_create_budget asks an accountant for a department
        return Department.objects.none()
    return Department.objects.filter(pk=user.department_id)


def may_publish(user: User) -> bool:
    """Publishing 部门预算公开 is the finance bureau's reviewers' act."""
    return _active(user) and user.is_reviewer


def may_export_all(user: User) -> bool:
    """The workbooks of every department at once are for the finance bureau."""
    return is_bureau(user)


def may_use_admin(user: User) -> bool:
    """The admin edits master data for every department: staff status alone is not enough."""
    return _active(user) and user.is_staff and user.is_administrator


def may_import_as(user: User | None) -> bool:
    """Who a command's import (import_budget --user) may be recorded as: an active administrator."""
    return user is not None and _active(user) and user.is_administrator


def may_keep_library(user: User, department: Department) -> bool:
    """A department's indicator library: its accountant or an administrator."""
    if not _active(user):
        return False
    return user.is_administrator or (user.is_accountant and user.department_id == department.pk)


# --- What views, services and commands call ---------------------------------------------------------------------


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def visible_budget_or_404(user: User, year: int, department_code: str) -> Budget:
    """A budget's department-level pages and writes: a unit's accountant has none (403), only his unit's."""
    budget = get_object_or_404(budgets_visible_to(user), year_id=year, department__code=department_code)
    require(not user.is_unit_accountant, UNIT_ONLY)
    return budget


def unit_of_budget_or_404(user: User, year: int, department_code: str, unit_id: int) -> tuple[Budget, Unit]:
    """A budget the user may read (else 404) and one unit of its department (else 404); a unit's accountant
    reads only his own unit's (else 403)."""
    budget = get_object_or_404(budgets_visible_to(user), year_id=year, department__code=department_code)
    unit = Unit.objects.filter(pk=unit_id, department_id=budget.department_id).first()
    if unit is None:
        raise Http404(NO_SUCH_UNIT)
    require(not user.is_unit_accountant or user.unit_id == unit.pk, OTHER_UNIT)
    return budget, unit


def editable_budget_or_404(user: User, year: int, department_code: str, *, what: str) -> Budget:
    """A budget the user may read (else 404) and enter (else 403, saying who may change ``what``)."""
    budget = visible_budget_or_404(user, year, department_code)
    require(may_edit(user, budget), EDIT_REFUSED.format(what=what))
    return budget


def library_department_or_404(user: User, department_code: str) -> Department:
    """The department whose library the user keeps: his own as an accountant (another one is 404, like a budget he
    may not see), any as an administrator; a reviewer keeps none (403)."""
    department = get_object_or_404(Department, code=department_code)
    if (user.is_accountant or user.is_unit_accountant) and user.department_id != department.pk:
        raise Http404(NO_LIBRARY)
    require(may_keep_library(user, department), LIBRARY_REFUSED)
    return department
