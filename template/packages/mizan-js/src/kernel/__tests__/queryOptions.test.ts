import { QueryClient } from "@tanstack/query-core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { MizanClient, MizanError, mizanMutationOptions, mizanQueryOptions, setDefaultClient } from "../index.js"
import { startMizanServer, type MizanTestServer } from "./support/mizanServer.js"

let one: MizanTestServer
let two: MizanTestServer

beforeEach(async () => {
  one = await startMizanServer()
  two = await startMizanServer()
  one.fn("where", () => ({ result: "one" }))
  two.fn("where", () => ({ result: "two" }))
})

afterEach(async () => {
  setDefaultClient(undefined)
  await Promise.all([one.close(), two.close()])
})

describe("mizanQueryOptions", () => {
  it("keys the query [\"mizan\", fn, args]", () => {
    expect(mizanQueryOptions("todo_list", { list_id: 7 }).queryKey).toEqual(["mizan", "todo_list", { list_id: 7 }])
  })

  it("finds the MizanClient through the QueryClient that runs the query", async () => {
    const first = new QueryClient()
    const second = new QueryClient()
    new MizanClient({ baseUrl: one.baseUrl, queryClient: first })
    new MizanClient({ baseUrl: two.baseUrl }).connect(second)
    await expect(first.fetchQuery(mizanQueryOptions<string>("where", {}))).resolves.toBe("one")
    await expect(second.fetchQuery(mizanQueryOptions<string>("where", {}))).resolves.toBe("two")
  })

  it("falls back to the default client for a QueryClient nobody connected", async () => {
    setDefaultClient(new MizanClient({ baseUrl: two.baseUrl }))
    await expect(new QueryClient().fetchQuery(mizanQueryOptions<string>("where", {}))).resolves.toBe("two")
  })

  it("stays fresh until invalidated, so a second read makes no request", async () => {
    const queryClient = new QueryClient()
    new MizanClient({ baseUrl: one.baseUrl, queryClient })
    await queryClient.fetchQuery(mizanQueryOptions("where", {}))
    await queryClient.fetchQuery(mizanQueryOptions("where", {}))
    expect(one.calls()).toHaveLength(1)
  })

  it("retries only transient failures", () => {
    const { retry } = mizanQueryOptions("where", {})
    expect(retry(0, new MizanError("NETWORK_ERROR", "down"))).toBe(true)
    expect(retry(0, new MizanError("TIMEOUT", "slow"))).toBe(true)
    expect(retry(3, new MizanError("NETWORK_ERROR", "down"))).toBe(false)
    expect(retry(0, new MizanError("VALIDATION_ERROR", "bad"))).toBe(false)
    expect(retry(0, new Error("a bug"))).toBe(false)
  })
})

describe("mizanMutationOptions", () => {
  it("calls the function through the QueryClient's MizanClient", async () => {
    two.fn("add", (args) => ({ result: (args.a as number) + (args.b as number) }))
    const queryClient = new QueryClient()
    new MizanClient({ baseUrl: two.baseUrl, queryClient })
    const mutation = queryClient.getMutationCache().build(queryClient, mizanMutationOptions<{ a: number; b: number }, number>("add"))
    await expect(mutation.execute({ a: 2, b: 3 })).resolves.toBe(5)
    expect(two.calls()[0]).toMatchObject({ path: "call/add/", body: { a: 2, b: 3 } })
  })
})
