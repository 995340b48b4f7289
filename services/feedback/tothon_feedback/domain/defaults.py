"""The categories a city starts with, as data: a city administrator edits them afterwards.

Deadlines follow the practice DOMAIN.md records: Đà Nẵng's hotline 1022 answers urgent matters
(disaster, epidemic) within 1 working day and matters checked on site (infrastructure,
sanitation, security, urban order) within 3; Hanoi's iHanoi accepts within 8 working hours, urgent
ones within 4. The other categories have no rule to follow: their 10 working days are a starting
point for a city to set its own, not a figure from a regulation.
"""

from __future__ import annotations

from tothon_feedback.domain.categories import Category, Deadline
from tothon_feedback.domain.levels import Level

URGENT = Deadline(accept_hours=4, resolve_days=1)
ON_SITE = Deadline(accept_hours=8, resolve_days=3)
ROUTINE = Deadline(accept_hours=8, resolve_days=10)


def _every_level(deadline: Deadline) -> dict[Level, Deadline]:
    return dict.fromkeys(Level, deadline)


DEFAULT_CATEGORIES: tuple[Category, ...] = (
    Category(
        "disaster",
        "Thiên tai, sự cố khẩn cấp",
        "Natural disaster, emergency",
        Level.WARD,
        deadlines=_every_level(URGENT),
    ),
    Category("epidemic", "Dịch bệnh", "Epidemic", Level.WARD, deadlines=_every_level(URGENT)),
    # Small matters of the neighbourhood are the group's: closed there, not forwarded.
    Category(
        "sanitation",
        "Vệ sinh môi trường, rác thải",
        "Sanitation and waste",
        Level.GROUP,
        deadlines=_every_level(ON_SITE),
    ),
    Category(
        "neighbourhood",
        "Hòa giải, quan hệ hàng xóm",
        "Neighbourhood disputes, mediation",
        Level.GROUP,
        deadlines=_every_level(ROUTINE),
    ),
    Category(
        "security",
        "An ninh, trật tự",
        "Security and public order",
        Level.WARD,
        deadlines=_every_level(ON_SITE),
    ),
    Category(
        "urban_order",
        "Trật tự đô thị, lấn chiếm vỉa hè",
        "Urban order, encroachment",
        Level.WARD,
        deadlines=_every_level(ON_SITE),
    ),
    Category(
        "infrastructure",
        "Hạ tầng: đường, điện chiếu sáng, cấp thoát nước",
        "Infrastructure: roads, street lights, water and drainage",
        Level.WARD,
        deadlines=_every_level(ON_SITE),
    ),
    Category(
        "administrative",
        "Thủ tục hành chính",
        "Administrative procedures",
        Level.WARD,
        deadlines=_every_level(ROUTINE),
    ),
    Category(
        "policy",
        "Cơ chế, chính sách",
        "Policies and regulations",
        Level.CITY,
        deadlines=_every_level(ROUTINE),
    ),
    Category("other", "Khác", "Other", Level.GROUP, deadlines=_every_level(ROUTINE)),
    # Recognised so they can be redirected to their own procedure (Law on Complaints 2011, Law
    # on Denunciations 2018); never processed as feedback.
    Category("complaint", "Khiếu nại", "Complaint (formal procedure)", Level.WARD, formal_procedure=True),
    Category("denunciation", "Tố cáo", "Denunciation (formal procedure)", Level.WARD, formal_procedure=True),
)
