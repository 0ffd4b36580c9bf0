"""factory_boy factories: the one place tests get their data from."""

from decimal import Decimal

import factory

from accounts.models import Role, User
from budgets.models import Budget, BudgetLine, FixedAsset, ProcurementItem, Project
from budgets.selectors import spending_totals
from catalog.models import BudgetYear, EconomicCode, FunctionCode
from departments.models import Department, Unit, UnitNature
from domain.classifications import Kind, Source


class BudgetYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetYear
        django_get_or_create = ("year",)

    year = 2021


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{500 + n}")
    name = factory.Sequence(lambda n: f"测试部门{n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"测试单位{n}")
    nature = UnitNature.ADMINISTRATIVE
    rank = "正科级"
    funding_form = "财政拨款"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.REVIEWER
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def saved(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class AccountantFactory(UserFactory):
    role = Role.ACCOUNTANT
    department = factory.SubFactory(DepartmentFactory)


class AdministratorFactory(UserFactory):
    role = Role.ADMINISTRATOR
    is_staff = True
    is_superuser = True


class FunctionCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FunctionCode
        django_get_or_create = ("year", "code")

    year = factory.SubFactory(BudgetYearFactory)
    code = "2013101"
    name = "行政运行"
    level = factory.LazyAttribute(lambda entry: {3: 1, 5: 2, 7: 3}[len(entry.code)])


class EconomicCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EconomicCode
        django_get_or_create = ("year", "code")

    year = factory.SubFactory(BudgetYearFactory)
    code = "30101"
    name = "基本工资"
    level = factory.LazyAttribute(lambda entry: {3: 1, 5: 2}[len(entry.code)])


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    department = factory.SubFactory(DepartmentFactory)
    year = factory.SubFactory(BudgetYearFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    budget = factory.SubFactory(BudgetFactory)
    unit = factory.SubFactory(UnitFactory, department=factory.SelfAttribute("..budget.department"))
    name = factory.Sequence(lambda n: f"测试项目{n}")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine
        skip_postgeneration_save = True

    budget = factory.SubFactory(BudgetFactory)
    unit = factory.SubFactory(UnitFactory, department=factory.SelfAttribute("..budget.department"))
    function = factory.SubFactory(FunctionCodeFactory, year=factory.SelfAttribute("..budget.year"))
    economic = factory.SubFactory(EconomicCodeFactory, year=factory.SelfAttribute("..budget.year"))
    kind = Kind.BASIC
    source = Source.GENERAL
    amount = Decimal("10000.00")

    @factory.post_generation
    def stored_totals(line: BudgetLine, create: bool, extracted: object, **kwargs: object) -> None:
        """The budget's stored totals follow, as after a write of the services (budget_touch)."""
        if create:
            spending, fiscal = spending_totals(line.budget)
            Budget.objects.filter(pk=line.budget_id).update(spending=spending, fiscal_spending=fiscal)
            line.budget.spending, line.budget.fiscal_spending = spending, fiscal


class ProcurementItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcurementItem

    budget = factory.SubFactory(BudgetFactory)
    project = None
    item_name = factory.Sequence(lambda n: f"采购物品{n}")
    measure_unit = "台"
    quantity = Decimal("1.00")
    unit_price = Decimal("5000.00")
    general = Decimal("5000.00")


class FixedAssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FixedAsset

    budget = factory.SubFactory(BudgetFactory)
    item = "办公设备（台、套）"
    quantity = Decimal("10.00")
    value_yuan = Decimal("50000.00")
