import { QueryClient, QueryObserver } from "@tanstack/query-core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { dehydrateMizan, hydrateMizan, MizanClient, mizanQueryOptions, type MizanHydration } from "../index.js"
import { startMizanServer, type MizanTestServer } from "./support/mizanServer.js"

let server: MizanTestServer

beforeEach(async () => {
  server = await startMizanServer()
  server.fn("current_user", () => ({ result: { name: "from the server" } }))
})

afterEach(async () => {
  await server.close()
})

const hydration: MizanHydration = {
  queries: [
    { fn: "current_user", args: {}, result: { name: "ada" } },
    { fn: "todo_list", args: { list_id: 7 }, result: [] },
  ],
}

describe("hydrateMizan", () => {
  it("seeds the QueryClient so mounted queries make no request", async () => {
    const queryClient = new QueryClient()
    new MizanClient({ baseUrl: server.baseUrl, queryClient })
    hydrateMizan(queryClient, hydration)

    const observer = new QueryObserver(queryClient, mizanQueryOptions("current_user", {}))
    const unsubscribe = observer.subscribe(() => undefined)
    await queryClient.fetchQuery(mizanQueryOptions("todo_list", { list_id: 7 }))
    await new Promise((resolve) => setTimeout(resolve, 50))
    unsubscribe()

    expect(observer.getCurrentResult().data).toEqual({ name: "ada" })
    expect(server.requests).toEqual([])
  })

  it("round-trips through dehydrateMizan", () => {
    const queryClient = new QueryClient()
    hydrateMizan(queryClient, hydration)
    queryClient.setQueryData(["other"], 1) // not Mizan's: left out
    const again = dehydrateMizan(queryClient)
    expect(again.queries.sort((a, b) => a.fn.localeCompare(b.fn))).toEqual(hydration.queries)
  })

  it("names what is malformed", () => {
    const queryClient = new QueryClient()
    expect(() => hydrateMizan(queryClient, [] as unknown as MizanHydration)).toThrow(/hydration data is malformed: .*, got \[\]$/)
    expect(() => hydrateMizan(queryClient, { queries: [{ fn: "x", args: {} }] } as unknown as MizanHydration)).toThrow(
      /hydration queries\[0\] is malformed: expected \{"queries": \[\{"fn", "args", "result"\}\]\}, got \{"fn":"x","args":\{\}\}/,
    )
  })
})
