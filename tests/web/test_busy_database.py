"""A database still busy after its timeout answers a Chinese 503 saying nothing was written, never a 500; other
database errors are not hidden."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.support.budgets import OWN, YEAR

pytestmark = pytest.mark.django_db


def _raise(error: Exception):
    def transition(**kwargs) -> None:
        raise error

    return transition


def test_a_locked_database_answers_a_chinese_503_with_a_retry(small, login, monkeypatch) -> None:
    monkeypatch.setattr("workflow.views.budget_transition", _raise(OperationalError("database is locked")))
    client = login("accountant")
    response = client.post(reverse("budget_transition", args=[YEAR, OWN, "submit"]))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert "系统正忙" in html
    assert "数据未改变" in html


def test_any_other_database_error_is_still_an_error(small, login, monkeypatch) -> None:
    monkeypatch.setattr("workflow.views.budget_transition", _raise(OperationalError("no such table: budgets_x")))
    client = login("accountant")
    client.raise_request_exception = True
    with pytest.raises(OperationalError):
        client.post(reverse("budget_transition", args=[YEAR, OWN, "submit"]))
