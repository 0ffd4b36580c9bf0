"""figures.js adds up the grid as the server does, and switches 万元/元 without losing a fen (run with node)."""

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from demo.luquan_202 import BUDGET as EXAMPLE
from domain.classifications import PERSONNEL_ECONOMIC_CLASSES, Kind
from domain.money import DisplayUnit
from entry.figures import parse_amount, printed_total, typed_amount

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "figures.js"
NODE = shutil.which("node")

AMOUNTS = ["60.00", "1,234.567891", "0.000001", "１２．５", "0.004999", "0.005", "99999999.99", "7"]


def run(program: str):
    script = f"const {{ toMicros, printed, shifted, summarize }} = require({json.dumps(str(SCRIPT))});{program}"
    result = subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True, timeout=30)
    return json.loads(result.stdout)


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_page_totals_as_the_server_does() -> None:
    program = (
        f"const amounts = {json.dumps(AMOUNTS, ensure_ascii=False)};"
        "const each = amounts.map((a) => printed(toMicros(a)));"
        "const all = printed(amounts.reduce((sum, a) => sum + toMicros(a), 0n));"
        "const bad = ['12abc', '-3', '1.0000001', '1e3'].map((a) => toMicros(a));"
        "process.stdout.write(JSON.stringify([each, all, bad]));"
    )
    each, grand, bad = run(program)
    yuan = [parse_amount(amount, DisplayUnit.WAN) for amount in AMOUNTS]
    assert each == [printed_total(amount, DisplayUnit.WAN) for amount in yuan]
    assert grand == printed_total(sum(yuan, Decimal(0)), DisplayUnit.WAN)
    assert bad == [None, None, None, None]


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_unit_switch_is_exact() -> None:
    stored = ["600000.00", "12345.67", "0.01", "0.00", "123456789012.34"]
    wan = [typed_amount(Decimal(amount), DisplayUnit.WAN) for amount in stored]
    program = (
        f"const wan = {json.dumps(wan)};"
        "const yuan = wan.map((a) => shifted(a, true));"
        "process.stdout.write(JSON.stringify([yuan, yuan.map((a) => shifted(a, false))]));"
    )
    yuan, back = run(program)
    assert yuan == [typed_amount(Decimal(amount), DisplayUnit.YUAN) for amount in stored]
    assert back == wan


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_derived_summaries_add_up_the_example_by_class_section_item_and_personnel() -> None:
    """The page's 类/款/项 and 人员经费/公用经费 summaries of the example's lines (typed in 元), against sums of
    the same lines by code prefix and economic 类."""
    entries = [
        {"function": line.function, "economic": line.economic, "kind": line.kind.value, "micros": line.yuan}
        for line in EXAMPLE.lines
    ]
    program = (
        f"const entries = {json.dumps(entries, ensure_ascii=False)}"
        ".map((e) => ({ ...e, micros: toMicros(e.micros) }));"
        f"const s = summarize(entries, {json.dumps(sorted(PERSONNEL_ECONOMIC_CLASSES))});"
        "const fn = Object.fromEntries([...s.byFunction].map(([k, v]) => [k, [v.total, v.basic, v.project]"
        ".map(printed)]));"
        "process.stdout.write(JSON.stringify([fn, printed(s.people), printed(s.running)]));"
    )
    by_function, people, running = run(program)

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
