"""`manage.py export_mizan_schema`: stdout or a file, deterministic bytes, and a valid OpenAPI 3.1 document."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openapi_spec_validator import validate

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _export(*args: str) -> str:
    out = StringIO()
    call_command("export_mizan_schema", *args, stdout=out)
    return out.getvalue()


def test_prints_the_manifest() -> None:
    text = _export()
    assert text.endswith("}\n")
    manifest = json.loads(text)
    assert manifest["mizan"] == 1
    assert manifest["functions"]["add_todo"]["affects"] == ["todo_count", "todo_list"]
    assert manifest["functions"]["profile_page"]["view"] is True
    assert manifest["functions"]["profile_page"]["route"] == "/profile/<int:id>/"
    assert manifest["functions"]["clear_list_page"]["view"] is True
    assert manifest["functions"]["tools.shout"]["websocket"] is True
    assert "shout" not in manifest["functions"]  # registered under its dotted name, so mizan_clients skipped it
    assert manifest["contexts"]["todo"]["functions"] == ["todo_count", "todo_list"]
    assert manifest["contexts"]["todo"]["params"]["required"] == ["list_id"]
    assert {"Address", "Item", "TodoOut", "EchoOutput"} <= set(manifest["$defs"])
    place = manifest["functions"]["place_order"]["input"]["properties"]
    assert place["address"] == {"$ref": "#/$defs/Address"}


def test_writes_a_file_and_leaves_an_unchanged_one_alone(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    _export("--output", str(target))
    assert target.read_text() == _export()
    before = target.stat().st_mtime_ns
    os.utime(target, ns=(before - 10_000_000_000, before - 10_000_000_000))
    _export("--output", str(target))
    assert target.stat().st_mtime_ns == before - 10_000_000_000


def test_missing_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist; create it first"):
        _export("--output", str(tmp_path / "nope" / "schema.json"))


def test_byte_for_byte_deterministic_across_processes(tmp_path: Path) -> None:
    outputs = []
    for index in range(2):
        target = tmp_path / f"schema{index}.json"
        subprocess.run(
            [sys.executable, "-m", "django", "export_mizan_schema", "--output", str(target)],
            cwd=PACKAGE_DIR,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.project.settings", "PYTHONHASHSEED": str(index + 1)},
            check=True,
            timeout=120,
        )
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] == _export().encode()


def test_openapi_document_is_valid_3_1() -> None:
    document = json.loads(_export("--openapi"))
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "/api/mizan"}]
    echo = document["paths"]["/call/echo/"]
    assert set(echo) == {"post"}
    assert echo["post"]["operationId"] == "echo"
    result = echo["post"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["result"]
    assert result == {"$ref": "#/components/schemas/EchoOutput"}
    assert "get" in document["paths"]["/call/todo_list/"]
    assert "EchoOutput" in document["components"]["schemas"]
    assert "#/$defs/" not in json.dumps(document)
    assert "422" in echo["post"]["responses"]


def test_openapi_base_url() -> None:
    document = json.loads(_export("--openapi", "--base-url", "/rpc"))
    assert document["servers"] == [{"url": "/rpc"}]


def test_openapi_get_args_are_required_when_the_function_has_required_params() -> None:
    paths = json.loads(_export("--openapi"))["paths"]
    [todo_list_args] = paths["/call/todo_list/"]["get"]["parameters"]
    assert todo_list_args["required"] is True  # list_id has no default
    global_reads = [
        item["get"]["parameters"][0]
        for path, item in paths.items()
        if "get" in item and not item["post"]["requestBody"]["content"]["application/json"]["schema"].get("required")
    ]
    assert global_reads, "the test app has a context function without required params"
    assert all(parameter["required"] is False for parameter in global_reads)
