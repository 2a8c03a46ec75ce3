import type { QueryClient } from "@tanstack/query-core"
import { useEffect, useState } from "react"
import { MizanRealtime, type MizanClient, type MizanRealtimeOptions } from "../kernel/index.js"

/**
 * The socket `<MizanContext>` provides: made once (it connects only when something needs it), serving the
 * QueryClient while mounted, closed after unmount. The close waits a tick, so StrictMode's unmount-and-remount
 * (and a remount in the same commit) keeps the socket. A server render (no `window`) opens none: only effects
 * open the socket, and they never run there; the socket object exists so the tree renders as it will in the
 * browser (status "idle"), with a placeholder URL, as there is no page location to derive one from.
 */
export function useRealtime(
  client: MizanClient,
  queryClient: QueryClient,
  option: boolean | MizanRealtimeOptions,
): MizanRealtime | undefined {
  const [realtime] = useState(() =>
    option === false ? undefined : new MizanRealtime(client, serverSafe(option === true ? {} : option)),
  )
  useEffect(() => {
    if (!realtime) return
    clearTimeout(closing.get(realtime))
    realtime.attach()
    const release = realtime.serve(queryClient)
    return () => {
      release()
      closing.set(realtime, setTimeout(() => realtime.close(), 0))
    }
  }, [realtime, queryClient])
  return realtime
}

function serverSafe(options: MizanRealtimeOptions): MizanRealtimeOptions {
  return typeof window === "undefined" && options.url === undefined ? { ...options, url: SERVER_RENDER_URL } : options
}

const SERVER_RENDER_URL = "ws://server-render.invalid/ws/mizan/"
const closing = new WeakMap<MizanRealtime, ReturnType<typeof setTimeout>>()
