"""One layer membership per process and group: the sockets of a process share it, and the process fans out.

Without it, 1,000 sockets watching one key are 1,000 members of the key's layer group, and one invalidation is
1,000 layer messages (with Redis: 1,000 list pushes and 1,000 reads). With it, the group has one member per
server process, its hub channel; the hub receives each message once and hands it to the local sockets in
memory. A hub belongs to one event loop (the server's); it starts on the first join and keeps receiving while
the loop runs.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from typing import Any

__all__ = ["Hub", "hub_for"]

Deliver = Callable[[dict[str, Any]], None]
"""A socket's handler for a layer message of a group it joined; called on the hub's loop, must not block."""

_log = logging.getLogger("mizan")
_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


class Hub:
    """The process's members of layer groups on one channel layer and event loop."""

    def __init__(self, layer: Any) -> None:
        self.layer = layer
        self.channel: str | None = None
        self.members: dict[str, dict[int, Deliver]] = {}
        self._lock = asyncio.Lock()
        self._receiver: asyncio.Task[None] | None = None

    async def join(self, group: str, member: int, deliver: Deliver) -> None:
        """Add a local member to `group`; the first one makes the hub a member of the layer group."""
        async with self._lock:
            if self.channel is None:
                # The default prefix: channels_redis reads one process-local channel per process and routes from it.
                self.channel = await self.layer.new_channel()
                self._receiver = asyncio.get_running_loop().create_task(self._receive())
            local = self.members.setdefault(group, {})
            first = not local
            local[member] = deliver
            if first:
                await self.layer.group_add(group, self.channel)

    async def leave(self, group: str, member: int) -> None:
        """Remove a local member; the last one takes the hub out of the layer group."""
        async with self._lock:
            local = self.members.get(group)
            if local is None or local.pop(member, None) is None or local:
                return
            del self.members[group]
            if self.channel is not None:
                await self.layer.group_discard(group, self.channel)

    def close(self) -> None:
        """Stop receiving (the layer was replaced); the layer's own expiry drops the hub's memberships."""
        if self._receiver is not None:
            self._receiver.cancel()

    async def _receive(self) -> None:
        assert self.channel is not None
        failing = False
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                if not failing:  # once per outage, not once a second
                    _log.exception("mizan: the socket hub cannot read from the channel layer; retrying every 1 s")
                failing = True
                await asyncio.sleep(1.0)
                continue
            if failing:
                _log.warning("mizan: the socket hub reads from the channel layer again")
                failing = False
            for deliver in list(self.members.get(message.get("group", ""), {}).values()):
                try:
                    deliver(message)
                except Exception:
                    _log.exception("mizan: a socket failed to take a layer message")


def hub_for(layer: Any) -> Hub:
    """The hub of the running event loop for `layer` (a new one when the layer object changed, as tests do)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None or hub.layer is not layer:
        if hub is not None:
            hub.close()
        hub = _hubs[loop] = Hub(layer)
    return hub
