"""The load test's users (run by scripts/loadtest with locust): accountants and reviewers, each logged in once
with an account of its own, then reading pages with a pause of 1–3 s between requests, as people do.

The app runs as in production (DEBUG off, secure cookies) behind a load balancer that terminates TLS: every request
carries ``X-Forwarded-Proto: https`` as that balancer would add it, and the cookie jar sends the secure session
cookie over the plain connection to 127.0.0.1 as it would over TLS.
"""

import json
import os
import random
import re
import subprocess
import time
from http.cookiejar import DefaultCookiePolicy
from itertools import count
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task

YEAR = 2021
PASSWORD = "load-test-2021"
TABLES = ["summary", "income", "expenditure", "general-appropriation", "basic-economic", "three-public"]
_LINES = [json.loads(line) for line in Path(os.environ["LOADTEST_USERS"]).read_text().splitlines() if line.strip()]
PUBLISHED: list[str] = next((line["published"] for line in _LINES if "published" in line), [])
USERS = [line for line in _LINES if "username" in line]
DEPARTMENTS = [user["department"] for user in USERS if user["department"]] + ["202", "318"]
_next = {"accountant": count(), "reviewer": count()}
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Login takes a deliberately slow password hash; 50 users logging in within seconds would dominate a short run.
# The measured period starts when the last user is in (the statistics are reset then) and lasts DURATION seconds;
# the logins are kept apart, in LOGINS.
DURATION = float(os.environ.get("LOADTEST_DURATION", "60"))
LOGINS = Path(os.environ.get("LOADTEST_LOGINS", "var/loadtest/logins.tsv"))
_logins: list[tuple[str, float]] = []
# The CPU time the app's gunicorn workers spend in the measured period, read from /proc (same machine): on a
# machine shared with other work the response times tell the contention, this tells the app's own cost.
SERVER_PID = os.environ.get("LOADTEST_SERVER_PID", "")
CPU = Path(os.environ.get("LOADTEST_CPU", "var/loadtest/cpu.tsv"))
_cpu_start: list[float] = []


def _cpu_seconds(pids: list[str]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def _server_cpu_seconds() -> tuple[float, float]:
    """User + system CPU seconds of gunicorn (master and workers) and of the PostgreSQL backends serving the load
    test's database (their connections persist, CONN_MAX_AGE); zeros when no pid was given."""
    if not SERVER_PID:
        return 0.0, 0.0
    children = Path(f"/proc/{SERVER_PID}/task/{SERVER_PID}/children").read_text().split()
    backends = subprocess.run(
        [
            "psql",
            os.environ.get("LOADTEST_PG", ""),
            "-qtAc",
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    return _cpu_seconds([SERVER_PID, *children]), _cpu_seconds(backends)


def _as_over_tls(self, cookie, request) -> bool:
    return True


# Not a policy of the session's jar: requests copies the cookies into a fresh jar (default policy) per request.
DefaultCookiePolicy.return_ok_secure = _as_over_tls


class _Staff(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self) -> None:
        accounts = [user for user in USERS if user["role"] == self.role]
        account = accounts[next(_next[self.role]) % len(accounts)]
        self.department = account["department"]
        origin = self.host.rstrip("/").replace("http://", "https://")
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + "/"})
        page = self.client.get("/accounts/login/", name="登录页")
        token = _CSRF.search(page.text)
        started = time.perf_counter()
        with self.client.post(
            "/accounts/login/",
            data={"username": account["username"], "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
            name="登录",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {account['username']} answered {response.status_code}")
        _logins.append((account["username"], (time.perf_counter() - started) * 1000))
        if len(_logins) == self.environment.parsed_options.num_users:
            self.environment.runner.stats.reset_all()
            _cpu_start[:] = [time.monotonic(), *_server_cpu_seconds()]
            gevent.spawn_later(DURATION, self.environment.runner.quit)

    def _budget(self) -> str:
        return f"/budgets/{YEAR}/{self.department}"

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="首页")

    @task(4)
    def budget_page(self) -> None:
        self.client.get(f"{self._budget()}/", name="预算页面")

    @task(3)
    def table(self) -> None:
        self.client.get(f"{self._budget()}/tables/{random.choice(TABLES)}/", name="单张表")

    @task(2)
    def targets(self) -> None:
        self.client.get(f"{self._budget()}/targets/", name="绩效目标")

    @task(1)
    def workbook(self) -> None:
        self.client.get(f"{self._budget()}/workbook.xlsx", name="下载工作簿")

    @task(1)
    def public(self) -> None:
        self.client.get(f"/public/{YEAR}/", name="公开目录（无需登录）")
        if PUBLISHED:
            self.client.get(f"/public/{YEAR}/{random.choice(PUBLISHED)}/", name="公开文件（无需登录）")


class Accountant(_Staff):
    """A department's accountant: its own budget only."""

    role = "accountant"
    weight = 3


class Reviewer(_Staff):
    """A reviewer of the finance bureau: the dashboard, and any department's budget."""

    role = "reviewer"
    weight = 2

    def _budget(self) -> str:
        return f"/budgets/{YEAR}/{random.choice(DEPARTMENTS)}"

    @task(3)
    def dashboard(self) -> None:
        self.client.get(f"/dashboard/?year={YEAR}", name="审核工作台")


@events.quitting.add_listener
def _write_logins(environment, **kwargs) -> None:
    LOGINS.write_text("".join(f"{user}\t{ms:.1f}\n" for user, ms in _logins), encoding="utf-8")
    if _cpu_start:
        app, database = _server_cpu_seconds()
        wall = time.monotonic() - _cpu_start[0]
        CPU.write_text(f"{wall:.1f}\t{app - _cpu_start[1]:.2f}\t{database - _cpu_start[2]:.2f}\n", encoding="utf-8")
