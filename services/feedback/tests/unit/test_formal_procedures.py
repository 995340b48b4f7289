"""A text that reads like a complaint or a denunciation is recognised, with or without its marks,
and ordinary feedback is not taken for one."""

from __future__ import annotations

import unicodedata

import pytest

from tothon_feedback.domain.formal_procedures import Procedure, reads_like_formal_procedure


@pytest.mark.parametrize(
    ("text", "procedure"),
    [
        ("Tôi khiếu nại quyết định thu hồi đất của phường", Procedure.COMPLAINT),
        ("TÔI KHIẾU NẠI việc xử phạt", Procedure.COMPLAINT),
        ("toi khieu nai quyet dinh xu phat", Procedure.COMPLAINT),
        ("Gia đình sẽ khiếu kiện ra tòa", Procedure.COMPLAINT),
        ("Tố cáo cán bộ địa chính nhận tiền", Procedure.DENUNCIATION),
        ("to cao can bo dia chinh nhan tien", Procedure.DENUNCIATION),
        ("Đơn tố giác hành vi trộm cắp", Procedure.DENUNCIATION),
        # Both: the denunciation is the graver procedure.
        ("Tôi khiếu nại và tố cáo ông trưởng thôn", Procedure.DENUNCIATION),
        # The marks sent as separate characters.
        (unicodedata.normalize("NFD", "Tôi muốn tố cáo"), Procedure.DENUNCIATION),
    ],
)
def test_a_complaint_or_denunciation_is_recognised(text: str, procedure: Procedure) -> None:
    warning = reads_like_formal_procedure(text)
    assert warning is not None
    assert warning.procedure is procedure
    assert (
        warning.law
        == {Procedure.COMPLAINT: "Luật Khiếu nại 2011", Procedure.DENUNCIATION: "Luật Tố cáo 2018"}[procedure]
    )


@pytest.mark.parametrize(
    "text",
    [
        "Đèn đường ở tổ Cao Lãnh bị hỏng ba ngày nay",  # a group named Cao Lãnh, not "tố cáo"
        "Báo cáo: cống thoát nước ở kiệt 42 bị tắc",  # báo cáo: a report
        "Đường cao tốc gây ồn về đêm",
        "Xin hỏi lịch thu gom rác của tổ",
        "bao cao cong thoat nuoc bi tac",
        "Nhà văn hóa tổ cần sửa mái",
        "Hộ ông Tô Cao Minh để vật liệu xây dựng chắn lối đi",  # a family name, marked differently
    ],
)
def test_ordinary_feedback_is_not_taken_for_one(text: str) -> None:
    assert reads_like_formal_procedure(text) is None
