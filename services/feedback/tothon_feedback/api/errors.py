"""Feedback's one map from its domain errors to problem details (the routes come with the rest of
the service; the map and its messages are complete now, tested against every rule the domain
raises)."""

from __future__ import annotations

from tothon_feedback.domain.api_keys import ApiKeyError
from tothon_feedback.domain.errors import (
    CalendarError,
    CaseNotFoundError,
    CaseStateError,
    CatalogueError,
    EvidenceRequiredError,
    FormalProcedureError,
    RatingError,
    ReasonRequiredError,
    SubmissionError,
    TextError,
)
from tothon_shared.attachments.http import attachment_refusals
from tothon_shared.http.error_map import ErrorMap, Refusal

FEEDBACK_ERRORS = ErrorMap(
    {
        # A step the case's state does not allow: a conflict with the case as it is.
        CaseStateError: Refusal(409, "feedback.case.{code}"),
        CaseNotFoundError: Refusal(404, "feedback.case.not_found"),
        (CaseNotFoundError, "merge_target"): Refusal(409, "feedback.case.merge_target"),
        EvidenceRequiredError: Refusal(422, "feedback.resolution.{code}"),
        RatingError: Refusal(422, "feedback.rating.range"),
        ReasonRequiredError: Refusal(422, "feedback.reason_required"),
        SubmissionError: Refusal(422, "feedback.submission.{code}"),
        TextError: Refusal(422, "feedback.text.{code}"),
        # Not refused as bad input: sent where it belongs (the problem says where).
        FormalProcedureError: Refusal(422, "feedback.formal_procedure"),
        CatalogueError: Refusal(422, "feedback.catalogue.{code}"),
        (CatalogueError, "duplicate_category"): Refusal(409, "feedback.catalogue.duplicate_category"),
        (CatalogueError, "day_off_exists"): Refusal(409, "feedback.catalogue.day_off_exists"),
        CalendarError: Refusal(422, "feedback.calendar.{code}"),
        ApiKeyError: Refusal(422, "feedback.open311_key.{code}"),
        (ApiKeyError, "not_found"): Refusal(404, "feedback.open311_key.not_found"),
        (ApiKeyError, "revoked"): Refusal(409, "feedback.open311_key.revoked"),
        # A refused upload: 413 too large, 415 neither a photo nor a PDF, else 422.
        **attachment_refusals("feedback.attachment"),
    }
)
