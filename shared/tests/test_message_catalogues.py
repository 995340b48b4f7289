"""Every message key a service's code names is in that service's catalogue, in both languages; a
catalogue that repeats a key or misses a language is refused when it is built."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import tothon_communication
import tothon_feedback
import tothon_funds
import tothon_registry
import tothon_shared
from tothon_communication.bootstrap import DEFINITION as COMMUNICATION
from tothon_feedback.bootstrap import DEFINITION as FEEDBACK
from tothon_funds.bootstrap import DEFINITION as FUNDS
from tothon_registry.bootstrap import DEFINITION as REGISTRY
from tothon_shared.http.messages import CATALOGUE, GENERAL, Catalogue
from tothon_shared.runtime.definition import ServiceDefinition

# Calls whose argument at that position (or keyword) is a message key.
_KEY_ARGUMENTS = {"ProblemError": 1, "text": 0, "problem": 3}
_KEY_KEYWORDS = {"key", "title_key", "detail_key"}


def _keys_named(package: ModuleType) -> Iterator[tuple[str, str]]:
    """(key, where) for every string constant given as a message key in the package's code."""
    root = Path(package.__file__ or "").parent
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            # ``text(key, lang)``, not SQLAlchemy's ``text(sql)``.
            if name not in _KEY_ARGUMENTS or (name == "text" and len(node.args) != 2):
                continue
            position = _KEY_ARGUMENTS[name]
            arguments = node.args[position : position + 1] + [
                k.value for k in node.keywords if k.arg in _KEY_KEYWORDS
            ]
            for argument in arguments:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    yield argument.value, f"{path.relative_to(root.parent)}:{node.lineno}"


SERVICES: list[tuple[ModuleType, ServiceDefinition]] = [
    (tothon_registry, REGISTRY),
    (tothon_funds, FUNDS),
    (tothon_feedback, FEEDBACK),
    (tothon_communication, COMMUNICATION),
]


@pytest.mark.parametrize(("package", "definition"), SERVICES, ids=[d.name for _, d in SERVICES])
def test_every_key_a_service_names_is_in_its_catalogue(
    package: ModuleType, definition: ServiceDefinition
) -> None:
    catalogue = Catalogue(CATALOGUE, definition.messages)
    missing = [f"{key} ({where})" for key, where in _keys_named(package) if key not in catalogue]
    assert missing == []


def test_every_key_the_shared_library_names_is_a_general_one() -> None:
    named = list(_keys_named(tothon_shared))
    assert len(named) > 10  # the scan sees the shared library's problems
    assert [f"{key} ({where})" for key, where in named if key not in GENERAL] == []


def test_the_registrys_own_messages_are_not_in_the_general_catalogue() -> None:
    assert "household.head_count" in REGISTRY.messages
    assert "household.head_count" not in GENERAL


def test_a_key_declared_twice_is_refused() -> None:
    with pytest.raises(ValueError, match=r"auth\.missing"):
        Catalogue(CATALOGUE, {"auth.missing": {"vi": "Khác", "en": "Other"}})


def test_a_message_without_both_languages_is_refused() -> None:
    with pytest.raises(ValueError, match=r"stock\.empty"):
        Catalogue(CATALOGUE, {"stock.empty": {"vi": "Kho đã hết hàng."}})
