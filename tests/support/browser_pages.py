"""Steps the browser tests share: signing in and moving through the shell."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tothon.seed import DEMO_PASSWORD


def sign_in(page: Page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Open the page and sign in; wait until the shell shows."""
    page.goto(f"{base_url}/web/")
    form = page.get_by_role("form", name="Đăng nhập")
    form.get_by_label("Tên đăng nhập").fill(username)
    form.get_by_label("Mật khẩu").fill(password)
    form.get_by_role("button", name="Đăng nhập").click()


def sign_out(page: Page) -> None:
    """Sign out and wait for the sign-in form."""
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("form", name="Đăng nhập").get_by_label("Tên đăng nhập")).to_be_visible()


def open_household(page: Page, unit: str, code: str) -> None:
    """Households → a unit → one of its households."""
    page.get_by_role("navigation").get_by_role("link", name="Hộ gia đình").click()
    page.get_by_role("button", name=unit).click()
    page.get_by_role("link", name=code, exact=True).click()
    expect(page.get_by_role("heading", name=f"Hộ {code}")).to_be_visible()


def field(page: Page, label: str) -> str:
    """The value shown beside a field's label in a person's record."""
    return page.locator(f"dl.fields dt:text-is('{label}') + dd").inner_text()
