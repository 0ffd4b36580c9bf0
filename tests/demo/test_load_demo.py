import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from budgets.models import Budget
from departments.models import Unit

pytestmark = pytest.mark.django_db


def test_demo_is_refused_outside_development(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")
    assert not Budget.objects.exists()


def test_demo_loads_and_prints_the_logins(settings, capsys) -> None:
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    for username in ("admin", "reviewer", "acc202", "acc318"):
        assert username in out
    assert Budget.objects.count() == 2


def test_the_demo_has_a_unit_accountant_per_unit_bound_to_it(settings, capsys) -> None:
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    units = Unit.objects.filter(department__code__in=("202", "318")).order_by("department__code", "position", "id")
    assert units.count() >= 3
    for unit in units:
        accountant = User.objects.get(role=Role.UNIT_ACCOUNTANT, unit=unit)
        assert accountant.department_id == unit.department_id
        assert f"{accountant.username:<12} {unit.name} 单位填报人" in out
    assert User.objects.get(username="acc202-2").unit.name == "中共石家庄市鹿泉区委信息中心"


def test_the_demo_without_unit_accountants_is_entered_by_the_departments(settings) -> None:
    settings.DEBUG = True
    call_command("load_demo", "--no-unit-accountants")
    assert not User.objects.filter(role=Role.UNIT_ACCOUNTANT).exists()
