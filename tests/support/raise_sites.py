"""Every place a service's code raises one of its domain errors, for the tests that check each
becomes a problem (the service's error map and messages)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from types import ModuleType

from tothon_shared.kernel.errors import CodedError

RaiseSite = tuple[str, int, type[CodedError], str | None]


def raise_sites(package: ModuleType, base: type[CodedError]) -> list[RaiseSite]:
    """Each ``raise SomeError(...)`` (or ``raise SomeError``) of ``package`` whose class is a
    ``base``: where, which class, and its code (a literal ``code=``, else the class's own)."""
    root = Path(str(package.__file__)).parent
    sites: list[RaiseSite] = []
    for path in sorted(root.rglob("*.py")):
        module = importlib.import_module(
            f"{package.__name__}." + ".".join(path.relative_to(root).with_suffix("").parts)
        )
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            call = node.exc if isinstance(node.exc, ast.Call) else None
            func = call.func if call is not None else node.exc
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            error = getattr(module, name, None)
            if not (isinstance(error, type) and issubclass(error, base)):
                continue
            code = next((k.value for k in call.keywords if k.arg == "code"), None) if call else None
            literal = code.value if isinstance(code, ast.Constant) and isinstance(code.value, str) else None
            sites.append((str(path.relative_to(root)), node.lineno, error, literal or error.code))
    return sites
