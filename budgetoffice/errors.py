"""The error pages, in Chinese: a refusal's own reason is shown when it was written for users (ours are in Chinese;
Django's own, such as get_object_or_404's, are English and say nothing to them)."""

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _reason(exception: Exception | None) -> str:
    text = str(exception.args[0]) if exception is not None and exception.args else ""
    return text if _CHINESE.search(text) else ""


def _back(request: HttpRequest) -> str:
    """The page the user came from, when it is one of this site's (a way back besides the home page)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return ""


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", {"reason": _reason(exception), "back": _back(request)}, status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": _reason(exception), "back": _back(request)}, status=403)
