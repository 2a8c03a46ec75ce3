import { QueryClient, QueryObserver } from "@tanstack/query-core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { MizanClient, mizanQueryOptions } from "../index.js"
import { ReadValidators, readPath } from "../conditionalRead.js"
import { startMizanServer, type MizanTestServer } from "./support/mizanServer.js"

let server: MizanTestServer
let client: MizanClient
let board: Record<string, string>

beforeEach(async () => {
  server = await startMizanServer()
  client = new MizanClient({ baseUrl: server.baseUrl })
  board = { "7": "seven", "8": "eight" }
  server.fn("board_note", (args) => ({ result: board[String(args.board_id)] ?? "" }))
  server.fn("write_note", (args) => {
    board[String(args.board_id)] = String(args.note)
    return { result: null, invalidate: ["board_note"] }
  })
})

afterEach(async () => {
  await server.close()
})

const read = { read: true }

describe("context reads", () => {
  it("go as a GET with the args in the query string and no CSRF token", async () => {
    server.csrfToken = "t0k3n"
    await expect(client.call("board_note", { board_id: 7 }, read)).resolves.toBe("seven")
    expect(server.requests).toHaveLength(1) // no session request: a GET needs no token
    const [request] = server.requests
    expect(request).toMatchObject({ method: "GET", path: "call/board_note/" })
    expect(request!.headers["x-csrftoken"]).toBeUndefined()
  })

  it("revalidate with If-None-Match: nothing new is a 304 that resolves with the remembered result", async () => {
    await client.call("board_note", { board_id: 7 }, read)
    await expect(client.call("board_note", { board_id: 7 }, read)).resolves.toBe("seven")
    const [first, second] = server.calls()
    expect(first!.headers["if-none-match"]).toBeUndefined()
    expect(second!.headers["if-none-match"]).toMatch(/^"[0-9a-f]{32}"$/)
  })

  it("get the new value in full when it changed, and its new ETag", async () => {
    await client.call("board_note", { board_id: 7 }, read)
    board["7"] = "changed"
    await expect(client.call("board_note", { board_id: 7 }, read)).resolves.toBe("changed")
    await expect(client.call("board_note", { board_id: 7 }, read)).resolves.toBe("changed")
    const etags = server.calls().map((request) => request.headers["if-none-match"])
    expect(etags[1]).not.toBe(etags[2])
  })

  it("keep one ETag per args: list 8's first read is a full GET", async () => {
    await client.call("board_note", { board_id: 7 }, read)
    await client.call("board_note", { board_id: 8 }, read)
    expect(server.calls()[1]!.headers["if-none-match"]).toBeUndefined()
  })

  it("share a batch on their first read, and revalidate alone once they have an ETag", async () => {
    await Promise.all([client.call("board_note", { board_id: 7 }, read), client.call("board_note", { board_id: 8 }, read)])
    expect(server.calls().map((request) => request.path)).toEqual(["batch/"])

    await client.call("board_note", { board_id: 7 }, read) // alone in its tick: a GET, which learns the ETag
    const results = await Promise.all([
      client.call("board_note", { board_id: 7 }, read),
      client.call("board_note", { board_id: 8 }, read),
      client.call("write_note", { board_id: 9, note: "nine" }),
    ])
    expect(results).toEqual(["seven", "eight", null])
    const last = server.calls().slice(2).map((request) => `${request.method} ${request.path}`).sort()
    expect(last).toEqual(["GET call/board_note/", "POST batch/"])
  })

  it("do not remember an error: the next read is a full GET", async () => {
    server.fn("board_note", () => ({ error: { code: "FORBIDDEN", message: "no" }, status: 403 }))
    await expect(client.call("board_note", { board_id: 7 }, read)).rejects.toMatchObject({ code: "FORBIDDEN" })
    server.fn("board_note", () => ({ result: "back" }))
    await expect(client.call("board_note", { board_id: 7 }, read)).resolves.toBe("back")
    expect(server.calls()[1]!.headers["if-none-match"]).toBeUndefined()
  })

  it("through TanStack: a plain refetch is a 304, the refetch after a write revalidates and gets the new value", async () => {
    const queryClient = new QueryClient()
    client.connect(queryClient)
    const options = mizanQueryOptions<string>("board_note", { board_id: 7 }, { context: true })
    const observer = new QueryObserver(queryClient, options)
    const unsubscribe = observer.subscribe(() => undefined)
    await expect(queryClient.fetchQuery(options)).resolves.toBe("seven")
    await queryClient.refetchQueries({ queryKey: options.queryKey })
    expect(queryClient.getQueryData(options.queryKey)).toBe("seven")

    await client.call("write_note", { board_id: 7, note: "new" }) // invalidates board_note: the active query refetches
    expect(queryClient.getQueryData(options.queryKey)).toBe("new")
    unsubscribe()
    const statuses = server.calls().map((request) => `${request.method} ${request.headers["if-none-match"] ? "conditional" : "full"}`)
    expect(statuses).toEqual(["GET full", "GET conditional", "POST full", "GET conditional"])
  })
})

describe("ReadValidators", () => {
  it("forgets the least recently used read beyond its bound", () => {
    const validators = new ReadValidators(2)
    validators.remember("f", { a: 1 }, '"1"', 1)
    validators.remember("f", { a: 2 }, '"2"', 2)
    validators.result("f", { a: 1 }) // used: a=2 is now the oldest
    validators.remember("f", { a: 3 }, '"3"', 3)
    expect([validators.etag("f", { a: 1 }), validators.etag("f", { a: 2 }), validators.etag("f", { a: 3 })]).toEqual(['"1"', undefined, '"3"'])
  })

  it("keys by canonical args: the order of properties does not matter", () => {
    const validators = new ReadValidators()
    validators.remember("f", { a: 1, b: 2 }, '"x"', "x")
    expect(validators.etag("f", { b: 2, a: 1 })).toBe('"x"')
  })

  it("puts the args in the query string, none for empty args", () => {
    expect(readPath("todo.list", {})).toBe("call/todo.list/")
    expect(readPath("f", { q: "a&b" })).toBe(`call/f/?args=${encodeURIComponent('{"q":"a&b"}')}`)
  })
})
