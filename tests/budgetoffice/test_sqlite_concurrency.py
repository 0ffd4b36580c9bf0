"""Real concurrent requests against the embedded default: the development server (`make run`) on a SQLite file.

Each pair of writes that a department and the finance bureau can make at the same moment is started at one
threading.Barrier, round after round. Neither side may ever get a 500 ("database is locked"): one write wins, the
other is refused with a message in Chinese, and whoever was refused finds what they typed still on the page.
"""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.db import connection

from domain.workflow import BudgetState

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the embedded default only: PostgreSQL has tests/budgets/test_concurrency.py"
)

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 6
BUDGET = "/budgets/2021/202/"


@dataclass
class Answer:
    status: int
    url: str
    html: str

    @property
    def text(self) -> str:
        return BeautifulSoup(self.html, "html.parser").get_text(" ", strip=True)


class _KeepRedirect(urllib.request.HTTPRedirectHandler):
    """A 302 is an answer of its own (a save that worked), not followed."""

    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class Visitor:
    """One person in one browser: their own cookies, so their own session and CSRF token."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _KeepRedirect)
        self.post_form("/accounts/login/", "form", {"username": username, "password": "demo-2021"})

    def _open(self, request: urllib.request.Request) -> Answer:
        try:
            with self.opener.open(request, timeout=60) as response:
                return Answer(response.status, response.url, response.read().decode())
        except urllib.error.HTTPError as answer:  # 3xx not followed, 4xx, 5xx
            return Answer(answer.code, answer.headers.get("Location", ""), answer.read().decode())

    def get(self, path: str) -> Answer:
        return self._open(urllib.request.Request(self.base + path))

    def form(self, path: str, selector: str, button: str = "") -> tuple[str, dict[str, str]]:
        """The action and the fields a browser would post from the page's form: those inside it and those that
        name it by form="…"; ``button``, if given, selects the pressed button, whose formaction wins."""
        page = BeautifulSoup(self.get(path).html, "html.parser")
        form = page.select_one(selector)
        assert form is not None, f"no {selector} on {path}"
        action = str(form.get("action") or path)
        if button:
            pressed = page.select_one(button)
            assert pressed is not None, f"no {button} on {path}"
            action = str(pressed.get("formaction") or action)
        owned = page.select(f"[form='{form['id']}'][name]") if form.get("id") else []
        fields = {}
        for field in [*form.select("input[name], textarea[name], select[name]"), *owned]:
            if field.name == "button":
                continue
            if field.name == "input" and field.get("type") in {"checkbox", "radio"} and not field.has_attr("checked"):
                continue
            if field.name == "textarea":
                fields[field["name"]] = field.text
            elif field.name == "select":
                chosen = field.select_one("option[selected]") or field.select_one("option")
                fields[field["name"]] = chosen.get("value", chosen.text) if chosen else ""
            else:
                fields[field["name"]] = field.get("value", "")
        return action, fields

    def post(self, path: str, fields: dict[str, str]) -> Answer:
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        return self._open(request)

    def post_form(self, path: str, selector: str, changes: dict[str, str], button: str = "") -> Answer:
        return self.prepared(path, selector, changes, button)()

    def prepared(self, path: str, selector: str, changes: dict[str, str], button: str = "") -> Callable[[], Answer]:
        """The post of a page opened now, to be sent later (as a person who clicks after the other one)."""
        action, fields = self.form(path, selector, button)
        return lambda: self.post(action, fields | changes)


def accountant_state(visitor: Visitor) -> str:
    state = BeautifulSoup(visitor.get(BUDGET).html, "html.parser").select_one(".page-head .state")
    assert state is not None
    return state.get_text(strip=True)


def press(visitor: Visitor, action: str, changes: dict[str, str] | None = None) -> Callable[[], Answer]:
    """The budget page's workflow form, as sent by the button of this transition."""
    return visitor.prepared(
        BUDGET, "#workflow", changes or {}, f"#workflow button[formaction$='/transitions/{action}/']"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("sqlite") / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # Without unit accountants: the races are the department's and the bureau's (202 submits at once).
    for command in (["migrate", "-v0"], ["load_demo", "--no-unit-accountants"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def at_once(*posts: Callable[[], Answer]) -> list[Answer]:
    """Send the posts from threads released together."""
    start = threading.Barrier(len(posts))
    answers: list[Answer | None] = [None] * len(posts)

    def send(index: int) -> None:
        start.wait()
        answers[index] = posts[index]()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(len(posts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(answer is not None for answer in answers), "a request never answered"
    return answers  # type: ignore[return-value]


def explain_every_warning(visitor: Visitor) -> None:
    """What a department does before it can submit: a text for each warning of 审核结果."""
    page = BeautifulSoup(visitor.get(BUDGET).html, "html.parser")
    texts = {area["name"]: "已核实，属实际需要。" for area in page.select("textarea[name^='text-']")}
    answer = visitor.post_form(BUDGET, "#workflow", texts, "button[form='workflow'][formaction$='/explanations/']")
    assert answer.status == 302


def assert_no_server_error(answers: list[Answer]) -> None:
    for answer in answers:
        assert answer.status in {200, 302}, f"{answer.status}: {answer.text[:300]}"


def test_two_saves_of_one_page_never_answer_500_and_the_refused_one_keeps_its_text(server: str) -> None:
    first, second = Visitor(server, "acc202"), Visitor(server, "acc202")
    page = f"{BUDGET}duties/edit/"
    for round_ in range(ROUNDS):
        texts = [f"第{round_}轮 甲的部门职责", f"第{round_}轮 乙的部门职责"]
        answers = at_once(
            first.prepared(page, "#duties-form", {"duties": texts[0]}),
            second.prepared(page, "#duties-form", {"duties": texts[1]}),
        )
        assert_no_server_error(answers)
        saved = [answer.status == 302 for answer in answers]
        assert saved.count(True) == 1, [answer.text[:200] for answer in answers]
        refused = answers[saved.index(False)]
        assert texts[saved.index(False)] in refused.html  # what they typed is still there
        assert "已被他人修改" in refused.text


def test_a_save_racing_a_submit_never_answers_500(server: str) -> None:
    typist, submitter = Visitor(server, "acc202"), Visitor(server, "acc202")
    page = f"{BUDGET}duties/edit/"
    explain_every_warning(submitter)
    for round_ in range(ROUNDS):
        answers = at_once(
            typist.prepared(page, "#duties-form", {"duties": f"第{round_}轮 提交时的部门职责"}),
            press(submitter, "submit"),
        )
        assert_no_server_error(answers)
        if accountant_state(submitter) == BudgetState.SUBMITTED.label:
            assert press(submitter, "withdraw")().status == 302


def test_approve_racing_return_never_answers_500_and_one_of_them_wins(server: str) -> None:
    accountant = Visitor(server, "acc202")
    approver, returner = Visitor(server, "reviewer"), Visitor(server, "reviewer")
    explain_every_warning(accountant)
    for _ in range(ROUNDS):
        assert press(accountant, "submit")().status == 302
        assert accountant_state(accountant) == BudgetState.SUBMITTED.label
        assert press(approver, "start_review")().status == 302
        answers = at_once(press(approver, "approve"), press(returner, "return", {"comment": "请补充说明"}))
        assert_no_server_error(answers)
        state = accountant_state(accountant)
        assert state in {BudgetState.APPROVED.label, BudgetState.RETURNED.label}
        if state == BudgetState.APPROVED.label:
            break  # final for this budget: the race was run
