"""budgets.computed: kept once per stamp, outside transactions only, and never a condition of the page."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from budgets.computed import budget_stamp, computed
from budgets.models import Budget
from tests.support.budgets import OWN, YEAR, SmallWorld


def budget() -> Budget:
    return Budget.objects.select_related("department", "year").get(department__code=OWN, year_id=YEAR)


def counting() -> tuple[list[int], object]:
    calls: list[int] = []

    def produce() -> str:
        calls.append(1)
        return f"value {len(calls)}"

    return calls, produce


@pytest.mark.django_db(transaction=True)
def test_a_value_is_computed_once_per_stamp(small: SmallWorld) -> None:
    calls, produce = counting()
    assert computed(budget(), "x", produce) == computed(budget(), "x", produce) == "value 1"
    assert computed(budget(), "x", produce, "another part") == "value 2"
    Budget.objects.filter(pk=budget().pk).update(revision=budget().revision + 1)  # as any write does
    assert computed(budget(), "x", produce) == "value 3"
    assert len(calls) == 3


@pytest.mark.django_db
def test_inside_a_transaction_nothing_is_kept(small: SmallWorld) -> None:
    calls, produce = counting()  # the test runs in a transaction, as a write or a rehearsal does
    computed(budget(), "x", produce)
    computed(budget(), "x", produce)
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_cache_that_fails_costs_time_not_the_page(small: SmallWorld, monkeypatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    _calls, produce = counting()
    assert computed(budget(), "x", produce) == "value 1"
    assert computed(budget(), "x", produce) == "value 2"


@pytest.mark.django_db(transaction=True)
def test_the_stamp_names_the_department_and_the_catalogue_too(small: SmallWorld) -> None:
    before = budget_stamp(budget())
    unit = budget().department.units.first()
    unit.rank = "正处级"
    unit.save()
    after_unit = budget_stamp(budget())
    code = budget().year.functioncode_set.first()
    code.name = f"{code.name}（改）"
    code.save()
    assert len({before, after_unit, budget_stamp(budget())}) == 3


@pytest.mark.django_db(transaction=True)
def test_clear_cache_forgets_what_was_kept(small: SmallWorld, capsys) -> None:
    calls, produce = counting()
    computed(budget(), "x", produce)
    call_command("clear_cache")
    computed(budget(), "x", produce)
    assert len(calls) == 2
    assert "已清空缓存" in capsys.readouterr().out
