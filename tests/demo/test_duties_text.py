"""The demo's 部门职责 is the published example's, less the slip that the example carries (「调查 research」, an
English word left in by its authors): the golden tests stay on the published text, the demo reads as Chinese."""

from pathlib import Path

from demo import luquan_202
from tests.golden.seed import SEED_PATH

DUTIES = Path(luquan_202.__file__).with_name("duties_202.txt")
SLIP, FIXED = "调查 research", "调查研究"


def test_the_demo_duties_are_the_published_ones_with_the_slip_fixed() -> None:
    def joined(text: str) -> str:  # the example's lines are broken where its page was
        return "".join(text.split())

    published = joined(SEED_PATH.read_text(encoding="utf-8"))
    lines = [line.strip() for line in DUTIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    fixed = [line for line in lines if joined(line) not in published]
    assert len(fixed) == 1
    assert joined(fixed[0].replace(FIXED, SLIP, 1)) in published
    assert not any(char.isascii() and char.isalpha() for line in lines for char in line)
