"""Household decisions in the browser: the group leader opens a poll for the group; the resident
votes once (the buttons give way to the household's vote); the leader closes it and the result
shows as bars per option against the households eligible."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from browser_pages import sign_in
from playwright.sync_api import Page, expect

from tothon_shared.kernel.clock import VIETNAM

pytestmark = pytest.mark.browser


def _local(days: int) -> str:
    """A time ``days`` from now as a datetime-local field takes it, in Vietnam (19:00 that day)."""
    return (datetime.now(VIETNAM) + timedelta(days=days)).strftime("%Y-%m-%dT19:00")


def test_a_household_votes_once_and_the_result_shows_as_bars(
    phone: Page, second_phone: Page, base_url: str
) -> None:
    leader, resident = phone, second_phone
    sign_in(leader, base_url, "totruong.to17")
    leader.get_by_role("navigation").get_by_role("link", name="Biểu quyết", exact=True).click()
    form = leader.get_by_role("form", name="Tạo cuộc biểu quyết")
    form.get_by_label("Nội dung biểu quyết").fill("Lập quỹ làm đường kiệt 12, mỗi hộ 500.000 đồng?")
    form.get_by_label("Kết thúc lúc").fill(_local(days=45))
    form.get_by_role("button", name="Tạo cuộc biểu quyết").click()
    poll = leader.locator("li.case", has_text="Lập quỹ làm đường kiệt 12")
    expect(poll.get_by_role("img")).to_have_accessible_name(re.compile(r"^0/3 hộ đã biểu quyết$"))
    # A meeting too soon is refused with the law's reason.
    meeting = leader.get_by_role("form", name="Thông báo họp")
    leader.get_by_text("Thông báo họp", exact=True).first.click()
    meeting.get_by_label("Tiêu đề").fill("Họp tổ bàn làm đường")
    meeting.get_by_label("Nội dung").fill("Mời đại diện các hộ.")
    meeting.get_by_label("Thời gian họp").fill(_local(days=2))  # under the five days' notice
    meeting.get_by_label("Địa điểm").fill("Nhà văn hoá tổ 17")
    meeting.get_by_role("button", name="Gửi thông báo họp").click()
    expect(meeting.get_by_role("alert")).to_contain_text("ít nhất 5 ngày")

    sign_in(resident, base_url, "cudan.to17")
    resident.get_by_role("navigation").get_by_role("link", name="Biểu quyết", exact=True).click()
    ballot = resident.locator("li.case", has_text="Lập quỹ làm đường kiệt 12")
    ballot.get_by_role("button", name="Tán thành", exact=True).click()
    expect(ballot.get_by_text("Hộ đã biểu quyết: Tán thành.")).to_be_visible()
    resident.reload()
    expect(ballot.get_by_role("button", name="Tán thành", exact=True)).to_have_count(0)  # one vote
    expect(ballot.get_by_text("Hộ đã biểu quyết: Tán thành.")).to_be_visible()

    leader.reload()
    poll.get_by_role("button", name="Kết thúc sớm").click()
    expect(poll.get_by_text("Không thông qua.")).to_be_visible(timeout=10_000)  # 1 of 3: not more than half
    expect(poll.get_by_role("img", name="1/3 hộ").first).to_be_visible()
    leader.screenshot(path="test-artifacts/poll-result.png", full_page=True)
    resident.reload()
    expect(ballot.get_by_text("Không thông qua.")).to_be_visible()
    resident.screenshot(path="test-artifacts/poll-household.png", full_page=True)


def test_a_poll_that_passed_is_cited_by_a_new_community_fund(
    phone: Page, second_phone: Page, base_url: str
) -> None:
    leader, resident = phone, second_phone
    question = "Lập quỹ chiếu sáng kiệt 5?"
    sign_in(leader, base_url, "totruong.to17")
    leader.get_by_role("navigation").get_by_role("link", name="Biểu quyết", exact=True).click()
    form = leader.get_by_role("form", name="Tạo cuộc biểu quyết")
    form.get_by_label("Nội dung biểu quyết").fill(question)
    form.get_by_label("Kết thúc lúc").fill(_local(days=45))
    # One vote passes it whatever households other tests have registered in the group meanwhile.
    form.get_by_label("Tỷ lệ số hộ cần vượt để thông qua (%)").fill("1")
    form.get_by_role("button", name="Tạo cuộc biểu quyết").click()
    poll = leader.locator("li.case", has_text=question)
    expect(poll.get_by_text(re.compile(r"^Thông qua khi quá 1% số hộ"))).to_be_visible()

    sign_in(resident, base_url, "cudan.to17")
    resident.get_by_role("navigation").get_by_role("link", name="Biểu quyết", exact=True).click()
    ballot = resident.locator("li.case", has_text=question)
    ballot.get_by_role("button", name="Tán thành", exact=True).click()
    expect(ballot.get_by_text("Hộ đã biểu quyết: Tán thành.")).to_be_visible()

    leader.reload()
    poll.get_by_role("button", name="Kết thúc sớm").click()
    expect(poll.get_by_text("Thông qua: Tán thành.")).to_be_visible(timeout=10_000)

    # The fund cites the poll picked from the unit's polls that passed; its result is the resolution.
    leader.get_by_role("navigation").get_by_role("link", name="Quỹ", exact=True).click()
    leader.locator("summary", has_text="Lập quỹ mới").click()
    opening = leader.get_by_role("form", name="Lập quỹ mới")
    opening.get_by_label("Tên quỹ").fill("Quỹ chiếu sáng kiệt 5")
    opening.get_by_label("Loại quỹ").select_option(label="Do cộng đồng quyết định")
    picker = opening.get_by_label("Biểu quyết của các hộ đã thông qua")
    expect(picker.locator("option", has_text=question)).to_have_count(1)
    picker.select_option(value=picker.locator("option", has_text=question).get_attribute("value"))
    leader.screenshot(path="test-artifacts/funds-cite-poll.png", full_page=True)
    heading = leader.get_by_role("heading", name="Quỹ chiếu sáng kiệt 5")
    for _ in range(20):  # the poll's result reaches funds from communication's event a moment later
        opening.get_by_role("button", name="Lập quỹ mới").click()
        expect(heading.or_(opening.get_by_role("alert").filter(has_text=re.compile(r"\S")))).to_be_visible()
        if heading.is_visible():
            break
        leader.wait_for_timeout(500)
    expect(heading).to_be_visible()
    expect(
        leader.get_by_text(re.compile(r"Biểu quyết của các hộ ngày \d{2}/\d{2}/\d{4}: 1/\d+ hộ tán thành"))
    ).to_be_visible()
