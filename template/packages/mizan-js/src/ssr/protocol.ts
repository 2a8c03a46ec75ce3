/**
 * The worker's wire format: one JSON object per line, both ways, over a Unix socket or TCP. Requests carry an
 * `id` the reply repeats, so one connection may have several renders in flight.
 */

import type { MizanHydration } from "../kernel/index.js"

export interface RenderRequest {
  id: number
  op: "render"
  component: string
  props: Record<string, unknown>
  hydration: MizanHydration
  /** The render is abandoned (and its renderer replaced) after this long. */
  timeoutMs?: number
}

export interface ComponentsRequest {
  id: number
  op: "components"
}

export type WorkerRequest = RenderRequest | ComponentsRequest

/** Why a render gave no HTML: the caller serves the client-rendered shell instead. */
export type RenderErrorKind = "unknown_component" | "render_error" | "timeout" | "bad_request" | "crashed"

export type WorkerReply =
  | { id: number; html: string }
  | { id: number; components: string[] }
  | { id: number | null; error: string; kind: RenderErrorKind }
