"""`ServerFunction`: everything Mizan knows about one `@client` function, built once at decoration."""

from __future__ import annotations

import inspect
import json
import re
import sys
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model
from pydantic.fields import FieldInfo

from ._rate import Rate, RateKey, RateSpec, parse_rates

__all__ = [
    "Affects",
    "AuthRule",
    "ServerFunction",
    "add_passthrough_type",
    "is_framework_response",
    "is_passthrough_type",
    "set_framework_response_base",
    "spec_of",
]

AuthRule: TypeAlias = bool | Literal["staff", "superuser"] | Callable[[Any], Any]
"""`True` (logged in), `"staff"`, `"superuser"`, or `callable(request) -> bool` (may be async)."""

Affects: TypeAlias = "str | Callable[..., Any] | Sequence[str | Callable[..., Any]]"
"""What a mutation invalidates: a context name or class, a function name, a decorated function, or a list."""

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ATTRIBUTE = "__mizan__"
# Return types handed back to the framework unchanged, as (module, class name): the adapter declares its HTTP
# response class here without the core importing the framework. An annotation using the class implies that the
# module is already imported, so it is looked up in sys.modules only.
_PASSTHROUGH_TYPES: list[tuple[str, str]] = []


@dataclass(frozen=True, eq=False)
class ServerFunction:
    """One server function: the callable, its options, and the pydantic models built from its signature."""

    fn: Callable[..., Any]
    python_name: str
    context: str | None
    affects: tuple[str | Callable[..., Any], ...]
    auth: AuthRule
    websocket: bool
    route: str | None
    rev: int
    is_async: bool
    params: dict[str, Any]
    required: frozenset[str]
    input_model: type[BaseModel]
    output_adapter: TypeAdapter[Any] | None
    view: bool
    doc: str
    field_names: dict[str, str] = field(default_factory=dict)
    param_adapters: dict[str, TypeAdapter[Any]] = field(default_factory=dict)
    cache: bool = True
    rates: tuple[Rate, ...] = ()

    @property
    def is_mutation(self) -> bool:
        """True when the function declares `affects=` (it runs in a transaction and invalidates)."""
        return bool(self.affects)

    @property
    def auth_kind(self) -> bool | str:
        """The manifest's `auth`: false, true, "staff", "superuser" or "custom"."""
        if callable(self.auth):
            return "custom"
        return self.auth

    def validate(self, args: dict[str, Any]) -> dict[str, Any]:
        """Validated keyword arguments for `fn` (raises pydantic.ValidationError).

        The arguments are JSON, and are validated as JSON in pydantic's strict mode: a value is accepted only in
        the JSON type the generated TypeScript gives it (`true` is not an int, `"5"` is not a number, `5.5` is
        not an int), while the types JSON spells as strings (datetimes, dates, UUIDs, decimals, enums by value)
        are parsed from them.
        """
        text = json.dumps(args, default=str, allow_nan=False)
        instance = self.input_model.model_validate_json(text, strict=True)
        return {param: getattr(instance, name) for name, param in self.field_names.items()}

    def json_value(self, param: str, value: Any) -> Any:
        """A validated argument in JSON form (for invalidation-key scoping)."""
        return self.param_adapters[param].dump_python(value, mode="json")

    def describe(self) -> str:
        """`module.qualname`, for messages."""
        return f"{self.fn.__module__}.{self.fn.__qualname__}"

    @classmethod
    def build(
        cls,
        fn: Callable[..., Any],
        *,
        context: str | None = None,
        affects: Affects | None = None,
        auth: AuthRule = False,
        websocket: bool = False,
        route: str | None = None,
        rev: int = 1,
        local_names: Mapping[str, Any] | None = None,
        cache: bool = True,
        rate: RateSpec | None = None,
        rate_key: RateKey | None = None,
    ) -> ServerFunction:
        """Inspect `fn` and build its models; a bad option or annotation raises a TypeError naming it."""
        label = _label(fn)
        if inspect.isgeneratorfunction(fn) or inspect.isasyncgenfunction(fn):
            raise TypeError(f"{label} is a generator; a server function must return its value")
        _check_options(label, context=context, auth=auth, websocket=websocket, route=route, rev=rev)
        if context == "local":
            # The seeds' per-function context: its own context, named after the function (greet → GreetProvider).
            context = fn.__name__
        if not isinstance(cache, bool):
            raise TypeError(f"{label}: cache={cache!r} must be True or False (False: never cache its results)")
        affects_tuple = _normalize_affects(label, affects)
        if context is not None and affects_tuple:
            raise TypeError(
                f"{label} has both context={context!r} and affects=: a context function is a read and a "
                "mutation is a write; split it into two functions"
            )

        hints = _type_hints(fn, label, local_names)
        signature = inspect.signature(fn)
        parameters = list(signature.parameters.values())
        if not parameters or parameters[0].kind not in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        ):
            raise TypeError(f"{label} must take the request as its first positional parameter: def f(request, ...)")
        params: dict[str, Any] = {}
        required: set[str] = set()
        fields: dict[str, Any] = {}
        field_names: dict[str, str] = {}
        param_adapters: dict[str, TypeAdapter[Any]] = {}
        for index, param in enumerate(parameters[1:]):
            if param.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
                raise TypeError(f"{label}: parameter {param.name!r} is *args/**kwargs; declare every argument by name")
            if param.kind is inspect.Parameter.POSITIONAL_ONLY:
                raise TypeError(f"{label}: parameter {param.name!r} is positional-only; arguments are passed by name")
            annotation = hints.get(param.name, Any)
            param_adapters[param.name] = _check_adaptable(annotation, f"{label}: parameter {param.name!r}")
            params[param.name] = annotation
            # Internal field names keep parameters like `json` or `model_config` from clashing with BaseModel.
            internal = f"p{index}"
            field_names[internal] = param.name
            if param.default is inspect.Parameter.empty:
                required.add(param.name)
                fields[internal] = (annotation, Field(alias=param.name))
            else:
                fields[internal] = (annotation, Field(default=param.default, alias=param.name))
        if context == "global" and params:
            raise TypeError(
                f"{label}: a context='global' function takes only the request, but it has "
                f"{', '.join(map(repr, params))}; move it to a named context (context='name') to take params"
            )
        rates = parse_rates(label, rate, rate_key, list(params))
        input_model = create_model(
            f"{fn.__name__}__MizanInput",
            __config__=ConfigDict(extra="forbid", populate_by_name=False, arbitrary_types_allowed=False),
            __module__=fn.__module__,
            **fields,
        )

        returns = hints.get("return", Any)
        view = route is not None or is_passthrough_type(returns)
        output_adapter: TypeAdapter[Any] | None = None
        if not is_passthrough_type(returns):
            output_adapter = _check_adaptable(returns, f"{label}: the return annotation")

        doc = inspect.getdoc(fn) or ""
        return cls(
            fn=fn,
            python_name=fn.__name__,
            context=context,
            affects=affects_tuple,
            auth=auth,
            websocket=websocket,
            route=route,
            rev=rev,
            is_async=inspect.iscoroutinefunction(fn),
            params=params,
            required=frozenset(required),
            input_model=input_model,
            output_adapter=output_adapter,
            view=view,
            doc=doc.strip().splitlines()[0] if doc.strip() else "",
            field_names=field_names,
            param_adapters=param_adapters,
            cache=cache,
            rates=rates,
        )

    def attach(self) -> None:
        """Mark the decorated callable so `register`, `mizan_clients` and `affects=` can find this spec."""
        setattr(self.fn, _ATTRIBUTE, self)


def spec_of(fn: object) -> ServerFunction | None:
    """The ServerFunction of a `@client` function, or None."""
    spec = getattr(fn, _ATTRIBUTE, None)
    return spec if isinstance(spec, ServerFunction) else None


def add_passthrough_type(module: str, name: str) -> None:
    """Declare `module.name` a return type that the adapter passes through unchanged (the view path)."""
    if (module, name) not in _PASSTHROUGH_TYPES:
        _PASSTHROUGH_TYPES.append((module, name))


def is_passthrough_type(annotation: Any) -> bool:
    """True when `annotation` is (a subclass of) a declared passthrough type."""
    if not isinstance(annotation, type):
        return False
    for module, name in _PASSTHROUGH_TYPES:
        base = getattr(sys.modules.get(module), name, None)
        if isinstance(base, type) and issubclass(annotation, base):
            return True
    return False


def set_framework_response_base(cls: type) -> None:
    """The seeds' name for `add_passthrough_type`: `cls` and its subclasses are the framework's responses."""
    if not isinstance(cls, type):
        raise TypeError(f"set_framework_response_base takes a class, not {cls!r}")
    add_passthrough_type(cls.__module__, cls.__name__)


def is_framework_response(value: Any) -> bool:
    """True for a declared framework response class, or an instance of one (the view path)."""
    return is_passthrough_type(value if isinstance(value, type) else type(value))


def _label(fn: Callable[..., Any]) -> str:
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", repr(fn))
    return f"server function {name!r}"


def _check_options(
    label: str, *, context: str | None, auth: object, websocket: object, route: object, rev: object
) -> None:
    if context is not None and (not isinstance(context, str) or not _IDENTIFIER.match(context)):
        raise TypeError(f"{label}: context={context!r} must be 'global' or a context name (a Python identifier)")
    if not (isinstance(auth, bool) or auth in ("staff", "superuser") or callable(auth)):
        raise TypeError(
            f"{label}: auth={auth!r} is not an auth rule; use True, 'staff', 'superuser' or a callable(request)"
        )
    if not isinstance(websocket, bool):
        raise TypeError(f"{label}: websocket={websocket!r} must be True or False")
    if route is not None and (not isinstance(route, str) or not route.strip("/")):
        raise TypeError(f"{label}: route={route!r} must be a Django path such as '/profile/<int:id>/'")
    if isinstance(rev, bool) or not isinstance(rev, int) or rev < 1:
        raise TypeError(f"{label}: rev={rev!r} must be an integer >= 1 (bump it to change every cache key)")


def _normalize_affects(label: str, affects: object) -> tuple[str | Callable[..., Any], ...]:
    if affects is None:
        return ()
    items = [affects] if isinstance(affects, str) or callable(affects) else affects
    if not isinstance(items, Sequence) or not items:
        raise TypeError(f"{label}: affects={affects!r} must be a context name, a function, or a non-empty list of them")
    result: list[str | Callable[..., Any]] = []
    for item in items:
        if isinstance(item, type):
            result.append(_context_name_of_class(label, item))
        elif isinstance(item, str):
            if not item:
                raise TypeError(f"{label}: affects contains an empty name")
            result.append(item)
        elif callable(item):
            result.append(item)
        else:
            raise TypeError(f"{label}: affects item {item!r} is neither a name nor a function")
    return tuple(result)


def _context_name_of_class(label: str, cls: type) -> str:
    """`affects=UserContext`: the class's `context` (or `name`) attribute, else `UserContext` → "user"."""
    for attribute in ("context", "name"):
        value = getattr(cls, attribute, None)
        if isinstance(value, str) and _IDENTIFIER.match(value):
            return value
    stem = cls.__name__.removesuffix("Context") or cls.__name__
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", stem).lower()
    if not _IDENTIFIER.match(name):
        raise TypeError(f"{label}: affects={cls.__name__} names no context; give the class context = 'name'")
    return name


def _type_hints(fn: Callable[..., Any], label: str, local_names: Mapping[str, Any] | None) -> dict[str, Any]:
    local_namespace = dict(local_names or {})
    try:
        return typing.get_type_hints(fn, localns=local_namespace, include_extras=True)
    except Exception as exc:
        # Find the annotation that failed, so the message names it.
        namespace = getattr(fn, "__globals__", {})
        for name, annotation in inspect.get_annotations(fn).items():
            if isinstance(annotation, str):
                try:
                    eval(annotation, namespace, local_namespace)
                except Exception:
                    where = "the return annotation" if name == "return" else f"parameter {name!r}"
                    raise TypeError(
                        f"{label}: {where} has annotation {annotation!r}, which cannot be resolved ({exc}); "
                        "import or define the type before the function"
                    ) from exc
        raise TypeError(f"{label}: its annotations cannot be resolved ({exc})") from exc


def _check_adaptable(annotation: Any, where: str) -> TypeAdapter[Any]:
    if isinstance(annotation, FieldInfo):
        raise TypeError(f"{where}: use Annotated[type, Field(...)] rather than a bare Field")
    try:
        return TypeAdapter(annotation)
    except Exception as exc:
        raise TypeError(
            f"{where} is {annotation!r}, which pydantic cannot validate or serialize ({type(exc).__name__}: "
            f"{exc}); use a pydantic model, a dataclass, a TypedDict or a standard type"
        ) from exc
