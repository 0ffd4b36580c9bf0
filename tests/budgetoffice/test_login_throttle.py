"""Password guessing over the login page is throttled (django-axes): 5 failures lock the username for 15 minutes."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.support.factories import AccountantFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"
LOCKED = "登录失败次数过多"


def _login(client: Client, username: str, password: str, url: str | None = None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


def _fail_five_times(client: Client, username: str, url: str | None = None) -> None:
    for _ in range(4):
        response = _login(client, username, "wrong-password", url)
        assert response.status_code == 200  # the login form again, with its error
        assert LOCKED not in response.content.decode()
    # The fifth failure already answers with the lockout page.
    response = _login(client, username, "wrong-password", url)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_right_password_is_refused_after_five_wrong_ones(client) -> None:
    user = AccountantFactory(username="acc-guessed")
    _fail_five_times(client, user.username)

    response = _login(client, user.username, PASSWORD)

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_do_not_lock_and_a_success_starts_the_count_again(client) -> None:
    user = AccountantFactory(username="acc-typo")
    for _ in range(4):
        _login(client, user.username, "wrong-password")
    assert _login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, user.username, "wrong-password")
    assert _login(client, user.username, PASSWORD).status_code == 302


def test_another_user_on_the_same_machine_can_still_log_in(client) -> None:
    guessed = AccountantFactory(username="acc-guessed")
    colleague = AccountantFactory(username="acc-colleague")
    _fail_five_times(client, guessed.username)

    response = _login(client, colleague.username, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_the_lock_holds_from_another_address(client) -> None:
    user = AccountantFactory(username="acc-guessed")
    _fail_five_times(client, user.username)

    response = Client(REMOTE_ADDR="10.9.8.7").post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 429


def test_login_works_again_after_the_cool_off(client) -> None:
    user = AccountantFactory(username="acc-guessed")
    _fail_five_times(client, user.username)
    assert _login(client, user.username, PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = _login(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_admin_login_is_throttled_too(client) -> None:
    user = AccountantFactory(username="admin-guessed", is_staff=True)
    url = reverse("admin:login")
    _fail_five_times(client, user.username, url)

    response = _login(client, user.username, PASSWORD, url)

    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_test_client_login_without_a_request_still_works(client) -> None:
    user = AccountantFactory(username="acc-direct")
    assert client.login(username=user.username, password=PASSWORD)
    assert not client.login(username=user.username, password="wrong-password")


def test_trying_again_during_the_lock_restarts_the_cool_off(client) -> None:
    user = AccountantFactory(username="acc-impatient")
    _fail_five_times(client, user.username)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=10))

    assert _login(client, user.username, PASSWORD).status_code == 429
    # 20 minutes after the fifth failure, but only 10 after the last try.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))

    assert _login(client, user.username, PASSWORD).status_code == 429
