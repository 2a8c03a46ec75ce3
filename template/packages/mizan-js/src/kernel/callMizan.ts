import { getDefaultClient } from "./defaultClient.js"
import type { MizanClient } from "./mizanClient.js"

export interface CallMizanOptions {
  signal?: AbortSignal
  timeoutMs?: number
  /** The client to call through; default `getDefaultClient()`. */
  client?: MizanClient
  /** A context read: sent as a GET and revalidated with its ETag (what the generated `fetchXxx` sets). */
  read?: boolean
}

/** Calls the server function `fn` with `args` outside any framework; rejects with a MizanError. */
export function callMizan<R>(fn: string, args: object = {}, options: CallMizanOptions = {}): Promise<R> {
  const { client = getDefaultClient(), ...callOptions } = options
  return client.call<R>(fn, args, callOptions)
}
