"""The bench's import measurements: the large department's own workbook with one figure changed, read by
python-calamine (the read floor), previewed and confirmed in a transaction rolled back; and its targets.
No timing is asserted: only that the measurements run and measure what they say."""

import json
from decimal import Decimal

from bench.anchors import calamine_read
from bench.data import load_template
from bench.measure import Measurement
from bench.run import IMPORT_CHANGE, TARGETS, _imports, changed_workbook, judge_targets
from budgets.models import Budget, BudgetLine
from budgets.selectors import budget_data
from importing.services import budget_import_preview
from tests.bench.test_bench_command import _bench

IMPORT_MEASUREMENTS = ["read_floor_calamine", "import_preview", "import_confirm"]


def test_the_changed_workbook_holds_one_ledger_change(db) -> None:
    budget = load_template("small")
    workbook, changed = changed_workbook(budget)
    stored = next(
        line
        for line in budget_data(budget).lines
        if (line.function, line.economic) == (changed.function, changed.economic)
        and line.kind == changed.kind
        and line.unit == changed.unit
        and not line.carried_over
    )
    assert changed.amount == stored.amount + IMPORT_CHANGE
    preview = budget_import_preview(data=workbook, year=budget.year_id, department_code=budget.department.code)
    assert preview.ok, preview.problems
    assert [(c.old, c.new) for c in preview.figure_changes] == [(stored.amount, changed.amount)]
    assert preview.changes  # the figure and the totals above it, in the printed tables
    assert calamine_read(workbook) > 0


def test_the_import_measurements_run_and_leave_the_budget_as_it_was(db) -> None:
    budget = Budget.objects.select_related("department", "year").get(pk=load_template("small").pk)
    revision = budget.revision
    lines = list(BudgetLine.objects.filter(budget=budget).order_by("pk").values_list("pk", "amount"))
    results = _imports(budget, repeat=1)
    assert [result.key for result in results] == IMPORT_MEASUREMENTS
    floor, preview, confirm = results
    assert floor.queries == 0
    assert preview.queries > 0 and confirm.queries > preview.queries  # the confirmed import writes
    assert preview.extra["ratio_read_floor"] > 0 and confirm.extra["ratio_read_floor"] > 0
    budget.refresh_from_db()
    assert budget.revision == revision
    assert list(BudgetLine.objects.filter(budget=budget).order_by("pk").values_list("pk", "amount")) == lines


def test_targets_are_judged_on_the_medians_and_the_ratio() -> None:
    def result(key: str, median_ms: float, ratio: float) -> Measurement:
        return Measurement(key, key, median_ms, [median_ms], 1, extra={"ratio_read_floor": ratio})

    judged = judge_targets([result("import_preview", 400.0, 5.0), result("import_confirm", 1200.0, 12.0)])
    assert [(target["key"], target["what"], target["met"]) for target in judged] == [
        ("import_preview", "median_ms", True),
        ("import_confirm", "median_ms", False),
        ("import_preview", "ratio_read_floor", False),
    ]
    assert len(judged) == len(TARGETS)
    assert judge_targets([result("import_preview", 1.0, 1.0)])[-1]["met"] is True
    assert judge_targets([]) == []  # a run without the import measures no target


def test_only_import_on_a_small_size_prints_the_import_measurements_and_their_targets(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'real.sqlite3'}"
    result = _bench(url, "--departments", "1", "--size", "small", "--repeat", "1", "--only", "import", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    measurements = {m["key"]: m for m in report["measurements"]}
    assert [key for key in measurements if key in IMPORT_MEASUREMENTS] == IMPORT_MEASUREMENTS
    assert "export_workbook" not in measurements  # --only import: the anchors and the import alone
    for key in IMPORT_MEASUREMENTS:
        assert measurements[key]["median_ms"] > 0 and len(measurements[key]["runs_ms"]) == 1, key
    assert measurements["import_preview"]["ratio_read_floor"] > 0
    assert [target["key"] for target in report["targets"]] == [key for key, *_ in TARGETS]
    assert all(isinstance(target["met"], bool) for target in report["targets"])
    table = _bench(url, "--departments", "1", "--size", "small", "--repeat", "1", "--only", "import")
    assert table.returncode == 0, table.stderr
    assert "calamine 读取下限" in table.stdout and "导入预览 ≤ 0.5 s：" in table.stdout
    assert Decimal(measurements["import_preview"]["median_ms"]) > 0
