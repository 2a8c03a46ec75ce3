"""The manifest: every registered function, context and shared type as JSON Schema, for codegen (PROTOCOL §5)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import JsonSchemaMode

from ._channels import ChannelRegistry, channel_registry
from ._compositions import CompositionRegistry, composition_registry, member_context
from ._contexts import contexts_of
from ._function import ServerFunction
from ._invalidation import affected_functions
from ._registry import Registry

__all__ = ["MANIFEST_VERSION", "build_manifest", "render_json", "set_forms_source"]

MANIFEST_VERSION = 1
_REF_PREFIX = "#/$defs/"
# The adapter's forms (mizan.forms) fill the `forms` section; the core does not import the framework's forms.
_forms_source: list[Callable[[Registry], dict[str, Any]]] = []


def set_forms_source(source: Callable[[Registry], dict[str, Any]]) -> None:
    """`source(registry)` returns the manifest's `forms` section (the forms registered there); set by `mizan.forms`."""
    _forms_source[:] = [source]


def build_manifest(
    registry: Registry,
    channels: ChannelRegistry = channel_registry,
    compositions: CompositionRegistry = composition_registry,
) -> dict[str, Any]:
    """The manifest as a dict; `render_json` turns it into deterministic text."""
    entries = list(registry.items())
    schemas, defs = _schemas(entries, channels)
    functions: dict[str, Any] = {}
    for name, spec in entries:
        functions[name] = {
            "input": schemas[("in", name)],
            "output": schemas.get(("out", name), {}),
            "context": spec.context,
            "affects": affected_functions(registry, name),
            "auth": spec.auth_kind,
            "websocket": spec.websocket,
            "rev": spec.rev,
            "view": spec.view,
            "route": spec.route,
            "doc": spec.doc,
        }
    contexts: dict[str, Any] = {}
    for context in contexts_of(registry).values():
        properties = {
            param.name: functions[param.source]["input"]["properties"][param.name] for param in context.params.values()
        }
        params: dict[str, Any] = {"type": "object", "properties": properties}
        required = sorted(param.name for param in context.params.values() if param.required)
        if required:
            params["required"] = required
        contexts[context.name] = {"functions": list(context.functions), "params": params}
    return {
        "mizan": MANIFEST_VERSION,
        "functions": functions,
        "contexts": contexts,
        "forms": _forms_source[0](registry) if _forms_source else {},
        "channels": _channels_section(channels, schemas),
        "compositions": _compositions_section(compositions, contexts),
        "$defs": defs,
    }


def render_json(document: dict[str, Any]) -> str:
    """Deterministic JSON text: sorted keys, two-space indent, UTF-8 as is, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _schemas(
    entries: list[tuple[str, ServerFunction]], channels: ChannelRegistry
) -> tuple[dict[tuple[str, str], Any], dict[str, Any]]:
    """Input and output schemas of every function, sharing one `$defs` with pydantic's stable names."""
    inputs: list[tuple[tuple[str, str], JsonSchemaMode, TypeAdapter[Any]]] = []
    for name, spec in entries:
        inputs.append((("in", name), "validation", TypeAdapter(spec.input_model)))
        if spec.output_adapter is not None:
            inputs.append((("out", name), "serialization", spec.output_adapter))
    for name, channel in channels.items():
        inputs.append((("ch:params", name), "validation", TypeAdapter(channel.params)))
        if channel.client_message is not None:
            inputs.append((("ch:client", name), "validation", TypeAdapter(channel.client_message)))
        inputs.append((("ch:server", name), "serialization", TypeAdapter(channel.server_message)))
    if not inputs:
        return {}, {}
    by_key, top = TypeAdapter.json_schemas(inputs, ref_template=_REF_PREFIX + "{model}")
    defs: dict[str, Any] = dict(top.get("$defs", {}))
    schemas: dict[tuple[str, str], Any] = {}
    for (key, _mode), schema in by_key.items():
        if key[0] == "in" or key[0].startswith("ch:"):
            # Inline each input (and channel) model: always an object schema, and these models are private.
            ref = schema["$ref"]
            schema = defs.pop(ref[len(_REF_PREFIX) :])
            schema.pop("title", None)
            for prop in schema.get("properties", {}).values():
                prop.pop("title", None)
        schemas[key] = schema
    return schemas, defs


def _compositions_section(compositions: CompositionRegistry, contexts: dict[str, Any]) -> dict[str, Any]:
    """`{"dashboard": {"contexts": ["user", "todo"], "doc": ...}}`: members in the order written, outermost first.

    Members that name no usable context are left out here and reported by the check mizan.E004.
    """
    section: dict[str, Any] = {}
    for name, composition in compositions.items():
        if name in contexts:
            continue  # mizan.E006
        members: list[str] = []
        for member in composition.members:
            context = member_context(member)
            if context is not None and context in contexts and context != "global" and context not in members:
                members.append(context)
        if members:
            section[name] = {"contexts": members, "doc": composition.doc}
    return section


def _channels_section(channels: ChannelRegistry, schemas: dict[tuple[str, str], Any]) -> dict[str, Any]:
    """`{"chat": {"params", "client_message", "server_message"}}`; `client_message` is null for receive-only."""
    return {
        name: {
            "params": schemas[("ch:params", name)],
            "client_message": schemas.get(("ch:client", name)),
            "server_message": schemas[("ch:server", name)],
        }
        for name, _channel in channels.items()
    }
