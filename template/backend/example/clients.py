"""The example's server functions. Each `@client` function becomes a typed React hook in `frontend/src/api/`.

Tour: `current_user` is a global context; `sign_up`, `login` and `logout` change it (`affects=current_user`);
`todo_list` and `todo_stats` form the named context `todo`, whose param is `list_id`; `add_todo` and
`toggle_todo` are mutations that need a logged-in user and refresh only the list they touched
(`affects="todo"`, scoped by their `list_id` argument); a too-short title is a validation error at its field.
`login` and `sign_up` are rate limited (`rate=`): password guessing gets 429 RATE_LIMITED, not endless tries.
`issue_api_token` gives a client without cookies (a desktop app, a script) a bearer token instead of a
session.
"""

from __future__ import annotations

from typing import Annotated

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from mizan.client import Rate, client
from mizan.errors import NotFound, ValidationError
from mizan.tokens import issue_token
from pydantic import BaseModel, Field, StringConstraints

from example import forms  # noqa: F401  (defining NewTodoForm registers new_todo.schema, .validate, .submit)
from example.models import Todo

Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)]
# The column is a PositiveIntegerField: an id beyond its range is a validation error, not a database error.
ListId = Annotated[int, Field(ge=1, le=2_147_483_647)]


class CurrentUser(BaseModel):
    """Who is looking at the page."""

    is_authenticated: bool
    username: str | None


class TodoItem(BaseModel):
    id: int
    title: str
    done: bool
    author: str | None


class TodoStats(BaseModel):
    total: int
    done: int


@client(context="global")
def current_user(request: HttpRequest) -> CurrentUser:
    """The logged-in user, or an anonymous one."""
    user = request.user
    if user.is_authenticated:
        return CurrentUser(is_authenticated=True, username=user.get_username())
    return CurrentUser(is_authenticated=False, username=None)


@client(affects=current_user, rate="30/h", rate_key="ip")
def sign_up(request: HttpRequest, username: Username, password: str) -> CurrentUser:
    """Create an account and log in with it."""
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ValidationError(fields={"username": ["This username is taken."]})
    user = user_model(username=username)
    try:
        validate_password(password, user)
    except DjangoValidationError as error:
        raise ValidationError(fields={"password": list(error.messages)}) from error
    user.set_password(password)
    user.save()
    django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return CurrentUser(is_authenticated=True, username=username)


# Per account (password guessing) and per address (one client trying many accounts).
_LOGIN_RATES = [Rate.parse("10/15m", key="username"), Rate.parse("60/15m", key="ip")]


@client(affects=current_user, rate=_LOGIN_RATES)
def login(request: HttpRequest, username: Username, password: str) -> CurrentUser:
    """Log in; wrong credentials are a validation error on the password field."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise ValidationError(fields={"password": ["Wrong username or password."]})
    django_login(request, user)
    return CurrentUser(is_authenticated=True, username=user.get_username())


class ApiToken(BaseModel):
    """Sent as `Authorization: Bearer <token>`; it needs no CSRF token and stops working at `expires_at`."""

    token: str
    expires_at: int


@client(rate=_LOGIN_RATES)
def issue_api_token(request: HttpRequest, username: Username, password: str) -> ApiToken:
    """A bearer token for a client without cookies; rotating MIZAN_MWT_SECRET revokes every token."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise ValidationError(fields={"password": ["Wrong username or password."]})
    issued = issue_token(user)
    return ApiToken(token=issued.token, expires_at=issued.expires_at)


@client(affects=current_user)
def logout(request: HttpRequest) -> None:
    """Log out."""
    django_logout(request)


@client(context="todo")
def todo_list(request: HttpRequest, list_id: ListId) -> list[TodoItem]:
    """The items of one list, oldest first."""
    todos = Todo.objects.filter(list_id=list_id).select_related("author")
    return [
        TodoItem(id=t.id, title=t.title, done=t.done, author=t.author.get_username() if t.author else None)
        for t in todos
    ]


@client(context="todo")
def todo_stats(request: HttpRequest, list_id: ListId) -> TodoStats:
    """How many items one list has, and how many are done."""
    todos = Todo.objects.filter(list_id=list_id)
    return TodoStats(total=todos.count(), done=todos.filter(done=True).count())


@client(affects="todo", auth=True)
def add_todo(request: HttpRequest, list_id: ListId, title: Title) -> TodoItem:
    """Add an item; refreshes `todo_list` and `todo_stats` for this `list_id` only."""
    todo = Todo.objects.create(list_id=list_id, title=title, author=request.user)
    return TodoItem(id=todo.id, title=todo.title, done=todo.done, author=request.user.get_username())


@client(affects="todo", auth=True)
def toggle_todo(request: HttpRequest, list_id: ListId, todo_id: int) -> TodoItem:
    """Mark an item done, or not done."""
    todo = Todo.objects.filter(list_id=list_id, id=todo_id).select_related("author").first()
    if todo is None:
        raise NotFound(f"No item {todo_id} on list {list_id}.")
    todo.done = not todo.done
    todo.save(update_fields=["done"])
    author = todo.author.get_username() if todo.author else None
    return TodoItem(id=todo.id, title=todo.title, done=todo.done, author=author)
