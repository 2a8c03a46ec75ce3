"""Channels of the test app (found by Mizan's autodiscovery of `<app>.channels`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from mizan.channels import ReactChannel


class ChatChannel(ReactChannel):
    """Logged-in users chat in rooms; room "staff" is for staff only."""

    class Params(BaseModel):
        room: str = Field(min_length=1)

    class ReactMessage(BaseModel):
        text: str = Field(min_length=1, max_length=500)

    class DjangoMessage(BaseModel):
        kind: Literal["text", "joined", "left"] = "text"
        text: str
        user: str

    def authorize(self, params: Params) -> bool:
        if not self.user.is_authenticated:
            return False
        return params.room != "staff" or bool(self.user.is_staff)

    def group(self, params: Params) -> str:
        return f"chat_{params.room}"

    def receive(self, params: Params, msg: ReactMessage) -> DjangoMessage:
        return self.DjangoMessage(text=msg.text, user=self.user.get_username())

    def joined(self, params: Params) -> DjangoMessage:
        return self.DjangoMessage(kind="joined", text="", user=self.user.get_username())


class TickerChannel(ReactChannel):
    """Server to clients only (no ReactMessage), open to anyone."""

    name = "ticker"

    class Params(BaseModel):
        symbol: str

    class DjangoMessage(BaseModel):
        price: float
