"""The origin cache with the in-process backend, through the real views: hits, isolation, purge, rev, the race."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.test import Client

from mizan import cache
from mizan.cache import MemoryBackend, entry_key, entry_tags, purge_tags
from mizan.client import client
from mizan.core import registry
from mizan.setup import register
from tests.testapp.models import Todo

SECRET = "cache-tests-secret-0123456789abcdefghijklmnop"
runs: Counter[str] = Counter()
board: dict[int, str] = {}


@client(context="board")
def board_note(request: HttpRequest, board_id: int) -> str:
    """The note on one board; counts its runs."""
    runs["board_note"] += 1
    return board.get(board_id, "")


@client(affects="board")
def write_note(request: HttpRequest, board_id: int, note: str) -> None:
    """Writes a note: purges board_note?board_id=<id>."""
    board[board_id] = note


@client(context="global")
def my_name(request: HttpRequest) -> str:
    """The caller's username (differs per user)."""
    runs["my_name"] += 1
    return request.user.get_username() or "anonymous"


@client(context="global", cache=False)
def uncached_probe(request: HttpRequest) -> int:
    """Opted out: runs every time."""
    runs["uncached_probe"] += 1
    return runs["uncached_probe"]


@client(context="global", auth=True)
def secret_note(request: HttpRequest) -> str:
    """Only for logged-in users."""
    runs["secret_note"] += 1
    return "for members"


@pytest.fixture
def cached(settings: Any, isolated_registry: None) -> Iterator[None]:
    settings.MIZAN_CACHE_SECRET = SECRET
    settings.MIZAN_CACHE_REDIS_URL = ""
    for fn in (board_note, write_note, my_name, uncached_probe, secret_note):
        register(fn, fn.__name__)
    runs.clear()
    board.clear()
    yield
    cache.reset()


def get(http: Client, fn: str, args: dict[str, Any] | None = None, **headers: str) -> Any:
    query = {} if args is None else {"args": json.dumps(args)}
    return http.get(f"/api/mizan/call/{fn}/", query, headers=headers)


def result(response: Any) -> Any:
    assert response.status_code == 200, response.content
    return response.json()["result"]


def test_a_context_read_runs_once_then_is_served_from_the_cache(cached: None, client: Client, db: None) -> None:
    board[1] = "hello"
    assert result(get(client, "board_note", {"board_id": 1})) == "hello"
    assert result(get(client, "board_note", {"board_id": 1})) == "hello"
    # POST and the batch read the same entry: the key is the function, rev, user and args, not the transport.
    assert result(client.post("/api/mizan/call/board_note/", {"board_id": 1}, content_type="application/json")) == "hello"
    batch = client.post(
        "/api/mizan/batch/", {"calls": [{"fn": "board_note", "args": {"board_id": 1}}]}, content_type="application/json"
    )
    assert batch.json()["results"][0]["result"] == "hello"
    assert runs["board_note"] == 1
    assert result(get(client, "board_note", {"board_id": 2})) == ""
    assert runs["board_note"] == 2


def test_without_a_secret_nothing_is_cached(settings: Any, isolated_registry: None, client: Client, db: None) -> None:
    settings.MIZAN_CACHE_SECRET = None
    register(board_note, "board_note")
    runs.clear()
    get(client, "board_note", {"board_id": 1})
    get(client, "board_note", {"board_id": 1})
    assert runs["board_note"] == 2
    assert cache.backend() is None


def test_cache_false_opts_out(cached: None, client: Client, db: None) -> None:
    assert [result(get(client, "uncached_probe")) for _ in range(3)] == [1, 2, 3]


def test_two_users_never_share_an_entry(cached: None, db: None) -> None:
    alice = User.objects.create_user("alice", password="pw")
    bob = User.objects.create_user("bob", password="pw")
    as_alice, as_bob, anonymous = Client(), Client(), Client()
    as_alice.force_login(alice)
    as_bob.force_login(bob)
    for _ in range(2):
        assert result(get(as_alice, "my_name")) == "alice"
        assert result(get(as_bob, "my_name")) == "bob"
        assert result(get(anonymous, "my_name")) == "anonymous"
    assert runs["my_name"] == 3


def test_auth_is_checked_before_the_cache_answers(cached: None, db: None) -> None:
    member = Client()
    member.force_login(User.objects.create_user("alice", password="pw"))
    assert result(get(member, "secret_note")) == "for members"
    refused = get(Client(), "secret_note")
    assert refused.status_code == 401
    assert runs["secret_note"] == 1


def test_a_scoped_key_purges_its_scope_only(cached: None, client: Client, transactional_db: None) -> None:
    board[7], board[8] = "seven", "eight"
    assert result(get(client, "board_note", {"board_id": 7})) == "seven"
    assert result(get(client, "board_note", {"board_id": 8})) == "eight"
    board[8] = "changed behind Mizan's back"  # a write that bypasses Mizan: only the TTL would show it

    answer = client.post("/api/mizan/call/write_note/", {"board_id": 7, "note": "new"}, content_type="application/json")
    assert answer.json()["invalidate"] == ["board_note?board_id=7"]

    assert result(get(client, "board_note", {"board_id": 7})) == "new"
    assert result(get(client, "board_note", {"board_id": 8})) == "eight"  # kept: the key named list 7 only
    assert runs["board_note"] == 3


def test_a_write_purges_for_reads_later_in_its_own_transaction(cached: None, client: Client, db: None) -> None:
    """A test's transaction never commits (nor does an enclosing atomic block until its end): the purge is not late."""
    board[7] = "seven"
    assert result(get(client, "board_note", {"board_id": 7})) == "seven"

    answer = client.post("/api/mizan/call/write_note/", {"board_id": 7, "note": "new"}, content_type="application/json")
    assert answer.json()["invalidate"] == ["board_note?board_id=7"]

    assert result(get(client, "board_note", {"board_id": 7})) == "new"
    assert runs["board_note"] == 2


def test_todo_lists_7_and_8(settings: Any, client: Client, transactional_db: None) -> None:
    """The example app's own functions: add_todo(list_id=7) purges todo_list?list_id=7 and keeps list 8."""
    settings.MIZAN_CACHE_SECRET = SECRET
    settings.MIZAN_CACHE_REDIS_URL = ""
    Todo.objects.create(list_id=7, title="a")
    Todo.objects.create(list_id=8, title="b")
    assert [t["title"] for t in result(get(client, "todo_list", {"list_id": 7}))] == ["a"]
    assert [t["title"] for t in result(get(client, "todo_list", {"list_id": 8}))] == ["b"]
    Todo.objects.create(list_id=8, title="bypass")  # not through Mizan: list 8 stays cached
    client.post("/api/mizan/call/add_todo/", {"list_id": 7, "title": "c"}, content_type="application/json")
    assert [t["title"] for t in result(get(client, "todo_list", {"list_id": 7}))] == ["a", "c"]
    assert [t["title"] for t in result(get(client, "todo_list", {"list_id": 8}))] == ["b"]
    cache.reset()


def test_rev_changes_every_key(cached: None, client: Client, db: None) -> None:
    board[1] = "old output"
    assert result(get(client, "board_note", {"board_id": 1})) == "old output"

    @client_with_rev(2)
    def board_note_v2(request: HttpRequest, board_id: int) -> str:
        runs["board_note"] += 1
        return "new output: " + board.get(board_id, "")

    # A deploy that changed the function and bumped rev: the new process registers the new version.
    registry._entries.pop("board_note")
    registry.version += 1
    register(board_note_v2, "board_note")
    assert result(get(client, "board_note", {"board_id": 1})) == "new output: old output"
    assert runs["board_note"] == 2
    secret = SECRET.encode()
    assert entry_key(secret, "board_note", 1, "anon", {"board_id": 1}) != entry_key(
        secret, "board_note", 2, "anon", {"board_id": 1}
    )


def client_with_rev(rev: int) -> Any:
    return client(context="board", rev=rev)


def test_head_answers_like_get_without_a_body(cached: None, client: Client, db: None) -> None:
    board[1] = "hello"
    full = get(client, "board_note", {"board_id": 1})
    head = client.head("/api/mizan/call/board_note/", {"args": json.dumps({"board_id": 1})})
    assert head.status_code == 200
    assert head.content == b""
    for name in ("ETag", "Content-Type", "Cache-Control", "Vary"):
        assert head[name] == full[name]
    assert head["Content-Length"] == str(len(full.content))
    revalidated = client.head(
        "/api/mizan/call/board_note/", {"args": json.dumps({"board_id": 1})}, headers={"If-None-Match": full["ETag"]}
    )
    assert revalidated.status_code == 304
    assert client.head("/api/mizan/call/write_note/").status_code == 405


def test_etag_revalidation_turns_into_a_full_answer_after_a_purge(
    cached: None, client: Client, transactional_db: None
) -> None:
    board[1] = "v1"
    first = get(client, "board_note", {"board_id": 1})
    assert first["Cache-Control"] == "private, no-cache"
    assert "Cookie" in first["Vary"]
    again = get(client, "board_note", {"board_id": 1}, **{"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    client.post("/api/mizan/call/write_note/", {"board_id": 1, "note": "v2"}, content_type="application/json")
    changed = get(client, "board_note", {"board_id": 1}, **{"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed.json()["result"] == "v2"
    assert changed["ETag"] != first["ETag"]


def test_a_purge_during_a_fill_never_leaves_the_old_value(
    settings: Any, isolated_registry: None, transactional_db: None
) -> None:
    """The reader reads the old data, the writer commits and purges, then the reader stores: not kept."""
    settings.MIZAN_CACHE_SECRET = SECRET
    settings.MIZAN_CACHE_REDIS_URL = ""
    read_old = threading.Event()
    purged = threading.Event()

    @client(context="board")
    def slow_note(request: HttpRequest, board_id: int) -> str:
        value = board.get(board_id, "")
        if value == "old":
            read_old.set()
            assert purged.wait(30)
        return value

    @client(affects=slow_note)
    def set_slow_note(request: HttpRequest, board_id: int, note: str) -> None:
        board[board_id] = note

    register(slow_note, "slow_note")
    register(set_slow_note, "set_slow_note")
    board[3] = "old"
    answers: list[Any] = []
    reader = threading.Thread(target=lambda: answers.append(result(get(Client(), "slow_note", {"board_id": 3}))))
    reader.start()
    assert read_old.wait(30)
    written = Client().post("/api/mizan/call/set_slow_note/", {"board_id": 3, "note": "new"}, content_type="application/json")
    assert written.json()["invalidate"] == ["slow_note?board_id=3"]
    purged.set()
    reader.join(30)
    assert answers == ["old"]  # the reader's own answer was computed before the write
    assert result(get(Client(), "slow_note", {"board_id": 3})) == "new"
    cache.reset()


def test_memory_backend_forces_the_interleaving() -> None:
    backend = MemoryBackend(ttl=60, max_entries=10)
    tags = entry_tags("f", {"a": 1})
    miss = backend.lookup("k", tags)
    assert miss.value is None and miss.ticket is not None
    assert backend.purge([purge_tags("f?a=1")]) == 1  # lands between the lookup and the fill
    backend.fill("k", miss.ticket, b"old")
    assert backend.lookup("k", tags).value is None
    fresh = backend.lookup("k", tags)
    assert fresh.ticket is not None
    backend.fill("k", fresh.ticket, b"new")
    assert backend.lookup("k", tags).value == b"new"


def test_memory_backend_is_bounded_lru() -> None:
    backend = MemoryBackend(ttl=60, max_entries=2)
    for key in ("a", "b"):
        ticket = backend.lookup(key, ["f"]).ticket
        assert ticket is not None
        backend.fill(key, ticket, key.encode())
    assert backend.lookup("a", ["f"]).value == b"a"  # a is now the most recently used
    ticket = backend.lookup("c", ["f"]).ticket
    assert ticket is not None
    backend.fill("c", ticket, b"c")
    assert backend.lookup("a", ["f"]).value == b"a"
    assert backend.lookup("b", ["f"]).value is None  # evicted (this lookup made it a pending slot, evicting c)
    assert backend.purge([["f"]]) == 2  # the index holds the two live slots only, a and b
    assert len(backend) == 0


def test_purge_tags_match_scopes() -> None:
    backend = MemoryBackend(ttl=60, max_entries=100)
    entries = {"x": {"a": 1, "b": "s"}, "y": {"a": 1, "b": "t"}, "z": {"a": 2, "b": "s"}}
    for key, args in entries.items():
        ticket = backend.lookup(key, entry_tags("f", args)).ticket
        assert ticket is not None
        backend.fill(key, ticket, b"1")
    assert backend.purge([purge_tags('f?a=1&b=%22s%22')]) == 1
    assert backend.purge([purge_tags("f?a=1")]) == 2  # x (already purged, still indexed) and y
    assert backend.lookup("z", entry_tags("f", entries["z"])).value == b"1"
    assert backend.purge([purge_tags("f")]) == 3
    assert backend.purge([purge_tags("other")]) == 0
