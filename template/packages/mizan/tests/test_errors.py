"""Every row of the error table (PROTOCOL §2), the mapped Django exceptions, and INTERNAL_ERROR's discretion."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client, override_settings

from tests.conftest import Api


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return dict(body["error"])


# --- BAD_REQUEST ---


@pytest.mark.parametrize("path", ["call/", "call/echo/", "batch/"])
@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe\x00garbage", b'{"a": NaN}', b"[" * 100_000])
def test_non_json_body(api: Api, path: str, body: bytes) -> None:
    error = _error(api.post(path, body), 400, "BAD_REQUEST")
    assert "not valid JSON" in error["message"]


@pytest.mark.parametrize("path", ["call/", "call/echo/", "batch/"])
@pytest.mark.parametrize(("body", "kind"), [("[1, 2]", "an array"), ('"text"', "a string"), ("3", "a number")])
def test_json_that_is_not_an_object(api: Api, path: str, body: str, kind: str) -> None:
    error = _error(api.post(path, body), 400, "BAD_REQUEST")
    assert f"must be a JSON object, not {kind}" in error["message"]


@pytest.mark.parametrize("path", ["call/", "batch/"])
def test_empty_body_where_one_is_needed(client: Client, path: str) -> None:
    response = client.generic("POST", f"/api/mizan/{path}", b"", CONTENT_TYPE="application/json")
    assert "body is empty" in _error(response, 400, "BAD_REQUEST")["message"]


def test_content_length_that_is_not_a_number(client: Client) -> None:
    response = client.generic(
        "POST", "/api/mizan/call/echo/", b'{"text": "x"}', content_type="application/json", CONTENT_LENGTH="many"
    )
    assert "Content-Length" in _error(response, 400, "BAD_REQUEST")["message"]


def test_envelope_without_fn(api: Api) -> None:
    error = _error(api.post("call/", {"args": {"text": "x"}}), 400, "BAD_REQUEST")
    assert 'Missing "fn"' in error["message"]


@pytest.mark.parametrize("fn", [None, 3, ["echo"], {"name": "echo"}])
def test_envelope_fn_must_be_a_string(api: Api, fn: Any) -> None:
    body: dict[str, Any] = {"args": {}} if fn is None else {"fn": fn}
    _error(api.post("call/", body), 400, "BAD_REQUEST")


def test_envelope_args_must_be_an_object(api: Api) -> None:
    error = _error(api.post("call/", {"fn": "echo", "args": ["hi"]}), 400, "BAD_REQUEST")
    assert '"args" must be a JSON object' in error["message"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_wrong_content_type(client: Client, content_type: str) -> None:
    response = client.generic("POST", "/api/mizan/call/echo/", b'{"text": "x"}', content_type=content_type)
    error = _error(response, 400, "BAD_REQUEST")
    assert "Content-Type must be application/json" in error["message"]


def test_get_args_that_are_not_json_or_not_an_object(client: Client) -> None:
    _error(client.get("/api/mizan/call/todo_count/?args=%7Bnope"), 400, "BAD_REQUEST")
    _error(client.get("/api/mizan/call/todo_count/?args=%5B1%5D"), 400, "BAD_REQUEST")


# --- NOT_FOUND ---


def test_unknown_function(api: Api, client: Client) -> None:
    per_function = _error(api.call("no_such_fn"), 404, "NOT_FOUND")
    assert "'no_such_fn'" in per_function["message"]
    assert "details" not in per_function
    assert _error(api.post("call/", {"fn": "no_such_fn"}), 404, "NOT_FOUND") == per_function
    assert _error(client.get("/api/mizan/call/no_such_fn/"), 404, "NOT_FOUND") == per_function


@override_settings(DEBUG=True)
def test_unknown_function_suggests_names_in_debug_only(api: Api) -> None:
    assert _error(api.call("ecko"), 404, "NOT_FOUND")["details"] == {"did_you_mean": ["echo"]}


# --- VALIDATION_ERROR ---


def test_wrong_and_missing_argument_types(api: Api) -> None:
    error = _error(api.call("tools.shout", {"times": "many"}), 422, "VALIDATION_ERROR")
    fields = error["details"]["fields"]
    assert fields["text"] == ["Field required"]
    assert fields["times"] == ["Input should be a valid integer"]


@pytest.mark.parametrize("times", [True, "5", 2.5])
def test_json_input_is_strict_as_the_typescript_types_are(api: Api, times: object) -> None:
    """`true`, `"5"` and `2.5` are not ints in the generated TypeScript either; the server agrees."""
    error = _error(api.call("tools.shout", {"text": "hi", "times": times}), 422, "VALIDATION_ERROR")
    assert list(error["details"]["fields"]) == ["times"]
    assert api.call("tools.shout", {"text": "hi", "times": 2}).status_code == 200


def test_unexpected_argument(api: Api) -> None:
    error = _error(api.call("echo", {"text": "x", "txet": "y"}), 422, "VALIDATION_ERROR")
    assert error["details"]["fields"] == {"txet": ["Extra inputs are not permitted"]}


def test_nested_errors_have_dotted_paths(api: Api) -> None:
    response = api.call(
        "place_order",
        {"address": {"street": "Main", "zip": "12"}, "items": [{"sku": "a", "qty": 0}, {"sku": "b"}]},
    )
    fields = _error(response, 422, "VALIDATION_ERROR")["details"]["fields"]
    assert set(fields) == {"address.zip", "items.0.qty", "items.1.qty"}
    assert fields["address.zip"] == ["String should match pattern '^\\d{5}$'"]
    assert fields["items.0.qty"] == ["Input should be greater than 0"]
    assert fields["items.1.qty"] == ["Field required"]


def test_valid_nested_input(api: Api) -> None:
    response = api.call(
        "place_order", {"address": {"street": "Main", "zip": "12345"}, "items": [{"sku": "a", "qty": 2}]}
    )
    assert response.json()["result"] == {"zip": "12345", "total_qty": 2}


def test_validation_errors_do_not_echo_the_input(api: Api) -> None:
    response = api.call("tools.shout", {"text": "x", "times": "secret-value"})
    assert b"secret-value" not in response.content


# --- METHOD_NOT_ALLOWED ---


@pytest.mark.django_db
def test_get_on_a_mutation(client: Client) -> None:
    response = client.get("/api/mizan/call/add_todo/?args=%7B%7D")
    error = _error(response, 405, "METHOD_NOT_ALLOWED")
    assert "only context functions answer GET" in error["message"]
    assert response["Allow"] == "POST"


def test_get_on_a_plain_function(client: Client) -> None:
    response = client.get("/api/mizan/call/echo/")
    _error(response, 405, "METHOD_NOT_ALLOWED")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods(client: Client, method: str) -> None:
    response = client.generic(method, "/api/mizan/call/todo_list/", b"{}", content_type="application/json")
    _error(response, 405, "METHOD_NOT_ALLOWED")
    assert response["Allow"] == "GET, POST"
    _error(
        client.generic(method, "/api/mizan/call/", b"{}", content_type="application/json"), 405, "METHOD_NOT_ALLOWED"
    )
    _error(client.get("/api/mizan/batch/"), 405, "METHOD_NOT_ALLOWED")


# --- PAYLOAD_TOO_LARGE ---


def test_oversize_body_by_default_limit(api: Api) -> None:
    big = json.dumps({"text": "x" * (1024 * 1024)})
    error = _error(api.call("echo", big), 413, "PAYLOAD_TOO_LARGE")  # type: ignore[arg-type]
    assert "MIZAN_MAX_BODY_BYTES" in error["message"]
    assert error["details"] == {"limit": 1024 * 1024}


@override_settings(MIZAN_MAX_BODY_BYTES=64)
def test_oversize_body_by_setting(api: Api) -> None:
    assert api.call("echo", {"text": "short"}).status_code == 200
    _error(api.call("echo", {"text": "x" * 100}), 413, "PAYLOAD_TOO_LARGE")
    _error(api.post("batch/", {"calls": [{"fn": "echo", "args": {"text": "x" * 100}}]}), 413, "PAYLOAD_TOO_LARGE")


@override_settings(MIZAN_MAX_BODY_BYTES=10_000, DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_djangos_own_body_cap_is_named_when_it_is_lower(api: Api) -> None:
    error = _error(api.call("echo", {"text": "z" * 200}), 413, "PAYLOAD_TOO_LARGE")
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in error["message"]


# --- raised by the function ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "status", "code", "message"),
    [
        ("not_found", 404, "NOT_FOUND", "No such widget."),
        ("http404", 404, "NOT_FOUND", "Not found."),
        ("does_not_exist", 404, "NOT_FOUND", "Not found."),
        ("permission_denied", 403, "FORBIDDEN", "Widgets are locked."),
        ("forbidden", 403, "FORBIDDEN", "You do not have permission to do this."),
        ("not_implemented", 501, "NOT_IMPLEMENTED", "Widgets are switched off here."),
        ("suspicious", 400, "BAD_REQUEST", "Bad request."),
    ],
)
def test_exceptions_raised_by_functions(api: Api, kind: str, status: int, code: str, message: str) -> None:
    response = api.call("fail", {"kind": kind})
    error = _error(response, status, code)
    assert error["message"] == message
    assert b"secret" not in response.content


def test_django_validation_error_maps_to_fields(api: Api) -> None:
    error = _error(api.call("fail", {"kind": "django_validation"}), 422, "VALIDATION_ERROR")
    assert error["details"]["fields"] == {"email": ["Enter a valid email address."], "": ["Try again."]}


# --- INTERNAL_ERROR ---


def test_internal_error_is_generic_and_logged(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="mizan"):
        response = api.call("fail", {"kind": "boom"})
    error = _error(response, 500, "INTERNAL_ERROR")
    assert error == {"code": "INTERNAL_ERROR", "message": "Internal server error."}
    assert b"secret" not in response.content
    assert b"Traceback" not in response.content
    [record] = [record for record in caplog.records if record.name == "mizan"]
    assert record.levelno == logging.ERROR
    assert "'fail'" in record.getMessage()
    assert record.exc_info is not None
    assert "secret internal detail" in caplog.text
    assert "Traceback" in caplog.text


@override_settings(DEBUG=True)
def test_internal_error_shows_the_traceback_when_debug(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="mizan"):
        error = _error(api.call("fail", {"kind": "boom"}), 500, "INTERNAL_ERROR")
    assert error["details"]["exception"] == "ValueError: secret internal detail"
    assert "Traceback" in error["details"]["traceback"]
    assert "clients.py" in error["details"]["traceback"]


def test_output_that_does_not_match_the_annotation(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="mizan"):
        _error(api.call("bad_output"), 500, "INTERNAL_ERROR")
    assert "bad_output returned a dict that does not match its return annotation" in caplog.text


@pytest.mark.parametrize("path", ["call/echo/", "call/", "batch/"])
def test_a_logged_in_form_post_without_a_boundary_is_a_4xx_envelope(path: str, alice: Any) -> None:
    """The CSRF check would parse a form body (and fail on multipart without a boundary): the type is refused first."""
    client = Client(enforce_csrf_checks=True)
    client.login(username="alice", password="pw-alice")
    response = client.generic("POST", f"/api/mizan/{path}", b"--x\r\n", content_type="multipart/form-data")
    error = _error(response, 400, "BAD_REQUEST")
    assert "Content-Type must be application/json (got multipart/form-data)" in error["message"]


def test_a_batch_over_the_limit_is_refused_before_any_call_runs(api: Api, settings: Any) -> None:
    settings.MIZAN_MAX_BATCH_CALLS = 3
    calls = [{"fn": "echo", "args": {"text": str(i)}} for i in range(4)]
    error = _error(api.post("batch/", {"calls": calls}), 413, "PAYLOAD_TOO_LARGE")
    assert error["details"] == {"limit": 3, "calls": 4}
    assert "MIZAN_MAX_BATCH_CALLS" in error["message"]
    assert api.post("batch/", {"calls": calls[:3]}).status_code == 200


def test_the_default_batch_limit_is_100(api: Api) -> None:
    calls = [{"fn": "echo", "args": {"text": "x"}}] * 101
    _error(api.post("batch/", {"calls": calls}), 413, "PAYLOAD_TOO_LARGE")


def test_an_anonymous_post_to_session_is_the_json_405(db: None) -> None:
    response = Client(enforce_csrf_checks=True).post("/api/mizan/session/")
    error = _error(response, 405, "METHOD_NOT_ALLOWED")
    assert error["details"] == {"allow": ["GET"]}
