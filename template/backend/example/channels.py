"""The example's channels. Each `ReactChannel` becomes a typed hook in `frontend/src/api/`
(`useTodoPresenceChannel`).

`TodoPresenceChannel` shows who else has a list open. It keeps no state on the server, so it works the same
with one process or many on Redis: a new viewer is announced (`joined`), everyone already there answers
"here" (a client message the server rebroadcasts with the sender's name), and a closed tab is announced
(`left`). Each board gets a random viewer id, so one user with two tabs counts twice and visitors who are not
logged in are told apart.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Literal

from mizan.channels import ReactChannel
from pydantic import BaseModel, Field

ListId = Annotated[int, Field(ge=1)]


class TodoPresenceChannel(ReactChannel):
    """Who is looking at one todo list right now."""

    class Params(BaseModel):
        list_id: ListId

    class ReactMessage(BaseModel):
        """Sent by a viewer in answer to a `joined`: "I am here too"."""

        here: Literal[True] = True

    class DjangoMessage(BaseModel):
        viewer: str
        name: str
        event: Literal["joined", "here", "left"]

    def authorize(self, params: TodoPresenceChannel.Params) -> bool:
        # The lists are readable by anyone (todo_list has no auth rule), so is who is reading them.
        return True

    def group(self, params: TodoPresenceChannel.Params) -> str:
        return str(params.list_id)

    def joined(self, params: TodoPresenceChannel.Params) -> TodoPresenceChannel.DjangoMessage:
        self.viewer = secrets.token_hex(6)
        return self._announce("joined")

    def receive(
        self, params: TodoPresenceChannel.Params, msg: TodoPresenceChannel.ReactMessage
    ) -> TodoPresenceChannel.DjangoMessage:
        return self._announce("here")

    def left(self, params: TodoPresenceChannel.Params) -> TodoPresenceChannel.DjangoMessage:
        return self._announce("left")

    def _announce(self, event: Literal["joined", "here", "left"]) -> TodoPresenceChannel.DjangoMessage:
        user = self.user
        name = user.get_username() if user is not None and user.is_authenticated else "a visitor"
        return self.DjangoMessage(viewer=self.viewer, name=name, event=event)
