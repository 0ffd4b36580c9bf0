"""Every page carries a Content-Security-Policy without inline script, and no page relies on inline script.

The pages are found by crawling the small world of the tests (tests/support/budgets.py) from the home page as an
accountant, a reviewer and the administrator (GET only, links within the site), so a new page is checked without being
listed here.
"""

from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.support.workflow import issue_control, with_a_warning

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(small):
    """The small world, its own budget showing what a budget page shows only sometimes: control figures issued (二上)
    and a warning to explain."""
    issue_control(small.budget, "accountant")
    with_a_warning(small.budget)
    return small


STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
MAX_PAGES = 300


def _inline_code(html: str, *, styles_allowed: bool) -> list[str]:
    """What a strict policy would block (or what would be a script sink), as short descriptions."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for script in soup.find_all("script"):
        # Data blocks (Django's json_script) are never executed; the policy does not apply to them.
        if not script.get("src") and script.get("type", "").lower() != "application/json":
            found.append(f"inline <script>: {script.get_text()[:60]!r}")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"<{tag.name} {name}=…>")
            if name.lower() in ("href", "src", "action", "formaction") and text.strip().lower().startswith(
                "javascript:"
            ):
                found.append(f"<{tag.name} {name}={text[:40]!r}>")
            if name.lower() == "style" and not styles_allowed:
                found.append(f"<{tag.name} style={text[:40]!r}>")
    if not styles_allowed and soup.find("style"):
        found.append("<style> block")
    return found


def _links(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [tag["href"] for tag in soup.find_all("a", href=True)]


def _crawl(client: Client, start: str, *, within: str = "/", check_styles: bool = True) -> dict[str, str]:
    """Visit every page reachable from start; return the problems per URL (empty when all is well)."""
    problems: dict[str, str] = {}
    seen = {start}
    per_view: Counter[str] = Counter()
    queue = deque([start])
    visited = 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        visited += 1
        if response.status_code in (301, 302):
            target = urldefrag(response["Location"])[0]
            if target not in seen and target.startswith(within):
                seen.add(target)
                queue.append(target)
            continue
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        url_name = resolve(urlsplit(url).path).url_name
        inline_styles = url_name in settings.CSP_INLINE_STYLE_URL_NAMES
        styles_allowed = inline_styles or not check_styles
        policy = response.get("Content-Security-Policy", "")
        expected = STRICT.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'") if inline_styles else STRICT
        if policy != expected:
            problems[url] = f"policy {policy!r}"
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        if found := _inline_code(html, styles_allowed=styles_allowed):
            problems[url] = "; ".join(found[:5])
        for href in _links(html):
            target = urldefrag(href)[0]
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not target.startswith(within) or target in seen:
                continue
            try:
                name = resolve(parts.path).view_name
            except Resolver404:
                problems[target] = f"dead link on {url}"
                continue
            seen.add(target)
            # Two pages of a kind (e.g. two change forms) show its template; all of them would be the admin's
            # every object and filter.
            if per_view[name] < 2 and not parts.query:
                per_view[name] += 1
                queue.append(target)
    assert visited > 5, "the crawl found almost nothing: did the test data or the home page change?"
    return problems


@pytest.mark.parametrize("username", ["accountant", "reviewer"])
def test_every_page_has_the_policy_and_no_inline_script(site, login, username) -> None:
    assert _crawl(login(username), reverse("home")) == {}


def test_the_login_and_public_pages_have_the_policy(client, site) -> None:
    for url in [reverse("login"), reverse("public_index", args=[2021])]:
        response = client.get(url)
        assert response.status_code == 200
        assert "script-src 'self';" in response["Content-Security-Policy"]
        assert _inline_code(response.content.decode(), styles_allowed=True) == []


def test_the_admin_has_the_policy_and_no_inline_script(site, login) -> None:
    # Django's admin sets a few style="" attributes (cosmetic under the policy); its scripts are all external.
    problems = _crawl(login("admin"), reverse("admin:index"), within="/admin/", check_styles=False)
    assert problems == {}


def test_error_responses_carry_the_policy_too(client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Security-Policy"] == STRICT
    assert response["X-Frame-Options"] == "DENY"


def test_the_checker_sees_inline_script_handlers_javascript_urls_and_styles() -> None:
    html = (
        '<script>alert(1)</script><script src="/static/js/ok.js"></script><a href="JavaScript:alert(1)">x</a>'
        '<img src="x.png" onerror="alert(1)"><p style="color: red">y</p><style>p {}</style>'
        '<script id="data" type="application/json">{"a": 1}</script>'
    )
    found = _inline_code(html, styles_allowed=False)
    assert len(found) == 5
    assert [item.split(":")[0] for item in found[:1]] == ["inline <script>"]
    assert len(_inline_code(html, styles_allowed=True)) == 3
