"""Where an operation's time goes: the operation run again with the functions it calls wrapped in timers, each
function's own time (what it spends in other wrapped functions is theirs), the rest outside them all.

A pass of its own after the timed runs (the timers cost a little, and the wrapping is undone after it): the medians
stay those of the unwrapped operation. Its own reference (the read floor) runs in turn with it, so that the steps
are compared with a floor measured in the same moments. The import preview's steps are the functions below, as its
modules call them; their sum and "其余" make the whole preview.
"""

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from functools import wraps
from typing import Any
from unittest import mock

import audit.verdict
import importing.services
import official.audit
import official.render
import official.xlsx_reader

Step = tuple[object, str, str]  # (module or class, the name its callers reach the function by, label)

PREVIEW_STEPS: tuple[Step, ...] = (
    (official.xlsx_reader, "scan_workbook", "安全检查：解压并计数每个部件（导入前）"),
    (official.xlsx_reader, "_load", "calamine 读取各表的值、合并区域和可见性"),
    (official.xlsx_reader, "_read_table", "逐格读取各表：精确的金额和所在单元格"),
    (official.audit, "read_workbook", "读取的其余部分：认出版式、绩效目标表"),
    (official.audit, "figures_from_workbook", "审核规则所读的文件各表"),
    (official.audit, "figures_from_budget", "审核规则所读的导入后预算各表"),
    (official.audit, "run_rules", "审核规则：文件一次，导入后预算一次"),
    (audit.verdict, "budget_explanation", "导入后预算的情况说明（其数字由审核规则核对）"),
    (importing.services, "kept_budget_data", "已存预算（按修订号缓存）"),
    (official.render.TablePrinter, "rows", "各表的行：已存预算、导入后预算"),
    (official.render, "print_table", "打印各表：已存预算、导入后预算"),
    (importing.services, "changed_cells", "文件改动了哪些独立单元格"),
    (importing.services, "adjust", "在已存明细内满足这些改动"),
    (importing.services, "_compare", "文件每一格与导入后预算比对"),
    (importing.services, "table_changes", "列出已存与导入后各表不同的格"),
)
REST = "其余（查询、单位、采购与资产、绩效目标、改动清单）"


@dataclass(frozen=True)
class StepTime:
    label: str
    ms: float  # the mean over the runs


class _Clock:
    """Each wrapped function's own time: its time less that of the wrapped functions it called."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.own: dict[str, float] = defaultdict(float)
        self._inner: list[float] = []  # per open call: the time spent in the wrapped calls it made

    def wrap(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._inner.append(0.0)
            start = self.clock()
            try:
                return function(*args, **kwargs)
            finally:
                spent = self.clock() - start
                inner = self._inner.pop()
                self.own[label] += spent - inner
                if self._inner:
                    self._inner[-1] += spent

        return timed


@dataclass(frozen=True)
class Steps:
    steps: list[StepTime]  # in the order asked for, then REST
    reference_ms: float  # the mean of the reference operation, run in turn with the measured one


def step_times(
    operation: Callable[[], object],
    steps: Sequence[Step],
    repeat: int,
    reference: Callable[[], object] = lambda: None,
    clock: Callable[[], float] = time.perf_counter,
) -> Steps:
    """The mean own time of each step over ``repeat`` runs of ``operation`` (in the order of ``steps``; a step
    never called is 0), then the rest (REST), in ms. ``reference`` (e.g. the read floor the steps are compared
    with) runs before each run, outside the steps and timed on its own: a slow moment of the machine weighs on both."""
    timer = _Clock(clock)
    total = referenced = 0.0
    with ExitStack() as patches:
        for owner, name, label in steps:
            patches.enter_context(mock.patch.object(owner, name, timer.wrap(label, getattr(owner, name))))
        for _ in range(repeat):
            start = clock()
            reference()
            referenced += clock() - start
            start = clock()
            operation()
            total += clock() - start
    rest = total - sum(timer.own.values())
    times = [(label, timer.own.get(label, 0.0)) for _, _, label in steps] + [(REST, rest)]
    return Steps([StepTime(label, spent * 1000 / repeat) for label, spent in times], referenced * 1000 / repeat)
