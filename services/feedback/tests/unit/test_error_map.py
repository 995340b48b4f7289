"""Feedback's map from its domain errors to problem details: every rule its code raises becomes a
problem with a Vietnamese and an English message."""

from __future__ import annotations

import pytest
from raise_sites import RaiseSite, raise_sites

import tothon_feedback
import tothon_shared.attachments
from tothon_feedback.api.errors import FEEDBACK_ERRORS
from tothon_feedback.bootstrap import DEFINITION
from tothon_feedback.domain.errors import CaseStateError, EvidenceRequiredError, FeedbackError
from tothon_shared.attachments.errors import AttachmentError
from tothon_shared.http.messages import CATALOGUE as GENERAL_MESSAGES
from tothon_shared.http.messages import Catalogue
from tothon_shared.kernel.errors import CodedError

CATALOGUE = Catalogue(GENERAL_MESSAGES, DEFINITION.messages)


def _raise_sites() -> list[RaiseSite]:
    # The shared attachments' refusals too: feedback's own checks and the cleaning of an upload.
    return (
        raise_sites(tothon_feedback, FeedbackError)
        + raise_sites(tothon_feedback, AttachmentError)
        + raise_sites(tothon_shared.attachments, AttachmentError)
    )


@pytest.mark.parametrize(
    ("where", "line", "error", "code"), _raise_sites(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_refusal_of_the_feedback_domain_becomes_a_problem_with_a_message(
    where: str, line: int, error: type[CodedError], code: str | None
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
    found = {(w, e, c) for w, _, e, c in sites}
    assert ("domain/workflow.py", CaseStateError, "state") in found
    assert ("api/cases.py", AttachmentError, "unknown") in found
    assert ("processing.py", AttachmentError, "too_many_pixels") in found


def test_a_state_conflict_is_409_and_a_missing_answer_422() -> None:
    conflict = FEEDBACK_ERRORS.problem(CaseStateError("x", code="state", step="close", status="submitted"))
    assert conflict is not None
    assert (conflict.status, conflict.key) == (409, "feedback.case.state")
    missing = FEEDBACK_ERRORS.problem(EvidenceRequiredError(code="evidence_required"))
    assert missing is not None
    assert (missing.status, missing.key) == (422, "feedback.resolution.evidence_required")
