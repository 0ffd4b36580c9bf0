import pytest
from django.core.management import CommandError, call_command

from budgets.models import Budget

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
