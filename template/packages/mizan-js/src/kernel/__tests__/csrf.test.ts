// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { MizanClient } from "../index.js"
import { readCookie } from "../csrf.js"
import { startMizanServer, type MizanTestServer } from "./support/mizanServer.js"

let server: MizanTestServer

beforeEach(async () => {
  server = await startMizanServer()
  server.fn("echo", (args) => ({ result: args }))
})

afterEach(async () => {
  document.cookie = "csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT"
  document.cookie = "xsrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT"
  await server.close()
})

describe("the CSRF token", () => {
  it("comes from a readable csrftoken cookie, with no session request", async () => {
    document.cookie = "other=1"
    document.cookie = "csrftoken=from-cookie"
    server.csrfToken = "from-cookie"
    await new MizanClient({ baseUrl: server.baseUrl }).call("echo", { a: 1 })
    expect(server.requests.map((request) => request.path)).toEqual(["call/echo/"])
    expect(server.requests[0]!.headers["x-csrftoken"]).toBe("from-cookie")
  })

  it("follows the cookie when Django rotates it", async () => {
    const client = new MizanClient({ baseUrl: server.baseUrl })
    document.cookie = "csrftoken=first"
    await client.call("echo", {})
    document.cookie = "csrftoken=second"
    await client.call("echo", {})
    expect(server.requests.map((request) => request.headers["x-csrftoken"])).toEqual(["first", "second"])
  })

  it("reads the cookie name the project configured", async () => {
    document.cookie = "xsrf=custom"
    await new MizanClient({ baseUrl: server.baseUrl, csrfCookieName: "xsrf" }).call("echo", {})
    expect(server.requests[0]!.headers["x-csrftoken"]).toBe("custom")
  })

  it("comes from /session/ when no cookie is readable", async () => {
    server.csrfToken = "from-session"
    await new MizanClient({ baseUrl: server.baseUrl }).call("echo", {})
    expect(server.requests.map((request) => request.path)).toEqual(["session/", "call/echo/"])
    expect(server.requests[1]!.headers["x-csrftoken"]).toBe("from-session")
  })

  it("is undefined when the cookie is absent or empty", () => {
    expect(readCookie("csrftoken")).toBeUndefined()
    document.cookie = "csrftoken="
    expect(readCookie("csrftoken")).toBeUndefined()
  })
})
