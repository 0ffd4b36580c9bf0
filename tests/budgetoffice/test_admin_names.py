"""The admin speaks Chinese for every app and model, the libraries' included (django-axes, django-tasks-db), and
offers no 组: what a user may do follows from the role."""

import gettext
import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.support.factories import AdministratorFactory

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_every_app_and_model_of_the_admin_has_a_chinese_name(client) -> None:
    client.force_login(AdministratorFactory())
    page = BeautifulSoup(client.get(reverse("admin:index")).content.decode(), "html.parser")
    apps = [caption.get_text(strip=True) for caption in page.select("#content-main caption")]
    models = [link.get_text(strip=True) for link in page.select("#content-main th[scope=row] a")]
    assert "登录保护" in apps
    assert "后台任务" in apps
    assert "登录尝试" in models
    assert "后台任务记录" in models
    assert [name for name in apps + models if not CHINESE.search(name)] == []


def test_groups_are_not_offered(client) -> None:
    assert Group not in admin.site._registry
    client.force_login(AdministratorFactory())
    assert "组" not in [
        a.get_text(strip=True)
        for a in BeautifulSoup(client.get(reverse("admin:index")).content.decode(), "html.parser").select(
            "#content-main th[scope=row] a"
        )
    ]


def test_the_library_models_fields_are_chinese_too(client) -> None:
    AccessAttempt.objects.create(
        user_agent="x", ip_address="10.0.0.1", username="acc", http_accept="*/*", path_info="/", failures_since_start=1
    )
    client.force_login(AdministratorFactory())
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "IP 地址" in page
    assert "IP Address" not in page


def test_the_compiled_catalogue_says_what_its_source_says() -> None:
    """locale/…/django.mo is kept in the repository: it must be django.po compiled (msgfmt -o django.mo django.po)."""
    folder = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"
    source = (folder / "django.po").read_text(encoding="utf-8")
    with (folder / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    entries = re.findall(r'(?:msgctxt "([^"]*)"\n)?msgid "([^"]+)"\nmsgstr "([^"]*)"', source)
    assert len(entries) > 40
    for context, msgid, msgstr in entries:
        assert (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) == msgstr, msgid
