import { useMizanRealtime, useMizanSocketStatus } from "mizan-js/react"
import { useEffect, useRef } from "react"
import { useCurrentUser } from "../api"
import "./live.css"

const LABELS = {
  idle: "Live updates: waiting",
  connecting: "Live updates: connecting…",
  connected: "Live updates: on",
  disconnected: "Live updates: reconnecting…",
} as const

/**
 * The socket's state, for the user to see whether the board updates by itself. It also reconnects the
 * socket when the user logs in or out: the socket acts as the user of its handshake.
 */
export function LiveStatus() {
  const status = useMizanSocketStatus()
  if (status === "off") return null
  return (
    <p className="live-status" data-testid="live-status" data-status={status}>
      {LABELS[status]}
      <ReconnectOnLogin />
    </p>
  )
}

function ReconnectOnLogin() {
  const realtime = useMizanRealtime()
  const user = useCurrentUser()
  const seen = useRef(user.username)
  useEffect(() => {
    if (seen.current === user.username) return
    seen.current = user.username
    realtime.reconnect()
  }, [realtime, user.username])
  return null
}
