"""figures.js, on the number core, derives what the server derives (run with node): the totals by 支出类型 of the
grid as entry.figures.totals prints them, the 类/款/项 and 人员经费/公用经费 summaries of the example, and at the cell
the ledger's own words about a row's codes and project."""

from decimal import Decimal
from itertools import product

import pytest

from demo.luquan_202 import BUDGET as EXAMPLE
from domain import ledger
from domain.classifications import PERSONNEL_ECONOMIC_CLASSES, Kind, Source
from domain.ledger import EntryContext
from domain.money import DisplayUnit
from entry import figures
from entry.fields import printed_total
from tests.support.node import needs_node, run

pytestmark = needs_node

YEAR, UNIT = 2021, "本级"
CONTEXT = EntryContext(
    year=YEAR,
    units=frozenset({UNIT}),
    functions=frozenset({"2070101", "2013101"}),
    economics=frozenset({"30101", "30201"}),
    projects={},
)
FIELDS = ("function", "economic", "project")


def formset(rows: list[dict[str, str]], unit: DisplayUnit = DisplayUnit.WAN) -> figures.FigureFormSet:
    data = {f"{figures.PREFIX}-TOTAL_FORMS": str(len(rows)), f"{figures.PREFIX}-INITIAL_FORMS": "0", "unit": unit.value}
    defaults = {"unit": UNIT, "kind": Kind.BASIC.value, "source": Source.GENERAL.value}
    for index, row in enumerate(rows):
        data |= {f"{figures.PREFIX}-{index}-{name}": value for name, value in (defaults | row).items()}
    return figures.FigureForms(
        data, prefix=figures.PREFIX, context=CONTEXT, form_kwargs={"unit": unit, "units": sorted(CONTEXT.units)}
    )


def test_the_messages_are_the_ledgers_words() -> None:
    assert run("out(figures.MESSAGES);") == {
        "functionRequired": figures.FUNCTION_REQUIRED,
        "economicRequired": figures.ECONOMIC_REQUIRED,
        "functionNotLeaf": ledger.FUNCTION_NOT_LEAF,
        "economicNotLeaf": ledger.ECONOMIC_NOT_LEAF,
        "functionNotInCatalogue": ledger.FUNCTION_NOT_IN_CATALOGUE,
        "economicNotInCatalogue": ledger.ECONOMIC_NOT_IN_CATALOGUE,
        "projectRequired": ledger.PROJECT_REQUIRED,
        "projectNotAllowed": ledger.PROJECT_NOT_ALLOWED,
    }


def test_a_rows_codes_and_project_get_the_ledgers_message() -> None:
    rows = [
        {"function": function, "economic": economic, "kind": kind, "project": project, "amount": amount}
        for function, economic, kind, project, amount in product(
            ["", "2070101", "2070101 行政运行", "２０７０１０１", "2070199", "207", "abc"],
            ["", "30101", "30199", "301"],
            [Kind.BASIC.value, Kind.PROJECT.value],
            ["", "演出"],
            ["", "12.5"],
        )
    ]
    program = (
        "const options = { year: data.year, typing: false };"
        "const codes = { function: new Set(data.functions), economic: new Set(data.economics) };"
        "out(data.rows.map((row) => Object.fromEntries(data.fields.map((column) => [column,"
        "  figures.figureProblem(column, row[column], { ...options, kind: row.kind, codes: codes[column] })]))));"
    )
    context = {"year": str(YEAR), "functions": sorted(CONTEXT.functions), "economics": sorted(CONTEXT.economics)}
    page = run(program, {"rows": rows, "fields": FIELDS, **context})
    for row, said in zip(rows, page, strict=True):
        checked = formset([row])
        checked.is_valid()
        [form] = checked.forms
        if form.is_blank():
            continue  # not saved, nothing said (grid.js asks the page only about rows that are not blank)
        server = {name: form.errors.get(name, [""])[0] for name in FIELDS}
        # A row whose own fields do not read is not put to the ledger yet: the page tells its findings at once.
        readable = not any(name in form.errors for name in ("function", "economic", "amount"))
        for name in FIELDS:
            if server[name] or readable:
                assert said[name] == server[name], (name, row)


@pytest.mark.parametrize("unit", list(DisplayUnit), ids=lambda unit: unit.name)
def test_the_totals_by_kind_are_the_servers(unit: DisplayUnit) -> None:
    amounts = ["60.00", "1,234.567891", "0.000001", "１２．５", "0.004999", "0.005", "99999999.99", "7", "x", ""]
    rows = [{"kind": kind.value, "amount": amount} for kind, amount in product(Kind, amounts)][::3]
    program = (
        "const { byKind, grand } = figures.kindTotals(data.rows, data.unit);"
        "out([Object.fromEntries([...byKind].map(([kind, micros]) => [kind, numbers.printed(micros)])),"
        " numbers.printed(grand)]);"
    )
    by_kind, grand = run(program, {"rows": rows, "unit": unit.value})
    server_by_kind, server_grand = figures.totals(formset([{**row, "function": "2070101"} for row in rows], unit), unit)
    zero = printed_total(Decimal(0), unit)
    assert [(kind, by_kind.get(kind, zero)) for kind, _, _ in server_by_kind] == [
        (kind, total) for kind, _, total in server_by_kind
    ]
    assert grand == server_grand


def test_the_derived_summaries_add_up_the_example_by_class_section_item_and_personnel() -> None:
    """The page's 类/款/项 and 人员经费/公用经费 summaries of the example's lines (typed in 元), against sums of
    the same lines by code prefix and economic 类."""
    entries = [
        {"function": line.function, "economic": line.economic, "kind": line.kind.value, "amount": line.yuan}
        for line in EXAMPLE.lines
    ]
    program = (
        "const entries = data.entries.map((e) => ({ ...e, micros: numbers.amountMicros(e.amount, numbers.YUAN) }));"
        "const s = figures.summarize(entries, data.personnel);"
        "const fn = Object.fromEntries([...s.byFunction].map(([k, v]) => [k, [v.total, v.basic, v.project]"
        ".map(numbers.printed)]));"
        "out([fn, numbers.printed(s.people), numbers.printed(s.running)]);"
    )
    by_function, people, running = run(program, {"entries": entries, "personnel": sorted(PERSONNEL_ECONOMIC_CLASSES)})

    def yuan(lines) -> str:
        return printed_total(sum((line.amount for line in lines), Decimal(0)), DisplayUnit.YUAN)

    assert set(by_function) >= {"201", "20131", "2013101", "2013105", "208", "20805", "2080505", "210", "221"}
    for code, printed in by_function.items():
        lines = [line for line in EXAMPLE.lines if line.function.startswith(code)]
        assert printed == [
            yuan(lines),
            yuan(line for line in lines if line.kind is Kind.BASIC),
            yuan(line for line in lines if line.kind is Kind.PROJECT),
        ], code
    basic = [line for line in EXAMPLE.lines if line.kind is Kind.BASIC]
    assert people == yuan(line for line in basic if line.economic[:3] in PERSONNEL_ECONOMIC_CLASSES)
    assert running == yuan(line for line in basic if line.economic[:3] not in PERSONNEL_ECONOMIC_CLASSES)
