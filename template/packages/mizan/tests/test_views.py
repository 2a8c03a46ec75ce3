"""The HTTP endpoints (PROTOCOL §2) via Django's test client: envelope, per function, GET, batch, session, schema."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.test import Client, override_settings

from mizan.core import spec_of
from tests.conftest import Api
from tests.testapp import clients


def test_per_function_post(api: Api) -> None:
    response = api.call("echo", {"text": "hi"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"result": {"message": "hi"}, "invalidate": []}
    assert "X-Mizan-Invalidate" not in response


def test_envelope_post(api: Api) -> None:
    response = api.post("call/", {"fn": "echo", "args": {"text": "hi"}})
    assert response.status_code == 200
    assert response.json() == {"result": {"message": "hi"}, "invalidate": []}


def test_envelope_args_default_to_empty(api: Api) -> None:
    response = api.post("call/", {"fn": "tools.shout"})
    assert response.status_code == 422
    assert response.json()["error"]["details"]["fields"] == {"text": ["Field required"]}


def test_dotted_names_and_defaults(api: Api) -> None:
    assert api.call("tools.shout", {"text": "hey", "times": 2}).json()["result"] == "HEY HEY"
    assert api.post("call/", {"fn": "tools.shout", "args": {"text": "a"}}).json()["result"] == "A"


def test_empty_body_means_no_arguments(api: Api) -> None:
    # Django's test client drops the content type of an empty body unless it is given as an environ key.
    response = api.client.generic("POST", "/api/mizan/call/sync_probe/", b"", CONTENT_TYPE="application/json")
    assert response.status_code == 200
    assert response.json()["result"]["in_event_loop"] is False


def test_the_input_model_built_at_decoration_serves_every_call(api: Api) -> None:
    spec = spec_of(clients.echo)
    assert spec is not None
    model = spec.input_model
    for text in ("a", "b"):
        assert api.call("echo", {"text": text}).status_code == 200
    assert spec.input_model is model


@pytest.mark.django_db
def test_output_types_serialize_in_json_mode(api: Api) -> None:
    response = api.call("kitchen_sink", {"color": "green", "mode": "slow"})
    assert response.status_code == 200
    assert response.json()["result"] == {
        "when": "2026-01-02T03:04:05Z",
        "day": "2026-01-02",
        "price": "12.50",
        "ident": "12345678-1234-5678-1234-567812345678",
        "color": "green",
        "mode": "slow",
        "maybe": None,
        "point": {"x": 1, "y": 2},
        "span": {"start": "2026-01-02T03:04:05Z", "minutes": 90},
        "tags": {"a": [1, 2]},
    }


def test_lists_of_dataclasses_and_typeddicts(api: Api) -> None:
    assert api.call("points", {"n": 3}).json()["result"] == [{"x": 0, "y": 0}, {"x": 1, "y": 1}, {"x": 2, "y": 4}]
    assert api.call("span_of", {"minutes": 5}).json()["result"] == {"start": "2026-01-01T00:00:00Z", "minutes": 5}


@pytest.mark.django_db
def test_get_reads_a_context_function_with_etag_and_304(client: Client) -> None:
    url = "/api/mizan/call/todo_count/?args=" + quote(json.dumps({"list_id": 4}))
    first = client.get(url)
    assert first.status_code == 200
    assert first.json() == {"result": 0, "invalidate": []}
    etag = first["ETag"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    assert first["Cache-Control"] == "private, no-cache"
    assert "Cookie" in first["Vary"]

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""

    other = client.get("/api/mizan/call/todo_count/?args=" + quote(json.dumps({"list_id": 5})))
    assert other["ETag"] == etag  # same result, same tag
    changed = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200


@pytest.mark.django_db
def test_get_without_args_and_for_the_global_context(client: Client) -> None:
    response = client.get("/api/mizan/call/current_user/")
    assert response.status_code == 200
    assert response.json()["result"] == {"authenticated": False, "username": None}


@pytest.mark.django_db
def test_batch_runs_in_order_and_reports_each_call(api: Api) -> None:
    response = api.post(
        "batch/",
        {
            "calls": [
                {"fn": "echo", "args": {"text": "one"}},
                {"fn": "add_todo", "args": {"list_id": 7, "title": "x"}},
                {"fn": "todo_count", "args": {"list_id": 7}},
                {"fn": "missing"},
                {"fn": "echo", "args": {}},
                "not an object",
                {"fn": "profile_page", "args": {"id": 1}},
            ]
        },
    )
    assert response.status_code == 200
    body = response.json()
    results = body["results"]
    assert results[0] == {"result": {"message": "one"}, "invalidate": []}
    assert results[1]["invalidate"] == ["todo_count?list_id=7", "todo_list?list_id=7"]
    assert results[2] == {"result": 1, "invalidate": []}
    assert results[3]["error"]["code"] == "NOT_FOUND"
    assert results[4]["error"]["code"] == "VALIDATION_ERROR"
    assert results[5]["error"]["code"] == "BAD_REQUEST"
    assert "Call 5 must be a JSON object" in results[5]["error"]["message"]
    assert results[6]["error"]["code"] == "BAD_REQUEST"
    assert "view-path function" in results[6]["error"]["message"]
    assert body["invalidate"] == ["todo_count?list_id=7", "todo_list?list_id=7"]
    assert response["X-Mizan-Invalidate"] == "todo_count?list_id=7,todo_list?list_id=7"


def test_batch_of_nothing(api: Api) -> None:
    assert api.post("batch/", {"calls": []}).json() == {"results": [], "invalidate": []}


@pytest.mark.parametrize("body", [{}, {"calls": {}}, {"calls": "echo"}])
def test_batch_needs_a_list_of_calls(api: Api, body: dict[str, object]) -> None:
    response = api.post("batch/", body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "BAD_REQUEST"


@pytest.mark.django_db
def test_session_sets_the_csrf_cookie(client: Client, alice: object) -> None:
    response = client.get("/api/mizan/session/")
    assert response.status_code == 200
    body = response.json()
    assert body["authenticated"] is False
    assert body["csrfToken"]
    assert "csrftoken" in response.cookies
    assert response["Cache-Control"] == "no-store"
    client.login(username="alice", password="pw-alice")
    assert client.get("/api/mizan/session/").json()["authenticated"] is True
    assert client.post("/api/mizan/session/").status_code == 405


def test_schema_is_hidden_unless_debug_or_exposed(client: Client) -> None:
    response = client.get("/api/mizan/schema/")
    assert response.status_code == 404
    assert "MIZAN_EXPOSE_SCHEMA" in response.json()["error"]["message"]
    with override_settings(DEBUG=True):
        shown = client.get("/api/mizan/schema/")
    assert shown.status_code == 200
    assert shown.json()["functions"]["echo"]["output"] == {"$ref": "#/$defs/EchoOutput"}
    with override_settings(MIZAN_EXPOSE_SCHEMA=True):
        assert client.get("/api/mizan/schema/").json() == shown.json()


@override_settings(DEBUG=True)
def test_schema_answers_get_only(client: Client) -> None:
    assert client.post("/api/mizan/schema/").status_code == 405


def test_a_response_returned_without_a_declaration(api: Api) -> None:
    alone = api.call("undeclared_view")
    assert alone.content == b"plain"
    assert alone["Cache-Control"] == "no-store"
    batched = api.post("batch/", {"calls": [{"fn": "undeclared_view"}]}).json()
    assert batched["results"][0]["error"]["code"] == "BAD_REQUEST"
    assert "annotate its return type as HttpResponse" in batched["results"][0]["error"]["message"]


def test_sync_functions_run_in_a_worker_thread_under_wsgi_too(api: Api) -> None:
    result = api.call("sync_probe").json()["result"]
    assert result["in_event_loop"] is False
