import { useMizanSocketStatus } from "mizan-js/react"
import { useEffect, useState } from "react"
import { type TodoPresenceDjangoMessage, useTodoPresenceChannel } from "../api"

/** Who has this list open (the `todo_presence` channel of backend/example/channels.py); nothing with realtime off. */
export function ListViewers({ listId }: { listId: number }) {
  return useMizanSocketStatus() === "off" ? null : <Viewers listId={listId} />
}

function Viewers({ listId }: { listId: number }) {
  // Viewer id → name. Each open board is one viewer; this page's own board is one of them.
  const [viewers, setViewers] = useState<ReadonlyMap<string, string>>(new Map())
  const presence = useTodoPresenceChannel(
    { list_id: listId },
    {
      keep: 0,
      onMessage: (message: TodoPresenceDjangoMessage) => {
        setViewers((current) => {
          const next = new Map(current)
          if (message.event === "left") next.delete(message.viewer)
          else next.set(message.viewer, message.name)
          return next
        })
        // A newcomer learns who was here already from their answers.
        if (message.event === "joined") presence.send({ here: true }).catch(() => undefined)
      },
    },
  )
  // After a reconnect everyone announces themselves again: start from an empty room.
  useEffect(() => {
    if (presence.status !== "connected") setViewers(new Map())
  }, [presence.status])

  const names = [...viewers.values()].sort()
  return (
    <p className="viewers" data-testid="viewers">
      {names.length === 0
        ? "Viewers: …"
        : `Open on ${names.length} board${names.length === 1 ? "" : "s"}: ${names.join(", ")}`}
    </p>
  )
}
