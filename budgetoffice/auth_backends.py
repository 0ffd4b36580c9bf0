"""Failed-login throttling (django-axes) for logins that come over HTTP."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, skipped when ``authenticate`` is called without a request.

    Every web login (the login page, the admin's login) passes the request, so guessing over HTTP is always
    counted and locked out. Calls without one come from code on the server itself (Django's test client,
    the shell), where there is no client to throttle; plain axes would raise there instead.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
