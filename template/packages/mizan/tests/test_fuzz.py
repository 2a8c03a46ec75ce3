"""Property: whatever JSON arrives at the endpoints, the answer is a success or a 4xx envelope, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mizan.core import registry

# Functions that fail on purpose (they exist to test INTERNAL_ERROR) are not targets.
DELIBERATE_FAILURES = {"fail", "bad_output", "add_todo_then_fail"}
TARGETS = sorted(name for name, _ in registry.items() if name not in DELIBERATE_FAILURES)

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=16,
)
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _args_for(name: str) -> st.SearchStrategy[dict[str, Any]]:
    """Random values under the function's real parameter names (to reach validation), plus random extra keys."""
    spec = registry.get(name)
    assert spec is not None
    known = st.fixed_dictionaries({}, optional={param: json_values for param in spec.params})
    extra = st.dictionaries(st.text(max_size=8), json_values, max_size=2)
    return st.one_of(known, extra)


def _assert_answer(response: Any) -> None:
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}
        assert isinstance(body["error"]["code"], str)
        assert isinstance(body["error"]["message"], str)
    elif response["Content-Type"] == "application/json" and response.status_code == 200:
        body = response.json()
        assert "invalidate" in body


def _post(client: Client, path: str, body: Any) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(f"/api/mizan/{path}", data=data, content_type="application/json")


@pytest.mark.django_db
@FUZZ
@given(data=st.data(), name=st.sampled_from(TARGETS))
def test_random_args_per_function(data: st.DataObject, name: str) -> None:
    args = data.draw(_args_for(name))
    _assert_answer(_post(Client(), f"call/{name}/", args))


@pytest.mark.django_db
@FUZZ
@given(body=json_values, name=st.sampled_from([*TARGETS, "missing", "a.b"]))
def test_random_json_bodies_per_function(body: Any, name: str) -> None:
    _assert_answer(_post(Client(), f"call/{name}/", body))


@pytest.mark.django_db
@FUZZ
@given(
    body=json_values
    | st.fixed_dictionaries({"fn": st.sampled_from(TARGETS) | json_values}, optional={"args": json_values})
)
def test_random_envelopes(body: Any) -> None:
    _assert_answer(_post(Client(), "call/", body))


@pytest.mark.django_db
@FUZZ
@given(
    calls=st.lists(
        json_values | st.fixed_dictionaries({"fn": st.sampled_from(TARGETS)}, optional={"args": json_values}),
        max_size=4,
    )
    | json_values
)
def test_random_batches(calls: Any) -> None:
    _assert_answer(_post(Client(), "batch/", {"calls": calls}))


@pytest.mark.django_db
@FUZZ
@given(raw=st.binary(max_size=64))
def test_random_bytes(raw: bytes) -> None:
    for path in ("call/", "call/echo/", "batch/"):
        _assert_answer(_post(Client(), path, raw))


@pytest.mark.django_db
@FUZZ
@given(args=st.text(max_size=40), name=st.sampled_from(TARGETS))
def test_random_get_args(args: str, name: str) -> None:
    _assert_answer(Client().get(f"/api/mizan/call/{name}/", {"args": args}))
