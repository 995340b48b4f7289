"""Each service's AsyncAPI 3.0 document, generated from the channels it publishes and consumes."""

from __future__ import annotations

import json
from typing import Any

from tothon_shared.contracts.catalog import CHANNELS
from tothon_shared.contracts.schemas import render
from tothon_shared.runtime.definition import ServiceDefinition


def asyncapi_document(definition: ServiceDefinition, topic_prefix: str, bootstrap: str) -> dict[str, Any]:
    """The AsyncAPI document of one service."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    components: dict[str, Any] = {"messages": {}, "schemas": {}}
    used = [(name, "send") for name in definition.publishes] + [
        (name, "receive") for name in dict.fromkeys([*definition.inbound, *definition.use_cases])
    ]
    for name, action in used:
        channel = CHANNELS[name]
        key = name.replace(".", "_")
        messages = {}
        for contract in channel.events:
            type_name = contract.type_name()
            components["schemas"][type_name] = json.loads(render(contract))
            components["messages"][type_name] = {
                "name": type_name,
                "contentType": "application/json",
                "payload": {"$ref": f"#/components/schemas/{type_name}"},
                "bindings": {"kafka": {"key": {"type": "string", "format": "uuid"}}},
                "headers": {
                    "type": "object",
                    "properties": {
                        h: {"type": "string"}
                        for h in (
                            "ce_specversion",
                            "ce_id",
                            "ce_source",
                            "ce_type",
                            "ce_time",
                            "ce_subject",
                            "traceparent",
                        )
                    },
                },
            }
            messages[type_name] = {"$ref": f"#/components/messages/{type_name}"}
        channels[key] = {"address": channel.topic(topic_prefix), "messages": messages}
        operations[f"{action}_{key}"] = {
            "action": action,
            "channel": {"$ref": f"#/channels/{key}"},
            "messages": [{"$ref": f"#/channels/{key}/messages/{m}"} for m in messages],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": f"Tothon {definition.title}",
            "version": "1.0.0",
            "description": "Integration events as CloudEvents (binary mode) with JSON bodies.",
        },
        "defaultContentType": "application/json",
        "servers": {"kafka": {"host": bootstrap, "protocol": "kafka"}},
        "channels": channels,
        "operations": operations,
        "components": components,
    }
