"""The admin site is for administrators only, whatever flags a user was given."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role, User
from tests.support.budgets import OWN
from tests.support.factories import AccountantFactory, AdministratorFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["admin:index", "admin:departments_department_changelist", "admin:budgets_budgetline_changelist"]


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_administrator_opens_the_admin(client, page) -> None:
    client.force_login(AdministratorFactory())
    assert client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize("page", ADMIN_PAGES)
@pytest.mark.parametrize(
    "make_user",
    [
        lambda: AccountantFactory(),
        lambda: UserFactory(role=Role.REVIEWER),
        lambda: AccountantFactory(is_staff=True, is_superuser=True),
        lambda: UserFactory(role=Role.REVIEWER, is_staff=True),
    ],
    ids=["accountant", "reviewer", "staff-accountant", "staff-reviewer"],
)
def test_everyone_else_is_sent_to_the_admin_login(client, page, make_user) -> None:
    client.force_login(make_user())
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_createsuperuser_makes_an_administrator() -> None:
    call_command("createsuperuser", username="root", email="root@example.org", interactive=False, verbosity=0)
    assert User.objects.get(username="root").role == Role.ADMINISTRATOR


def test_admin_cannot_move_a_budget_or_unit_to_another_department(small, client) -> None:
    from budgets.models import Budget
    from departments.models import Unit

    client.force_login(small.admin)
    budget = small.budget
    other = small.other.department
    response = client.post(
        reverse("admin:budgets_budget_change", args=[budget.pk]),
        {"department": other.pk, "year": 2021, "duties": "x", "projects-TOTAL_FORMS": 0, "projects-INITIAL_FORMS": 0},
    )
    assert response.status_code in (200, 302)
    assert Budget.objects.get(pk=budget.pk).department.code == OWN
    unit = Unit.objects.filter(department=budget.department).first()
    client.post(
        reverse("admin:departments_unit_change", args=[unit.pk]),
        {"department": other.pk, "name": unit.name, "nature": unit.nature, "position": 0},
    )
    unit.refresh_from_db()
    assert unit.department.code == OWN
