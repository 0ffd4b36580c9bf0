"""targets.js shows the 指标值 as it will print: the same text as the server's printed_value (run with node)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from entry.targets_forms import printed_value

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "targets.js"
NODE = shutil.which("node")

CASES = [
    ("≥", "98", "%", ""),
    ("≥", "98.50", "%", ""),
    ("", "5", "场", ""),
    ("≥", "1.80", "万元", ""),
    ("=", "０１２", "场次", ""),
    ("<", ".5", "", ""),
    ("≤", "100.000", "%", ""),
    ("", "007", "人", ""),
    ("", "", "", "保障"),
    ("≥", "", "", " 提高 "),
    ("≥", "abc", "%", ""),
    ("", "-5", "", ""),
    ("", "", "", ""),
]


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_page_prints_values_as_the_server_does() -> None:
    program = (
        f"const {{ printedValue }} = require({json.dumps(str(SCRIPT))});"
        f"const cases = {json.dumps(CASES, ensure_ascii=False)};"
        "process.stdout.write(JSON.stringify(cases.map((parts) => printedValue(...parts))));"
    )
    result = subprocess.run([NODE, "-e", program], capture_output=True, text=True, check=True, timeout=30)
    shown = json.loads(result.stdout)
    assert shown == [printed_value(*parts) for parts in CASES]
    assert shown[:3] == ["≥98%", "≥98.5%", "5 场"]
