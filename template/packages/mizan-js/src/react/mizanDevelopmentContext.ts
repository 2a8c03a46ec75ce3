import { createContext, useContext } from "react"

// Module-scoped: the adapter must not need Node's types in a browser build.
declare const process: { env: { NODE_ENV?: string } } | undefined

/**
 * Whether the nearest `<MizanContext>` runs a development build (its `development` prop). Read by error boundaries
 * and their fallback, so the developer's message shows on the page in development only. A prop, not
 * `process.env.NODE_ENV`: Vite leaves that unreplaced in a linked package's source, where `process` is undefined.
 */
export const MizanDevelopmentContext = createContext<boolean | undefined>(undefined)

/** NODE_ENV's answer, for where no prop says (tests under Node, bundlers that replace it). Read when called. */
export function nodeEnvDevelopment(): boolean {
  return typeof process !== "undefined" && process.env.NODE_ENV !== "production"
}

/** The nearest MizanContext's `development`; outside one, NODE_ENV's answer. */
export function useMizanDevelopment(): boolean {
  return useContext(MizanDevelopmentContext) ?? nodeEnvDevelopment()
}
