"""Putting the demo budgets and users in the database, idempotently."""

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from accounts.models import Role, User
from budgets.models import Budget, ControlFigures
from budgets.services.figures import budget_get_or_create, budget_replace_figures
from budgets.services.locking import budget_touch
from budgets.services.supplementary import budget_replace_supplementary
from budgets.services.targets import budget_replace_performance
from catalog.models import EconomicCode, FunctionCode
from catalog.services import catalog_import, read_csv
from demo import luquan_202, luquan_318
from demo.explanation import load_demo_explanation
from demo.spec import DemoBudget
from departments.models import Department, Unit
from domain.catalogue import CatalogKind
from domain.control import control_actuals
from domain.ledger import AssetInfo, LineInput, ProcurementInfo, ProjectInput
from domain.workflow import BudgetRound, BudgetState

DEMO_BUDGETS: tuple[DemoBudget, ...] = (luquan_202.BUDGET, luquan_318.BUDGET)
DEMO_PASSWORD = "demo-2021"
STARTER_CATALOGUES = Path(settings.BASE_DIR) / "catalog" / "data"


def load_starter_catalogue(year: int) -> None:
    """The catalogue shipped in catalog/data/<year>/ (a partial starter list, see its README)."""
    for kind, filename in (
        (CatalogKind.FUNCTION, "function_classification.csv"),
        (CatalogKind.ECONOMIC, "economic_classification.csv"),
    ):
        text = (STARTER_CATALOGUES / str(year) / filename).read_text(encoding="utf-8")
        catalog_import(year=year, kind=kind, rows=read_csv(text))


@transaction.atomic
def load_demo_budget(spec: DemoBudget) -> Budget:
    department, _ = Department.objects.update_or_create(
        code=spec.department_code, defaults={"name": spec.department_name}
    )
    for position, unit in enumerate(spec.units):
        Unit.objects.update_or_create(
            department=department,
            name=unit.name,
            defaults={
                "nature": unit.nature,
                "rank": unit.rank,
                "funding_form": unit.funding_form,
                "position": position,
            },
        )
    budget = budget_get_or_create(department=department, year=spec.year)
    budget.duties = spec.duties
    # The demo is restored as a draft, whatever a demonstration did with it since; an approved version stays
    # kept as approved, and the restored demo becomes the next version.
    if budget.state == BudgetState.APPROVED:
        budget.version += 1
    budget.state = BudgetState.DRAFT
    budget.round = BudgetRound.FORMAL if spec.formal_round else BudgetRound.PROPOSAL
    budget.save(update_fields=["duties", "state", "round", "version"])
    # Procurement items hold on to their projects (RESTRICT): clear them before the projects are replaced.
    budget.procurement_items.all().delete()
    unit_names = [unit.name for unit in spec.units]
    budget_replace_figures(
        budget=budget,
        projects=[ProjectInput(project.name, unit_names[project.unit]) for project in spec.projects],
        lines=[
            LineInput(
                unit=unit_names[line.unit],
                function=line.function,
                economic=line.economic,
                kind=line.kind,
                source=line.source,
                amount=line.amount,
                project=line.project,
                carried_over=line.carried_over,
            )
            for line in spec.lines
        ],
    )
    budget_replace_supplementary(
        budget=budget,
        procurement=[
            ProcurementInfo(
                project=item.project,
                item_name=item.item_name,
                catalogue_number=item.catalogue_number,
                measure_unit=item.measure_unit,
                quantity=Decimal(item.quantity),
                unit_price=Decimal(item.unit_price),
                general=Decimal(item.general),
                govfund=Decimal(item.govfund),
                statecap=Decimal(item.statecap),
                special_account=Decimal(item.special_account),
            )
            for item in spec.procurement
        ],
        assets=[AssetInfo(asset.item, Decimal(asset.quantity), Decimal(asset.value_yuan)) for asset in spec.assets],
        assets_as_of=spec.assets_as_of,
    )
    budget_replace_performance(budget=budget, performance=spec.performance)
    load_demo_explanation(budget)  # 2020 figures and the example's reasons (202)
    if spec.formal_round:
        limits = control_actuals(line.as_line() for line in spec.lines)
        ControlFigures.objects.update_or_create(budget=budget, defaults=limits)
    else:
        ControlFigures.objects.filter(budget=budget).delete()
    budget.refresh_from_db()
    budget_touch(budget)  # the checks now see the control figures
    return budget


def _demo_user(
    username: str,
    *,
    name: str,
    role: Role,
    department: Department | None = None,
    unit: Unit | None = None,
    superuser: bool = False,
) -> User:
    user = User.objects.filter(username=username).first() or User(username=username)
    user.first_name, user.last_name = name, ""
    user.role = role
    user.department, user.unit = department, unit
    user.is_staff = user.is_superuser = superuser
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@transaction.atomic
def load_demo(*, unit_accountants: bool = False) -> list[tuple[str, str]]:
    """Catalogues, the demo budgets and one user per role (with ``unit_accountants``, also one 单位填报人 per unit
    of each demo department, acc202-1, acc202-2 …: the department then submits once it has accepted every unit's
    part); returns (username, description) pairs."""
    years = {spec.year for spec in DEMO_BUDGETS}
    for year in sorted(years):
        if (
            not FunctionCode.objects.filter(year_id=year).exists()
            or not EconomicCode.objects.filter(year_id=year).exists()
        ):
            load_starter_catalogue(year)
    budgets = [load_demo_budget(spec) for spec in DEMO_BUDGETS]
    users = [
        (_demo_user("admin", name="管理员", role=Role.ADMINISTRATOR, superuser=True), "系统管理员"),
        (_demo_user("reviewer", name="财政审核", role=Role.REVIEWER), "财政局审核人，可查看所有部门"),
    ]
    reviewer = users[1][0]
    for budget in budgets:
        department = budget.department
        department.reviewer = reviewer
        department.save(update_fields=["reviewer"])
        users.append(
            (
                _demo_user(
                    f"acc{department.code}", name=f"填报{department.code}", role=Role.ACCOUNTANT, department=department
                ),
                f"{department.name} 填报人",
            )
        )
        for number, unit in enumerate(department.units.order_by("position", "id") if unit_accountants else [], 1):
            username = f"acc{department.code}-{number}"
            user = _demo_user(
                username,
                name=f"单位{department.code}-{number}",
                role=Role.UNIT_ACCOUNTANT,
                department=department,
                unit=unit,
            )
            users.append((user, f"{unit.name} 单位填报人"))
    return [(user.username, description) for user, description in users]
