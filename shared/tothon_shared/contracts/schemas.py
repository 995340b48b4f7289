"""JSON Schemas of the contracts, committed under ``schemas/`` so that a change shows in review.

Regenerate with ``python -m tothon_shared.contracts.schemas``.
"""

from __future__ import annotations

import json
from pathlib import Path

from tothon_shared.contracts.catalog import all_contracts
from tothon_shared.contracts.envelope import IntegrationEvent

SCHEMA_DIR = Path(__file__).parent / "schemas"


def schema_file(contract: type[IntegrationEvent]) -> Path:
    """Where the committed schema of one contract lives."""
    return SCHEMA_DIR / f"{contract.type_name()}.v{contract.version}.json"


def render(contract: type[IntegrationEvent]) -> str:
    """The schema of one contract as committed text."""
    schema = contract.model_json_schema(mode="serialization")
    schema["$id"] = f"https://tothon.vn/schemas/{schema_file(contract).name}"
    schema["x-channel"] = contract.channel
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_all() -> list[Path]:
    """Write every contract's schema; returns the files written."""
    SCHEMA_DIR.mkdir(exist_ok=True)
    written = []
    for contract in all_contracts():
        path = schema_file(contract)
        path.write_text(render(contract), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all():
        print(path)
