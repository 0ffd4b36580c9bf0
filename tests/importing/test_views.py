"""Uploading a workbook on the budget page: preview, confirm, and who may do it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets.models import BudgetLine
from importing import views as import_views
from tests.support.workbooks import edited, exported

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, data: bytes, code: str = "202"):
    file = SimpleUploadedFile("budget.xlsx", data, content_type=XLSX)
    return client.post(reverse("budget_import", args=[2021, code]), {"workbook": file})


def amounts() -> list:
    return list(BudgetLine.objects.order_by("id").values_list("amount", flat=True))


def test_unchanged_workbook_previews_as_no_change(demo, login) -> None:
    response = upload(login("acc202"), exported(demo["202"]))
    assert response.status_code == 200
    assert "没有变化" in response.content.decode()
    assert 'name="token"' not in response.content.decode()


def test_bad_cell_is_shown_with_its_place_and_nothing_changes(demo, login) -> None:
    before = amounts()
    data = edited(exported(demo["202"]), lambda wb: wb["部门预算收入总表"].__setitem__("F9", "12,3x"))
    html = upload(login("acc202"), data).content.decode()
    assert "部门预算收入总表!F9" in html
    assert "“12,3x”不是有效金额" in html
    assert amounts() == before


def test_changes_are_listed_and_applied_on_confirm(demo, login) -> None:
    client = login("acc202")
    data = exported(demo["202"])
    line = BudgetLine.objects.get(budget=demo["202"], function__code="2101101")
    line.amount += 10000
    line.save()
    html = upload(client, data).content.decode()
    assert "部门预算支出总表" in html
    assert "37.16" in html
    token = html.split('name="token" value="')[1].split('"')[0]
    response = client.post(reverse("budget_import_confirm", args=[2021, "202"]), {"token": token})
    assert response.status_code == 302
    line_total = sum(
        BudgetLine.objects.filter(budget=demo["202"], function__code="2101101").values_list("amount", flat=True)
    )
    assert line_total == 361600


def test_a_token_cannot_be_replayed_or_used_for_another_budget(demo, login) -> None:
    client = login("admin")
    line = BudgetLine.objects.get(budget=demo["202"], function__code="2101101")
    data = exported(demo["202"])
    line.amount += 10000
    line.save()
    html = upload(client, data).content.decode()
    token = html.split('name="token" value="')[1].split('"')[0]
    before = amounts()
    client.post(reverse("budget_import_confirm", args=[2021, "318"]), {"token": token})
    assert amounts() == before
    client.post(reverse("budget_import_confirm", args=[2021, "202"]), {"token": token})
    after = amounts()
    assert after != before
    response = client.post(reverse("budget_import_confirm", args=[2021, "202"]), {"token": token}, follow=True)
    assert "已过期" in response.content.decode()


@pytest.mark.parametrize(("username", "status"), [("reviewer", 403), ("acc318", 404)])
def test_reviewers_and_other_departments_cannot_import(demo, login, username, status) -> None:
    before = amounts()
    response = upload(login(username), exported(demo["202"]))
    assert response.status_code == status
    assert amounts() == before


def test_a_workbook_of_another_department_is_refused(demo, login) -> None:
    html = upload(login("acc318"), exported(demo["202"]), code="318").content.decode()
    assert "工作簿属于部门 202，不是 318" in html


def test_oversized_upload_is_refused_before_reading(demo, login, monkeypatch) -> None:
    monkeypatch.setattr(import_views, "MAX_FILE_BYTES", 1000)
    response = upload(login("acc202"), exported(demo["202"]))
    assert response.status_code == 302
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("文件过大" in message for message in messages)


def test_only_editors_see_the_upload_form(demo, login) -> None:
    assert "上传并预览" in login("acc202").get(reverse("budget_detail", args=[2021, "202"])).content.decode()
    assert "上传并预览" not in login("reviewer").get(reverse("budget_detail", args=[2021, "202"])).content.decode()


def test_garbage_upload_gets_a_message_not_an_error(demo, login) -> None:
    html = upload(login("acc202"), b"not a workbook at all").content.decode()
    assert "不是 xlsx" in html
