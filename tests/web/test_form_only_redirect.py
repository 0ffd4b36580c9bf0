"""A GET of an address that only takes a form leads back to its page with a message, instead of a blank 405."""

import pytest
from django.urls import reverse

from budgets.models import BudgetEvent
from tests.support.admin_io import messages_of
from tests.support.budgets import OWN, YEAR

pytestmark = pytest.mark.django_db


def test_a_get_of_a_budget_form_address_goes_back_to_the_budget_page_and_changes_nothing(small, login) -> None:
    events = BudgetEvent.objects.count()
    response = login("accountant").get(reverse("budget_explanations", args=[YEAR, OWN]))
    assert response.status_code == 302
    assert response["Location"] == reverse("budget_detail", args=[YEAR, OWN])
    assert any("只接受页面上的表单提交" in message for message in messages_of(response))
    assert BudgetEvent.objects.count() == events


def test_other_methods_keep_their_405(small, login) -> None:
    assert login("reviewer").post(reverse("dashboard")).status_code == 405
