"""`from mizan.signals import keys_invalidated`: Django signals for what the runtime does.

`keys_invalidated` is sent once a mutation's transaction has committed, with the invalidation keys its
answer carries (`name` or `name?param=value`, PROTOCOL §4). Sent from `transaction.on_commit`, so a receiver
never sees keys of a write that was rolled back. The live-invalidation publisher and the origin cache's purge
are receivers; a project can connect its own (an audit log, a CDN purge).

Receivers get `sender` (the `ServerFunction`), `function` (its registered name) and `keys` (a list of str).
They run in the thread that committed; an exception in a receiver is logged and does not fail the call
(`send_robust`), because the write has already happened.
"""

from __future__ import annotations

import logging

from django.dispatch import Signal

__all__ = ["keys_invalidated"]

keys_invalidated = Signal()

_log = logging.getLogger("mizan")


def announce(sender: object, function: str, keys: list[str]) -> None:
    """Send `keys_invalidated` now; receivers' errors are logged, never raised into the finished call."""
    if not keys:
        return
    for receiver, result in keys_invalidated.send_robust(sender=sender, function=function, keys=list(keys)):
        if isinstance(result, Exception):
            _log.error(
                "keys_invalidated receiver %r failed for %s; the mutation itself committed",
                receiver,
                function,
                exc_info=result,
            )
