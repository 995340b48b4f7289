"""GeoReport's XML: the same data as the JSON, an element per field, lists as repeated elements
under a plural root (``<services><service>…``). Written with the standard library; nothing here
parses XML (requests come form-encoded)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring


def _value(parent: Element, name: str, value: Any) -> None:
    child = SubElement(parent, name)
    if isinstance(value, Mapping):
        for key, item in value.items():
            _value(child, key, item)
    elif isinstance(value, list):
        singular = name[:-1] if name.endswith("s") else f"{name}_item"
        for item in value:
            _value(child, singular, item)
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    elif value is not None:
        child.text = str(value)


def document(root: str, item: str, items: Sequence[Mapping[str, Any]]) -> bytes:
    """``<root><item>…</item>…</root>`` with an XML declaration."""
    top = Element(root)
    for entry in items:
        _value(top, item, entry)
    written: bytes = tostring(top, encoding="utf-8", xml_declaration=True)
    return written


def single(root: str, fields: Mapping[str, Any]) -> bytes:
    """``<root>…fields…</root>``."""
    top = Element(root)
    for key, value in fields.items():
        _value(top, key, value)
    written: bytes = tostring(top, encoding="utf-8", xml_declaration=True)
    return written
