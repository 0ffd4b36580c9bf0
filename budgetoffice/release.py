"""What tells one release of the code from another, for the keys of what it computed (settings.CACHES): a
deployment never serves tables or workbooks an earlier version of the code printed, even from a shared cache."""

import hashlib
from pathlib import Path

# What a kept computation depends on: the ledger's derivations, the editions, the writers, the table templates.
SOURCES = ("domain", "official", "budgets", "disclosure", "exports", "pages", "templates/pages")
SUFFIXES = (".py", ".toml", ".html")


def code_digest(base: Path) -> str:
    """A short digest of the sources' contents (the same checkout gives the same digest on every machine)."""
    digest = hashlib.blake2b(digest_size=6)
    for folder in SOURCES:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file():
                digest.update(path.relative_to(base).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()
