import { useContext, useSyncExternalStore } from "react"
import type { MizanRealtime, SocketStatus } from "../kernel/index.js"
import { MizanRealtimeContext } from "./mizanRealtimeContext.js"

/** The nearest `<MizanContext>`'s socket; throws when there is none or it was turned off. */
export function useMizanRealtime(): MizanRealtime {
  const realtime = useContext(MizanRealtimeContext)
  if (!realtime) {
    throw new Error(`No Mizan socket here: render inside <MizanContext> and leave its realtime prop on (it is on by default).`)
  }
  return realtime
}

/** The socket's status: `idle` until something needs it, then `connecting`, `connected`, `disconnected`. */
export function useMizanSocketStatus(): SocketStatus | "off" {
  const realtime = useContext(MizanRealtimeContext)
  return useSyncExternalStore(
    (onChange) => realtime?.socket.onStatus(onChange) ?? (() => undefined),
    () => realtime?.status ?? "off",
    () => "idle" as const,
  )
}
