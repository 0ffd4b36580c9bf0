"""The structure holds: every first-party import is at the top of its module (none hidden in a function to dodge a
cycle), and the packages import each other without a cycle. The direction of the layers is import-linter's
(``make lint``: the contracts in pyproject.toml)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = sorted(path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name != "tests")


def _modules() -> list[Path]:
    return [
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and path.name != "gunicorn.conf.py"
    ]


def _imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [node.module]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return []


def test_no_first_party_import_is_made_inside_a_function_or_class() -> None:
    inner = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = set(tree.body)
        for node in ast.walk(tree):
            names = [name for name in _imported(node) if name.split(".")[0] in PACKAGES]
            if names and node not in top:
                inner.append(f"{path.relative_to(ROOT)}:{node.lineno} {names[0]}")
    assert inner == []


def test_the_packages_import_each_other_without_a_cycle() -> None:
    edges: dict[str, set[str]] = {package: set() for package in PACKAGES}
    for path in _modules():
        source = path.relative_to(ROOT).parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for name in _imported(node):
                target = name.split(".")[0]
                if target in edges and target != source:
                    edges[source].add(target)
    # Kahn's algorithm: what is left after removing every package nothing unremoved imports is a cycle.
    remaining = {package: set(targets) for package, targets in edges.items()}
    while True:
        leaves = [package for package, targets in remaining.items() if not targets]
        if not leaves:
            break
        for leaf in leaves:
            del remaining[leaf]
        for targets in remaining.values():
            targets.difference_update(leaves)
    assert remaining == {}, f"packages in a cycle: {sorted(remaining)}"
