"""A resident's repeated submission of one open case is caught; a different case is not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from tothon_feedback.domain.repeats import EarlierCase, repeated_case

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
LIGHT = "Đèn đường trước nhà số 12 kiệt 42 bị hỏng, tối không đi lại được."


def _open(text: str = LIGHT, category: str = "infrastructure", days_ago: int = 3) -> EarlierCase:
    return EarlierCase(uuid4(), category, text, NOW - timedelta(days=days_ago))


def test_the_same_case_retyped_is_caught() -> None:
    first = _open()
    retyped = "den duong truoc nha so 12 kiet 42 bi hong, toi khong di lai duoc!!"
    assert repeated_case("infrastructure", retyped, NOW, [first]) == first.case_id
    reworded = "Đèn đường trước nhà số 12 kiệt 42 vẫn hỏng, tối không đi lại được."
    assert repeated_case("infrastructure", reworded, NOW, [first]) == first.case_id


def test_the_most_alike_open_case_is_the_one_repeated() -> None:
    near, nearer = _open(LIGHT + " Nhờ tổ kiểm tra giúp."), _open()
    assert repeated_case("infrastructure", LIGHT, NOW, [near, nearer]) == nearer.case_id


def test_another_fault_another_category_or_an_old_case_is_a_new_case() -> None:
    first = _open()
    other = "Cống thoát nước kiệt 42 bị tắc, nước tràn vào nhà."
    assert repeated_case("infrastructure", other, NOW, [first]) is None
    assert repeated_case("sanitation", LIGHT, NOW, [first]) is None
    assert repeated_case("infrastructure", LIGHT, NOW, [_open(days_ago=45)]) is None
    assert repeated_case("infrastructure", LIGHT, NOW, []) is None
