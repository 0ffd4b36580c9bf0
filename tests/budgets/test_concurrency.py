"""Real races, on PostgreSQL: each person is a thread with its own database connection.

Two patterns. A *race* starts both writers at one threading.Barrier and lets the database decide who wins.
A *hold* is deterministic: the test's own connection takes the budget's row lock in a transaction, starts the
other writer, waits until PostgreSQL reports that writer blocked by the test's connection (pg_blocking_pids),
does its own write, and commits; only then can the other writer go on, and it must see that write.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.urls import reverse

from budgets.models import Budget, BudgetEvent, BudgetSnapshot, SnapshotKind
from budgets.services.errors import StaleRevision
from budgets.services.figures import budget_replace_figures
from budgets.services.locking import lock_budget
from demo.loader import load_demo
from domain.workflow import BudgetRound, BudgetState
from importing.services import budget_import_apply, budget_import_preview
from tests.support.editing import figures_changed
from tests.support.revisions import (
    CONTROL_YUAN,
    STALE,
    XLSX,
    YEAR,
    as_figures,
    client_for,
    figures,
    fresh,
    second_user,
    user,
    vehicles,
    workbook_with_assets_changed,
    workbook_with_figure_changed,
)
from workflow.services import WorkflowError, budget_set_control, budget_transition

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="real concurrent connections need PostgreSQL (SQLite serialises whole-database writes); "
        "run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 30  # seconds; a lock wait that long is a failure (a deadlock or a lock never released)


# --- threads with their own connections --------------------------------------------------------------------------


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


class Worker(threading.Thread):
    """Runs ``work`` on the thread's own database connection and keeps what it returned or raised."""

    def __init__(self, name: str, work: Callable[[], object], barrier: threading.Barrier | None = None):
        super().__init__(name=name, daemon=True)
        self.work, self.barrier = work, barrier
        self.pid: int | None = None
        self.connected = threading.Event()
        self.result: object = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.pid = backend_pid()
            self.connected.set()
            if self.barrier is not None:
                self.barrier.wait(TIMEOUT)
            self.result = self.work()
        except BaseException as error:  # kept for the test to judge, whatever it is
            self.error = error
            if self.barrier is not None:
                self.barrier.abort()  # never leave the other side waiting at the barrier
        finally:
            self.connected.set()
            connections.close_all()

    def finish(self) -> "Worker":
        self.join(TIMEOUT)
        assert not self.is_alive(), f"{self.name} still running after {TIMEOUT}s (a lock never released?)"
        return self

    @property
    def won(self) -> bool:
        return self.error is None


def race(**works: Callable[[], object]) -> dict[str, Worker]:
    """Start every work at the same moment, each on its own connection; wait for all."""
    barrier = threading.Barrier(len(works))
    workers = {name: Worker(name, work, barrier) for name, work in works.items()}
    for worker in workers.values():
        worker.start()
    for worker in workers.values():
        worker.finish()
    for worker in workers.values():
        assert not isinstance(worker.error, threading.BrokenBarrierError), f"{worker.name} never started"
    return workers


def one_winner(workers: dict[str, Worker]) -> tuple[Worker, Worker]:
    winners = [worker for worker in workers.values() if worker.won]
    losers = [worker for worker in workers.values() if not worker.won]
    assert len(winners) == 1, {worker.name: repr(worker.error) for worker in workers.values()}
    return winners[0], losers[0]


@contextmanager
def while_it_waits_for_the_row_lock(budget: Budget, waiting: Worker) -> Iterator[None]:
    """The test's own connection takes the budget's row lock in a transaction and starts ``waiting``; the body
    runs once PostgreSQL reports ``waiting`` blocked by that lock, still inside the transaction. ``waiting`` can
    go on only after the commit, and is joined then (also when the body fails)."""
    try:
        with transaction.atomic():
            lock_budget(budget, editable=False)
            waiting.start()
            wait_until_blocked(waiting, by=backend_pid())
            yield
            assert waiting.is_alive(), f"{waiting.name} went on while the lock was held"
    finally:
        if waiting.ident is not None:
            waiting.join(TIMEOUT)
    waiting.finish()


def wait_until_blocked(worker: Worker, by: int) -> None:
    """Until PostgreSQL reports ``worker`` waiting for a lock that connection ``by`` holds."""
    assert worker.connected.wait(TIMEOUT), f"{worker.name} never connected"
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert worker.is_alive(), f"{worker.name} finished without waiting for the lock: {worker.error!r}"
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s = ANY(pg_blocking_pids(%s))", [by, worker.pid])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.005)  # polling a condition, not guessing a duration
    raise AssertionError(f"{worker.name} was never blocked by connection {by}")


@pytest.fixture
def demo_tx(transactional_db) -> None:
    load_demo()


def events_since(budget: Budget, after: int, *actions: str) -> list[tuple[str, str]]:
    return list(
        BudgetEvent.objects.filter(budget_id=budget.pk, pk__gt=after, action__in=actions)
        .order_by("pk")
        .values_list("action", "actor__username")
    )


def last_event(budget: Budget) -> int:
    return BudgetEvent.objects.filter(budget_id=budget.pk).order_by("-pk").values_list("pk", flat=True).first() or 0


# --- two reviewers: approve and return at the same moment --------------------------------------------------------


def in_review_formal() -> Budget:
    """318 through 一上 and 一下 to 二上, submitted and under review: both approval and return are possible."""
    accountant, reviewer = user("acc318"), user("reviewer")
    for action, who in [("submit", accountant), ("start_review", reviewer)]:
        budget_transition(budget=fresh(), action=action, user=who)
    budget_set_control(budget=fresh(), user=reviewer, limits=CONTROL_YUAN)
    for action, who in [("issue_control", reviewer), ("submit", accountant), ("start_review", reviewer)]:
        budget_transition(budget=fresh(), action=action, user=who)
    budget = fresh()
    assert (budget.round, budget.state) == (BudgetRound.FORMAL, BudgetState.IN_REVIEW)
    return budget


TARGET = {"approve": "已批复", "return": "退回"}  # the state each step leaves
LABEL = {"approve": "批复", "return": "退回"}
SNAPSHOT = {"approve": SnapshotKind.APPROVED, "return": SnapshotKind.RETURNED}
COMMENT = "三公经费请再核对。"


@pytest.mark.parametrize("with_revision", [False, True], ids=["no-revision", "page-revision"])
def test_two_reviewers_approve_and_return_at_the_same_moment(demo_tx, with_revision) -> None:
    budget = in_review_formal()
    first, second = user("reviewer"), second_user("reviewer2", like="reviewer")
    revision = budget.revision if with_revision else None
    start, snapshots = last_event(budget), BudgetSnapshot.objects.count()

    workers = race(
        approve=lambda: budget_transition(budget=budget, action="approve", user=first, expected_revision=revision),
        **{
            "return": lambda: budget_transition(
                budget=budget, action="return", user=second, comment=COMMENT, expected_revision=revision
            )
        },
    )

    winner, loser = one_winner(workers)
    assert isinstance(loser.error, WorkflowError), repr(loser.error)
    if with_revision:  # both pages showed the same revision: the later step is refused as stale
        assert STALE in str(loser.error)
    else:  # no revision to go by: the row lock makes the later step see the state the first one left
        assert f"“{TARGET[winner.name]}”状态，不能{LABEL[loser.name]}" in str(loser.error)
    stored = fresh()
    assert stored.state == {"approve": BudgetState.APPROVED, "return": BudgetState.RETURNED}[winner.name]
    assert stored.revision == budget.revision + 1
    who = {"approve": "reviewer", "return": "reviewer2"}[winner.name]
    assert events_since(budget, start, "approve", "return") == [(winner.name, who)]
    assert BudgetSnapshot.objects.count() == snapshots + 1
    assert BudgetSnapshot.objects.filter(budget=stored, kind=SNAPSHOT[winner.name]).count() == 1


@pytest.mark.parametrize("holder_approves", [True, False], ids=["holder-approves", "holder-changes-nothing"])
def test_a_return_waits_for_the_approval_holding_the_row_lock(demo_tx, holder_approves) -> None:
    budget = in_review_formal()
    second = second_user("reviewer2", like="reviewer")
    start = last_event(budget)
    returner = Worker("return", lambda: budget_transition(budget=budget, action="return", user=second, comment=COMMENT))

    with while_it_waits_for_the_row_lock(budget, returner):
        if holder_approves:
            budget_transition(budget=budget, action="approve", user=user("reviewer"))

    if holder_approves:
        assert isinstance(returner.error, WorkflowError), repr(returner.error)
        assert "“已批复”状态，不能退回" in str(returner.error)
        assert fresh().state == BudgetState.APPROVED
        assert events_since(budget, start, "approve", "return") == [("approve", "reviewer")]
    else:  # waiting is not refusing: once the lock is free the return goes through
        assert returner.won, repr(returner.error)
        assert fresh().state == BudgetState.RETURNED
        assert events_since(budget, start, "approve", "return") == [("return", "reviewer2")]


# --- two accountants: figures saved on the same revision ---------------------------------------------------------


def test_two_accountants_saving_figures_on_the_same_revision(demo_tx) -> None:
    budget = fresh()
    accountants = {"first": user("acc318"), "second": second_user("acc318b", like="acc318")}
    inputs = {"first": figures_changed(budget, Decimal("100.00")), "second": figures_changed(budget, Decimal("200.00"))}
    revision, start = budget.revision, last_event(budget)

    def save(name: str) -> Callable[[], None]:
        projects, lines = inputs[name]
        return lambda: budget_replace_figures(
            budget=budget, projects=projects, lines=lines, actor=accountants[name], expected_revision=revision
        )

    winner, loser = one_winner(race(first=save("first"), second=save("second")))

    assert isinstance(loser.error, StaleRevision), repr(loser.error)
    assert STALE in str(loser.error)
    assert figures(fresh()) == as_figures(inputs[winner.name][1])
    assert figures(fresh()) != as_figures(inputs[loser.name][1])
    assert fresh().revision == revision + 1
    assert events_since(budget, start, "figures") == [("figures", accountants[winner.name].username)]


@pytest.mark.parametrize("with_revision", [True, False], ids=["page-revision", "no-revision"])
def test_figures_saved_while_another_save_holds_the_lock(demo_tx, with_revision) -> None:
    """With the page's revision the waiting save is refused; a script naming none waits and then replaces the
    figures whole: never a mixture of the two."""
    budget = fresh()
    mine, theirs = figures_changed(budget, Decimal("100.00")), figures_changed(budget, Decimal("-300.00"))
    revision = budget.revision
    other = second_user("acc318b", like="acc318")
    waiting = Worker(
        "second",
        lambda: budget_replace_figures(
            budget=budget,
            projects=theirs[0],
            lines=theirs[1],
            actor=other,
            expected_revision=revision if with_revision else None,
        ),
    )

    with while_it_waits_for_the_row_lock(budget, waiting):
        budget_replace_figures(
            budget=budget, projects=mine[0], lines=mine[1], actor=user("acc318"), expected_revision=revision
        )

    if with_revision:
        assert isinstance(waiting.error, StaleRevision), repr(waiting.error)
        assert figures(fresh()) == as_figures(mine[1])
        assert fresh().revision == revision + 1
    else:
        assert waiting.won, repr(waiting.error)
        assert figures(fresh()) == as_figures(theirs[1])
        assert fresh().revision == revision + 2


# --- two imports confirmed at the same moment --------------------------------------------------------------------


def figures_print_as(data: bytes) -> bool:
    """Whether the stored budget's figure tables print exactly as this workbook's do: importing it would change no
    line of the ledger."""
    preview = budget_import_preview(data=data, year=YEAR)
    assert preview.ok, [str(problem) for problem in preview.problems][:5]  # read, and compared with the budget
    assert preview.budget_exists
    return not preview.figure_changes


def test_two_imports_confirmed_at_the_same_moment_serialise(demo_tx) -> None:
    budget = fresh()
    books = {
        "first": workbook_with_figure_changed(budget, Decimal("10000.00")),
        "second": workbook_with_figure_changed(budget, Decimal("20000.00")),
    }
    revision, start = budget.revision, last_event(budget)

    def confirm(name: str) -> Callable[[], object]:
        return lambda: budget_import_apply(
            data=books[name], year=YEAR, department_code="318", actor=user("acc318"), expected_revision=revision
        )

    winner, loser = one_winner(race(first=confirm("first"), second=confirm("second")))

    assert isinstance(loser.error, StaleRevision), repr(loser.error)
    assert figures_print_as(books[winner.name])
    assert not figures_print_as(books[loser.name])
    assert events_since(budget, start, "figures") == [("figures", "acc318")]


def test_an_import_waiting_for_another_is_decided_on_what_that_one_left(demo_tx) -> None:
    """The import command names no revision. Its workbook keeps the stored figures and adds a vehicle; meanwhile a
    figure import holds the lock. Run one after the other, the command's import must leave the budget printing
    exactly as its workbook: the figures it keeps are the ones it read, not the ones the first import wrote."""
    budget = fresh()
    figures_book = workbook_with_figure_changed(budget, Decimal("10000.00"))
    assets_book = workbook_with_assets_changed(budget)
    command = Worker("command", lambda: budget_import_apply(data=assets_book, year=YEAR, department_code="318"))

    with while_it_waits_for_the_row_lock(budget, command):
        budget_import_apply(data=figures_book, year=YEAR, department_code="318", expected_revision=budget.revision)

    assert command.won, repr(command.error)
    assert vehicles(fresh()) == 3
    assert figures_print_as(assets_book)
    assert not figures_print_as(figures_book)


@pytest.fixture
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.usefixtures("_media_in_tmp")
def test_two_accountants_confirm_their_uploads_at_the_same_moment(demo_tx) -> None:
    second_user("acc318b", like="acc318")
    budget = fresh()
    books = {
        "acc318": workbook_with_figure_changed(budget, Decimal("10000.00")),
        "acc318b": workbook_with_assets_changed(budget),
    }
    clients = {name: client_for(name) for name in books}
    tokens = {}
    for name, client in clients.items():
        file = SimpleUploadedFile("budget.xlsx", books[name], content_type=XLSX)
        page = client.post(reverse("budget_import", args=[YEAR, "318"]), {"workbook": file}).content.decode()
        tokens[name] = page.split('name="token" value="')[1].split('"')[0]

    def confirm(name: str) -> Callable[[], str]:
        url = reverse("budget_import_confirm", args=[YEAR, "318"])
        return lambda: clients[name].post(url, {"token": tokens[name]}, follow=True).content.decode()

    workers = race(**{name: confirm(name) for name in books})

    assert all(worker.won for worker in workers.values()), {n: repr(w.error) for n, w in workers.items()}
    imported = [name for name, worker in workers.items() if "已导入" in worker.result]
    refused = [name for name, worker in workers.items() if STALE in worker.result]
    assert len(imported) == 1, imported
    assert refused == [name for name in books if name not in imported]
    assert figures_print_as(books[imported[0]])
    assert not figures_print_as(books[refused[0]])
    assert vehicles(fresh()) == (3 if imported == ["acc318b"] else 2)
