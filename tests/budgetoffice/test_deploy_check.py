"""Production settings (DEBUG=0) pass Django's deployment checklist, and refuse to start without a real key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parents[2]
# Settings a deployment may set that would change what the checklist sees.
_OVERRIDES = ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if key not in _OVERRIDES and key != "SECRET_KEY"}
    environ.update({"DEBUG": "0", "ALLOWED_HOSTS": "budget.example.org"}, **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_finds_nothing_with_production_settings() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=get_random_secret_key())
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    # Django always prints its summary line; anything else would be a warning or an error.
    assert result.stdout.splitlines() == ["System check identified no issues (1 silenced)."]


def test_production_settings_turn_on_https_only_cookies_and_hsts() -> None:
    code = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.X_FRAME_OPTIONS, s.SECURE_REFERRER_POLICY, s.SESSION_EXPIRE_AT_BROWSER_CLOSE)"
    )
    result = _manage("shell", "--no-imports", "-c", code, SECRET_KEY=get_random_secret_key())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000", "True", "True", "True", "True", "DENY", "same-origin", "True"]


def test_a_tls_proxy_can_take_over_the_redirect_and_name_its_header() -> None:
    code = "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, *s.SECURE_PROXY_SSL_HEADER)"
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        SECRET_KEY=get_random_secret_key(),
        SECURE_SSL_REDIRECT="0",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.parametrize(
    "secret_key", [None, "dev-only-insecure-key-do-not-use-in-production", "short-key", "a" * 60], ids=repr
)
def test_production_refuses_a_missing_or_weak_secret_key(secret_key: str | None) -> None:
    result = _manage("check", **({} if secret_key is None else {"SECRET_KEY": secret_key}))
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set to a long random value" in result.stderr
