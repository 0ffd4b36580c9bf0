"""Publishing the disclosure (issue 8): only approved budgets, only by reviewers, once per version; the published
files never change; the table of contents always resolves; the public pages open without login."""

import hashlib
import re
import zlib
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from budgets.models import Budget, BudgetEvent
from budgets.services.structure import budget_set_duties
from catalog.models import FunctionCode
from disclosure import publication
from disclosure.document import render_document_html
from disclosure.models import PublishedDocument
from disclosure.publication import PublicationError, budget_publish, publication_data, render_publication
from domain.explanation import Explanation, Section
from domain.workflow import BudgetState
from tests.support.budgets import OTHER, OTHER_NAME, OWN, OWN_NAME, PERFORMANCE, YEAR
from tests.support.hebei_2021 import OFFICIAL_TABLES
from tests.support.workflow import approve_at_once, user
from workflow.services import budget_transition

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7\n% a stand-in: WeasyPrint takes seconds; test_the_pdf renders the real one\n"


@pytest.fixture
def fake_pdf(monkeypatch) -> None:
    monkeypatch.setattr(publication, "render_pdf", lambda html: FAKE_PDF + hashlib.sha256(html.encode()).digest())


def reviewer():
    return user("reviewer")


def stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def pdf_chunks(pdf: bytes) -> list[bytes]:
    """The PDF and its decompressed streams (WeasyPrint puts objects in compressed object streams)."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return chunks


def page_count(pdf: bytes) -> int:
    """The /Count of the PDF's page tree."""
    chunks = pdf_chunks(pdf)
    counts = [
        int(count)
        for chunk in chunks
        for pattern in (rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b")
        for count in re.findall(pattern, chunk)
    ]
    return max(counts, default=0)


# --- Who and when ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [s for s in BudgetState if s != BudgetState.APPROVED])
def test_a_budget_that_is_not_approved_is_not_published(small, fake_pdf, state) -> None:
    budget = small.budget
    Budget.objects.filter(pk=budget.pk).update(state=state)
    events = BudgetEvent.objects.count()
    with pytest.raises(PublicationError, match="只有已批复的预算可以发布公开"):
        budget_publish(budget, reviewer())
    assert not PublishedDocument.objects.exists()
    assert BudgetEvent.objects.count() == events


@pytest.mark.parametrize("username", ["accountant", "admin"])
def test_only_reviewers_publish(small, fake_pdf, username) -> None:
    budget = approve_at_once(small.budget)
    with pytest.raises(PermissionDenied):
        budget_publish(budget, user(username))
    assert not PublishedDocument.objects.exists()


def test_publishing_stores_both_files_with_their_hashes_and_logs_it(small, fake_pdf) -> None:
    budget = approve_at_once(small.budget)
    document = budget_publish(budget, reviewer())
    html, pdf = stored(document.html.name), stored(document.pdf.name)
    assert document.html.name.startswith(f"published/2021/{OWN}/")
    assert document.pdf.name.endswith(".pdf")
    assert hashlib.sha256(html).hexdigest() == document.html_sha256
    assert hashlib.sha256(pdf).hexdigest() == document.pdf_sha256
    assert (document.version, document.published_by) == (1, reviewer())
    event = BudgetEvent.objects.filter(budget=budget).order_by("-pk").first()
    assert event.action == "publish"
    assert event.actor == reviewer()
    assert event.data["html_sha256"] == document.html_sha256
    assert "发布公开" in event.summary


def test_one_publication_per_approved_version(small, fake_pdf) -> None:
    budget = approve_at_once(small.budget)
    budget_publish(budget, reviewer())
    with pytest.raises(PublicationError, match="第1版已经发布公开"):
        budget_publish(budget, reviewer())
    assert PublishedDocument.objects.count() == 1


# --- A published file never changes -----------------------------------------------------------------------------


def test_a_published_file_never_changes(small, fake_pdf) -> None:
    budget = approve_at_once(small.budget)
    document = budget_publish(budget, reviewer())
    html, pdf = stored(document.html.name), stored(document.pdf.name)
    public = Client().get(reverse("public_document", args=[YEAR, OWN])).content
    assert public == html

    # The catalogue is renamed: a new rendering of the live budget would differ, the published file does not.
    FunctionCode.objects.filter(year_id=YEAR, code="201").update(name="改名后的一般公共服务支出")
    # The budget is adjusted into version 2 and its figures change.
    budget = budget_transition(budget=budget, action="adjust", user=user("accountant"), comment="预算调整")
    assert budget.version == 2
    budget.lines.filter(amount__gt=0).order_by("pk").update(amount=123456)
    assert "改名后的一般公共服务支出" in render_publication(budget)

    document = PublishedDocument.objects.get(pk=document.pk)
    assert stored(document.html.name) == html
    assert stored(document.pdf.name) == pdf
    assert hashlib.sha256(html).hexdigest() == document.html_sha256
    response = Client().get(reverse("public_document", args=[YEAR, OWN]))
    assert response.content == html
    assert response["X-Content-SHA256"] == document.html_sha256
    assert Client().get(reverse("public_document_pdf", args=[YEAR, OWN])).content == pdf
    # Version 2 is not approved: it cannot be published, the public page keeps version 1.
    with pytest.raises(PublicationError):
        budget_publish(budget, reviewer())


def test_the_model_refuses_save_and_delete(small, fake_pdf) -> None:
    document = budget_publish(approve_at_once(small.budget), reviewer())
    document.html_sha256 = "0" * 64
    with pytest.raises(ValueError, match="不能修改"):
        document.save()
    with pytest.raises(ValueError, match="不能删除"):
        document.delete()
    assert PublishedDocument.objects.get(pk=document.pk).html_sha256 != "0" * 64


def test_the_document_prints_the_approved_snapshot(small) -> None:
    """What is published is the approved version as approved, not the catalogue as it is now."""
    budget = approve_at_once(small.budget)
    FunctionCode.objects.filter(year_id=YEAR, code="201").update(name="改名后的一般公共服务支出")
    assert "改名后的一般公共服务支出" not in render_publication(budget)
    assert publication_data(budget).catalogue.function_names["201"] == "一般公共服务支出"


# --- The document ------------------------------------------------------------------------------------------------


def toc_hrefs_and_ids(html: str) -> tuple[list[str], set[str]]:
    soup = BeautifulSoup(html, "html.parser")
    hrefs = [a["href"] for a in soup.select("nav.toc a")]
    ids = {element["id"] for element in soup.find_all(id=True)}
    return hrefs, ids


def test_every_toc_entry_resolves(small) -> None:
    html = render_publication(approve_at_once(small.budget))
    hrefs, ids = toc_hrefs_and_ids(html)
    # the nine tables, the explanation, the goals, the target tables, procurement, assets
    assert len(hrefs) >= len(OFFICIAL_TABLES) + 1 + 1 + len(PERFORMANCE.targets) + 2
    assert all(href.startswith("#") for href in hrefs)
    assert [href for href in hrefs if href[1:] not in ids] == []
    for link in BeautifulSoup(html, "html.parser").select("a[href]"):  # every other link too
        assert link["href"][1:] in ids, link
    assert "错误！未定义书签" not in html
    assert len(re.findall(r'\bid="([^"]+)"', html)) == len(ids)  # ids are unique


def test_sections_show_the_tables_they_name_once_and_link_the_others(small) -> None:
    data = publication_data(small.budget)
    explanation = Explanation(
        (
            Section("一", "部门职责及机构设置情况", ("部门职责：……",), ("units", "no-such-table")),
            Section("二", "部门预算安排的总体情况", ("收入说明",), ("summary",)),
            Section("六", "政府采购预算情况", ("采购",), ("procurement", "units")),
        )
    )
    html = render_document_html(data, explanation, version=1)
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select("#table-units")) == len(soup.select("#table-procurement")) == 1
    assert soup.select_one("#explanation-1 #table-units") is not None
    assert soup.select_one("#explanation-3 #table-procurement") is not None
    assert soup.select_one("#supplementary #table-fixed-assets") is not None  # not named: after the performance
    assert soup.select_one("#supplementary #table-procurement") is None
    assert soup.select_one('#explanation-2 a[href="#table-summary"]') is not None
    hrefs, ids = toc_hrefs_and_ids(html)
    assert [href for href in hrefs if href[1:] not in ids] == []
    assert "no-such-table" not in html


def test_the_document_has_its_parts(small) -> None:
    budget = approve_at_once(small.budget)
    soup = BeautifulSoup(render_publication(budget), "html.parser")
    assert "部门预算公开" in soup.select_one("#cover").get_text()
    assert OWN_NAME in soup.select_one("#cover").get_text()
    for layout_key in ("summary", "income", "expenditure", "three-public", "procurement", "fixed-assets"):
        assert soup.select_one(f"#table-{layout_key} table thead") is not None, layout_key
    assert soup.select_one("#department-goals") is not None
    assert len(soup.select("table.targets")) == len(PERFORMANCE.targets)
    assert not soup.find("script")
    assert not soup.find("link")
    assert "table-header-group" in soup.style.string
    assert "A4" in soup.style.string


def test_the_pdf(demo) -> None:
    """The real PDF (WeasyPrint) of the published example: a PDF, in Chinese fonts, and all its pages."""
    document = budget_publish(approve_at_once(demo["202"]), reviewer())
    pdf = stored(document.pdf.name)
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) > 20
    fonts = {name for chunk in pdf_chunks(pdf) for name in re.findall(rb"/FontName\s*/[A-Z]{6}\+([\w-]+)", chunk)}
    assert {b"Noto-Sans-CJK-SC", b"Noto-Serif-CJK-SC"} <= fonts  # the Chinese fonts, embedded


# --- Pages -------------------------------------------------------------------------------------------------------


def test_public_pages_work_anonymously(small, fake_pdf) -> None:
    document = budget_publish(approve_at_once(small.budget), reviewer())
    client = Client()
    index = client.get(reverse("public_index", args=[YEAR]))
    assert index.status_code == 200
    body = index.content.decode()
    assert OWN_NAME in body
    assert document.html_sha256 in body
    assert document.pdf_sha256 in body
    assert OTHER_NAME not in body  # the other department's budget is not published
    page = client.get(reverse("public_document", args=[YEAR, OWN]))
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in page["Content-Security-Policy"]
    pdf = client.get(reverse("public_document_pdf", args=[YEAR, OWN]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_unpublished_is_not_found(small, fake_pdf) -> None:
    approve_at_once(small.other)  # approved, not published
    client = Client()
    for code in (OTHER, OWN, "999"):
        assert client.get(reverse("public_document", args=[YEAR, code])).status_code == 404
        assert client.get(reverse("public_document_pdf", args=[YEAR, code])).status_code == 404
    assert "尚无公开" in client.get(reverse("public_index", args=[2022])).content.decode()


def test_the_budget_page_offers_publishing_to_the_reviewer_until_published(small, fake_pdf, login) -> None:
    budget = approve_at_once(small.budget)
    url = reverse("budget_detail", args=[YEAR, OWN])
    client = login("reviewer")
    assert "发布公开</button>" in client.get(url).content.decode()
    response = client.post(reverse("budget_publish", args=[YEAR, OWN]), follow=True)
    assert "第1版已发布公开" in response.content.decode()
    assert PublishedDocument.objects.filter(budget=budget).count() == 1
    page = client.get(url).content.decode()
    assert "发布公开</button>" not in page
    assert "已公开（第1版）" in page
    again = client.post(reverse("budget_publish", args=[YEAR, OWN]), follow=True)
    assert "不能重复发布" in again.content.decode()


def test_the_preview_is_for_whoever_reads_the_budget(small, login) -> None:
    client = login("accountant")
    response = client.get(reverse("budget_publication", args=[YEAR, OWN]))
    assert response.status_code == 200
    assert "预览稿" in response.content.decode()
    assert "发布公开</button>" not in client.get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert client.get(reverse("budget_publication", args=[YEAR, OTHER])).status_code == 404


def test_the_public_site_is_reached_from_the_login_page_and_keeps_the_hashes_folded(small, fake_pdf) -> None:
    document = budget_publish(approve_at_once(small.budget), reviewer())
    client = Client()
    login_page = BeautifulSoup(client.get(reverse("login")).content.decode(), "html.parser")
    assert login_page.find("a", href=reverse("public_home")) is not None
    home = client.get(reverse("public_home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("public_index", args=[YEAR])
    index = BeautifulSoup(client.get(home["Location"]).content.decode(), "html.parser")
    assert index.select_one("header a")["href"] == reverse("login")
    assert document.html_sha256 in index.select_one("details").get_text()
    assert [th.get_text() for th in index.select("thead th")] == ["部门编码", "部门", "版本", "发布时间", "公开文件"]


def test_a_draft_pdf_of_the_whole_document_is_marked_on_every_page(small, login, monkeypatch) -> None:
    rendered: list[str] = []

    def render_pdf(html: str) -> bytes:
        rendered.append(html)
        return FAKE_PDF

    monkeypatch.setattr(publication, "render_pdf", render_pdf)
    response = login("accountant").get(reverse("budget_publication_pdf", args=[YEAR, OWN]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert quote(f"{YEAR}年部门预算公开_{OWN}_预览稿.pdf") in response["Content-Disposition"]
    assert '@top-right { content: "预览稿（未发布）"' in rendered[0]
    assert not PublishedDocument.objects.exists()
    assert "@top-right" not in render_publication(small.budget)  # the published document is not marked


def test_the_draft_pdf_is_typeset_once_per_content(small, login, monkeypatch) -> None:
    rendered: list[str] = []

    def render_pdf(html: str) -> bytes:
        rendered.append(html)
        return FAKE_PDF + str(len(rendered)).encode()

    monkeypatch.setattr(publication, "render_pdf", render_pdf)
    client, url = login("accountant"), reverse("budget_publication_pdf", args=[YEAR, OWN])
    first = client.get(url).content
    assert client.get(url).content == first
    assert len(rendered) == 1  # the same HTML: the PDF kept
    budget_set_duties(budget=small.budget, duties="预览之后改的职责")
    assert client.get(url).content != first
    assert "预览之后改的职责" in rendered[1]


# --- 单位预算 (issue 20) -------------------------------------------------------------------------------------------


def test_an_edition_with_a_unit_variant_publishes_every_units_budget_after_the_department(small) -> None:
    from budgets.models import BudgetYear
    from tests.support.budgets import CENTRE, OFFICE

    BudgetYear.objects.filter(year=YEAR).update(edition="shanghai-2026")
    html = render_publication(approve_at_once(Budget.objects.get(pk=small.budget.pk)))
    soup = BeautifulSoup(html, "html.parser")
    parts = soup.select("#unit-budgets section.unit-budget")
    assert [part.select_one(".unit-budget-title").get_text() for part in parts] == [
        f"{OFFICE}单位预算公开表",
        f"{CENTRE}单位预算公开表",
    ]
    for part in parts:  # the unit's own heading (编制单位：…), its tables in the 单位 edition
        assert part.select("table.official[data-table='summary']")
        department_line = part.select_one("tr.meta-row .department-line").get_text()
        assert department_line.endswith(part.select_one(".unit-budget-title").get_text().removesuffix("单位预算公开表"))
    hrefs, ids = toc_hrefs_and_ids(html)
    assert {"#unit-1", "#unit-2"} <= set(hrefs)
    assert [href for href in hrefs if href[1:] not in ids] == []
    assert len(re.findall(r'\bid="([^"]+)"', html)) == len(ids)  # the units' tables do not reuse the department's ids


def test_an_edition_without_a_unit_variant_publishes_the_department_only(small) -> None:
    html = render_publication(approve_at_once(small.budget))  # hebei-2021: no 单位 edition
    assert BeautifulSoup(html, "html.parser").select_one("#unit-budgets") is None
