"""Timing an operation: one warm-up run, then the median over repeated runs, each with its SQL queries counted."""

import gc
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Measurement:
    key: str
    label: str
    median_ms: float
    runs_ms: list[float]
    queries: int
    ratio_floor: float | None = None  # median ÷ the XlsxWriter floor (per department for the bulk export)
    ratio_import_export: float | None = None  # median ÷ django-import-export's flat export
    extra: dict[str, object] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "label": self.label,
            "median_ms": round(self.median_ms, 2),
            "runs_ms": [round(run, 2) for run in self.runs_ms],
            "queries": self.queries,
            "ratio_floor": None if self.ratio_floor is None else round(self.ratio_floor, 2),
            "ratio_import_export": None if self.ratio_import_export is None else round(self.ratio_import_export, 2),
            **self.extra,
        }


@contextmanager
def frozen_heap() -> Iterator[None]:
    """The collector as an app server's worker has it: gunicorn freezes the heap the application loaded before it
    forks (budgetoffice/gunicorn.conf.py), so that a request's collections walk only what requests allocated.
    Here what is alive when the block starts (the application and the generated data) is left out of every
    collection; unfrozen on leaving."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def measure(
    key: str,
    label: str,
    operation: Callable[[], object],
    repeat: int,
    warm_up: bool = True,
    around: Callable[[], AbstractContextManager[object]] = nullcontext,
) -> Measurement:
    """Run ``operation`` once to warm up (unless the caller did), then ``repeat`` times timed; each run (the warm-up
    too) inside a fresh ``around()``, entered and left untimed (e.g. a transaction rolled back after the run).
    Queries are counted in every timed run; the largest count is reported."""
    if warm_up:
        with around():
            operation()
    runs, cpu, counts = [], [], []
    for _ in range(repeat):
        gc.collect()
        with around(), CaptureQueriesContext(connection) as queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            operation()
            runs.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        counts.append(len(queries))
    # The process's own CPU time: what a busy machine (other processes on its cores) inflates least; it leaves out
    # the work of a database server, which SQLite in memory does in this process.
    extra = {"cpu_median_ms": round(statistics.median(cpu), 1)}
    return Measurement(key, label, statistics.median(runs), runs, max(counts), extra=extra)


def measure_interleaved(operations: Sequence[tuple[str, str, Callable[[], object]]], repeat: int) -> list[Measurement]:
    """Like ``measure`` for several operations whose times are compared (the anchors and what is compared with
    them): their runs take turns, so that a slow moment of the machine weighs on all of them alike."""
    for _, _, operation in operations:
        operation()
    runs: list[list[float]] = [[] for _ in operations]
    cpu: list[list[float]] = [[] for _ in operations]
    counts: list[list[int]] = [[] for _ in operations]
    for _ in range(repeat):
        for index, (_, _, operation) in enumerate(operations):
            gc.collect()
            with CaptureQueriesContext(connection) as queries:
                start, start_cpu = time.perf_counter(), time.process_time()
                operation()
                runs[index].append((time.perf_counter() - start) * 1000)
                cpu[index].append((time.process_time() - start_cpu) * 1000)
            counts[index].append(len(queries))
    return [
        Measurement(
            key,
            label,
            statistics.median(runs[index]),
            runs[index],
            max(counts[index]),
            extra={"cpu_median_ms": round(statistics.median(cpu[index]), 1)},
        )
        for index, (key, label, _) in enumerate(operations)
    ]


def max_rss_bytes() -> int:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def peak_memory(operation: Callable[[], object]) -> int:
    """The peak of memory allocated by Python while ``operation`` runs (tracemalloc; slows it down: not timed)."""
    gc.collect()
    tracemalloc.start()
    try:
        operation()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
