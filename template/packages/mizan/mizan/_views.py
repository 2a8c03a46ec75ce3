"""The HTTP endpoints of PROTOCOL §2: call (envelope and per function), batch, session, schema."""

from __future__ import annotations

import json
from typing import Any

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.urls import NoReverseMatch, reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie

from . import _settings
from ._auth import is_authenticated
from ._csrf import csrf_failure_reason
from ._dispatch import Failure, Outcome, Success, call, resolve
from ._exceptions import from_exception
from ._request import json_object, parse_json, read_json_body, require_json
from .cache._edge import EDGE_MARK, answers_at_edge
from .cache._http import body_etag, without_body
from .tokens import bearer_token, user_for_token
from ._responses import (
    error_body,
    error_response,
    json_response,
    set_invalidate_header,
    success_body,
    success_response,
)
from .core import (
    BadRequest,
    Forbidden,
    MethodNotAllowed,
    MizanError,
    NotFound,
    PayloadTooLarge,
    build_manifest,
    registry,
    render_json,
)

__all__ = [
    "batch_view",
    "call_view",
    "envelope_view",
    "request_user",
    "respond",
    "schema_view",
    "session_view",
]


@csrf_exempt
async def envelope_view(request: HttpRequest) -> HttpResponseBase:
    """POST call/ with `{"fn": name, "args": {...}}`."""
    try:
        _require_method(request, "POST")
        require_json(request)
        user = await request_user(request)
        _check_csrf(request, user)
        body = json_object(read_json_body(request), what="The request body")
        name, args = _parse_call(body)
        spec = resolve(name)
    except Exception as exc:
        return _error(exc, request)
    return respond(await call(request, name, spec, args, user))


@csrf_exempt
async def call_view(request: HttpRequest, fn: str) -> HttpResponseBase:
    """POST call/<fn>/ with the args as the body; GET call/<fn>/?args=<JSON> for context functions."""
    try:
        spec = resolve(fn)
        if request.method in ("GET", "HEAD") and spec.context is not None:
            raw = request.GET.get("args")
            args = {} if raw is None else json_object(parse_json(raw, what="The args query parameter"), what="args")
            user = await request_user(request)
            outcome = await call(request, fn, spec, args, user)
            if isinstance(outcome, Success) and answers_at_edge(spec) and not is_authenticated(user):
                _mark_for_edge(request, fn)
            return _conditional(request, outcome)
        allowed = ["GET", "POST"] if spec.context is not None else ["POST"]
        if request.method != "POST":
            hint = "" if spec.context is not None else f"; only context functions answer GET, and {fn!r} is not one"
            raise MethodNotAllowed(f"{request.method} is not allowed on {fn!r}; use POST{hint}.", {"allow": allowed})
        require_json(request)
        user = await request_user(request)
        _check_csrf(request, user)
        args = json_object(read_json_body(request, empty={}), what="The request body")
    except Exception as exc:
        return _error(exc, request)
    return respond(await call(request, fn, spec, args, user))


@csrf_exempt
async def batch_view(request: HttpRequest) -> HttpResponseBase:
    """POST batch/ with `{"calls": [{"fn", "args"}, ...]}`: run in order, one envelope per call."""
    try:
        _require_method(request, "POST")
        require_json(request)
        user = await request_user(request)
        _check_csrf(request, user)
        body = json_object(read_json_body(request), what="The request body")
        calls = body.get("calls")
        if not isinstance(calls, list):
            raise BadRequest('The request body must be {"calls": [{"fn": "name", "args": {...}}, ...]}.')
        limit = _settings.max_batch_calls()
        if len(calls) > limit:
            raise PayloadTooLarge(
                f"The batch has {len(calls)} calls; at most {limit} are allowed (MIZAN_MAX_BATCH_CALLS). "
                "Split it into several batches; none of its calls ran.",
                {"limit": limit, "calls": len(calls)},
            )
    except Exception as exc:
        return _error(exc, request)
    parts: list[bytes] = []
    invalidate: set[str] = set()
    for index, item in enumerate(calls):
        outcome = await _batch_item(request, index, item, user)
        if isinstance(outcome, Success):
            parts.append(success_body(outcome.result_json, outcome.invalidate))
            invalidate.update(outcome.invalidate)
        elif isinstance(outcome, Failure):
            parts.append(error_body(outcome.error))
        else:
            # A view-path function that was not declared as one ran anyway: its keys still count.
            invalidate.update(outcome.invalidate)
            parts.append(error_body(BadRequest(_VIEW_IN_BATCH.format(index=index))))
    keys = sorted(invalidate)
    response = HttpResponse(
        b'{"results":[' + b",".join(parts) + b'],"invalidate":' + _json_list(keys) + b"}",
        content_type="application/json",
    )
    set_invalidate_header(response, keys)
    return response


@csrf_exempt  # it only answers GET: a POST gets the JSON 405 below, not Django's HTML CSRF page
@ensure_csrf_cookie
def session_view(request: HttpRequest) -> HttpResponseBase:
    """GET session/: sets the csrftoken cookie; `{"csrfToken": ..., "authenticated": ...}`."""
    if request.method != "GET":
        return error_response(MethodNotAllowed("Use GET on session/.", {"allow": ["GET"]}))
    response = json_response(
        {"csrfToken": get_token(request), "authenticated": is_authenticated(getattr(request, "user", None))}
    )
    response["Cache-Control"] = "no-store"
    return response


def schema_view(request: HttpRequest) -> HttpResponseBase:
    """GET schema/: the manifest, only when DEBUG or MIZAN_EXPOSE_SCHEMA."""
    if not _settings.expose_schema():
        return error_response(
            NotFound("The schema endpoint is off outside DEBUG; set MIZAN_EXPOSE_SCHEMA = True to serve it.")
        )
    if request.method != "GET":
        return error_response(MethodNotAllowed("Use GET on schema/.", {"allow": ["GET"]}))
    response = HttpResponse(render_json(build_manifest(registry)).encode(), content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


_VIEW_IN_BATCH = (
    "Call {index} returned an HTTP response: view-path functions cannot be batched; call it at call/<fn>/, "
    "and annotate its return type as HttpResponse so batches refuse it before running it."
)


async def _batch_item(request: HttpRequest, index: int, item: Any, user: Any) -> Outcome:
    try:
        name, args = _parse_call(json_object(item, what=f"Call {index}"))
        spec = resolve(name)
        if spec.view:
            raise BadRequest(
                f"Call {index}: {name!r} is a view-path function and cannot be batched; POST call/{name}/."
            )
    except MizanError as exc:
        return Failure(exc)
    return await call(request, name, spec, args, user)


def _parse_call(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    name = body.get("fn")
    if name is None:
        raise BadRequest('Missing "fn": send {"fn": "function_name", "args": {...}}.')
    if not isinstance(name, str):
        raise BadRequest('"fn" must be the function name as a string.')
    args = body.get("args", {})
    return name, json_object(args, what='"args"')


def _require_method(request: HttpRequest, method: str) -> None:
    if request.method != method:
        raise MethodNotAllowed(f"{request.method} is not allowed here; use {method}.", {"allow": [method]})


async def request_user(request: HttpRequest) -> Any:
    """The request's user, fetched once without blocking the loop (None without AuthenticationMiddleware).

    An `Authorization: Bearer` token (mizan.tokens) wins over the session: the request acts as its user.
    """
    token = bearer_token(request)
    if token is not None:
        user = await sync_to_async(user_for_token)(token)
        request.user = user
        request._mizan_bearer = True  # type: ignore[attr-defined]
        return user
    auser = getattr(request, "auser", None)
    if auser is None:
        return None
    user = await auser()
    # Sync code (sync functions, custom auth rules) then reads the same object instead of querying again.
    request.user = user
    return user


def _check_csrf(request: HttpRequest, user: Any) -> None:
    # A bearer token is not a cookie: another site cannot make the browser send it, so there is nothing to forge.
    if not is_authenticated(user) or getattr(request, "_mizan_bearer", False):
        return
    reason = csrf_failure_reason(request)
    if reason is not None:
        try:
            session_url = reverse("mizan:session")
        except NoReverseMatch:
            session_url = "the session/ endpoint"
        raise Forbidden(
            f"CSRF verification failed ({reason}). Send the csrftoken cookie's value in the X-CSRFToken header; "
            f"GET {session_url} sets the cookie and returns the token.",
            {"reason": reason},
        )


def respond(outcome: Outcome) -> HttpResponseBase:
    """The HTTP response for a call's outcome (the view path gets the invalidation header and no-store)."""
    if isinstance(outcome, Success):
        return success_response(outcome.result_json, outcome.invalidate)
    if isinstance(outcome, Failure):
        return error_response(outcome.error)
    response = outcome.response
    set_invalidate_header(response, outcome.invalidate)
    response["Cache-Control"] = "no-store"
    return response


def _conditional(request: HttpRequest, outcome: Outcome) -> HttpResponseBase:
    """A GET read: ETag from the body, 304 when If-None-Match matches; private, revalidated every time.

    HEAD answers the same status and headers (Content-Length included) without the body.
    """
    if not isinstance(outcome, Success):
        return respond(outcome)
    response = success_response(outcome.result_json, outcome.invalidate)
    etag = body_etag(response.content)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Cookie", "Authorization"))
    conditional = get_conditional_response(request, etag=etag, response=response)
    if conditional is not None:
        return conditional
    if request.method == "HEAD":
        without_body(response)
    return response


def _mark_for_edge(request: HttpRequest, fn: str) -> None:
    """Tell the edge (mizan.cache._edge) that this anonymous cached read's answer may be replayed."""
    scope = getattr(request, "scope", None)  # the ASGI scope: absent under WSGI, where there is no edge
    if isinstance(scope, dict):
        scope[EDGE_MARK] = fn


def _error(exc: Exception, request: HttpRequest) -> HttpResponse:
    return error_response(from_exception(exc, request=request, function=None))


def _json_list(items: list[str]) -> bytes:
    return json.dumps(items, ensure_ascii=False).encode()
