"""grid.js checks and adds up cells as the server does (run with node): the same verdict on what was typed, the same
printed totals, the exact 万元/元 switch, and a block pasted from Excel split into rows and cells."""

import json
import shutil
import subprocess
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from domain.money import DisplayUnit
from entry.figures import parse_amount, printed_total, typed_amount
from entry.procurement import parse_as_of, parse_quantity

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "grid.js"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

TYPED = [
    "60.00",
    "1,234.567891",
    "0.000001",
    "１２．５",
    "1.",
    ".5",
    "12abc",
    "-3.00",
    "-",
    "1.0000001",
    "1.001",
    "12,34",
    "1e3",
    "99999999.99",
    "10000000000",
]


def run(program: str):
    script = f"const grid = require({json.dumps(str(SCRIPT))});{program}"
    result = subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True, timeout=30)
    return json.loads(result.stdout)


def server_verdict(text: str, unit: DisplayUnit) -> str:
    try:
        parse_amount(text, unit)
    except (ValueError, InvalidOperation) as error:
        return str(error)
    return ""


def server_quantity_verdict(text: str) -> str:
    try:
        parse_quantity(text)
    except ValueError as error:
        return str(error)
    return ""


@pytest.mark.parametrize("unit", list(DisplayUnit))
def test_an_amount_gets_the_servers_message(unit) -> None:
    program = (
        f"const typed = {json.dumps(TYPED, ensure_ascii=False)};"
        f"process.stdout.write(JSON.stringify(typed.map((t) => grid.amountProblem(t, {json.dumps(unit.value)}))));"
    )
    assert run(program) == [server_verdict(text, unit) for text in TYPED]


def test_a_quantity_is_refused_when_the_server_refuses_it() -> None:
    typed = ["", "86", "5.2", "1,200.5", "1.005", "-1", "二十", "10000000000"]
    program = (
        f"process.stdout.write(JSON.stringify({json.dumps(typed, ensure_ascii=False)}.map(grid.quantityProblem)));"
    )
    assert run(program) == [server_quantity_verdict(text) for text in typed]


def test_a_date_is_refused_when_the_server_refuses_it() -> None:
    typed = ["", "2020-12-31", "2021/1/5", "2020年12月31日", "2020-13-01", "2020-02-30", "0000-01-01", "去年年底"]
    verdicts = f"{json.dumps(typed, ensure_ascii=False)}.map((t) => grid.dateProblem(t, 'x'))"
    program = f"process.stdout.write(JSON.stringify({verdicts}));"
    assert run(program) == [server_date_verdict(text) for text in typed]


def server_date_verdict(text: str) -> str:
    try:
        parse_as_of(text)
    except ValueError:
        return "x"
    return ""


def test_totals_are_printed_as_the_server_prints_them() -> None:
    amounts = ["30.00", "17.5", "0.000001", "0.004999", "0.005", "1,234.567891"]
    program = (
        f"const amounts = {json.dumps(amounts)};"
        "const all = amounts.reduce((sum, a) => sum + grid.toMicros(a), 0n);"
        "process.stdout.write(JSON.stringify([amounts.map((a) => grid.printed(grid.toMicros(a))), grid.printed(all)]));"
    )
    each, grand = run(program)
    yuan = [parse_amount(amount, DisplayUnit.WAN) for amount in amounts]
    assert each == [printed_total(amount, DisplayUnit.WAN) for amount in yuan]
    assert grand == printed_total(sum(yuan, Decimal(0)), DisplayUnit.WAN)


def test_the_unit_switch_is_exact() -> None:
    stored = ["300000.00", "412350.50", "0.01", "123456789012.34"]
    wan = [typed_amount(Decimal(amount), DisplayUnit.WAN) for amount in stored]
    program = (
        f"const yuan = {json.dumps(wan)}.map((a) => grid.shifted(a, true));"
        "process.stdout.write(JSON.stringify([yuan, yuan.map((a) => grid.shifted(a, false)), grid.shifted('', true)]));"
    )
    yuan, back, blank = run(program)
    assert yuan == [typed_amount(Decimal(amount), DisplayUnit.YUAN) for amount in stored]
    assert back == wan
    assert blank == ""


def test_a_block_from_excel_splits_into_rows_and_cells() -> None:
    block = "图书\tA050401\t批\r\n公务用车\t\t辆\r\n"
    program = f"process.stdout.write(JSON.stringify(grid.splitBlock({json.dumps(block, ensure_ascii=False)})));"
    assert run(program) == [["图书", "A050401", "批"], ["公务用车", "", "辆"]]
