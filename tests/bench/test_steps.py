"""bench.steps: each wrapped function is charged its own time, what it spends in the others is theirs, the rest is
what no step covers; the wrapping is undone afterwards."""

from types import SimpleNamespace

from bench.steps import PREVIEW_STEPS, REST, step_times


class _FakeClock:
    """A clock that moves only when told: the test says how long each piece of work takes."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def spend(self, seconds: float) -> None:
        self.now += seconds


def test_a_step_is_charged_its_own_time_and_not_that_of_the_steps_it_calls() -> None:
    clock = _FakeClock()
    work = SimpleNamespace()
    work.inner = lambda: clock.spend(0.005)

    def outer() -> None:
        clock.spend(0.002)
        work.inner()
        work.inner()

    work.outer = outer
    work.unused = lambda: None

    def operation() -> None:
        clock.spend(0.001)  # outside every step
        work.outer()

    original = dict(vars(work))
    steps = [(work, "outer", "外层"), (work, "inner", "内层"), (work, "unused", "未用")]
    measured = step_times(operation, steps, 4, reference=lambda: clock.spend(0.003), clock=clock)
    assert round(measured.reference_ms, 6) == 3.0  # timed on its own, outside every step and the rest
    assert [(step.label, round(step.ms, 6)) for step in measured.steps] == [
        ("外层", 2.0),
        ("内层", 10.0),
        ("未用", 0.0),
        (REST, 1.0),
    ]
    assert vars(work) == original  # the wrapping is undone


def test_every_step_of_the_preview_names_a_function_its_module_has() -> None:
    for owner, name, label in PREVIEW_STEPS:
        assert callable(getattr(owner, name)), label
    assert len({label for _, _, label in PREVIEW_STEPS}) == len(PREVIEW_STEPS)
