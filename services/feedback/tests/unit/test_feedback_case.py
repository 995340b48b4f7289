"""The case's workflow: every step an event with actor, reason and time; every refusal named."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import uuid4

import pytest

from tothon_feedback.application import FeedbackApplication
from tothon_feedback.domain.case import FeedbackCase
from tothon_feedback.domain.errors import (
    CaseStateError,
    EvidenceRequiredError,
    FormalProcedureError,
    RatingError,
    ReasonRequiredError,
    SubmissionError,
)
from tothon_feedback.domain.levels import Level
from tothon_feedback.domain.submission import Channel, Submission
from tothon_feedback.domain.workflow import CaseStatus
from tothon_shared.kernel.clock import VIETNAM

RESIDENT, OFFICIAL = "account:resident", "account:official"
MONDAY = datetime(2027, 3, 1, 9, tzinfo=VIETNAM)
LATER = datetime(2027, 3, 1, 10, tzinfo=VIETNAM)


def _names(case: FeedbackCase) -> list[str]:
    return [type(e).__name__ for e in case.collect_events()]


def test_a_group_matter_stays_at_the_group(cases: Any) -> None:
    case = cases.submit("sanitation")
    assert (case.level, case.unit_id, case.status) == (Level.GROUP, cases.units.group, CaseStatus.SUBMITTED)
    # Sanitation: accept within 8 working hours (a 7.5-hour working day and half an hour), resolve
    # within 3 working days.
    assert case.accept_by == datetime(2027, 3, 2, 9, 30, tzinfo=VIETNAM)
    assert case.resolve_by == datetime(2027, 3, 4, 9, tzinfo=VIETNAM)


def test_a_case_goes_straight_to_its_categorys_competent_level(cases: Any) -> None:
    ward_case, city_case = cases.submit("infrastructure"), cases.submit("policy")
    assert (ward_case.level, ward_case.unit_id) == (Level.WARD, cases.units.ward)
    assert city_case.path == [(Level.CITY, cases.units.city)]
    assert city_case.origin_unit_id == cases.units.group


def test_an_official_files_a_case_for_a_resident_who_came_in_or_called(cases: Any) -> None:
    for channel in (Channel.WALK_IN, Channel.PHONE):
        submission = Submission(RESIDENT, OFFICIAL, channel, "Đèn đường hỏng", cases.units.group, Level.GROUP)
        case = FeedbackCase.submit(
            uuid4(),
            submission,
            cases.catalogue.offered("other"),
            MONDAY,
            cases.units.parent,
            cases.rule("other"),
        )
        assert (case.resident, case.submitted_by, case.channel) == (RESIDENT, OFFICIAL, channel)


@pytest.mark.parametrize(
    ("actor", "channel", "text", "code"),
    [
        (OFFICIAL, Channel.ONLINE, "Rác", "channel"),  # online is the resident's own channel
        (RESIDENT, Channel.PHONE, "Rác", "channel"),  # a call is written down by an official
        (RESIDENT, Channel.ONLINE, "  ", "text_required"),
    ],
)
def test_a_submission_that_cannot_be_filed_is_refused(
    actor: str, channel: Channel, text: str, code: str
) -> None:
    with pytest.raises(SubmissionError) as refused:
        Submission(RESIDENT, actor, channel, text, uuid4(), Level.GROUP)
    assert refused.value.code == code


def test_a_complaint_or_denunciation_is_refused_for_its_formal_procedure(cases: Any) -> None:
    for code in ("complaint", "denunciation"):
        with pytest.raises(FormalProcedureError) as refused:
            cases.submit(code)
        assert (refused.value.code, refused.value.category) == ("formal_procedure", code)


def test_a_case_without_a_unit_at_its_competent_level_is_refused(cases: Any) -> None:
    cases.units.parents.clear()
    with pytest.raises(SubmissionError) as refused:
        cases.submit("infrastructure")
    assert refused.value.code == "no_competent_unit"


def test_a_case_is_accepted_worked_on_resolved_with_evidence_and_closed_with_a_rating(cases: Any) -> None:
    case = cases.submit()
    case.accept(OFFICIAL, MONDAY, "Tổ trưởng tiếp nhận")
    case.start(OFFICIAL, LATER)
    case.resolve(OFFICIAL, LATER, "Đã thu gom rác, có ảnh", ["sha256:ab12", "sha256:cd34"])
    assert (case.status, case.answer, case.evidence) == (
        CaseStatus.RESOLVED,
        "Đã thu gom rác, có ảnh",
        ["sha256:ab12", "sha256:cd34"],
    )
    case.close(RESIDENT, LATER, 4, "Cảm ơn")
    assert (case.status, case.rating) == (CaseStatus.CLOSED, 4)
    events = case.collect_events()
    assert [type(e).__name__ for e in events] == ["Submitted", "Accepted", "Started", "Resolved", "Closed"]
    assert [(e.actor, e.reason) for e in events[1:]] == [
        (OFFICIAL, "Tổ trưởng tiếp nhận"),
        (OFFICIAL, ""),
        (OFFICIAL, ""),
        (RESIDENT, "Cảm ơn"),
    ]


@pytest.mark.parametrize(
    ("answer", "evidence", "code"),
    [
        ("Đã xử lý", [], "evidence_required"),
        ("Đã xử lý", [" "], "evidence_required"),
        (" ", ["sha256:ab"], "answer_required"),
    ],
)
def test_a_resolution_without_a_public_answer_and_evidence_is_refused(
    cases: Any, answer: str, evidence: list[str], code: str
) -> None:
    case = cases.in_status(CaseStatus.IN_PROGRESS)
    case.collect_events()
    with pytest.raises(EvidenceRequiredError) as refused:
        case.resolve(OFFICIAL, LATER, answer, evidence)
    assert refused.value.code == code
    assert (case.status, case.collect_events()) == (CaseStatus.IN_PROGRESS, [])


@pytest.mark.parametrize("rating", [0, 6, -1, True])
def test_a_rating_is_one_to_five_stars(cases: Any, rating: int) -> None:
    case = cases.in_status(CaseStatus.RESOLVED)
    with pytest.raises(RatingError):
        case.close(RESIDENT, LATER, rating)
    assert case.status is CaseStatus.RESOLVED


def test_a_reopened_case_goes_one_level_up_with_that_levels_deadlines(cases: Any) -> None:
    case = cases.in_status(CaseStatus.RESOLVED)
    case.reopen(RESIDENT, "Rác vẫn còn", LATER, cases.units.parent, cases.rule())
    assert (case.status, case.level, case.unit_id, case.reopenings) == (
        CaseStatus.SUBMITTED,
        Level.WARD,
        cases.units.ward,
        1,
    )
    assert case.accept_by == datetime(
        2027, 3, 2, 10, 30, tzinfo=VIETNAM
    )  # 8 working hours from the reopening
    assert case.path == [(Level.GROUP, cases.units.group), (Level.WARD, cases.units.ward)]


def test_a_case_reopened_at_the_city_stays_at_the_city(cases: Any) -> None:
    case = cases.submit("policy")
    case.accept(OFFICIAL, MONDAY)
    case.resolve(OFFICIAL, MONDAY, "Đã trả lời", ["doc:123"])
    case.reopen(RESIDENT, "Chưa thỏa đáng", LATER, cases.units.parent, cases.rule("policy"))
    assert (case.level, case.unit_id, case.status) == (Level.CITY, cases.units.city, CaseStatus.SUBMITTED)


@pytest.mark.parametrize("status", [CaseStatus.SUBMITTED, CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS])
def test_an_open_case_is_escalated_to_the_parent_level_with_a_reason(cases: Any, status: CaseStatus) -> None:
    case = cases.in_status(status)
    case.escalate(OFFICIAL, "Vượt thẩm quyền tổ", LATER, cases.units.parent, cases.rule())
    assert (case.level, case.unit_id, case.status, case.escalations) == (
        Level.WARD,
        cases.units.ward,
        CaseStatus.SUBMITTED,
        1,
    )
    escalated = case.collect_events()[-1]
    assert (type(escalated).__name__, escalated.actor, escalated.reason) == (
        "Escalated",
        OFFICIAL,
        "Vượt thẩm quyền tổ",
    )


def test_escalation_stops_at_the_top_and_where_the_tree_has_no_parent(cases: Any) -> None:
    at_city = cases.submit("policy")
    with pytest.raises(CaseStateError) as refused:
        at_city.escalate(OFFICIAL, "Lên nữa", LATER, cases.units.parent, cases.rule("policy"))
    assert refused.value.code == "top_level"
    orphan = cases.submit()
    with pytest.raises(CaseStateError) as refused:
        orphan.escalate(OFFICIAL, "Lên phường", LATER, lambda _unit: None, cases.rule())
    assert refused.value.code == "top_level"


def test_a_case_is_returned_to_a_lower_level_with_a_reason(cases: Any) -> None:
    case = cases.submit("infrastructure")
    case.accept(OFFICIAL, MONDAY)
    case.return_to(
        cases.units.group, Level.GROUP, OFFICIAL, "Tổ tự xử lý được", LATER, cases.rule("infrastructure")
    )
    assert (case.level, case.unit_id, case.status) == (Level.GROUP, cases.units.group, CaseStatus.SUBMITTED)
    assert _names(case)[-1] == "Returned"
    with pytest.raises(CaseStateError) as refused:
        case.return_to(
            cases.units.ward, Level.WARD, OFFICIAL, "Trả lên?", LATER, cases.rule("infrastructure")
        )
    assert refused.value.code == "not_lower"


def test_a_case_is_rejected_with_a_reason(cases: Any) -> None:
    case = cases.submit()
    case.reject(OFFICIAL, "Nội dung không rõ", LATER)
    assert case.status is CaseStatus.REJECTED
    assert _names(case)[-1] == "Rejected"


def test_a_duplicate_is_merged_into_another_case_but_not_into_itself(cases: Any) -> None:
    case, other = cases.submit(), cases.submit()
    with pytest.raises(CaseStateError) as refused:
        case.merge_into(case.id, OFFICIAL, "Trùng", LATER)
    assert refused.value.code == "same_case"
    case.merge_into(other.id, OFFICIAL, "Trùng với phản ánh trước", LATER)
    assert (case.status, case.merged_into) == (CaseStatus.MERGED, other.id)


def test_the_steps_that_need_a_reason_refuse_without_one(cases: Any) -> None:
    rule, parent = cases.rule(), cases.units.parent
    open_case, resolved = cases.submit(), cases.in_status(CaseStatus.RESOLVED)
    steps: tuple[Callable[[], None], ...] = (
        lambda: open_case.escalate(OFFICIAL, " ", LATER, parent, rule),
        lambda: open_case.reject(OFFICIAL, "", LATER),
        lambda: open_case.merge_into(uuid4(), OFFICIAL, "", LATER),
        lambda: resolved.reopen(RESIDENT, "", LATER, parent, rule),
    )
    for step in steps:
        with pytest.raises(ReasonRequiredError):
            step()
    assert (open_case.status, resolved.status) == (CaseStatus.SUBMITTED, CaseStatus.RESOLVED)


def test_a_case_is_stored_and_read_back_with_its_whole_history(
    cases: Any, feedback: FeedbackApplication
) -> None:
    case = cases.in_status(CaseStatus.RESOLVED)
    case.reopen(RESIDENT, "Rác vẫn còn", LATER, cases.units.parent, cases.rule())
    feedback.save(case)
    stored: FeedbackCase = feedback.repository.get(case.id)
    assert isinstance(stored, FeedbackCase)
    assert (stored.status, stored.level, stored.unit_id, stored.path) == (
        case.status,
        case.level,
        case.unit_id,
        case.path,
    )
    assert (stored.accept_by, stored.resolve_by, stored.submitted_at) == (
        case.accept_by,
        case.resolve_by,
        MONDAY,
    )
    assert (stored.answer, stored.evidence, stored.reopenings, stored.channel) == (
        case.answer,
        case.evidence,
        1,
        Channel.ONLINE,
    )
