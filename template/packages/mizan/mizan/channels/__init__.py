"""`from mizan.channels import ReactChannel`: typed channels over the multiplexed socket (PROTOCOL §6).

Defining a subclass registers it (`ChatChannel` as "chat"); the manifest lists it and codegen writes a typed
`useChatChannel(params)` hook. `ChatChannel.broadcast(params, message)` works from any code, sync or async.
"""

from ._channel import ReactChannel

__all__ = ["ReactChannel"]
