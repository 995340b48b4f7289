"""Communication's user-facing messages, Vietnamese and English (the general ones are shared).

Each capability keeps its keys in its own block (announcements, channels, conversations, civic)."""

from __future__ import annotations

from tothon_shared.http.messages import Lang

MESSAGES: dict[str, dict[Lang, str]] = {
    # --- announcements ---
    # --- channels ---
    # --- conversations ---
    # --- civic ---
}
