"""`rate=`: how often a server function may be called, per caller; parsed at decoration, enforced by the adapter.

`"10/15m"` is ten calls per fifteen minutes. The key says whose calls are counted together: `"ip"` (the
client address), `"user"` (the user id; anonymous callers by address), or the name of one of the function's
arguments (`"username"`: every attempt on one account, from anywhere), or `callable(request, args) -> str`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

__all__ = ["Rate", "RateKey", "RateSpec", "parse_rates"]

RateKey: TypeAlias = "str | Callable[[Any, dict[str, Any]], str]"
"""`"ip"`, `"user"`, an argument's name, or `callable(request, args) -> str`."""

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_TEXT = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    """At most `count` calls per `seconds`, counted per `key` (the window opens at the first call)."""

    count: int
    seconds: int
    key: RateKey = "user"

    @classmethod
    def parse(cls, text: str, key: RateKey = "user") -> Rate:
        """`"10/15m"`, `"100/h"`, `"5/30s"`, `"1000/d"`: a count, a slash, an optional number and a unit."""
        match = _TEXT.match(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"rate {text!r} is not COUNT/PERIOD such as '10/15m', '100/h' or '5/30s'")
        count, number, unit = int(match[1]), int(match[2] or 1), match[3]
        if count < 1 or number < 1:
            raise ValueError(f"rate {text!r} must allow at least 1 call in a period of at least 1 {unit}")
        return cls(count, number * _UNITS[unit], key)

    def __str__(self) -> str:
        for unit, size in reversed(_UNITS.items()):
            if self.seconds % size == 0:
                number = self.seconds // size
                return f"{self.count}/{'' if number == 1 else number}{unit}"
        return f"{self.count}/{self.seconds}s"  # pragma: no cover (every whole second divides by "s")

    @property
    def key_name(self) -> str:
        """The key as a word for counters and messages (a callable's name)."""
        return self.key if isinstance(self.key, str) else getattr(self.key, "__name__", "key")


RateSpec: TypeAlias = "str | Rate | Sequence[str | Rate]"
"""What `rate=` takes: one rate (text or Rate) or several, all of which must allow the call."""


def parse_rates(label: str, rate: RateSpec | None, key: RateKey | None, params: Sequence[str]) -> tuple[Rate, ...]:
    """The function's rates, checked now: a bad rate or a key naming no argument raises TypeError naming it."""
    if rate is None:
        if key is not None:
            raise TypeError(f"{label}: rate_key= needs rate= as well, e.g. rate='10/15m'")
        return ()
    items = [rate] if isinstance(rate, (str, Rate)) else list(rate)
    rates: list[Rate] = []
    for item in items:
        try:
            parsed = Rate.parse(item, key or "user") if isinstance(item, str) else item
        except ValueError as exc:
            raise TypeError(f"{label}: {exc}") from None
        if not isinstance(parsed, Rate):
            raise TypeError(f"{label}: rate= takes '10/15m', Rate(...) or a list of them, not {item!r}")
        _check_key(label, parsed.key, params)
        rates.append(parsed)
    return tuple(rates)


def _check_key(label: str, key: RateKey, params: Sequence[str]) -> None:
    if callable(key) or key in ("ip", "user") or key in params:
        return
    names = ", ".join(params) or "none"
    raise TypeError(
        f"{label}: rate key {key!r} is not 'ip', 'user', a callable or one of the function's arguments ({names})"
    )
