"""`@client` and ServerFunction: options, signature inspection, and the errors a bad declaration raises."""

from __future__ import annotations

import datetime
import enum
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

import pydantic
import pytest
from pydantic import BaseModel, Field

from mizan.core import Registry, client, spec_of


class Out(BaseModel):
    value: int


def test_bare_decorator_builds_the_spec_and_returns_the_function() -> None:
    def plain(request: Any, text: str, times: int = 2) -> Out:
        """Say it. More detail here."""
        return Out(value=times)

    decorated = client(plain)
    assert decorated is plain
    spec = spec_of(plain)
    assert spec is not None
    assert spec.python_name == "plain"
    assert spec.params == {"text": str, "times": int}
    assert spec.required == {"text"}
    assert spec.doc == "Say it. More detail here."
    assert (spec.context, spec.affects, spec.auth, spec.websocket, spec.route, spec.rev) == (
        None,
        (),
        False,
        False,
        None,
        1,
    )
    assert spec.validate({"text": "a"}) == {"text": "a", "times": 2}


def test_options_are_recorded() -> None:
    def rule(request: Any) -> bool:
        return True

    @client(context="todo", auth=rule, websocket=True, rev=3)
    def member(request: Any, list_id: int) -> int:
        return list_id

    spec = spec_of(member)
    assert spec is not None
    assert (spec.context, spec.auth_kind, spec.websocket, spec.rev) == ("todo", "custom", True, 3)

    @client(affects=["todo", member], auth="staff")
    def mutate(request: Any, list_id: int) -> None: ...

    spec = spec_of(mutate)
    assert spec is not None
    assert spec.affects == ("todo", member)
    assert spec.is_mutation
    assert spec.auth_kind == "staff"


def test_decorating_does_not_register() -> None:
    registry = Registry()

    @client
    def lonely(request: Any) -> None: ...

    assert len(registry) == 0
    assert spec_of(lonely) is not None


def test_input_model_is_built_once_at_decoration() -> None:
    @client
    def once(request: Any, n: int) -> int:
        return n

    spec = spec_of(once)
    assert spec is not None
    model = spec.input_model
    assert issubclass(model, BaseModel)
    spec.validate({"n": 1})
    spec.validate({"n": 2})
    assert spec.input_model is model


def test_parameter_names_that_shadow_basemodel_attributes_work() -> None:
    @client
    def shadowing(request: Any, json: str, model_config: int, schema: bool = False) -> str:
        return json

    spec = spec_of(shadowing)
    assert spec is not None
    assert spec.validate({"json": "x", "model_config": 1}) == {
        "json": "x",
        "model_config": 1,
        "schema": False,
    }


def test_extra_arguments_are_rejected() -> None:
    @client
    def strict(request: Any, a: int) -> int:
        return a

    spec = spec_of(strict)
    assert spec is not None
    with pytest.raises(pydantic.ValidationError) as info:
        spec.validate({"a": 1, "b": 2})
    assert info.value.errors()[0]["loc"] == ("b",)


def test_validation_coerces_rich_types() -> None:
    class Color(enum.Enum):
        RED = "red"

    @client
    def rich(
        request: Any,
        when: datetime.datetime,
        price: Decimal,
        ident: uuid.UUID,
        color: Color,
        mode: Literal["a", "b"],
        maybe: int | None = None,
        qty: Annotated[int, Field(gt=0)] = 1,
    ) -> None: ...

    spec = spec_of(rich)
    assert spec is not None
    kwargs = spec.validate(
        {
            "when": "2026-01-02T03:04:05Z",
            "price": "1.50",
            "ident": "12345678-1234-5678-1234-567812345678",
            "color": "red",
            "mode": "b",
        }
    )
    assert kwargs["when"] == datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    assert kwargs["price"] == Decimal("1.50")
    assert kwargs["ident"] == uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert kwargs["color"] is Color.RED
    assert (kwargs["mode"], kwargs["maybe"], kwargs["qty"]) == ("b", None, 1)
    assert spec.json_value("when", kwargs["when"]) == "2026-01-02T03:04:05Z"


class Opaque:
    """A class pydantic cannot validate."""


def test_unsupported_parameter_type_names_function_and_parameter() -> None:
    def uses_opaque(request: Any, thing: Opaque) -> None: ...

    with pytest.raises(TypeError, match=r"'test_unsupported.*uses_opaque'.*parameter 'thing'"):
        client(uses_opaque)


def test_unsupported_return_type_names_the_return_annotation() -> None:
    def returns_opaque(request: Any) -> Opaque:
        return Opaque()

    with pytest.raises(TypeError, match=r"returns_opaque.*the return annotation"):
        client(returns_opaque)


def test_unresolvable_annotation_names_the_parameter() -> None:
    def forward(request: Any, item: NotDefinedAnywhere) -> None: ...  # type: ignore[name-defined]  # noqa: F821

    with pytest.raises(TypeError, match=r"forward.*parameter 'item'.*NotDefinedAnywhere.*cannot be resolved"):
        client(forward)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def f(): ...", "request as its first positional parameter"),
        ("def f(*, request): ...", "request as its first positional parameter"),
        ("def f(request, *items: int): ...", "parameter 'items' is \\*args"),
        ("def f(request, **options: int): ...", "parameter 'options' is \\*args"),
        ("def f(request, a: int, /): ...", "parameter 'a' is positional-only"),
        ("def f(request):\n    yield 1", "is a generator"),
    ],
)
def test_bad_signatures_are_refused(source: str, message: str) -> None:
    namespace: dict[str, Any] = {}
    exec(source, namespace)
    with pytest.raises(TypeError, match=message):
        client(namespace["f"])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"context": "not a name"}, "must be 'global' or a context name"),
        ({"auth": "admin"}, "is not an auth rule"),
        ({"websocket": "yes"}, "websocket='yes' must be True or False"),
        ({"rev": 0}, "rev=0 must be an integer >= 1"),
        ({"rev": True}, "rev=True must be an integer >= 1"),
        ({"cache": "no"}, "cache='no' must be True or False"),
        ({"route": "/"}, "must be a Django path"),
        ({"affects": []}, "non-empty list"),
        ({"affects": [3]}, "neither a name nor a function"),
        ({"context": "todo", "affects": "todo"}, "split it into two functions"),
    ],
)
def test_bad_options_are_refused(options: dict[str, Any], message: str) -> None:
    def f(request: Any) -> None: ...

    with pytest.raises(TypeError, match=message):
        client(**options)(f)


def test_global_context_takes_no_params() -> None:
    def me(request: Any, user_id: int) -> None: ...

    with pytest.raises(TypeError, match=r"context='global'.*'user_id'.*named context"):
        client(context="global")(me)


def test_positional_string_option_says_how_to_pass_it() -> None:
    with pytest.raises(TypeError, match=r"@client\(context='todo'\)"):
        client("todo")  # type: ignore[call-overload]


def test_async_functions_are_detected() -> None:
    @client
    async def later(request: Any) -> int:
        return 1

    spec = spec_of(later)
    assert spec is not None
    assert spec.is_async


def test_missing_annotations_mean_any() -> None:
    @client
    def loose(request, value):  # type: ignore[no-untyped-def]
        return value

    spec = spec_of(loose)
    assert spec is not None
    assert spec.validate({"value": [1, "x"]}) == {"value": [1, "x"]}
    assert spec.output_adapter is not None
