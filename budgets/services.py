"""Writes to a budget: atomic, row-locked, all-or-nothing with every error reported at once."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone

from budgets.auditing import budget_violations, violations_to_json
from budgets.domain.audit.model import Severity
from budgets.domain.changes import FigureKey, figure_changes
from budgets.domain.classifications import Kind, Source
from budgets.domain.ledger import AssetInfo, Line, ProcurementInfo, line_errors
from budgets.domain.workflow import EDITABLE_STATES, BudgetState
from budgets.models import Budget, BudgetEvent, BudgetLine, FixedAsset, ProcurementItem, Project, WarningExplanation
from budgets.selectors import budget_assets, budget_procurement
from catalog.models import BudgetYear, EconomicCode, FunctionCode
from departments.models import Department

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ProjectInput:
    name: str
    unit: str  # unit name within the department


@dataclass(frozen=True)
class LineInput:
    unit: str  # unit name within the department
    function: str
    economic: str
    kind: Kind
    source: Source
    amount: Decimal  # yuan
    project: str = ""
    carried_over: bool = False


@dataclass(frozen=True)
class FigureError:
    index: int  # 1-based position of the offending input line (0: the project list)
    message: str

    def __str__(self) -> str:
        return f"第{self.index}条：{self.message}" if self.index else self.message


class BudgetFiguresError(Exception):
    def __init__(self, errors: list[FigureError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


class StaleRevision(BudgetFiguresError):
    """Someone else changed the budget since the writer read it: nothing was written."""

    def __init__(self, budget: Budget):
        super().__init__([FigureError(0, stale_message(budget))])


def frozen_message(budget: Budget) -> str:
    return f"预算当前为“{BudgetState(budget.state).label}”，数字不能修改（只有草稿或退回的预算可以修改）。"


def stale_message(budget: Budget) -> str:
    changed = timezone.localtime(budget.updated_at).strftime("%Y-%m-%d %H:%M:%S")
    return (
        f"该预算在您打开之后已被他人修改（{changed}），为避免覆盖他人的修改，本次操作没有保存。"
        "请重新打开页面，核对最新内容后再操作。"
    )


def check_revision(budget: Budget, expected_revision: int | None) -> None:
    """Optimistic locking: ``expected_revision`` is the revision the writer's page or preview was built on."""
    if expected_revision is not None and expected_revision != budget.revision:
        raise StaleRevision(budget)


def lock_budget(budget: Budget, expected_revision: int | None = None, *, editable: bool = True) -> Budget:
    """The budget, row-locked to the end of the transaction; refused if frozen or changed since it was read."""
    budget = Budget.objects.select_for_update().select_related("department").get(pk=budget.pk)
    if editable and budget.state not in EDITABLE_STATES:
        raise BudgetFiguresError([FigureError(0, frozen_message(budget))])
    check_revision(budget, expected_revision)
    return budget


def _verdict(budget: Budget) -> dict[str, object]:
    """The audit rules' verdict on the budget as stored: its violations, and their counts for listings."""
    violations = budget_violations(budget)
    return {
        "violations": violations_to_json(violations),
        "errors_open": sum(violation.severity is Severity.ERROR for violation in violations),
        "warnings_open": sum(violation.severity is Severity.WARNING for violation in violations),
    }


def budget_touch(budget: Budget) -> None:
    """After every write of a locked budget: a new revision, and the audit rules' verdict, stored for the budget
    page and listings.

    Approving a budget also changes the verdict of the department's next year, whose 情况说明 compares with the
    approved figures (disclosure.selectors.approved_previous): it is stored again too, without a new revision
    (nothing its editors typed changed, so their open pages stay valid)."""
    for field, value in _verdict(budget).items():
        setattr(budget, field, value)
    budget.revision += 1
    budget.save(update_fields=["revision", "violations", "errors_open", "warnings_open", "updated_at"])
    if budget.state == BudgetState.APPROVED:
        following = (
            Budget.objects.select_for_update(of=("self",))  # not its control figures or goals: they may be missing
            .select_related("department", "year", "control", "goals")
            .filter(department_id=budget.department_id, year_id=budget.year_id + 1)
            .first()
        )
        if following is not None:
            Budget.objects.filter(pk=following.pk).update(**_verdict(following))


MAX_RECORDED_CHANGES = 2000


def _stored_figures(budget: Budget) -> dict[FigureKey, Decimal]:
    rows = budget.lines.values_list(
        "unit__name", "function__code", "economic__code", "kind", "source", "carried_over", "project__name", "amount"
    )
    return {
        (unit, f, e, kind, source, carried, project or ""): amount
        for unit, f, e, kind, source, carried, project, amount in rows
    }


def park_renamed(model: type[models.Model], ids: Sequence[int]) -> None:
    """Move the rows about to be renamed out of the way first, under a name nobody types (PostgreSQL refuses NUL):
    names are unique (per budget, per department), and two rows may swap theirs in one save."""
    for pk in ids:
        model.objects.filter(pk=pk).update(name=f"\u200b{pk}\u200b")


def budget_get_or_create(*, department: Department, year: int) -> Budget:
    budget_year = BudgetYear.objects.get(year=year)
    budget, _ = Budget.objects.get_or_create(department=department, year=budget_year)
    return budget


@transaction.atomic
def budget_replace_figures(
    *,
    budget: Budget,
    projects: Sequence[ProjectInput],
    lines: Sequence[LineInput],
    actor=None,
    expected_revision: int | None = None,
) -> None:
    """Make the budget's projects and lines exactly these; nothing is written if any line is wrong.

    The audit trail records who changed which figure from what to what."""
    budget = lock_budget(budget, expected_revision)
    units = {unit.name: unit for unit in budget.department.units.all()}
    functions = {code.code: code for code in FunctionCode.objects.filter(year_id=budget.year_id, level=3)}
    economics = {code.code: code for code in EconomicCode.objects.filter(year_id=budget.year_id, level=2)}
    project_units = {project.name: project.unit for project in projects}

    errors = [
        FigureError(0, f"项目“{project.name}”的单位“{project.unit}”不属于本部门。")
        for project in projects
        if project.unit not in units
    ]
    if len(project_units) != len(projects):
        errors.append(FigureError(0, "项目名称重复：同一部门预算中每个项目只能登记一次。"))
    first_index: dict[tuple, int] = {}
    for index, item in enumerate(lines, start=1):
        # One figure per cell, as the database's unique constraints demand.
        owner = ("project", item.project) if item.project else ("unit", item.unit)
        cell = (owner, item.function, item.economic, item.kind, item.source, item.carried_over)
        if cell in first_index:
            errors.append(
                FigureError(index, f"与第{first_index[cell]}条是同一格（单位或项目、科目、类型、来源都相同），请合并。")
            )
        first_index.setdefault(cell, index)
    for index, item in enumerate(lines, start=1):
        line = Line(item.function, item.economic, item.kind, item.source, item.amount, item.carried_over)
        problems = line_errors(line)
        if item.unit not in units:
            problems.append(f"单位“{item.unit}”不属于本部门。")
        if item.function not in functions:
            problems.append(f"{budget.year_id}年度科目表中没有功能分类项级科目{item.function}。")
        if item.economic not in economics:
            problems.append(f"{budget.year_id}年度科目表中没有经济分类款级科目{item.economic}。")
        if item.kind == Kind.PROJECT and item.project not in project_units:
            problems.append(f"项目支出必须指定已登记的项目，“{item.project}”不存在。")
        if item.kind != Kind.PROJECT and item.project:
            problems.append("只有项目支出可以指定项目。")
        if item.kind == Kind.PROJECT and item.project in project_units and project_units[item.project] != item.unit:
            problems.append(f"项目“{item.project}”属于“{project_units[item.project]}”，不是“{item.unit}”。")
        errors += [FigureError(index, problem) for problem in problems]
    if errors:
        raise BudgetFiguresError(errors)

    before = _stored_figures(budget)
    funded = set(budget.lines.exclude(project=None).values_list("project_id", flat=True))
    budget.lines.all().delete()
    # The projects by name, in bulk: a fixed number of queries however many projects (not two per project).
    stored = {project.name: project for project in budget.projects.all()}
    added, moved = [], []
    for position, item in enumerate(projects):
        unit, project = units[item.unit], stored.get(item.name)
        if project is None:
            added.append(Project(budget=budget, name=item.name, unit=unit, position=position))
        elif (project.unit_id, project.position) != (unit.pk, position):
            project.unit, project.position = unit, position
            moved.append(project)
    Project.objects.bulk_create(added)
    Project.objects.bulk_update(moved, ["unit", "position"])
    # A project that lost its last figure goes, unless the procurement plan or performance targets still name it;
    # one that had no figures (added on the 项目 page and waiting for them) stays.
    kept = [item.name for item in projects]
    orphans = budget.projects.exclude(name__in=kept).filter(pk__in=funded)
    orphans.filter(procurement_items__isnull=True, target__isnull=True).delete()
    by_name = {project.name: project for project in budget.projects.all()}
    BudgetLine.objects.bulk_create(
        BudgetLine(
            budget=budget,
            unit=units[item.unit],
            function=functions[item.function],
            economic=economics[item.economic],
            kind=item.kind,
            source=item.source,
            carried_over=item.carried_over,
            project=by_name[item.project] if item.project else None,
            amount=item.amount,
        )
        for item in lines
    )
    after = {
        (item.unit, item.function, item.economic, item.kind, item.source, item.carried_over, item.project): item.amount
        for item in lines
    }
    changes = figure_changes(before, after)
    BudgetEvent.objects.create(
        budget=budget,
        actor=actor,
        action="figures",
        data={
            "lines": [len(before), len(after)],
            "total": [str(sum(before.values(), ZERO)), str(sum(after.values(), ZERO))],
            "changed": len(changes),
            "changes": [change.as_json() for change in changes[:MAX_RECORDED_CHANGES]],
        },
    )
    budget_touch(budget)


@transaction.atomic
def budget_replace_supplementary(
    *,
    budget: Budget,
    procurement: Sequence[ProcurementInfo],
    assets: Sequence[AssetInfo],
    assets_as_of: date | None,
    actor=None,
    expected_revision: int | None = None,
) -> None:
    """Make the budget's procurement plan and fixed assets exactly these.

    A procurement item names its source project; a name the budget does not have yet is registered as a
    project of the first unit (without figures), so that the link survives.
    """
    budget = lock_budget(budget, expected_revision)
    before = (budget_procurement(budget), budget_assets(budget), budget.assets_as_of)
    if before == (tuple(procurement), tuple(assets), assets_as_of):
        return
    budget.procurement_items.all().delete()
    budget.fixed_assets.all().delete()
    projects = {project.name: project for project in budget.projects.all()}
    first_unit = budget.department.units.order_by("position", "id").first()
    items = []
    for position, item in enumerate(procurement):
        project = None
        if item.project:
            project = projects.get(item.project)
            if project is None:
                project = Project.objects.create(budget=budget, unit=first_unit, name=item.project, position=999)
                projects[item.project] = project
        items.append(
            ProcurementItem(
                budget=budget,
                project=project,
                item_name=item.item_name,
                catalogue_number=item.catalogue_number,
                measure_unit=item.measure_unit,
                quantity=item.quantity,
                unit_price=item.unit_price,
                general=item.general,
                govfund=item.govfund,
                statecap=item.statecap,
                special_account=item.special_account,
                position=position,
            )
        )
    ProcurementItem.objects.bulk_create(items)
    FixedAsset.objects.bulk_create(
        FixedAsset(budget=budget, item=asset.item, quantity=asset.quantity, value_yuan=asset.value, position=position)
        for position, asset in enumerate(assets)
    )
    budget.assets_as_of = assets_as_of
    budget.save(update_fields=["assets_as_of", "updated_at"])
    BudgetEvent.objects.create(
        budget=budget,
        actor=actor,
        action="supplementary",
        data={"procurement": [len(before[0]), len(procurement)], "assets": [len(before[1]), len(assets)]},
    )
    budget_touch(budget)


@transaction.atomic
def budget_set_duties(*, budget: Budget, duties: str, actor=None, expected_revision: int | None = None) -> None:
    budget = lock_budget(budget, expected_revision)
    if budget.duties == duties:
        return
    BudgetEvent.objects.create(
        budget=budget, actor=actor, action="duties", data={"changes": [["部门职责", budget.duties, duties]]}
    )
    budget.duties = duties
    budget.save(update_fields=["duties", "updated_at"])
    budget_touch(budget)


MAX_EXPLANATION = 2000


@transaction.atomic
def budget_explain_warnings(*, budget: Budget, actor, explanations: Mapping[str, str]) -> int:
    """Keep the department's explanation of each warning (by Violation.key); an empty text withdraws one.

    Only the budget's current warnings can be explained. Returns how many explanations changed."""
    budget = lock_budget(budget)
    warnings = {v.key: v for v in budget_violations(budget) if v.severity is Severity.WARNING}
    errors = [
        FigureError(0, f"说明过长（{len(text)} 字），最多 {MAX_EXPLANATION} 字：{warnings[key]}")
        for key, text in explanations.items()
        if key in warnings and len(text.strip()) > MAX_EXPLANATION
    ]
    if errors:
        raise BudgetFiguresError(errors)
    stored = {(e.rule, e.place): e for e in WarningExplanation.objects.filter(budget=budget)}
    changed = 0
    for key, text in explanations.items():
        violation = warnings.get(key)
        if violation is None:
            continue
        text = text.strip()
        current = stored.get((violation.rule, violation.place))
        if current is not None and not text:
            current.delete()
        elif current is None and text:
            WarningExplanation.objects.create(
                budget=budget, rule=violation.rule, place=violation.place, text=text, author=actor
            )
        elif current is not None and current.text != text:
            current.text, current.author = text, actor
            current.save(update_fields=["text", "author", "updated_at"])
        else:
            continue
        changed += 1
    return changed


def warning_explanations(budget: Budget) -> dict[str, str]:
    """The stored explanations by Violation.key."""
    return {f"{rule}|{place}": text for rule, place, text in budget.explanations.values_list("rule", "place", "text")}


# --- Projects (预算项目): their names and units, without figures ---------------------------------------------------

PROJECT_NAME_MAX = 200


@dataclass(frozen=True)
class ProjectEdit:
    """One project as entered on the projects page; ``id`` is the stored project it edits (None: a new one)."""

    id: int | None
    name: str
    unit: str  # unit name within the department


def project_edit_errors(projects: Sequence[ProjectEdit], unit_names: Sequence[str]) -> list[FigureError]:
    """What is wrong with the rows on their own, by 1-based row."""
    errors = []
    first: dict[str, int] = {}
    for index, project in enumerate(projects, start=1):
        if not project.name:
            errors.append(FigureError(index, "请填写项目名称。"))
        elif len(project.name) > PROJECT_NAME_MAX:
            errors.append(FigureError(index, f"项目名称最多 {PROJECT_NAME_MAX} 字（现有 {len(project.name)} 字）。"))
        elif project.name in first:
            errors.append(FigureError(index, f"项目名称与第{first[project.name]}行重复：同一预算的项目名称不能相同。"))
        first.setdefault(project.name, index)
        if project.unit not in unit_names:
            errors.append(FigureError(index, "单位必须是本部门的单位，请从列表中选择。"))
    return errors


@transaction.atomic
def budget_replace_projects(
    *, budget: Budget, projects: Sequence[ProjectEdit], actor=None, expected_revision: int | None = None
) -> int:
    """Make the budget's projects exactly these (names, units, order); nothing is written if anything is wrong.

    A project moved to another unit takes its lines with it (a project's lines carry its unit). A stored project not
    listed is removed, which is refused while it has figures, performance targets or procurement items. Returns how
    many changes were made (0: nothing written, no new revision)."""
    budget = lock_budget(budget, expected_revision)
    units = {unit.name: unit for unit in budget.department.units.all()}
    stored = {project.pk: project for project in budget.projects.select_related("unit").order_by("position", "id")}
    errors = project_edit_errors(projects, list(units))
    for index, project in enumerate(projects, start=1):
        if project.id is not None and project.id not in stored:
            errors.append(FigureError(index, "该项目不存在或不属于本预算，请重新打开页面。"))
    listed = [project.id for project in projects if project.id is not None]
    if len(set(listed)) != len(listed):
        errors.append(FigureError(0, "同一项目出现了两次，请重新打开页面。"))
    removed = [project for pk, project in stored.items() if pk not in set(listed)]
    if removed:
        busy = budget.projects.filter(pk__in=[project.pk for project in removed])
        with_lines = set(busy.filter(lines__isnull=False).values_list("pk", flat=True))
        with_targets = set(busy.filter(target__isnull=False).values_list("pk", flat=True))
        with_items = set(busy.filter(procurement_items__isnull=False).values_list("pk", flat=True))
        for project in removed:
            reasons = [
                reason
                for reason, ids in (("预算数字", with_lines), ("绩效目标", with_targets), ("政府采购", with_items))
                if project.pk in ids
            ]
            if reasons:
                errors.append(
                    FigureError(
                        0,
                        f"项目“{project.name}”不能删除：它还有{'、'.join(reasons)}（请先在对应页面删除，再删除项目）。",
                    )
                )
    if errors:
        raise BudgetFiguresError(errors)

    changes: list[list[str]] = [[f"项目“{project.name}”", project.unit.name, "删除"] for project in removed]
    for project in projects:
        old = stored.get(project.id)
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

    for project in removed:
        project.delete()
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
