/**
 * Live invalidation (PROTOCOL §6): the socket `watch`es the invalidation key of every mounted Mizan query, so a
 * mutation anywhere (another tab, another user, a task, another server process) refetches the queries it
 * affects here. `{"invalidate": [...]}` refetches the matching queries; `{"resync": true}` and a reconnect
 * refetch every watched one, since what was pushed meanwhile is lost.
 */

import type { Query, QueryClient } from "@tanstack/query-core"
import { isObject } from "./envelope.js"
import { invalidationKey, matchesInvalidationKey } from "./invalidationKey.js"
import type { MizanSocket, SocketPush } from "./socket.js"

export interface LiveInvalidationOptions {
  /** Which functions to watch; default every function of an observed `["mizan", fn, args]` query. */
  watches?: (fn: string) => boolean
}

/** Keeps the socket's watched keys equal to the keys of the observed queries of the QueryClients it serves. */
export class LiveInvalidation {
  readonly #socket: MizanSocket
  readonly #options: LiveInvalidationOptions
  /** Watch key → the observed queries it covers (across every served QueryClient). */
  readonly #wanted = new Map<string, Set<Query>>()
  /** Keys the server watches for this socket (or a watch frame for them is on its way). */
  readonly #watched = new Set<string>()
  /** Keys the server refused, with its code; a BAD_REQUEST one (not a context read) is never asked again. */
  readonly #refused = new Map<string, string>()
  readonly #queryClients = new Map<QueryClient, () => void>()
  readonly #unsubscribe: (() => void)[]
  #flushing: ReturnType<typeof setTimeout> | undefined

  constructor(socket: MizanSocket, options: LiveInvalidationOptions = {}) {
    this.#socket = socket
    this.#options = options
    this.#unsubscribe = [
      socket.onPush((push) => this.#onPush(push)),
      socket.onOpen((reconnected, missed) => {
        if (reconnected) void this.#resubscribe(missed)
      }),
    ]
  }

  /** Watch the observed queries of `queryClient` and apply pushed invalidations to it. */
  serve(queryClient: QueryClient): () => void {
    if (this.#queryClients.has(queryClient)) return this.#queryClients.get(queryClient)!
    const cache = queryClient.getQueryCache()
    const stop = cache.subscribe((event) => {
      if (event.type === "observerAdded" || event.type === "observerRemoved" || event.type === "removed") {
        this.#track(event.query, event.type === "removed")
      }
    })
    for (const query of cache.getAll()) this.#track(query)
    const release = (): void => {
      stop()
      this.#queryClients.delete(queryClient)
      for (const query of cache.getAll()) this.#forget(query)
      this.#schedule()
    }
    this.#queryClients.set(queryClient, release)
    return release
  }

  /** The keys the server watches for this socket now. */
  get watchedKeys(): string[] {
    return [...this.#watched].sort()
  }

  /** Stop serving every QueryClient and listening to the socket (the socket itself stays open). */
  close(): void {
    for (const release of [...this.#queryClients.values()]) release()
    for (const stop of this.#unsubscribe) stop()
    clearTimeout(this.#flushing)
  }

  #track(query: Query, removed = false): void {
    const key = this.#keyOf(query)
    if (key === undefined) return
    if (!removed && query.getObserversCount() > 0) {
      let queries = this.#wanted.get(key)
      if (!queries) this.#wanted.set(key, (queries = new Set()))
      if (queries.has(query)) return
      queries.add(query)
    } else {
      if (!this.#forget(query)) return
    }
    this.#schedule()
  }

  #forget(query: Query): boolean {
    const key = this.#keyOf(query)
    const queries = key === undefined ? undefined : this.#wanted.get(key)
    if (!queries?.delete(query)) return false
    if (queries.size === 0) this.#wanted.delete(key!)
    return true
  }

  #keyOf(query: Query): string | undefined {
    const [root, fn, args] = query.queryKey
    if (root !== "mizan" || typeof fn !== "string" || !isObject(args)) return undefined
    if (query.meta?.mizanLive === false) return undefined
    if (this.#options.watches && !this.#options.watches(fn)) return undefined
    const params = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined))
    return invalidationKey(fn, params)
  }

  // Mounts and unmounts of one render come as a burst: one watch and one unwatch frame for all of them.
  #schedule(): void {
    this.#flushing ??= setTimeout(() => {
      this.#flushing = undefined
      void this.#flush()
    }, 0)
  }

  async #flush(): Promise<void> {
    const add = [...this.#wanted.keys()].filter((key) => !this.#watched.has(key) && !this.#refused.has(key))
    const drop = [...this.#watched].filter((key) => !this.#wanted.has(key))
    for (const key of drop) this.#watched.delete(key)
    const sent: Promise<unknown>[] = []
    if (drop.length > 0 && this.#socket.status === "connected") {
      sent.push(this.#socket.request({ action: "unwatch", keys: drop }).catch(() => undefined))
    }
    if (add.length > 0) sent.push(this.#watch(add))
    await Promise.all(sent)
  }

  /** Sends one watch frame; resolves once the server has answered (or the socket dropped). */
  async #watch(keys: string[]): Promise<void> {
    for (const key of keys) this.#watched.add(key)
    let reply: Record<string, unknown>
    try {
      reply = await this.#socket.request({ action: "watch", keys })
    } catch {
      // The socket dropped first: the reconnect re-watches everything wanted.
      for (const key of keys) this.#watched.delete(key)
      return
    }
    const error = reply.error
    if (!isObject(error)) return
    const details = isObject(error.details) ? error.details : {}
    // The keys of the frame not named in `details.keys` are watched all the same (PROTOCOL §6).
    const refused = isObject(details.keys) ? details.keys : Object.fromEntries(keys.map((key) => [key, error.code]))
    for (const [key, code] of Object.entries(refused)) {
      this.#watched.delete(key)
      this.#refused.set(key, String(code))
    }
  }

  /** After a reconnect: the server forgot the watches; watch again, then refetch what may have changed. */
  async #resubscribe(missed: boolean): Promise<void> {
    this.#watched.clear()
    // A refusal for lack of login may not hold any more; a key that is not a context read still is not one.
    for (const [key, code] of this.#refused) if (code !== "BAD_REQUEST") this.#refused.delete(key)
    clearTimeout(this.#flushing)
    this.#flushing = undefined
    await this.#flush()
    if (missed) await this.#refetchWatched()
  }

  #onPush(push: SocketPush): void {
    if (Array.isArray(push.invalidate)) {
      const keys = push.invalidate.filter((key): key is string => typeof key === "string")
      void this.#refetch((query) => keys.some((key) => matchesInvalidationKey(query.queryKey, key)))
    } else if (push.resync === true) {
      void this.#refetchWatched()
    }
  }

  #refetchWatched(): Promise<void> {
    const watched = new Set<Query>()
    for (const [key, queries] of this.#wanted) if (this.#watched.has(key)) for (const query of queries) watched.add(query)
    return this.#refetch((query) => watched.has(query))
  }

  async #refetch(predicate: (query: Query) => boolean): Promise<void> {
    await Promise.all(
      [...this.#queryClients.keys()].map((queryClient) =>
        // cancelRefetch false: a refetch already running (our own mutation's answer) is not started twice.
        queryClient.invalidateQueries({ queryKey: ["mizan"], predicate }, { cancelRefetch: false }),
      ),
    )
  }
}
