"""Server functions of the integration project: one of each kind the generated client must drive."""

from __future__ import annotations

import datetime
import enum
import threading
from typing import Annotated

from django import forms
from django.http import HttpRequest
from mizan.client import client
from mizan.errors import NotFound, ValidationError
from mizan.forms import MizanFormMeta, MizanFormMixin
from mizan.setup import register
from pydantic import BaseModel, Field

_lock = threading.Lock()
_todos: dict[int, list[TodoOut]] = {}


class EchoOut(BaseModel):
    text: str
    times: int


@client
def echo(request: HttpRequest, text: str, times: Annotated[int, Field(ge=1, le=5)] = 1) -> EchoOut:
    """Say it back."""
    return EchoOut(text=" ".join([text] * times), times=times)


class Site(BaseModel):
    name: str
    authenticated: bool


@client(context="global")
def site_info(request: HttpRequest) -> Site:
    """The site, and whether this session is logged in."""
    return Site(name="integration", authenticated=request.user.is_authenticated)


class Priority(enum.Enum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class TodoOut(BaseModel):
    id: int
    list_id: int
    title: str
    priority: Priority
    created: datetime.datetime
    note: str | None = None


@client(context="todo")
def todo_list(request: HttpRequest, list_id: int) -> list[TodoOut]:
    """The todos of one list."""
    with _lock:
        return list(_todos.get(list_id, []))


@client(affects="todo")
def add_todo(
    request: HttpRequest,
    list_id: int,
    title: Annotated[str, Field(min_length=1, max_length=50)],
    priority: Priority = Priority.NORMAL,
    note: str | None = None,
) -> TodoOut:
    """Add a todo to a list: refetches that list's todo context."""
    if title.strip().lower() == "forbidden word":
        raise ValidationError("This title is not allowed.", fields={"title": ["Choose another title."]})
    with _lock:
        todos = _todos.setdefault(list_id, [])
        todo = TodoOut(
            id=sum(len(items) for items in _todos.values()) + 1,
            list_id=list_id,
            title=title,
            priority=priority,
            created=datetime.datetime.now(datetime.UTC),
            note=note,
        )
        todos.append(todo)
        return todo


@client
def find_todo(request: HttpRequest, list_id: int, todo_id: int) -> TodoOut:
    """One todo, or NOT_FOUND."""
    with _lock:
        for todo in _todos.get(list_id, []):
            if todo.id == todo_id:
                return todo
    raise NotFound(f"No todo {todo_id} in list {list_id}.")


@client(auth=True)
def my_notes(request: HttpRequest) -> list[str]:
    """Only for logged-in users."""
    return [f"note of {request.user.get_username()}"]


@client
def contact_submit(request: HttpRequest, email: str, message: str) -> str:
    """Registered under a dotted name."""
    return f"ticket for {email}"


register(contact_submit, "contact.submit")


@client(websocket=True)
def shout(request: HttpRequest, text: Annotated[str, Field(min_length=1)]) -> str:
    """Called over the socket when the client has one."""
    return text.upper()


@client(affects="todo", websocket=True)
def add_todo_live(request: HttpRequest, list_id: int, title: Annotated[str, Field(min_length=1, max_length=50)]) -> TodoOut:
    """add_todo over the socket: the same envelope and invalidation keys as over HTTP."""
    return add_todo(request, list_id=list_id, title=title)


TAKEN_HANDLES = {"admin", "root"}


class SignupForm(MizanFormMixin, forms.Form):
    """Live validation end to end: the slug rule runs in the browser, the taken handle only on the server."""

    mizan = MizanFormMeta(name="signup", live_validation=True)

    handle = forms.SlugField(max_length=12)
    email = forms.EmailField()

    def clean_handle(self) -> str:
        handle: str = self.cleaned_data["handle"]
        if handle in TAKEN_HANDLES:
            raise forms.ValidationError("This handle is taken.")
        return handle

    def on_submit_success(self, request: HttpRequest) -> str:
        return f"welcome {self.cleaned_data['handle']}"
