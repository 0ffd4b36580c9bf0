"""budgetoffice/gunicorn.conf.py: the production server's settings, taken from the environment."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

GUNICORN = Path(sys.executable).with_name("gunicorn")


def printed_config(**env: str) -> dict[str, str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("GUNICORN_")}
    result = subprocess.run(
        [str(GUNICORN), "-c", "budgetoffice/gunicorn.conf.py", "--print-config", "budgetoffice.wsgi"],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    pairs = (line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def test_defaults_are_two_workers_per_core_plus_one_on_localhost() -> None:
    config = printed_config()
    assert config["workers"] == str(2 * os.cpu_count() + 1)
    assert config["bind"] == "['127.0.0.1:8001']"
    assert config["preload_app"] == "True"
    assert config["control_socket_disable"] == "True"  # two servers on one machine would share its path
    assert config["access_log_format"].endswith("%(M)sms %(p)s")  # the request's time in the access log


def test_the_environment_sets_workers_bind_and_timeout() -> None:
    config = printed_config(GUNICORN_WORKERS="3", GUNICORN_BIND="0.0.0.0:8000", GUNICORN_TIMEOUT="90")
    assert (config["workers"], config["bind"], config["timeout"]) == ("3", "['0.0.0.0:8000']", "90")
