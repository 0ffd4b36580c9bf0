"""figures.js adds up the grid as the server does, and switches 万元/元 without losing a fen (run with node)."""

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from budgets.domain.money import DisplayUnit
from budgets.entry_views import parse_amount, printed_total, typed_amount

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "figures.js"
NODE = shutil.which("node")

AMOUNTS = ["60.00", "1,234.567891", "0.000001", "１２．５", "0.004999", "0.005", "99999999.99", "7"]


def run(program: str):
    script = f"const {{ toMicros, printed, shifted }} = require({json.dumps(str(SCRIPT))});{program}"
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
