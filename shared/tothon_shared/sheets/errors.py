"""What a spreadsheet reader refuses, by message key (the shared catalogue's ``sheet.*`` keys)."""

from __future__ import annotations


class SheetError(ValueError):
    """The file is not a readable spreadsheet with the required columns: ``key`` is the message
    in the catalogue; ``row`` the sheet row at fault, if one is; ``missing`` the caller's required
    fields that no header row named."""

    def __init__(self, key: str, row: int | None = None, missing: tuple[str, ...] = ()) -> None:
        super().__init__(key)
        self.key = key
        self.row = row
        self.missing = missing


class CellError(ValueError):
    """A cell that is not the value its column holds: ``key`` names the message, ``params`` fill it."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
