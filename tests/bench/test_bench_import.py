"""The bench's import measurements: a budget's own workbook with one figure changed, read by python-calamine (the
read floor), previewed, and confirmed in a transaction rolled back; two crafted files refused; and the targets they
are judged by. No timing
is asserted: only that the measurements run and measure what they say."""

import io
import json
from dataclasses import replace

import pytest

import bench.run
from bench.anchors import calamine_read
from bench.data import load_template
from bench.measure import Measurement
from bench.report import format_report
from bench.run import IMPORT_CHANGE, TARGETS, BenchReport, _imports, _refusals, changed_workbook, judge_targets
from bench.steps import PREVIEW_STEPS, REST
from budgets.models import Budget, BudgetLine
from budgets.selectors import budget_data
from domain.ledger import Kind
from importing.services import budget_import_preview
from official.workbook import write_workbook
from tests.bench.test_bench_command import _bench

IMPORT_MEASUREMENTS = ["read_floor_calamine", "import_preview", "import_confirm", "refuse_cells", "refuse_strings"]


def exported_workbook(budget: Budget) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, budget_data(budget))
    return buffer.getvalue()


def _fetch() -> Budget:
    return Budget.objects.select_related("department", "year").get(pk=load_template("small").pk)


def _lines(budget: Budget) -> list[tuple[int, object]]:
    return list(BudgetLine.objects.filter(budget=budget).order_by("pk").values_list("pk", "amount"))


def test_the_changed_workbook_holds_one_change_of_the_ledger(db) -> None:
    budget = _fetch()
    workbook, changed = changed_workbook(budget)
    stored = next(line for line in budget_data(budget).lines if line.kind is Kind.BASIC and not line.carried_over)
    assert changed == replace(stored, amount=stored.amount + IMPORT_CHANGE)
    preview = budget_import_preview(data=workbook, year=budget.year_id, department_code=budget.department.code)
    assert preview.ok, preview.problems
    assert [(change.old, change.new) for change in preview.figure_changes] == [(stored.amount, changed.amount)]
    assert preview.changes  # the figure and the totals above it, as the tables print them
    assert calamine_read(workbook) > 0


def test_the_import_measurements_run_and_leave_the_budget_as_it_was(db) -> None:
    budget = _fetch()
    revision, lines = budget.revision, _lines(budget)
    floor, preview, confirm = _imports(budget, repeat=1)
    assert [floor.key, preview.key, confirm.key] == IMPORT_MEASUREMENTS[:3]
    assert floor.queries == 0
    assert preview.queries > 0
    assert confirm.queries > preview.queries  # the confirmed import writes
    assert preview.extra["ratio_read_floor"] > 0
    steps = preview.extra["steps"]
    assert [step["step"] for step in steps] == [label for _, _, label in PREVIEW_STEPS] + [REST]
    assert all(step["ms"] >= 0 for step in steps[:-1])
    read = {step["step"]: step for step in steps}
    scan = read[PREVIEW_STEPS[0][2]]  # every preview scans the file before reading it
    assert scan["ms"] > 0
    # against the floor measured in the same pass (both rounded to 0.1 ms in the report)
    assert scan["ratio_read_floor"] == pytest.approx(scan["ms"] / preview.extra["steps_read_floor_ms"], rel=0.1)
    budget.refresh_from_db()
    assert budget.revision == revision
    assert _lines(budget) == lines


def test_the_refusal_measurements_refuse_both_crafted_files_and_stop_on_one_that_is_not(db, monkeypatch) -> None:
    year = _fetch().year_id
    cells, strings = _refusals(year, repeat=1)
    assert [cells.key, strings.key] == ["refuse_cells", "refuse_strings"]
    assert cells.extra["file_kb"] > 4000
    assert cells.queries == strings.queries == 1  # the year's edition, looked up before the file is read

    harmless = (("refuse_cells", "无害的文件", lambda: exported_workbook(_fetch()), "的单元格超过"),)
    monkeypatch.setattr(bench.run, "CRAFTED", harmless)
    with pytest.raises(RuntimeError, match="应被拒绝"):
        _refusals(year, repeat=1)


def _measured(key: str, median_ms: float, ratio: float) -> Measurement:
    return Measurement(key, key, median_ms, [median_ms], 1, extra={"ratio_read_floor": ratio})


def test_targets_are_judged_on_the_medians_and_the_ratio_to_the_read_floor() -> None:
    judged = judge_targets([_measured("import_preview", 400.0, 5.0), _measured("import_confirm", 1200.0, 12.0)])
    assert [(target["key"], target["what"], target["met"]) for target in judged] == [
        ("import_preview", "median_ms", True),
        ("import_confirm", "median_ms", False),
        ("import_preview", "ratio_read_floor", False),
    ]
    assert len(judged) == len([key for key, *_ in TARGETS if key.startswith("import_")])  # the rest not measured
    assert all(target["applies"] for target in judged)  # set for the large size, judged as such
    assert judge_targets([]) == []  # a run that measured nothing judges no target
    report = BenchReport({"vendor": "sqlite", "version": "3", "name": "x"}, "large", 1, 1, {"cpus": 2})
    report.machine |= {"load_average": [], "python": "3", "django": "5", "debug": False}
    report.measurements, report.targets = [_measured("import_preview", 400.0, 5.0)], judged
    table = format_report(report)
    assert "5.00×calamine 读取下限" in table
    assert "导入预览 ≤ 0.5 s：达到（400.0 ms）" in table
    assert "确认导入 ≤ 1 s：未达到（1200.0 ms）" in table
    assert "导入预览 ≤ 4× calamine 读取下限：未达到（5.00×）" in table
    report.measurements[0].extra["steps"] = [{"step": "安全检查", "ms": 12.5, "ratio_read_floor": 1.25}]
    report.measurements[0].extra["steps_read_floor_ms"] = 10.0
    assert "import_preview，各步骤" in format_report(report)
    assert "calamine 读取下限 10.0 ms" in format_report(report)
    assert any(line.split() == ["安全检查", "12.5", "ms", "1.25×"] for line in format_report(report).splitlines())
    pages = judge_targets([Measurement("budget_page", "预算页面", 12.0, [12.0], 14)], "large")
    report.targets = pages
    table = format_report(report)
    assert "预算页面（已缓存）≤ 30 ms：达到（12.0 ms；为示例规模而定，本次仅供参考）" in table
    assert "预算页面（已缓存）≤ 10 次查询：未达到（14 次；为示例规模而定，本次仅供参考）" in table


def test_only_import_on_the_small_size_runs_the_import_measurements_and_judges_them(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'real.sqlite3'}"
    result = _bench(url, "--departments", "1", "--size", "small", "--repeat", "1", "--only", "import", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    measurements = {m["key"]: m for m in report["measurements"]}
    assert set(measurements) == {"xlsxwriter_floor", "import_export_flat", *IMPORT_MEASUREMENTS}  # anchors always
    for key in IMPORT_MEASUREMENTS:
        assert measurements[key]["median_ms"] > 0, key
        assert len(measurements[key]["runs_ms"]) == 1, key
    assert measurements["import_preview"]["ratio_read_floor"] > 0
    assert [target["key"] for target in report["targets"]] == [
        key for key, *_ in TARGETS if key.startswith(("import_", "refuse_"))
    ]
    assert not any(target["applies"] for target in report["targets"])  # set for the large size: for reference
    assert all(isinstance(target["met"], bool) for target in report["targets"])
