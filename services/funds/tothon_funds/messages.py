"""Funds' user-facing messages, Vietnamese and English (the general ones are shared)."""

from __future__ import annotations

from tothon_shared.http.messages import Lang

MESSAGES: dict[str, dict[Lang, str]] = {
    "funds.household_account.not_found": {
        "vi": "Hộ gia đình này chưa có tài khoản quỹ.",
        "en": "This household has no funds account.",
    },
}
