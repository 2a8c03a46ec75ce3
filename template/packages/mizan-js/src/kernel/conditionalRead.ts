/**
 * Context reads over GET (PROTOCOL §2): the last ETag and result of each read, so a refetch that finds nothing
 * new is a `304 Not Modified` with no body and no CSRF token.
 */

import { hashKey } from "@tanstack/query-core"

/** How many reads keep their ETag; the oldest is forgotten first (its next read is a full GET). */
export const MAX_REMEMBERED_READS = 500

interface Remembered {
  etag: string
  result: unknown
}

/** The ETag and result of the last full answer per (fn, args), bounded in size. */
export class ReadValidators {
  readonly #entries = new Map<string, Remembered>()
  readonly #limit: number

  constructor(limit: number = MAX_REMEMBERED_READS) {
    this.#limit = limit
  }

  /** The ETag to send as If-None-Match for `fn(args)`, if one was seen. */
  etag(fn: string, args: object): string | undefined {
    return this.#entries.get(readKey(fn, args))?.etag
  }

  /** The result a 304 for `fn(args)` stands for; refreshes its place in the bound. */
  result(fn: string, args: object): { found: boolean; result?: unknown } {
    const key = readKey(fn, args)
    const entry = this.#entries.get(key)
    if (!entry) return { found: false }
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    return { found: true, result: entry.result }
  }

  /** Remembers a full answer that came with an ETag (a missing ETag forgets the old one). */
  remember(fn: string, args: object, etag: string | null, result: unknown): void {
    const key = readKey(fn, args)
    this.#entries.delete(key)
    if (!etag) return
    this.#entries.set(key, { etag, result })
    if (this.#entries.size > this.#limit) this.#entries.delete(this.#entries.keys().next().value as string)
  }

  get size(): number {
    return this.#entries.size
  }
}

/** `call/<fn>/?args=<JSON>`; no query string for empty args. */
export function readPath(fn: string, args: object): string {
  const path = `call/${encodeURIComponent(fn)}/`
  return Object.keys(args).length === 0 ? path : `${path}?args=${encodeURIComponent(JSON.stringify(args))}`
}

function readKey(fn: string, args: object): string {
  return hashKey([fn, args])
}
