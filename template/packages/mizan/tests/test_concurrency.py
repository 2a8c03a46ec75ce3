"""Parallel mutations through a real uvicorn server on the SQLite file database: they queue, none fails."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import httpx

from tests.servers import migrate, project_env, uvicorn_server


def _parallel_posts(base: str, fn: str, bodies: list[dict[str, object]]) -> list[int]:
    async def run() -> list[int]:
        limits = httpx.Limits(max_connections=len(bodies))
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
            answers = await asyncio.gather(*(http.post(f"/api/mizan/call/{fn}/", json=body) for body in bodies))
        return [answer.status_code for answer in answers]

    return asyncio.run(run())


def test_twenty_parallel_toggles_of_one_row_all_succeed(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    env = project_env(database, None)
    migrate(env)
    with sqlite3.connect(database) as db:
        db.execute("INSERT INTO testapp_todo (list_id, title, done) VALUES (1, 'milk', 0)")
    with uvicorn_server(env) as base:
        statuses = _parallel_posts(base, "toggle_todo", [{"list_id": 1, "todo_id": 1}] * 20)
    assert statuses == [200] * 20
    with sqlite3.connect(database) as db:
        [(done,)] = db.execute("SELECT done FROM testapp_todo WHERE id = 1").fetchall()
    assert done == 0  # twenty toggles, each applied once, in turn

