"""Procurement items and fixed assets: what the database refuses, and the admin that edits them."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError
from django.urls import reverse

from budgets.models import Budget, BudgetLine, FixedAsset, ProcurementItem
from tests.support.budgets import ASSETS, PROCUREMENT
from tests.support.factories import BudgetFactory, FixedAssetFactory, ProcurementItemFactory, ProjectFactory
from tests.support.posting import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["general", "govfund", "statecap", "special_account", "quantity", "unit_price"])
def test_procurement_amounts_are_never_negative(field) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcurementItemFactory(**{field: Decimal("-0.01")})


@pytest.mark.parametrize("field", ["quantity", "value_yuan"])
def test_asset_figures_are_never_negative(field) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        FixedAssetFactory(**{field: Decimal("-1")})


def test_the_source_project_belongs_to_the_budget() -> None:
    item = ProcurementItemFactory.build(budget=BudgetFactory(), project=ProjectFactory())
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert "本部门预算的项目" in str(caught.value.message_dict["project"])
    project = ProjectFactory()
    ProcurementItemFactory.build(budget=project.budget, project=project).full_clean()


def test_a_project_with_procurement_items_cannot_be_deleted_but_its_budget_can() -> None:
    project = ProjectFactory()
    ProcurementItemFactory(budget=project.budget, project=project)
    FixedAssetFactory(budget=project.budget)
    with pytest.raises(RestrictedError), transaction.atomic():
        project.delete()
    project.budget.delete()
    assert not ProcurementItem.objects.exists()
    assert not FixedAsset.objects.exists()


# admin -------------------------------------------------------------------------------------------------------


def test_admin_budget_page_edits_procurement_and_assets(small, login) -> None:
    client = login("admin")
    budget = small.budget
    url = reverse("admin:budgets_budget_change", args=[budget.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    items = [item.item_name for item in PROCUREMENT]
    for text in ("政府采购预算", "固定资产占用", *items, ASSETS[0].item, "固定资产截止时间"):
        assert text in html
    # The project choices are this budget's projects only.
    soup = BeautifulSoup(html, "html.parser")
    options = [option.get_text() for option in soup.select('select[name="procurement_items-0-project"] option')]
    assert set(options) - {"---------"} == set(budget.projects.values_list("name", flat=True))

    values = form_data(html, "budget_form")
    count = int(values["fixed_assets-TOTAL_FORMS"])
    values |= {
        "fixed_assets-TOTAL_FORMS": str(count + 1),
        f"fixed_assets-{count}-item": "专用设备（台、套）",
        f"fixed_assets-{count}-quantity": "3",
        f"fixed_assets-{count}-value_yuan": "99000.00",
        f"fixed_assets-{count}-position": "9",
        "assets_as_of": "2020-11-30",
    }
    response = client.post(url, values)
    assert response.status_code == 302, response.content.decode()[:2000]
    revision = budget.revision
    budget.refresh_from_db()
    assert str(budget.assets_as_of) == "2020-11-30"
    assert budget.fixed_assets.get(item="专用设备（台、套）").value_yuan == Decimal("99000.00")
    assert budget.procurement_items.count() == len(PROCUREMENT)
    # The change is in the budget's own trail, by whom, and is a new revision.
    event = budget.events.get(action="admin")
    assert event.actor.username == "admin"
    assert any("固定资产" in message for message in event.data["admin"])
    assert budget.revision == revision + 1


def test_admin_offers_no_way_to_type_single_figures(small, login) -> None:
    client = login("admin")
    line = BudgetLine.objects.first()
    assert client.get(reverse("admin:budgets_budgetline_add")).status_code == 403
    assert client.post(reverse("admin:budgets_budgetline_change", args=[line.pk]), {"amount": "1"}).status_code == 403
    assert client.post(reverse("admin:budgets_budgetline_delete", args=[line.pk]), {"post": "yes"}).status_code == 403
    assert BudgetLine.objects.get(pk=line.pk).amount == line.amount
    assert client.get(reverse("admin:budgets_budgetline_import")).status_code == 200


def test_admin_add_budget_page_opens(login, small) -> None:
    assert login("admin").get(reverse("admin:budgets_budget_add")).status_code == 200
    assert Budget.objects.count() == 2
