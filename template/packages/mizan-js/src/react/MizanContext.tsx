import { QueryClient, QueryClientProvider } from "@tanstack/react-query"
import { Suspense, useEffect, useState, type ReactNode } from "react"
import { releaseDefaultClient } from "../kernel/defaultClient.js"
import { hydrateMizan, MizanClient, setDefaultClient, type MizanHydration, type MizanRealtimeOptions } from "../kernel/index.js"
import { reportMizanDevError } from "./devErrors.js"
import { installMizanDevOverlay, isDeveloperError } from "./devOverlay.js"
import { MizanClientContext } from "./mizanClientContext.js"
import { MizanDevelopmentContext, nodeEnvDevelopment } from "./mizanDevelopmentContext.js"
import { MizanRealtimeContext } from "./mizanRealtimeContext.js"
import { useRealtime } from "./useRealtime.js"

export interface MizanContextProps {
  /** Where `mizan.urls` is mounted; default `/api/mizan`. Ignored when `client` is given. */
  baseUrl?: string
  /** A MizanClient to use instead of making one from `baseUrl`. */
  client?: MizanClient
  /** A QueryClient to use instead of making one (share your app's own). */
  queryClient?: QueryClient
  /** SSR data seeded into the QueryClient once, so those queries make no request. */
  hydration?: MizanHydration
  /**
   * The socket (PROTOCOL §6): live invalidation of mounted queries, `websocket=True` calls, channels. On by
   * default and opened only when something needs it; `false` turns it off, an object passes socket options.
   */
  realtime?: boolean | MizanRealtimeOptions
  /**
   * A development build: error fallbacks below show the developer's message (e.g. which Provider a hook needs)
   * and the development overlay is on. Default: NODE_ENV is not "production". Under Vite pass
   * `import.meta.env.DEV`, since Vite does not replace NODE_ENV in a linked package's source.
   */
  development?: boolean
  /**
   * The development overlay: server faults (with the Python traceback when Django runs with DEBUG), render errors
   * and uncaught errors, shown over the page. Default: `development`; `false` turns it off.
   */
  devOverlay?: boolean
  /** Shown while a context query suspends; default nothing. */
  fallback?: ReactNode
  children?: ReactNode
}

/**
 * Provides Mizan to a React tree: a QueryClient (made or given) served by a MizanClient (made or given), a
 * Suspense boundary for context hooks, and the default client for `callXxx()` calls.
 */
export function MizanContext({
  baseUrl,
  client,
  queryClient,
  hydration,
  realtime = true,
  development = nodeEnvDevelopment(),
  devOverlay = development,
  fallback = null,
  children,
}: MizanContextProps) {
  const [state] = useState(() => {
    // In development only: a warning a production page need not print.
    if (development && client && baseUrl !== undefined) {
      console.warn(`<MizanContext> got both "client" and "baseUrl"; baseUrl is ignored. Pass the baseUrl to new MizanClient({ baseUrl }) instead.`)
    }
    const mizan = client ?? new MizanClient(baseUrl === undefined ? {} : { baseUrl })
    const query = queryClient ?? new QueryClient()
    mizan.connect(query)
    if (hydration) hydrateMizan(query, hydration)
    // Set during the first render, so calls made by children (even in their first effects) use it.
    setDefaultClient(mizan)
    // Also during the first render, since an error that unmounts the app in its first render runs no effect. A
    // bridge to the effect's own install, released on the next task: React may run this initializer for a
    // render it then discards, which no cleanup would ever release.
    if (devOverlay) setTimeout(installMizanDevOverlay(), 0)
    return { mizan, query }
  })
  useEffect(() => {
    setDefaultClient(state.mizan)
    return () => releaseDefaultClient(state.mizan)
  }, [state.mizan])
  useEffect(() => {
    if (!devOverlay) return
    const remove = installMizanDevOverlay()
    const stop = state.mizan.onError(({ fn, error }) => {
      if (isDeveloperError(error)) reportMizanDevError(error, { fn })
    })
    return () => {
      stop()
      remove()
    }
  }, [devOverlay, state])
  const socket = useRealtime(state.mizan, state.query, realtime)

  return (
    <QueryClientProvider client={state.query}>
      <MizanClientContext.Provider value={state.mizan}>
        <MizanRealtimeContext.Provider value={socket}>
          <MizanDevelopmentContext.Provider value={development}>
            <Suspense fallback={fallback}>{children}</Suspense>
          </MizanDevelopmentContext.Provider>
        </MizanRealtimeContext.Provider>
      </MizanClientContext.Provider>
    </QueryClientProvider>
  )
}

/**
 * The original Mizan's name for `MizanContext`: the same component (session, CSRF, contexts, the socket and
 * its channels), so `<DjangoContext baseUrl="/api/mizan">` from the seeds renders exactly what MizanContext does.
 */
export const DjangoContext = MizanContext
