"""More editions beside the shipped ones, for tests of choosing and telling editions apart."""

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import official.edition
from official.edition import EDITIONS_DIR, Edition, edition, editions

RENAMED = "test-renamed"
SAME_TITLES = "test-same"
PREFIX = "测试版"
HEBEI = (EDITIONS_DIR / "hebei-2021.toml").read_text(encoding="utf-8")

AddEdition = Callable[[str, str], Edition]


@pytest.fixture
def add_edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AddEdition]:
    """``add_edition(key, text)``: the shipped editions and, from now on, one more, read from ``text``."""
    folder = tmp_path / "editions"
    folder.mkdir()
    for path in EDITIONS_DIR.glob("*.toml"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(official.edition, "EDITIONS_DIR", folder)
    editions.cache_clear()

    def add(key: str, text: str) -> Edition:
        (folder / f"{key}.toml").write_text(text, encoding="utf-8")
        editions.cache_clear()
        return edition(key)

    yield add
    editions.cache_clear()


def hebei_as(key: str, *, title_prefix: str = "") -> str:
    """hebei-2021 under another key, with ``title_prefix`` before every table title."""
    text = HEBEI.replace('key = "hebei-2021"', f'key = "{key}"', 1)
    return re.sub(r'^title = "', f'title = "{title_prefix}', text, flags=re.MULTILINE)


@pytest.fixture
def renamed_edition(add_edition: AddEdition) -> Edition:
    """``test-renamed``: hebei-2021 with 测试版 before every table title."""
    return add_edition(RENAMED, hebei_as(RENAMED, title_prefix=PREFIX))


def edited_edition(tmp_path: Path, key: str, old: str, new: str) -> Path:
    """A copy of the shipped edition ``key`` with ``old`` replaced by ``new`` once, in a file of the same name."""
    text = (EDITIONS_DIR / f"{key}.toml").read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / f"{key}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path
