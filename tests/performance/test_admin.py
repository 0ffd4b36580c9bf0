"""Performance targets in the admin: administrators read them; they are changed on the budget's pages only."""

import pytest
from django.urls import reverse

from performance.models import LibraryIndicator, TargetTable
from tests.support.budgets import EQUIPMENT, PERFORMANCE

pytestmark = pytest.mark.django_db


def test_administrators_read_targets_but_change_them_only_on_the_budget_pages(small, login) -> None:
    client = login("admin")
    table = TargetTable.objects.get(project__budget=small.budget, project__name=EQUIPMENT)
    [spec] = [target for target in PERFORMANCE.targets if target.project == EQUIPMENT]
    for name in ("departmentgoals", "subgoal", "targettable", "libraryindicator"):
        assert client.get(reverse(f"admin:performance_{name}_changelist")).status_code == 200, name
    page = client.get(reverse("admin:performance_targettable_change", args=[table.pk])).content.decode()
    assert spec.indicators[0].name in page  # its rows, read-only
    assert 'name="goal"' not in page
    assert client.get(reverse("admin:performance_targettable_add")).status_code == 403
    before = table.goal
    client.post(reverse("admin:performance_targettable_change", args=[table.pk]), {"goal": "管理后台改写"})
    table.refresh_from_db()
    assert table.goal == before


def test_the_library_can_be_tidied_up_in_the_admin(small, login) -> None:
    entry = LibraryIndicator.objects.create(
        department=small.budget.department, level1="产出指标", level2="数量指标", name="过时的指标"
    )
    client = login("admin")
    client.post(reverse("admin:performance_libraryindicator_delete", args=[entry.pk]), {"post": "yes"})
    assert not LibraryIndicator.objects.filter(pk=entry.pk).exists()


def test_accountants_do_not_get_into_the_admin(small, login) -> None:
    response = login("accountant").get(reverse("admin:performance_targettable_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
