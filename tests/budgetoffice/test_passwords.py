"""Passwords set through the site (the admin's user forms) must pass Django's validators."""

import pytest
from django.urls import reverse

from accounts.models import Role, User
from tests.support.factories import AccountantFactory, AdministratorFactory

pytestmark = pytest.mark.django_db

STRONG = "Haidian-budget-2026!"


def _add_user(client, password: str):
    return client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new-accountant",
            "password1": password,
            "password2": password,
            "usable_password": "true",
            "role": Role.REVIEWER,
        },
    )


@pytest.mark.parametrize(
    ("password", "reason"),
    [("12345678", "只包含数字"), ("password", "太常见"), ("Ab1!", "too short"), ("new-accountant1", "太相似")],
    ids=["numeric", "common", "short", "like-the-username"],
)
def test_the_admin_cannot_create_a_user_with_a_weak_password(client, password, reason) -> None:
    client.force_login(AdministratorFactory())
    response = _add_user(client, password)
    assert response.status_code == 200
    assert any(reason in error for error in response.context["adminform"].form.errors["password2"])
    assert not User.objects.filter(username="new-accountant").exists()


def test_the_admin_creates_a_user_with_a_strong_password(client) -> None:
    client.force_login(AdministratorFactory())
    response = _add_user(client, STRONG)
    assert response.status_code == 302
    assert User.objects.get(username="new-accountant").check_password(STRONG)


def test_the_admin_cannot_reset_a_password_to_a_weak_one(client) -> None:
    user = AccountantFactory()
    client.force_login(AdministratorFactory())
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = client.post(url, {"password1": "11111111", "password2": "11111111", "usable_password": "true"})
    assert response.status_code == 200
    assert "密码只包含数字" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("pw-for-tests")


def test_an_accountant_changes_their_own_password_after_giving_the_old_one(client) -> None:
    user = AccountantFactory(username="zhang")
    user.set_password("Old-budget-2025!")
    user.save()
    client.force_login(user)
    url = reverse("password_change")
    wrong = client.post(url, {"old_password": "nope", "new_password1": STRONG, "new_password2": STRONG})
    assert wrong.status_code == 200
    assert "旧密码不正确" in wrong.content.decode()
    weak = client.post(
        url, {"old_password": "Old-budget-2025!", "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert "只包含数字" in weak.content.decode()
    user.refresh_from_db()
    assert user.check_password("Old-budget-2025!")
    done = client.post(url, {"old_password": "Old-budget-2025!", "new_password1": STRONG, "new_password2": STRONG})
    assert done["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert "修改密码" in client.get(reverse("home")).content.decode()


def test_changing_a_password_needs_a_login(client) -> None:
    assert client.get(reverse("password_change"))["Location"].startswith(reverse("login"))
