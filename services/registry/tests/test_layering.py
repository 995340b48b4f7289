"""The registry's layers import downwards only: the spreadsheet import and export and the read
models never import the API (they are used by it, and by workers that have no HTTP)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tothon_registry

PACKAGE = Path(tothon_registry.__file__).parent


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("layer", ["imports", "exports", "readmodels", "domain"])
def test_a_lower_layer_imports_nothing_from_the_api(layer: str) -> None:
    offending = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in (PACKAGE / layer).rglob("*.py")
        for name in _imported(path)
        if name == "tothon_registry.api" or name.startswith("tothon_registry.api.")
    }
    assert not offending
