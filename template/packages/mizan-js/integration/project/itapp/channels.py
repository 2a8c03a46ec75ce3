"""Channels of the integration project: a chat room the client subscribes to over the socket."""

from __future__ import annotations

from typing import Annotated

from mizan.channels import ReactChannel
from pydantic import BaseModel, Field


class ChatChannel(ReactChannel):
    """Messages of one room; the room "secret" is refused, a join is announced."""

    class Params(BaseModel):
        room: str

    class ReactMessage(BaseModel):
        text: Annotated[str, Field(min_length=1, max_length=200)]

    class DjangoMessage(BaseModel):
        text: str
        kind: str = "message"

    def authorize(self, params: ChatChannel.Params) -> bool:
        return params.room != "secret"

    def group(self, params: ChatChannel.Params) -> str:
        return params.room

    def receive(self, params: ChatChannel.Params, msg: ChatChannel.ReactMessage) -> ChatChannel.DjangoMessage:
        return self.DjangoMessage(text=msg.text)

    def joined(self, params: ChatChannel.Params) -> ChatChannel.DjangoMessage:
        return self.DjangoMessage(text="someone joined", kind="joined")
