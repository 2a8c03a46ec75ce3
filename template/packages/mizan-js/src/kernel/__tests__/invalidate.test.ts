import { QueryClient, QueryObserver } from "@tanstack/query-core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { MizanClient, mizanMutationOptions, mizanQueryOptions } from "../index.js"
import { startMizanServer, type MizanTestServer } from "./support/mizanServer.js"

let server: MizanTestServer
let queryClient: QueryClient
let client: MizanClient
let unsubscribes: (() => void)[]

beforeEach(async () => {
  server = await startMizanServer()
  queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  client = new MizanClient({ baseUrl: server.baseUrl, queryClient })
  unsubscribes = []
  const versions = new Map<number, number>()
  server.fn("todo_list", (args) => {
    const id = args.list_id as number
    versions.set(id, (versions.get(id) ?? 0) + 1)
    return { result: { list_id: id, version: versions.get(id) } }
  })
  server.fn("current_user", () => ({ result: { name: "ada" } }))
})

afterEach(async () => {
  for (const unsubscribe of unsubscribes) unsubscribe()
  queryClient.clear()
  await server.close()
})

/** Mounts an observer (an "active" query, as a mounted component would) and waits for its first data. */
async function mount(fn: string, args: object): Promise<QueryObserver> {
  const observer = new QueryObserver(queryClient, mizanQueryOptions(fn, args))
  unsubscribes.push(observer.subscribe(() => undefined))
  await queryClient.fetchQuery(mizanQueryOptions(fn, args))
  return observer
}

function readsOf(fn: string): unknown[] {
  const reads: unknown[] = []
  for (const request of server.calls()) {
    if (request.path === `call/${fn}/`) reads.push(request.body)
    const batched = (request.body as { calls?: { fn: string; args: unknown }[] }).calls ?? []
    for (const call of batched) if (call.fn === fn) reads.push(call.args)
  }
  return reads
}

async function mutateReturning(keys: string[], headerOnly = false): Promise<unknown> {
  server.fn("add_todo", () => ({ result: "ok", invalidate: keys, headerOnly }))
  return queryClient.getMutationCache().build(queryClient, mizanMutationOptions("add_todo")).execute({ list_id: 7 })
}

describe("applying an answer's invalidation keys", () => {
  it("refetches the list_id 7 instance once and leaves list_id 8 alone", async () => {
    const seven = await mount("todo_list", { list_id: 7 })
    const eight = await mount("todo_list", { list_id: 8 })
    expect(readsOf("todo_list")).toEqual([{ list_id: 7 }, { list_id: 8 }])

    await mutateReturning(["todo_list?list_id=7"])

    expect(readsOf("todo_list")).toEqual([{ list_id: 7 }, { list_id: 8 }, { list_id: 7 }])
    expect(seven.getCurrentResult().data).toEqual({ list_id: 7, version: 2 })
    expect(eight.getCurrentResult().data).toEqual({ list_id: 8, version: 1 })
    expect(eight.getCurrentResult().isStale).toBe(false)
  })

  it("refetches every instance for an unscoped key, in one batch", async () => {
    await mount("todo_list", { list_id: 7 })
    await mount("todo_list", { list_id: 8 })
    const before = server.calls().length

    await mutateReturning(["todo_list"])

    const after = server.calls().slice(before)
    expect(after.map((request) => request.path)).toEqual(["call/add_todo/", "batch/"])
    expect(readsOf("todo_list").slice(2)).toEqual([{ list_id: 7 }, { list_id: 8 }])
  })

  it("refetches a query matched by several keys, body and header, only once", async () => {
    await mount("todo_list", { list_id: 7 })
    await mutateReturning(["todo_list?list_id=7", "todo_list", "todo_list?list_id=7"])
    expect(readsOf("todo_list")).toEqual([{ list_id: 7 }, { list_id: 7 }])
  })

  it("refetches once for two mutations of one tick that name the same key (one batch, one pass)", async () => {
    await mount("todo_list", { list_id: 7 })
    server.fn("add_todo", () => ({ result: "ok", invalidate: ["todo_list?list_id=7"] }))
    const mutations = queryClient.getMutationCache()
    await Promise.all([
      mutations.build(queryClient, mizanMutationOptions("add_todo")).execute({ list_id: 7 }),
      mutations.build(queryClient, mizanMutationOptions("add_todo")).execute({ list_id: 7 }),
    ])
    expect(server.calls().map((request) => request.path)).toEqual(["call/todo_list/", "batch/", "call/todo_list/"])
  })

  it("reads keys sent in the X-Mizan-Invalidate header alone", async () => {
    await mount("todo_list", { list_id: 7 })
    await mutateReturning(["todo_list?list_id=7"], true)
    expect(readsOf("todo_list")).toEqual([{ list_id: 7 }, { list_id: 7 }])
  })

  it("marks inactive instances stale without refetching them", async () => {
    await queryClient.fetchQuery(mizanQueryOptions("todo_list", { list_id: 7 })) // cached, no observer
    await mutateReturning(["todo_list"])
    expect(readsOf("todo_list")).toEqual([{ list_id: 7 }])
    expect(queryClient.getQueryState(["mizan", "todo_list", { list_id: 7 }])?.isInvalidated).toBe(true)

    // Mounted again later, it refetches because it is stale.
    await queryClient.fetchQuery(mizanQueryOptions("todo_list", { list_id: 7 }))
    expect(readsOf("todo_list")).toEqual([{ list_id: 7 }, { list_id: 7 }])
  })

  it("applies keys from a plain call, too (stage 1, no TanStack mutation)", async () => {
    await mount("current_user", {})
    server.fn("login", () => ({ result: true, invalidate: ["current_user"] }))
    await client.call("login", {})
    expect(readsOf("current_user")).toHaveLength(2)
  })

  it("does not let a read invalidate itself", async () => {
    let reads = 0
    server.fn("odd", () => ({ result: ++reads, invalidate: ["odd"] }))
    await mount("odd", {})
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(reads).toBe(1)
  })

  it("does nothing for a failed call", async () => {
    await mount("todo_list", { list_id: 7 })
    server.fn("add_todo", () => ({ error: { code: "FORBIDDEN", message: "no" }, status: 403 }))
    await expect(client.call("add_todo", {})).rejects.toMatchObject({ code: "FORBIDDEN" })
    expect(readsOf("todo_list")).toHaveLength(1)
  })
})
