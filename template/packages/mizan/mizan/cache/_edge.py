"""The edge: cached anonymous context reads answered in front of Django, from the same cache.

A hit that goes through Django still pays for Django's request handling: on the 2-CPU reference machine about
1.3 ms of CPU of the 1.5 ms a cached read costs, most of it the thread hops of its middleware under ASGI. The edge
answers such a hit before Django runs, and only when Django's answer could not have been different:

- the request is a GET or HEAD of `call/<fn>/` with at most an `args` parameter, no body, no session cookie and
  no `Authorization` header, so Django would see an anonymous user;
- the function is cached and has no per-request rule (no `auth=`, no `rate=`);
- Django has already answered this route (scheme, host, the proxy headers Django reads, path) in this process as
  an anonymous cached read with that status, setting no cookie, with the entry's own body (no middleware rewrote
  it). The edge replays the headers of that answer (what the middleware added) with this entry's body, `ETag`
  and `Content-Length`;
- every middleware is known not to refuse or change such a request beyond fixed headers: Django's own, the
  static-file servers, and any class with `mizan_edge_safe = True`. `MIZAN_CACHE_EDGE = True` vouches for all of
  them, `False` turns the edge off.

Anything else, and every miss, goes to Django unchanged (and a miss is filled there, as always).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.http.cookie import parse_cookie
from django.utils.module_loading import import_string

from .._request import parse_json
from .._responses import success_body
from ..core import MizanError, ServerFunction, registry
from . import _settings
from ._http import body_etag, none_match
from ._store import apeek_anonymous, is_cached

__all__ = ["EDGE_MARK", "EdgeCache", "answers_at_edge", "edge_blockers", "edge_enabled"]

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

EDGE_MARK = "mizan.edge"
"""The ASGI scope key the call view sets to the function's name when its answer may be replayed at the edge."""

_SAFE_MIDDLEWARE = frozenset(
    {
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "servestatic.middleware.ServeStaticMiddleware",
    }
)
_COMMON = "django.middleware.common.CommonMiddleware"
# Added by the server (uvicorn, Daphne) to every answer: never replayed as learned.
_SERVER_ADDED = frozenset({b"date", b"server"})
_MAX_ROUTES = 1024


def answers_at_edge(spec: ServerFunction) -> bool:
    """True for a cached context function whose answer depends on nothing but the user and the args."""
    return is_cached(spec) and spec.auth is False and not spec.rates


def edge_blockers() -> list[str]:
    """The MIDDLEWARE entries that keep the edge off while MIZAN_CACHE_EDGE is unset (none: it is on)."""
    blockers: list[str] = []
    for path in settings.MIDDLEWARE:
        if path == _COMMON and settings.DISALLOWED_USER_AGENTS:
            blockers.append(f"{path} (DISALLOWED_USER_AGENTS refuses by User-Agent)")
        elif path not in _SAFE_MIDDLEWARE and not _declared_safe(path):
            blockers.append(path)
    return blockers


def edge_enabled() -> bool:
    """Whether the edge answers: the cache is on, and MIZAN_CACHE_EDGE or the middleware allow it."""
    choice = _settings.edge()
    if _settings.secret() is None or choice is False:
        return False
    return choice is True or not edge_blockers()


def _declared_safe(path: str) -> bool:
    try:
        middleware = import_string(path)
    except ImportError:
        return False
    return getattr(middleware, "mizan_edge_safe", False) is True


@dataclass
class _Route:
    """What Django answered on one route: the function, and per status the headers with per-answer slots."""

    fn: str
    shapes: dict[int, tuple[tuple[bytes, bytes | None], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Read:
    route: tuple[Any, ...]
    if_none_match: str | None


class EdgeCache:
    """ASGI middleware in front of Django's HTTP app (`mizan.wrap_asgi` puts it there)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app
        self._enabled: bool | None = None  # decided at the first request: Django is set up by then
        self._route_headers: frozenset[bytes] = frozenset()
        self._session_cookie = ""
        self._routes: dict[tuple[Any, ...], _Route] = {}

    @property
    def enabled(self) -> bool:
        if self._enabled is None:
            self._route_headers = _route_headers()
            self._session_cookie = settings.SESSION_COOKIE_NAME
            self._enabled = edge_enabled()
        return self._enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or not self.enabled:
            await self.app(scope, receive, send)
            return
        read = _anonymous_read(scope, self._session_cookie, self._route_headers)
        if read is None:
            await self.app(scope, receive, send)
            return
        route = self._routes.get(read.route)
        if route is not None and await self._answer(route, read, scope, send):
            return
        await self.app(scope, receive, self._learning(scope, read.route, send))

    async def _answer(self, route: _Route, read: _Read, scope: Scope, send: Send) -> bool:
        """Answer from the cache; False (nothing sent) when Django must answer instead."""
        spec = registry.get(route.fn)
        args = _args(scope["query_string"])
        if spec is None or args is None or not answers_at_edge(spec):
            return False
        try:
            kwargs = spec.validate(args)
        except Exception:  # whatever is wrong with the args, Django's answer says it
            return False
        result_json = await apeek_anonymous(route.fn, spec, kwargs)
        if result_json is None:
            return False
        body = success_body(result_json, [])
        etag = body_etag(body)
        status = 304 if read.if_none_match is not None and none_match(etag, read.if_none_match) else 200
        shape = route.shapes.get(status)
        if shape is None:
            return False
        length = str(len(body)).encode()
        filled = {b"etag": etag.encode(), b"content-length": length}
        headers = [(name, filled[name.lower()] if value is None else value) for name, value in shape]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        sent = body if status == 200 and scope["method"] == "GET" else b""
        await send({"type": "http.response.body", "body": sent})
        return True

    def _learning(self, scope: Scope, route: tuple[Any, ...], send: Send) -> Send:
        lesson: _Lesson | None = None

        async def send_and_learn(message: Message) -> None:
            nonlocal lesson
            if message["type"] == "http.response.start" and isinstance(scope.get(EDGE_MARK), str):
                lesson = _Lesson.of(scope[EDGE_MARK], scope["method"], message)
            elif message["type"] == "http.response.body" and lesson is not None:
                lesson.body.extend(message.get("body", b""))
                if not message.get("more_body", False):
                    if lesson.holds():
                        self._learn(route, lesson)
                    lesson = None
            await send(message)

        return send_and_learn

    def _learn(self, key: tuple[Any, ...], lesson: _Lesson) -> None:
        route = self._routes.get(key)
        if route is None or route.fn != lesson.fn:
            if len(self._routes) >= _MAX_ROUTES:
                return  # hosts come from the client: bound what it can make this process remember
            route = self._routes[key] = _Route(lesson.fn)
        route.shapes[lesson.status] = lesson.shape


@dataclass
class _Lesson:
    """An answer Django is sending for an anonymous cached read, and what it takes to replay it."""

    fn: str
    status: int
    shape: tuple[tuple[bytes, bytes | None], ...]
    etag: str
    body: bytearray = field(default_factory=bytearray)

    @classmethod
    def of(cls, fn: str, method: str, start: Message) -> _Lesson | None:
        """The lesson in a response start, or None when it must not be replayed."""
        status: int = start["status"]
        headers = [(bytes(name), bytes(value)) for name, value in start.get("headers", [])]
        found = {name.lower(): value for name, value in headers}
        if status not in (200, 304) or (status == 200 and method != "GET") or b"etag" not in found:
            return None  # a HEAD has no body to check: the GET teaches its headers
        if b"set-cookie" in found or (status == 200 and b"content-length" not in found):
            return None  # a cookie belongs to one answer; a 200 without a length was streamed
        shape = tuple(
            (name, None if lower == b"etag" or (lower == b"content-length" and status == 200) else value)
            for name, value in headers
            if (lower := name.lower()) not in _SERVER_ADDED
        )
        return cls(fn, status, shape, found[b"etag"].decode("latin-1"))

    def holds(self) -> bool:
        """True when the body is what the edge would send: no middleware rewrote it (compressed, wrapped...)."""
        return self.status == 304 or body_etag(bytes(self.body)) == self.etag


def _anonymous_read(scope: Scope, session_cookie: str, route_headers: frozenset[bytes]) -> _Read | None:
    """The route and If-None-Match of a request Django would see as anonymous and bodiless; None otherwise."""
    host: bytes | None = None
    if_none_match: str | None = None
    extra: list[tuple[bytes, bytes]] = []
    for name, value in scope["headers"]:
        if name == b"cookie":
            if session_cookie in parse_cookie(value.decode("latin-1")):
                return None
        elif name == b"authorization" or name == b"transfer-encoding":
            return None
        elif name == b"content-length":
            if value.strip() != b"0":
                return None
        elif name == b"if-none-match":
            if_none_match = value.decode("latin-1")
        elif name == b"host":
            host = value
        elif name in route_headers:
            extra.append((name, value))
    route = (scope.get("scheme", "http"), scope.get("root_path", ""), scope["path"], host, tuple(sorted(extra)))
    return _Read(route, if_none_match)


def _route_headers() -> frozenset[bytes]:
    """The request headers that Django's host and scheme come from, besides Host (per the proxy settings)."""
    names: set[bytes] = set()
    if getattr(settings, "USE_X_FORWARDED_HOST", False):
        names.add(b"x-forwarded-host")
    if getattr(settings, "USE_X_FORWARDED_PORT", False):
        names.add(b"x-forwarded-port")
    proxy_ssl = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_ssl:
        names.add(proxy_ssl[0].removeprefix("HTTP_").replace("_", "-").lower().encode())
    return frozenset(names)


def _args(query_string: bytes) -> dict[str, Any] | None:
    """The `args` object of a query string that carries nothing else; None when Django must look at it."""
    try:
        pairs = parse_qsl(query_string.decode(), keep_blank_values=True)
    except (UnicodeDecodeError, ValueError):
        return None
    if not pairs:
        return {}
    if len(pairs) != 1 or pairs[0][0] != "args":
        return None
    try:
        args = parse_json(pairs[0][1], what="args")
    except MizanError:
        return None
    return args if isinstance(args, dict) else None
