"""Middleware of our own: the Content-Security-Policy header, early refusal of oversized uploads, a way back from a
link to an address that only takes a form, and a Chinese answer when the database stays busy."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

View = Callable[..., HttpResponse]


def _policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Send ``settings.CSP_DIRECTIVES`` on every response that does not set its own policy.

    Pages whose URL name is in ``settings.CSP_INLINE_STYLE_URL_NAMES`` may use inline ``style``: they are the
    self-contained disclosure documents, whose stored bytes (and SHA-256) are what was published and must
    render without the site's stylesheet. Their script policy stays the same: no inline script anywhere.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.strict = _policy(settings.CSP_DIRECTIVES)
        self.inline_style = _policy({**settings.CSP_DIRECTIVES, "style-src": "'self' 'unsafe-inline'"})
        self.inline_style_url_names = frozenset(settings.CSP_INLINE_STYLE_URL_NAMES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            match = request.resolver_match
            url_name = match.url_name if match is not None else None
            allows_inline_style = url_name in self.inline_style_url_names
            response["Content-Security-Policy"] = self.inline_style if allows_inline_style else self.strict
        return response


def refuse_oversized_upload(back: str) -> Callable[[View], View]:
    """Mark an upload view: bodies above ``settings.MAX_WORKBOOK_UPLOAD_BYTES`` are refused before parsing.

    ``back`` is the URL name the refusal redirects to, reversed with the view's own URL arguments.
    The check itself happens in UploadSizeLimitMiddleware, because the CSRF middleware parses the whole
    multipart body (to find the token) before any view decorator runs.
    """

    def mark(view: View) -> View:
        view.upload_refusal_back = back  # type: ignore[attr-defined]
        return view

    return mark


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class UploadSizeLimitMiddleware:
    """Refuse an oversized POST to a view marked with ``refuse_oversized_upload`` from its Content-Length alone.

    Must come before CsrfViewMiddleware: nothing may have read ``request.POST``/``request.FILES`` yet, so the
    body is never parsed nor spooled to disk. Under WSGI a body without Content-Length reads as empty.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: View, view_args: tuple[Any, ...], view_kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        back = getattr(view_func, "upload_refusal_back", None)
        if back is None or request.method != "POST":
            return None
        length = _content_length(request)
        limit = settings.MAX_WORKBOOK_UPLOAD_BYTES
        if length <= limit:
            return None
        messages.error(
            request,
            f"文件过大（{length / 1024 / 1024:.1f} MB），上限为 {limit // 1024 // 1024} MB，文件未被读取，数据未改变。",
        )
        return redirect(back, *view_args, **view_kwargs)


class FormOnlyRedirectMiddleware:
    """A GET of an address that only takes a form's POST (a bookmark, a reloaded confirmation, a link copied from
    the address bar) leads back to the page the form is on, with a message, instead of a blank 405: the budget's
    page for an address under a budget, else the home page. Other methods keep the 405."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.method != "GET":
            return response
        messages.info(request, "该地址只接受页面上的表单提交，已返回所在页面，数据未改变。")
        found = request.resolver_match
        kwargs = found.kwargs if found is not None else {}
        if "year" in kwargs and "department_code" in kwargs:
            return redirect("budget_detail", kwargs["year"], kwargs["department_code"])
        return redirect("home")


BUSY = "系统正忙：另一项保存正在进行，本次操作没有执行，数据未改变。请稍候片刻再试一次。"


def database_busy(error: BaseException) -> bool:
    """Whether a database error is contention, not a defect: SQLite still locked after its busy timeout."""
    return isinstance(error, OperationalError) and any(word in str(error) for word in ("locked", "busy"))


class BusyDatabaseMiddleware:
    """Contention that outlasted the busy timeout answers a Chinese 503 page saying nothing was written (the
    transaction rolled back), instead of a 500. Forms that must keep what was typed catch it themselves
    (entry.rows.save_page); this is the net under every other view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_busy(exception):
            return None
        response = render(request, "503.html", {"reason": BUSY}, status=503)
        response["Retry-After"] = "5"
        return response
