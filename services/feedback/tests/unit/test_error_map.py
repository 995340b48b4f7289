"""Feedback's map from its domain errors to problem details: every rule its code raises becomes a
problem with a Vietnamese and an English message."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import tothon_feedback
from tothon_feedback.api.errors import FEEDBACK_ERRORS
from tothon_feedback.bootstrap import DEFINITION
from tothon_feedback.domain.errors import CaseStateError, EvidenceRequiredError, FeedbackError
from tothon_shared.http.messages import CATALOGUE as GENERAL_MESSAGES
from tothon_shared.http.messages import Catalogue

CATALOGUE = Catalogue(GENERAL_MESSAGES, DEFINITION.messages)


def _raise_sites() -> list[tuple[str, int, type[FeedbackError], str | None]]:
    """Every ``raise SomeFeedbackError(...)`` of the service: where, which class and its code."""
    package = Path(tothon_feedback.__file__).parent
    sites = []
    for path in sorted(package.rglob("*.py")):
        module = importlib.import_module(
            "tothon_feedback." + ".".join(path.relative_to(package).with_suffix("").parts)
        )
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            call = node.exc if isinstance(node.exc, ast.Call) else None
            func = call.func if call is not None else node.exc
            name = func.id if isinstance(func, ast.Name) else ""
            error = getattr(module, name, None)
            if not (isinstance(error, type) and issubclass(error, FeedbackError)):
                continue
            code = next((k.value for k in call.keywords if k.arg == "code"), None) if call else None
            literal = code.value if isinstance(code, ast.Constant) and isinstance(code.value, str) else None
            sites.append((str(path.relative_to(package)), node.lineno, error, literal or error.code))
    return sites


@pytest.mark.parametrize(
    ("where", "line", "error", "code"), _raise_sites(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_refusal_of_the_feedback_domain_becomes_a_problem_with_a_message(
    where: str, line: int, error: type[FeedbackError], code: str | None
) -> None:
    raised = error.__new__(error)
    raised.code = code
    refusal = FEEDBACK_ERRORS.refusal(raised)
    assert refusal is not None, f"{where}:{line}: {error.__name__}(code={code!r}) has no entry"
    key = refusal.key.format(code=code) if "{code}" in refusal.key else refusal.key
    assert CATALOGUE.text(key, "vi"), f"{where}:{line}: no message {key}"  # KeyError if none
    assert CATALOGUE.text(key, "en"), f"{where}:{line}: no message {key}"


def test_the_raise_sites_are_found() -> None:
    # The test above would pass on nothing: it must see the domain's raises.
    sites = _raise_sites()
    assert len(sites) > 20
    assert ("domain/workflow.py", CaseStateError, "state") in {(w, e, c) for w, _, e, c in sites}


def test_a_state_conflict_is_409_and_a_missing_answer_422() -> None:
    conflict = FEEDBACK_ERRORS.problem(CaseStateError("x", code="state", step="close", status="submitted"))
    assert conflict is not None
    assert (conflict.status, conflict.key) == (409, "feedback.case.state")
    missing = FEEDBACK_ERRORS.problem(EvidenceRequiredError(code="evidence_required"))
    assert missing is not None
    assert (missing.status, missing.key) == (422, "feedback.resolution.evidence_required")
