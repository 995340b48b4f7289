"""Communication's one map from its domain errors to problem details. Each capability keeps its
entries in its own block: invalid input is 422, a step the state does not allow 409, another
household's or unit's data 403, what does not exist 404."""

from __future__ import annotations

from tothon_shared.http.error_map import ErrorMap

COMMUNICATION_ERRORS = ErrorMap(
    {
        # --- announcements ---
        # --- channels ---
        # --- conversations ---
        # --- civic ---
    }
)
