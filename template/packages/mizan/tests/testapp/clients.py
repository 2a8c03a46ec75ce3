"""Server functions of the test app: one of each kind the runtime supports."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import enum
import threading
import time
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from asgiref.sync import sync_to_async
from django.contrib.auth import authenticate
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from pydantic import BaseModel, Field
from typing_extensions import TypedDict  # pydantic needs it on Python < 3.12

from mizan.client import client
from mizan.errors import Forbidden, MizanError, NotFound, ValidationError
from mizan.setup import register

from .models import Todo

# Bounded so that no argument can overflow the database's integer column.
ListId = Annotated[int, Field(ge=0, lt=2**31)]


class EchoOutput(BaseModel):
    message: str


@client
def echo(request: HttpRequest, text: str) -> EchoOutput:
    """Echo the text back."""
    return EchoOutput(message=text)


@client(websocket=True)
def shout(request: HttpRequest, text: str, times: Annotated[int, Field(ge=1, le=10)] = 1) -> str:
    """Registered under a dotted name."""
    return " ".join([text.upper()] * times)


register(shout, "tools.shout")


# --- contexts ---


class CurrentUser(BaseModel):
    authenticated: bool
    username: str | None


@client(context="global")
def current_user(request: HttpRequest) -> CurrentUser:
    """Who is logged in."""
    user = request.user
    return CurrentUser(authenticated=user.is_authenticated, username=user.get_username() or None)


class TodoOut(BaseModel):
    id: int
    list_id: ListId
    title: str
    done: bool


@client(context="todo")
def todo_list(request: HttpRequest, list_id: ListId) -> list[TodoOut]:
    """The todos of one list."""
    return [TodoOut.model_validate(todo, from_attributes=True) for todo in Todo.objects.filter(list_id=list_id)]


@client(context="todo")
def todo_count(request: HttpRequest, list_id: ListId, done: bool | None = None) -> int:
    """How many todos a list has."""
    todos = Todo.objects.filter(list_id=list_id)
    if done is not None:
        todos = todos.filter(done=done)
    return todos.count()


@client(affects="todo")
def add_todo(request: HttpRequest, list_id: ListId, title: Annotated[str, Field(min_length=1)]) -> TodoOut:
    """Add a todo to a list."""
    todo = Todo.objects.create(list_id=list_id, title=title)
    return TodoOut.model_validate(todo, from_attributes=True)


@client(affects="todo")
def add_todo_then_fail(request: HttpRequest, list_id: ListId, title: str) -> TodoOut:
    """Writes, then fails: the transaction must leave nothing behind."""
    Todo.objects.create(list_id=list_id, title=title)
    raise RuntimeError("failed after writing")


@client(affects=[todo_count, "current_user"])
def complete_todo(request: HttpRequest, list_id: ListId, todo_id: ListId) -> None:
    """Affects a function object and a function name."""
    updated = Todo.objects.filter(list_id=list_id, id=todo_id).update(done=True)
    if not updated:
        raise NotFound(f"No todo {todo_id} in list {list_id}.")


@client(affects="todo")
def toggle_todo(request: HttpRequest, list_id: ListId, todo_id: ListId) -> bool:
    """Read, then write the same row: the pattern that SQLite's deferred transactions fail under concurrency."""
    todo = Todo.objects.get(list_id=list_id, id=todo_id)
    todo.done = not todo.done
    todo.save(update_fields=["done"])
    return todo.done


# --- auth ---


@client(affects="global")
def login(request: HttpRequest, username: str, password: str) -> CurrentUser:
    """Log in with a username and password."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise ValidationError("Wrong username or password.", fields={"": ["Wrong username or password."]})
    django_login(request, user)
    return CurrentUser(authenticated=True, username=user.get_username())


@client(affects="global")
def logout(request: HttpRequest) -> None:
    """Log out."""
    django_logout(request)


@client(auth=True)
def whoami(request: HttpRequest) -> str:
    """Logged-in users only."""
    return str(request.user.get_username())


@client(auth="staff")
def staff_report(request: HttpRequest) -> str:
    """Staff only."""
    return "staff"


@client(auth="superuser")
def superuser_report(request: HttpRequest) -> str:
    """Superusers only."""
    return "superuser"


def _is_alice(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.get_username() == "alice"


@client(auth=_is_alice)
def alice_only(request: HttpRequest) -> str:
    """A custom rule."""
    return "hello alice"


async def _is_alice_async(request: HttpRequest) -> bool:
    user = await request.auser()
    return bool(user.is_authenticated and user.get_username() == "alice")


@client(auth=_is_alice_async)
async def alice_only_async(request: HttpRequest) -> str:
    """A custom async rule on an async function."""
    return "hello alice (async)"


@client(auth=_is_alice_async)
def alice_only_sync_with_async_rule(request: HttpRequest) -> str:
    """A custom async rule on a sync function (run to completion in the worker thread)."""
    return "hello alice (sync)"


@client(auth=_is_alice)
async def alice_only_async_with_sync_rule(request: HttpRequest) -> str:
    """A custom sync rule on an async function (run in a worker thread)."""
    return "hello alice (async, sync rule)"


# --- view path ---


@client(route="/profile/<int:id>/")
def profile_page(request: HttpRequest, id: int) -> HttpResponse:
    """A plain page, also mounted at /profile/<id>/."""
    return HttpResponse(f"<h1>Profile {id}</h1>", content_type="text/html")


@client(affects="todo")
def clear_list_page(request: HttpRequest, list_id: ListId) -> HttpResponse:
    """A view-path mutation: the response passes through with the invalidation header."""
    deleted, _ = Todo.objects.filter(list_id=list_id).delete()
    return HttpResponse(f"cleared {deleted}", content_type="text/plain")


@client
def undeclared_view(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Returns a response without saying so in its annotation: found out only when it runs."""
    return HttpResponse("plain", content_type="text/plain")


# --- nested input ---


class Address(BaseModel):
    street: str
    zip: Annotated[str, Field(pattern=r"^\d{5}$")]


class Item(BaseModel):
    sku: str
    qty: Annotated[int, Field(gt=0)]


class OrderOut(BaseModel):
    zip: str
    total_qty: int


@client
def place_order(request: HttpRequest, address: Address, items: list[Item]) -> OrderOut:
    """Nested input: errors come back as address.zip, items.0.qty."""
    return OrderOut(zip=address.zip, total_qty=sum(item.qty for item in items))


# --- sync / async ---


class ThreadInfo(BaseModel):
    thread: int
    in_event_loop: bool


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@client
def sync_probe(request: HttpRequest, sleep: Annotated[float, Field(ge=0, le=1)] = 0.0) -> ThreadInfo:
    """Where a sync function runs (it may sleep, to show the loop is not blocked)."""
    time.sleep(sleep)
    return ThreadInfo(thread=threading.get_ident(), in_event_loop=_in_event_loop())


@client
async def async_probe(request: HttpRequest, sleep: Annotated[float, Field(ge=0, le=1)] = 0.0) -> ThreadInfo:
    """Where an async function runs."""
    await asyncio.sleep(sleep)
    return ThreadInfo(thread=threading.get_ident(), in_event_loop=_in_event_loop())


# --- output types ---


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


@dataclasses.dataclass
class Point:
    x: int
    y: int


class Span(TypedDict):
    start: datetime.datetime
    minutes: int


class Sink(BaseModel):
    when: datetime.datetime
    day: datetime.date
    price: Decimal
    ident: uuid.UUID
    color: Color
    mode: Literal["fast", "slow"]
    maybe: int | None
    point: Point
    span: Span
    tags: dict[str, list[int]]


@client
def kitchen_sink(request: HttpRequest, color: Color, mode: Literal["fast", "slow"] = "fast") -> Sink:
    """Every output type pydantic serializes in JSON mode."""
    when = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    return Sink(
        when=when,
        day=when.date(),
        price=Decimal("12.50"),
        ident=uuid.UUID("12345678-1234-5678-1234-567812345678"),
        color=color,
        mode=mode,
        maybe=None,
        point=Point(1, 2),
        span={"start": when, "minutes": 90},
        tags={"a": [1, 2]},
    )


@client
def points(request: HttpRequest, n: Annotated[int, Field(ge=0, le=100)]) -> list[Point]:
    """A list of dataclasses."""
    return [Point(i, i * i) for i in range(n)]


@client
def span_of(request: HttpRequest, minutes: Annotated[int, Field(ge=0, le=10_000)]) -> Span:
    """A TypedDict built from a dict."""
    return {"start": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), "minutes": minutes}


# --- errors ---

FailKind = Literal[
    "not_found",
    "http404",
    "does_not_exist",
    "permission_denied",
    "forbidden",
    "django_validation",
    "boom",
    "not_implemented",
    "suspicious",
]


@client
def fail(request: HttpRequest, kind: FailKind) -> None:
    """Raise the exception named by `kind`."""
    if kind == "not_found":
        raise NotFound("No such widget.")
    if kind == "http404":
        raise Http404("secret path detail")
    if kind == "does_not_exist":
        Todo.objects.get(id=-1)
    if kind == "permission_denied":
        raise PermissionDenied("Widgets are locked.")
    if kind == "forbidden":
        raise Forbidden()
    if kind == "django_validation":
        raise DjangoValidationError({"email": ["Enter a valid email address."], "__all__": ["Try again."]})
    if kind == "suspicious":
        raise SuspiciousOperation("secret suspicious detail")
    if kind == "not_implemented":
        raise MizanError("NOT_IMPLEMENTED", "Widgets are switched off here.")
    raise ValueError("secret internal detail")


@client
def bad_output(request: HttpRequest) -> EchoOutput:
    """Returns something its annotation does not describe."""
    result: Any = {"nope": 1}
    return result  # type: ignore[no-any-return]


# --- transactions ---


class AtomicProbe(BaseModel):
    in_atomic_block: bool
    in_event_loop: bool


@client(affects="todo")
async def add_todo_then_fail_async(request: HttpRequest, list_id: ListId, title: str) -> TodoOut:
    """An async mutation that writes, then fails: its transaction must leave nothing behind too."""
    await Todo.objects.acreate(list_id=list_id, title=title)
    raise RuntimeError("failed after writing")


@client(affects="todo")
async def in_atomic_mutation_async(request: HttpRequest) -> AtomicProbe:
    """Whether an async mutation's ORM calls run inside a transaction, and the function on the event loop."""
    in_atomic = await sync_to_async(lambda: transaction.get_connection().in_atomic_block)()
    return AtomicProbe(in_atomic_block=in_atomic, in_event_loop=_in_event_loop())


@client
def in_atomic_read(request: HttpRequest) -> bool:
    """Whether a read runs inside a transaction."""
    return transaction.get_connection().in_atomic_block


@client(affects="todo")
def in_atomic_mutation(request: HttpRequest) -> bool:
    """Whether a mutation runs inside a transaction."""
    return transaction.get_connection().in_atomic_block


# --- the socket ---


@client(websocket=True)
def move_cursor(request: HttpRequest, x: int, y: int) -> str:
    """Called over the socket by the generated code."""
    return f"{request.user.get_username() or 'anonymous'} at {x},{y}"

