"""`MizanFormMeta`: how a Django form is exposed (its name, labels, and what a successful submit affects)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["MizanFormMeta", "mizanFormMeta"]


@dataclass(frozen=True)
class MizanFormMeta:
    """The options of one form: `name` makes `<name>.schema`, `<name>.validate` and `<name>.submit`.

    `affects=` (a context name, a function, or a list) makes submit a mutation: it runs in a transaction and
    refreshes the contexts that list it, as `@client(affects=...)` does. `auth=` takes the same rules as `@client`.
    """

    name: str | None = None
    title: str = ""
    submit_label: str = "Submit"
    live_validation: bool = False
    affects: Any = None
    auth: Any = False


mizanFormMeta = MizanFormMeta
"""The seeds' spelling of `MizanFormMeta`."""
