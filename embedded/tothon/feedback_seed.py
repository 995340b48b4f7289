"""Demo feedback for the embedded suite: a few cases of Tổ dân phố 17 in every state, so the queue,
the resident's page, the public outcomes and their charts are not empty on a first start.

The feedback service learns the units and households from the registry's events: the seed waits
for the pilot group's households to arrive, then files the cases as the group leader would have
over the last weeks (their instants in the past, so one is late and the worker escalates it)."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import structlog
from PIL import Image, ImageDraw

from tothon_feedback.application import FeedbackApplication
from tothon_feedback.domain.levels import Level
from tothon_feedback.domain.submission import Channel, Submission
from tothon_feedback.places import group_named, parent_lookup
from tothon_feedback.uploads import store_upload
from tothon_shared.eventstore.context import acting_as
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.service import ServiceRuntime

log = structlog.get_logger(__name__)
GROUP = "Tổ dân phố 17"
SEED = "seed"
WAIT_SECONDS = 120.0


def _photo(colour: tuple[int, int, int], words: str) -> bytes:
    """A picture standing for a photo of the work done."""
    image = Image.new("RGB", (640, 480), colour)
    ImageDraw.Draw(image).text((24, 24), words, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def seed_feedback(runtime: ServiceRuntime, stop: threading.Event) -> bool:
    """File the demo cases once (False when the service has cases already or the directory did not
    arrive in time)."""
    app = runtime.app
    assert isinstance(app, FeedbackApplication)
    if app.recorder.max_notification_id():
        return False
    found = None
    for _ in range(int(WAIT_SECONDS / 0.5)):
        found = group_named(runtime.store, GROUP)
        if found is not None or stop.wait(0.5):
            break
    if found is None:
        log.warning("feedback_seed.no_directory", group=GROUP)
        return False
    group, households = found
    with acting_as(SEED, reason="Dữ liệu mẫu phản ánh, kiến nghị"):
        _file_cases(app, runtime.store, group, households)
    return True


def _file_cases(app: FeedbackApplication, store: ReadStore, group: UUID, households: list[UUID]) -> None:
    now = datetime.now(UTC)
    parents = parent_lookup(store)

    def filed(category: str, text: str, days_ago: float, household: UUID, address: str = "") -> UUID:
        submission = Submission(
            resident=f"household:{household}",
            actor=SEED,
            channel=Channel.WALK_IN,
            text=text,
            unit_id=group,
            level=Level.GROUP,
            address=address,
        )
        return app.submit(uuid4(), submission, category, now - timedelta(days=days_ago), parents).id

    def evidence(colour: tuple[int, int, int], words: str, days_ago: float) -> str:
        photo = _photo(colour, words)
        return store_upload(store, photo, False, SEED, now - timedelta(days=days_ago)).sha256

    first, *others = households
    second = others[0] if others else first
    # Settled at the group, confirmed and rated by the residents.
    for days, category, text, answer, rating, colour in (
        (
            40,
            "sanitation",
            "Rác tồn đọng đầu kiệt 45 Lê Duẩn",
            "Tổ đã cùng đội vệ sinh thu gom.",
            5,
            (40, 120, 60),
        ),
        (
            30,
            "neighbourhood",
            "Nhà số 8 mở nhạc lớn sau 22 giờ",
            "Tổ đã hoà giải, hai bên thống nhất.",
            4,
            (60, 90, 150),
        ),
        (20, "other", "Đề nghị lắp thêm ghế đá ở sân chung", "Tổ đã lắp hai ghế đá.", 3, (150, 100, 40)),
    ):
        case_id = filed(category, text, days, second)
        app.accept(case_id, SEED, now - timedelta(days=days - 0.1))
        photo = evidence(colour, answer, days - 1)
        app.resolve(case_id, SEED, now - timedelta(days=days - 1), answer, [photo])
        app.confirm(case_id, SEED, now - timedelta(days=days - 2), rating)
    # Resolved, waiting for the demo resident's household to confirm or reopen.
    waiting = filed("sanitation", "Cống thoát nước trước nhà bị tắc", 4, first, "Kiệt 17 Hùng Vương")
    app.accept(waiting, SEED, now - timedelta(days=3.9))
    answer = "Tổ đã thông cống."
    app.resolve(waiting, SEED, now - timedelta(days=2), answer, [evidence((90, 90, 90), answer, 2)])
    # Open at the group: just filed, and one accepted long ago whose deadline has passed (the
    # worker escalates it to the ward by itself within a minute).
    filed("sanitation", "Cây xanh trước số 21 có nguy cơ gãy cành", 0.05, first, "Số 21 Hùng Vương")
    late = filed("sanitation", "Đề nghị dọn mương thoát nước cuối kiệt 9", 9, second)
    app.accept(late, SEED, now - timedelta(days=8.9))
    # At the city, late: there is no level above it to escalate to.
    policy = filed("policy", "Đề nghị công khai quy hoạch khu dân cư tổ 17", 25, second)
    app.accept(policy, SEED, now - timedelta(days=24))
    # At the ward: a road, beyond the group's competence.
    road = filed("infrastructure", "Ổ gà lớn trên đường Hùng Vương đoạn trước chợ", 2, first, "Hùng Vương")
    app.accept(road, SEED, now - timedelta(days=1.9))
    app.start(road, SEED, now - timedelta(days=1.5))
