"""Named refusals of the feedback domain. Where one class covers several rules, ``code`` names the
rule broken: a stable identifier the API's error map turns into a message, never text shown to
anyone (the message is for logs)."""

from __future__ import annotations

from tothon_shared.kernel.errors import CodedError


class FeedbackError(CodedError):
    """Base of the feedback service's domain errors."""


class CatalogueError(FeedbackError):
    """A change the category catalogue does not allow (unknown or duplicate code, a deadline
    missing for a level a case may reach, a day off given twice); ``code`` names the rule."""


class CalendarError(FeedbackError):
    """Working time that cannot be counted: office hours that overlap or are empty, an instant
    without a time zone, no working day within reach."""


class CaseStateError(FeedbackError):
    """A step the case's current state does not allow (409): ``code`` is ``state`` with the step
    and status named, or the rule of the step that was broken."""

    def __init__(self, *args: object, code: str | None = None, step: str = "", status: str = "") -> None:
        super().__init__(*args, code=code)
        self.step = step
        self.status = status


class CaseNotFoundError(FeedbackError):
    """No such case (``not_found``), or a merge's target that is not an open case
    (``merge_target``)."""

    code = "not_found"


class SubmissionError(FeedbackError):
    """A submission that cannot be filed: no text, a channel that does not match who files it, no
    unit at the category's competent level; ``code`` names the rule."""


class FormalProcedureError(FeedbackError):
    """A complaint or denunciation (khiếu nại, tố cáo): it follows its own law and is redirected to
    that procedure, not processed as feedback."""

    code = "formal_procedure"

    def __init__(self, category: str) -> None:
        super().__init__(f"category {category} follows a formal procedure")
        self.category = category


class EvidenceRequiredError(FeedbackError):
    """A resolution needs a public answer (``answer_required``) and evidence, photos or documents
    (``evidence_required``): answers without evidence are what residents of other cities called
    vague."""


class TextError(FeedbackError):
    """A note or reply that is blank (``text_required``) or longer than allowed (``text_too_long``)."""


class RatingError(FeedbackError):
    """A rating is a whole number of stars from 1 to 5."""

    code = "rating_range"


class ReasonRequiredError(FeedbackError):
    """Escalating, returning, rejecting, merging, reopening and every change of the catalogue need
    a reason."""

    code = "reason_required"


def given(reason: str) -> str:
    """``reason``, refused when blank."""
    if not reason.strip():
        raise ReasonRequiredError
    return reason
