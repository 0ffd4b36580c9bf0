"""Oversized workbook uploads are refused from their Content-Length, before the body is read or parsed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets.models import BudgetEvent, BudgetLine
from importing import views as import_views
from tests.support.admin_io import messages_of
from tests.support.budgets import OWN, YEAR

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOO_BIG = b"PK\x03\x04" + b"\0" * (12 * 1024 * 1024)


@pytest.fixture
def no_parsing(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("an oversized upload reached the workbook reader")

    monkeypatch.setattr(import_views, "budget_import_preview", fail)
    monkeypatch.setattr(import_views, "workbook_check", fail)


def test_a_12_mb_import_is_refused_unread_and_nothing_changes(small, login, no_parsing, tmp_path) -> None:
    lines = list(BudgetLine.objects.order_by("id").values_list("id", "amount"))
    events = BudgetEvent.objects.count()
    file = SimpleUploadedFile("budget.xlsx", TOO_BIG, content_type=XLSX)

    response = login("accountant").post(reverse("budget_import", args=[YEAR, OWN]), {"workbook": file})

    assert response.status_code == 302
    assert response["Location"] == reverse("budget_detail", args=[YEAR, OWN])
    assert any("文件过大（12.0 MB），上限为 10 MB" in message for message in messages_of(response))
    # The multipart body was never parsed (nothing spooled to a temporary file), nothing stored (MEDIA_ROOT is in
    # tmp_path) or changed.
    assert not hasattr(response.wsgi_request, "_files")
    assert not any(tmp_path.rglob("*"))
    assert list(BudgetLine.objects.order_by("id").values_list("id", "amount")) == lines
    assert BudgetEvent.objects.count() == events


def test_a_12_mb_workbook_check_is_refused_with_a_message(small, login, no_parsing) -> None:
    file = SimpleUploadedFile("budget.xlsx", TOO_BIG, content_type=XLSX)

    response = login("accountant").post(reverse("workbook_check"), {"workbook": file}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("workbook_check"), 302)]
    assert "文件过大（12.0 MB），上限为 10 MB，文件未被读取，数据未改变。" in response.content.decode()


def test_the_limit_is_a_setting_and_a_body_under_it_reaches_the_view(small, login, settings) -> None:
    settings.MAX_WORKBOOK_UPLOAD_BYTES = 2048
    client = login("accountant")
    small = SimpleUploadedFile("small.xlsx", b"not a workbook", content_type=XLSX)
    big = SimpleUploadedFile("big.xlsx", b"x" * 4096, content_type=XLSX)

    assert "不是 xlsx" in client.post(reverse("workbook_check"), {"workbook": small}).content.decode()
    refused = client.post(reverse("workbook_check"), {"workbook": big})
    assert refused.status_code == 302
    assert any("文件过大" in message for message in messages_of(refused))


def test_an_oversized_post_elsewhere_is_not_touched_by_the_upload_limit(small, login, settings) -> None:
    settings.MAX_WORKBOOK_UPLOAD_BYTES = 10
    response = login("accountant").post(reverse("notifications"), {"anything": "x" * 100})
    assert not any("文件过大" in message for message in messages_of(response))
