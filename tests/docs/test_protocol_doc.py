"""docs/protocol.md's concrete examples, checked against the runtime: the manifest and the key encoding."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.http import HttpRequest
from mizan.core import ChannelRegistry, CompositionRegistry, Registry, build_manifest, client, encode_key
from pydantic import BaseModel

PROTOCOL = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(encoding="utf-8")


class EchoOutput(BaseModel):
    message: str


class CurrentUser(BaseModel):
    authenticated: bool


@client
def echo(request: HttpRequest, text: str) -> EchoOutput:
    """Return the text it was given."""
    return EchoOutput(message=text)


@client(context="global")
def current_user(request: HttpRequest) -> CurrentUser:
    """Who is logged in."""
    return CurrentUser(authenticated=False)


def _section(title: str) -> str:
    start = PROTOCOL.index(f"\n## {title}")
    end = PROTOCOL.find("\n## ", start + 1)
    return PROTOCOL[start:end]


def test_manifest_example_is_what_the_runtime_builds() -> None:
    block = re.search(r"```json\n(.*?)\n```", _section("5. The manifest"), re.DOTALL)
    assert block is not None, "protocol.md section 5 lost its JSON example"
    registry = Registry()
    registry.register(echo, "echo")
    registry.register(current_user, "current_user")
    # Registries of the test's own: other guides' example projects fill the process-wide ones.
    built = build_manifest(registry, channels=ChannelRegistry(), compositions=CompositionRegistry())
    assert json.loads(block.group(1)) == built


def test_key_examples_are_what_the_runtime_encodes() -> None:
    section = _section("4. Invalidation")
    for key in (
        encode_key("todo_list"),
        encode_key("todo_list", {"list_id": 7}),
        encode_key("room_messages", {"room": "general"}),
    ):
        assert f"\n{key} " in section, f"protocol.md section 4 should show the key {key!r}"
    assert encode_key("todo_list", {"list_id": "7"}) == "todo_list?list_id=%227%22"
    assert "`list_id=%227%22`" in section
