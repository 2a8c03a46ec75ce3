import type { QueryClient } from "@tanstack/query-core"
import { useEffect, useState } from "react"
import { MizanRealtime, type MizanClient, type MizanRealtimeOptions } from "../kernel/index.js"

/**
 * The socket `<MizanContext>` provides: made once (it connects only when something needs it), serving the
 * QueryClient while mounted, closed after unmount. The close waits a tick, so StrictMode's unmount-and-remount
 * (and a remount in the same commit) keeps the socket.
 */
export function useRealtime(
  client: MizanClient,
  queryClient: QueryClient,
  option: boolean | MizanRealtimeOptions,
): MizanRealtime | undefined {
  const [realtime] = useState(() =>
    option === false ? undefined : new MizanRealtime(client, option === true ? {} : option),
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

const closing = new WeakMap<MizanRealtime, ReturnType<typeof setTimeout>>()
