"""The shared input and output models: every target validates and serializes the same shapes."""

from __future__ import annotations

from pydantic import BaseModel


class EchoInput(BaseModel):
    text: str


class EchoOutput(BaseModel):
    message: str

