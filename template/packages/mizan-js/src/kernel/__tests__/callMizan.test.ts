import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { callMizan, getDefaultClient, MizanClient, setDefaultClient } from "../index.js"
import { startMizanServer, type MizanTestServer } from "./support/mizanServer.js"

let server: MizanTestServer

beforeEach(async () => {
  server = await startMizanServer()
  server.fn("echo", (args) => ({ result: args }))
})

afterEach(async () => {
  setDefaultClient(undefined)
  await server.close()
})

describe("callMizan", () => {
  it("calls through an explicit client", async () => {
    const client = new MizanClient({ baseUrl: server.baseUrl })
    await expect(callMizan("echo", { text: "hi" }, { client })).resolves.toEqual({ text: "hi" })
  })

  it("calls through the default client, which setDefaultClient replaces", async () => {
    setDefaultClient(new MizanClient({ baseUrl: server.baseUrl }))
    await expect(callMizan("echo", { n: 1 })).resolves.toEqual({ n: 1 })
  })

  it("makes a default client for /api/mizan on first use", () => {
    const made = getDefaultClient()
    expect(made.baseUrl).toBe("/api/mizan")
    expect(getDefaultClient()).toBe(made)
  })

  it("rejects, never throws synchronously, when the default URL cannot be fetched in Node", async () => {
    await expect(callMizan("echo", {})).rejects.toMatchObject({ name: "MizanError", code: "NETWORK_ERROR" })
  })

  it("passes the timeout through", async () => {
    server.raw("call/slow/", () => undefined)
    const client = new MizanClient({ baseUrl: server.baseUrl })
    await expect(callMizan("slow", {}, { client, timeoutMs: 50 })).rejects.toMatchObject({ code: "TIMEOUT" })
  })
})
