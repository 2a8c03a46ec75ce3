import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { MizanClient, MizanError } from "../index.js"
import { startMizanServer, type MizanTestServer } from "./support/mizanServer.js"

let server: MizanTestServer
let client: MizanClient

beforeEach(async () => {
  server = await startMizanServer()
  client = new MizanClient({ baseUrl: server.baseUrl })
  server.fn("echo", (args) => ({ result: { text: args.text } }))
})

afterEach(async () => {
  await server.close()
})

async function rejection(promise: Promise<unknown>): Promise<MizanError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to fail")
    },
    (error: unknown) => error,
  )
  expect(error).toBeInstanceOf(MizanError)
  return error as MizanError
}

describe("a single call", () => {
  it("posts the args alone to /call/<fn>/ as JSON and resolves with the result", async () => {
    await expect(client.call("echo", { text: "hi" })).resolves.toEqual({ text: "hi" })
    const [request] = server.calls()
    expect(server.calls()).toHaveLength(1)
    expect(request).toMatchObject({ method: "POST", path: "call/echo/", body: { text: "hi" } })
    expect(request!.headers["content-type"]).toBe("application/json")
  })

  it("keeps dotted names readable in the URL", async () => {
    server.fn("contact.submit", () => ({ result: "sent" }))
    await expect(client.call("contact.submit", {})).resolves.toBe("sent")
    expect(server.calls()[0]!.path).toBe("call/contact.submit/")
  })

  it("sends the configured headers", async () => {
    const tracing = new MizanClient({ baseUrl: server.baseUrl, headers: { "X-Trace": "t-1" } })
    await tracing.call("echo", { text: "x" })
    expect(server.calls()[0]!.headers["x-trace"]).toBe("t-1")
  })
})

describe("batching", () => {
  it("coalesces the calls of one tick into one /batch/ request, results in order", async () => {
    server.fn("double", (args) => ({ result: (args.n as number) * 2 }))
    const results = await Promise.all([
      client.call("echo", { text: "a" }),
      client.call("double", { n: 2 }),
      client.call("double", { n: 5 }),
    ])
    expect(results).toEqual([{ text: "a" }, 4, 10])
    expect(server.calls()).toHaveLength(1)
    expect(server.calls()[0]).toMatchObject({
      path: "batch/",
      body: { calls: [{ fn: "echo", args: { text: "a" } }, { fn: "double", args: { n: 2 } }, { fn: "double", args: { n: 5 } }] },
    })
  })

  it("splits a tick's calls into batches of maxBatchCalls, the server's limit", async () => {
    const small = new MizanClient({ baseUrl: server.baseUrl, maxBatchCalls: 2 })
    const texts = ["a", "b", "c", "d", "e"]
    const results = await Promise.all(texts.map((text) => small.call("echo", { text })))
    expect(results).toEqual(texts.map((text) => ({ text })))
    const sent = server.calls().map((request) =>
      request.path === "batch/" ? (request.body as { calls: unknown[] }).calls.length : request.path,
    )
    expect(sent).toEqual([2, 2, "call/echo/"]) // the one left over goes alone
  })

  it("gives each call of a batch its own outcome", async () => {
    server.fn("broken", () => ({ error: { code: "NOT_FOUND", message: "No such todo." }, status: 404 }))
    const [ok, failed] = await Promise.allSettled([client.call("echo", { text: "a" }), client.call("broken", {})])
    expect(ok).toEqual({ status: "fulfilled", value: { text: "a" } })
    expect(failed.status).toBe("rejected")
    const error = (failed as PromiseRejectedResult).reason as MizanError
    expect(error).toMatchObject({ code: "NOT_FOUND", message: "No such todo.", status: 404 })
  })

  it("sends calls of different ticks separately", async () => {
    await client.call("echo", { text: "a" })
    await client.call("echo", { text: "b" })
    expect(server.calls().map((request) => request.path)).toEqual(["call/echo/", "call/echo/"])
  })

  it("sends one request per call when batching is off", async () => {
    const unbatched = new MizanClient({ baseUrl: server.baseUrl, batch: false })
    await Promise.all([unbatched.call("echo", { text: "a" }), unbatched.call("echo", { text: "b" })])
    expect(server.calls().map((request) => request.path)).toEqual(["call/echo/", "call/echo/"])
  })
})

describe("errors", () => {
  it("turns an error envelope into a MizanError with code, details and field errors", async () => {
    server.fn("signup", () => ({
      error: {
        code: "VALIDATION_ERROR",
        message: "Invalid input.",
        details: { fields: { email: ["Enter a valid email address."], "address.zip": ["Required."] } },
      },
      status: 422,
    }))
    const error = await rejection(client.call("signup", { email: "x" }))
    expect(error).toMatchObject({ code: "VALIDATION_ERROR", message: "Invalid input.", status: 422 })
    expect(error.isValidationError()).toBe(true)
    expect(error.isAuthError()).toBe(false)
    expect(error.getFieldErrors("email")).toEqual(["Enter a valid email address."])
    expect(error.getFieldErrors("address.zip")).toEqual(["Required."])
    expect(error.getFieldErrors("name")).toEqual([])
  })

  it("reports UNAUTHORIZED as an auth error", async () => {
    server.fn("me", () => ({ error: { code: "UNAUTHORIZED", message: "Log in first." }, status: 401 }))
    const error = await rejection(client.call("me", {}))
    expect(error.isAuthError()).toBe(true)
    expect(error.status).toBe(401)
  })

  it("gives NETWORK_ERROR when nothing listens", async () => {
    const { baseUrl } = server
    await server.close()
    const error = await rejection(new MizanClient({ baseUrl }).call("echo", { text: "a" }))
    expect(error.code).toBe("NETWORK_ERROR")
    expect(error.message).toContain(baseUrl)
    server = await startMizanServer() // for afterEach
  })

  it("gives NETWORK_ERROR when the connection drops mid-answer", async () => {
    server.raw("call/echo/", (_request, response) => response.socket?.destroy())
    expect((await rejection(client.call("echo", { text: "a" }))).code).toBe("NETWORK_ERROR")
  })

  it("gives BAD_RESPONSE for an answer that is not JSON", async () => {
    server.raw("call/echo/", (_request, response) => {
      response.writeHead(502, { "Content-Type": "text/html" })
      response.end("<html>Bad Gateway</html>")
    })
    const error = await rejection(client.call("echo", { text: "a" }))
    expect(error).toMatchObject({ code: "BAD_RESPONSE", status: 502 })
    expect(error.message).toContain("Bad Gateway")
  })

  it("gives BAD_RESPONSE for JSON that is not an envelope", async () => {
    server.raw("call/echo/", (_request, response) => {
      response.writeHead(200, { "Content-Type": "application/json" })
      response.end(JSON.stringify({ hello: "world" }))
    })
    expect((await rejection(client.call("echo", { text: "a" }))).code).toBe("BAD_RESPONSE")
  })

  it("gives BAD_RESPONSE to every call of a batch whose answer lacks results", async () => {
    server.raw("batch/", (_request, response) => {
      response.writeHead(200, { "Content-Type": "application/json" })
      response.end(JSON.stringify({ results: [] }))
    })
    const outcomes = await Promise.allSettled([client.call("echo", {}), client.call("echo", {})])
    expect(outcomes.map((outcome) => (outcome as PromiseRejectedResult).reason?.code)).toEqual(["BAD_RESPONSE", "BAD_RESPONSE"])
  })
})

describe("onError", () => {
  it("hands every failed call to the listeners, with its name and args, and the caller still gets the rejection", async () => {
    server.fn("broken", () => ({
      error: { code: "INTERNAL_ERROR", message: "Internal server error.", details: { traceback: "Traceback ..." } },
      status: 500,
    }))
    const seen: { fn: string; args: object; code: string; traceback: unknown }[] = []
    const stop = client.onError(({ fn, args, error }) => seen.push({ fn, args, code: error.code, traceback: error.details.traceback }))

    const error = await rejection(client.call("broken", { n: 1 }))
    await expect(client.call("echo", { text: "fine" })).resolves.toEqual({ text: "fine" })

    expect(error.code).toBe("INTERNAL_ERROR")
    expect(seen).toEqual([{ fn: "broken", args: { n: 1 }, code: "INTERNAL_ERROR", traceback: "Traceback ..." }])
    stop()
    await rejection(client.call("broken", { n: 2 }))
    expect(seen).toHaveLength(1)
  })

  it("calls the other listeners when one throws", async () => {
    server.fn("broken", () => ({ error: { code: "BAD_REQUEST", message: "no" }, status: 400 }))
    const codes: string[] = []
    const original = console.error
    console.error = () => undefined
    try {
      client.onError(() => {
        throw new Error("listener bug")
      })
      client.onError(({ error }) => codes.push(error.code))
      await rejection(client.call("broken", {}))
      await new Promise((resolve) => setTimeout(resolve, 0))
    } finally {
      console.error = original
    }
    expect(codes).toEqual(["BAD_REQUEST"])
  })
})

describe("abort and timeout", () => {
  function hang(): void {
    server.raw("call/slow/", () => undefined) // never answers
  }

  it("rejects with TIMEOUT after timeoutMs", async () => {
    hang()
    const started = Date.now()
    const error = await rejection(client.call("slow", {}, { timeoutMs: 100 }))
    expect(error.code).toBe("TIMEOUT")
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it("uses the client's timeout by default", async () => {
    hang()
    const quick = new MizanClient({ baseUrl: server.baseUrl, timeoutMs: 50 })
    expect((await rejection(quick.call("slow", {}))).code).toBe("TIMEOUT")
  })

  it("rejects with ABORTED when the signal fires, and aborts the request", async () => {
    hang()
    const controller = new AbortController()
    const call = client.call("slow", {}, { signal: controller.signal })
    await expect.poll(() => server.calls().length).toBe(1) // the request was sent
    controller.abort()
    expect((await rejection(call)).code).toBe("ABORTED")
  })

  it("does not send a call aborted before its tick ends", async () => {
    const controller = new AbortController()
    const call = client.call("echo", { text: "a" }, { signal: controller.signal })
    controller.abort()
    expect((await rejection(call)).code).toBe("ABORTED")
    await client.call("echo", { text: "b" })
    expect(server.calls().map((request) => request.body)).toEqual([{ text: "b" }])
  })

  it("lets the other calls of a batch finish when one is aborted", async () => {
    server.fn("later", async () => {
      await new Promise((resolve) => setTimeout(resolve, 100))
      return { result: "done" }
    })
    const controller = new AbortController()
    const aborted = client.call("later", {}, { signal: controller.signal })
    const kept = client.call("later", {})
    setTimeout(() => controller.abort(), 20)
    expect((await rejection(aborted)).code).toBe("ABORTED")
    await expect(kept).resolves.toBe("done")
  })
})

describe("CSRF", () => {
  it("fetches the token from /session/ once and sends it as X-CSRFToken", async () => {
    server.csrfToken = "token-1"
    await client.call("echo", { text: "a" })
    await Promise.all([client.call("echo", { text: "b" }), client.call("echo", { text: "c" })])
    expect(server.requests.filter((request) => request.path === "session/")).toHaveLength(1)
    expect(server.calls().map((request) => request.headers["x-csrftoken"])).toEqual(["token-1", "token-1"])
  })

  it("fetches a fresh token after the server refuses the cached one", async () => {
    server.csrfToken = "token-1"
    await client.call("echo", { text: "a" })
    server.csrfToken = "token-2" // rotated, as Django does at login
    expect((await rejection(client.call("echo", { text: "b" }))).code).toBe("FORBIDDEN")
    await expect(client.call("echo", { text: "c" })).resolves.toEqual({ text: "c" })
    expect(server.requests.filter((request) => request.path === "session/")).toHaveLength(2)
  })

  it("sends credentials same-origin by default, and as configured", async () => {
    const seen: (RequestCredentials | undefined)[] = []
    const spy: typeof fetch = (input, init) => {
      seen.push(init?.credentials)
      return fetch(input, init)
    }
    await new MizanClient({ baseUrl: server.baseUrl, fetch: spy }).call("echo", {})
    await new MizanClient({ baseUrl: server.baseUrl, fetch: spy, credentials: "include" }).call("echo", {})
    expect(seen).toEqual(["same-origin", "same-origin", "include", "include"]) // session, then call; twice
  })
})
