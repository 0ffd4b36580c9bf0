"""A second edition beside the shipped ones, for tests of choosing one: hebei-2021 with every table retitled."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import official.edition
from official.edition import EDITIONS_DIR, Edition, edition, editions

RENAMED = "test-renamed"
PREFIX = "测试版"


@pytest.fixture
def renamed_edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Edition]:
    """The shipped editions and one more, ``test-renamed``: hebei-2021 with 测试版 before every table title."""
    folder = tmp_path / "editions"
    folder.mkdir()
    for path in EDITIONS_DIR.glob("*.toml"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    text = (EDITIONS_DIR / "hebei-2021.toml").read_text(encoding="utf-8")
    text = text.replace('key = "hebei-2021"', f'key = "{RENAMED}"', 1)
    text = re.sub(r'^title = "', f'title = "{PREFIX}', text, flags=re.MULTILINE)
    (folder / f"{RENAMED}.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(official.edition, "EDITIONS_DIR", folder)
    editions.cache_clear()
    yield edition(RENAMED)
    editions.cache_clear()
