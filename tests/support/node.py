"""The page scripts (static/js) run under node, for the tests that hold them to the server's Python readers."""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

NODE = shutil.which("node")
SCRIPTS = Path(__file__).resolve().parents[2] / "static" / "js"
MODULES = ("numbers", "grid", "figures", "targets")

needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

# The scripts by name, ``data`` (what the test sends, as JSON) and ``out`` (what it gets back: BigInts as strings).
PRELUDE = (
    f"const [{', '.join(MODULES)}] = {json.dumps([str(SCRIPTS / f'{name}.js') for name in MODULES])}.map(require);"
    "const data = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
    "const out = (value) => process.stdout.write("
    "JSON.stringify(value, (key, item) => (typeof item === 'bigint' ? item.toString() : item)));"
)


def run(program: str, data: object = None) -> Any:
    """What ``program`` hands to ``out()``."""
    assert NODE is not None
    result = subprocess.run(
        [NODE, "-e", PRELUDE + program],
        input=json.dumps(data, ensure_ascii=False),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def each(call: str, cases: list[Any]) -> list[Any]:
    """``call`` (e.g. "numbers.readAmount") of each case's arguments (a list), or of the case itself."""
    program = f"out(data.map((args) => Array.isArray(args) ? {call}(...args) : {call}(args)));"
    return run(program, cases)
