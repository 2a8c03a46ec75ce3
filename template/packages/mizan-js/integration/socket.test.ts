import { QueryClient, QueryObserver } from "@tanstack/query-core"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import WebSocket from "ws"

import {
  callOverSocket,
  MizanClient,
  MizanError,
  MizanRealtime,
  mizanQueryOptions,
  type ChannelStatus,
  type WebSocketLike,
} from "mizan-js"

import { startDjangoServer, type DjangoServer } from "./djangoServer.js"

/**
 * The kernel's socket against a real uvicorn + Django + Channels (in-memory layer): two clients in one
 * process, each with its own MizanClient, QueryClient and socket, as two browser tabs would have.
 */

interface Todo {
  id: number
  list_id: number
  title: string
}

let server: DjangoServer
const open: { realtime: MizanRealtime; queryClient: QueryClient; stops: (() => void)[] }[] = []

beforeAll(async () => {
  server = await startDjangoServer()
  // The generated client does this for the functions declared websocket=True.
  callOverSocket(["shout", "add_todo_live"])
})

afterAll(async () => {
  await server?.stop()
})

afterEach(() => {
  for (const tab of open.splice(0)) {
    for (const stop of tab.stops) stop()
    tab.realtime.close()
    tab.queryClient.clear()
  }
})

/** A "tab": its own client, QueryClient and socket; `reads` lists the HTTP calls it made, by function. */
function tab() {
  const reads: string[] = []
  const recording: typeof fetch = async (input, init) => {
    const path = new URL(String(input)).pathname
    const fn = /\/call\/([^/]+)\/$/.exec(path)?.[1]
    if (fn) reads.push(decodeURIComponent(fn))
    return fetch(input, init)
  }
  const queryClient = new QueryClient()
  const client = new MizanClient({ baseUrl: `${server.origin}/api/mizan`, fetch: recording, queryClient, batch: false })
  const frames: unknown[] = []
  const realtime = new MizanRealtime(client, {
    url: `${server.origin.replace("http", "ws")}/ws/mizan/`,
    // Browsers send the page's Origin; the server checks it against ALLOWED_HOSTS.
    createWebSocket: (url) => {
      const ws = new WebSocket(url, { origin: server.origin })
      ws.addEventListener("message", (event) => frames.push(JSON.parse(String(event.data))))
      return ws as unknown as WebSocketLike
    },
    reconnectMinMs: 100,
    reconnectMaxMs: 400,
  })
  const stops = [realtime.serve(queryClient)]
  open.push({ realtime, queryClient, stops })
  /** Observes `fn(args)` as a mounted component would. */
  const observe = <R,>(fn: string, args: object) => {
    const observer = new QueryObserver(queryClient, mizanQueryOptions<R>(fn, args))
    stops.push(observer.subscribe(() => undefined))
    return observer
  }
  return { client, queryClient, realtime, reads, frames, observe }
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function watched(realtime: MizanRealtime, keys: string[]): Promise<void> {
  await until(`the socket watches ${keys.join(", ")}`, () => keys.every((key) => realtime.live!.watchedKeys.includes(key)))
  // The watch frame is answered once its read ran on the server: wait for the reply, not just the send.
  await until("the watch is answered", () => realtime.status === "connected")
}

let nextList = 100
/** A list id no other test used (the server keeps todos in memory for its lifetime). */
function freshList(): number {
  return nextList++
}

describe("live invalidation across two clients", () => {
  it("a mutation by A over HTTP refetches B's query of that list, without B asking", async () => {
    const list = freshList()
    const a = tab()
    const b = tab()
    const seen = b.observe<Todo[]>("todo_list", { list_id: list })
    await until("B has loaded the list", () => seen.getCurrentResult().isSuccess)
    await watched(b.realtime, [`todo_list?list_id=${list}`])
    await waitForWatchReply(b.frames)
    expect(b.reads).toEqual(["todo_list"])

    const added = await a.client.call<Todo>("add_todo", { list_id: list, title: "from A" })

    await until("B shows A's todo", () => (seen.getCurrentResult().data ?? []).some((todo) => todo.id === added.id))
    expect(b.frames).toContainEqual({ invalidate: [`todo_list?list_id=${list}`] })
    expect(b.reads).toEqual(["todo_list", "todo_list"]) // one refetch, nothing else
  })

  it("a scoped key wakes only that list: list 8's watcher hears nothing of list 9", async () => {
    const [eight, nine] = [freshList(), freshList()]
    const a = tab()
    const b = tab()
    const list8 = b.observe<Todo[]>("todo_list", { list_id: eight })
    const list9 = b.observe<Todo[]>("todo_list", { list_id: nine })
    await until("B has loaded both lists", () => list8.getCurrentResult().isSuccess && list9.getCurrentResult().isSuccess)
    await watched(b.realtime, [`todo_list?list_id=${eight}`, `todo_list?list_id=${nine}`])
    await waitForWatchReply(b.frames)

    await a.client.call("add_todo", { list_id: nine, title: "nine" })
    await until("B's list 9 has the todo", () => list9.getCurrentResult().data?.length === 1)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(b.frames.filter(isInvalidation)).toEqual([{ invalidate: [`todo_list?list_id=${nine}`] }])
    expect(b.reads.filter((fn) => fn === "todo_list")).toHaveLength(3) // two loads, one refetch of list 9
    expect(list8.getCurrentResult().data).toEqual([])
  })

  it("an unmounted query is unwatched: its list's writes reach the socket no more", async () => {
    const list = freshList()
    const a = tab()
    const b = tab()
    const observer = new QueryObserver(b.queryClient, mizanQueryOptions<Todo[]>("todo_list", { list_id: list }))
    const unsubscribe = observer.subscribe(() => undefined)
    await until("B has loaded the list", () => observer.getCurrentResult().isSuccess)
    await watched(b.realtime, [`todo_list?list_id=${list}`])
    unsubscribe()
    await until("the key is unwatched", () => b.realtime.live!.watchedKeys.length === 0)
    await until("the unwatch is answered", () => b.frames.filter((frame) => isReply(frame) && frame.ok === true).length >= 2)

    await a.client.call("add_todo", { list_id: list, title: "unseen" })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(b.frames.filter(isInvalidation)).toEqual([])
  })
})

describe("websocket=True functions over the socket", () => {
  it("go as rpc frames and resolve with the result; a call made while connecting waits", async () => {
    const a = tab()
    expect(a.realtime.status).toBe("idle") // nothing needed the socket yet
    const result = await a.client.call<string>("shout", { text: "hello" })
    expect(result).toBe("HELLO")
    expect(a.reads).toEqual([]) // no HTTP request
    expect(a.frames).toContainEqual(expect.objectContaining({ result: "HELLO" }))
  })

  it("reject with the same MizanError as over HTTP", async () => {
    const a = tab()
    const error = await a.client.call("shout", { text: "" }).catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(MizanError)
    expect((error as MizanError).code).toBe("VALIDATION_ERROR")
    expect((error as MizanError).getFieldErrors("text").length).toBeGreaterThan(0)
    expect((error as MizanError).status).toBe(422)
  })

  it("a mutation over the socket invalidates its own client at once and the other client live", async () => {
    const list = freshList()
    const a = tab()
    const b = tab()
    const mine = a.observe<Todo[]>("todo_list", { list_id: list })
    const theirs = b.observe<Todo[]>("todo_list", { list_id: list })
    await until("both loaded", () => mine.getCurrentResult().isSuccess && theirs.getCurrentResult().isSuccess)
    await watched(b.realtime, [`todo_list?list_id=${list}`])
    await waitForWatchReply(b.frames)

    const added = await a.client.call<Todo>("add_todo_live", { list_id: list, title: "over the socket" })
    // The call resolves once its own answer's keys are refetched (as over HTTP).
    expect(mine.getCurrentResult().data).toContainEqual(expect.objectContaining({ id: added.id }))
    expect(a.frames).toContainEqual(expect.objectContaining({ invalidate: [`todo_list?list_id=${list}`], result: expect.anything() }))
    await until("B sees it", () => (theirs.getCurrentResult().data ?? []).some((todo) => todo.id === added.id))
  })

  it("a call whose timeout passes while the socket cannot connect rejects with TIMEOUT", async () => {
    const queryClient = new QueryClient()
    const client = new MizanClient({ baseUrl: `${server.origin}/api/mizan`, queryClient })
    // A port nobody listens on: the socket keeps retrying, the call gives up at its timeout.
    const realtime = new MizanRealtime(client, {
      url: "ws://127.0.0.1:9/ws/mizan/",
      createWebSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
      reconnectMinMs: 50,
    })
    open.push({ realtime, queryClient, stops: [] })
    const started = Date.now()
    const error = await client.call("shout", { text: "x" }, { timeoutMs: 300 }).catch((reason: unknown) => reason)
    expect((error as MizanError).code).toBe("TIMEOUT")
    expect(Date.now() - started).toBeLessThan(2_000)
  })
})

describe("channels", () => {
  it("two subscribers of one room: a send by one reaches both, typed as the server sent it", async () => {
    const a = tab()
    const b = tab()
    const got: { a: unknown[]; b: unknown[] } = { a: [], b: [] }
    const statuses: ChannelStatus[] = []
    const subA = a.realtime.subscribe<{ room: string }, { text: string }, { text: string; kind: string }>(
      "chat", { room: "general" }, { onMessage: (m) => got.a.push(m), onStatus: (s) => statuses.push(s) },
    )
    const subB = b.realtime.subscribe("chat", { room: "general" }, { onMessage: (m) => got.b.push(m) })
    await until("both subscribed", () => subA.status === "connected" && subB.status === "connected")
    expect(statuses).toEqual(["connected"])
    // B's join was announced to the room A already was in (joined()).
    await until("A heard B join", () => got.a.some((m) => (m as { kind: string }).kind === "joined"))

    await subA.send({ text: "hello" })
    await until("both got it", () => [got.a, got.b].every((list) => list.some((m) => (m as { text: string }).text === "hello")))
    expect(got.b).toContainEqual({ text: "hello", kind: "message" })
  })

  it("send waits for the subscription to open; an invalid message is VALIDATION_ERROR and the socket stays usable", async () => {
    const a = tab()
    const sub = a.realtime.subscribe<{ room: string }, { text: string }, unknown>("chat", { room: "waits" })
    await sub.send({ text: "sent while connecting" }) // no wait by the caller
    const error = await sub.send({ text: "" }).catch((reason: unknown) => reason)
    expect((error as MizanError).code).toBe("VALIDATION_ERROR")
    expect(await a.client.call("shout", { text: "still here" })).toBe("STILL HERE")
  })

  it("a forbidden subscribe and an unknown channel get their codes; other subscriptions go on", async () => {
    const a = tab()
    const errors: MizanError[] = []
    const secret = a.realtime.subscribe("chat", { room: "secret" }, { onError: (e) => errors.push(e) })
    const nowhere = a.realtime.subscribe("no_such_channel", {}, { onError: (e) => errors.push(e) })
    const bad = a.realtime.subscribe("chat", { room: 7 }, { onError: (e) => errors.push(e) })
    await until("three refusals", () => errors.length === 3)
    expect(new Set(errors.map((e) => e.code))).toEqual(new Set(["UNAUTHORIZED", "NOT_FOUND", "VALIDATION_ERROR"]))
    expect([secret.status, nowhere.status, bad.status]).toEqual(["disconnected", "disconnected", "disconnected"])
    const fine = a.realtime.subscribe("chat", { room: "fine" })
    await until("the next subscription opens", () => fine.status === "connected")
  })
})

describe("reconnect", () => {
  it("after the server restarts: reconnects, re-subscribes, re-watches and refetches the watched queries once", async () => {
    const list = freshList()
    const b = tab()
    const seen = b.observe<Todo[]>("todo_list", { list_id: list })
    const messages: unknown[] = []
    const sub = b.realtime.subscribe("chat", { room: "restart" }, { onMessage: (m) => messages.push(m) })
    await until("loaded and subscribed", () => seen.getCurrentResult().isSuccess && sub.status === "connected")
    await watched(b.realtime, [`todo_list?list_id=${list}`])
    await waitForWatchReply(b.frames)
    const readsBefore = b.reads.length

    const port = Number(new URL(server.origin).port)
    await server.stop()
    await until("B sees the socket go", () => b.realtime.status !== "connected")
    expect(sub.status).toBe("disconnected")
    server = await startDjangoServer(port)

    await until("B is back", () => b.realtime.status === "connected" && sub.status === "connected", 20_000)
    await until("the watched list was refetched", () => b.reads.length === readsBefore + 1)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(b.reads.length).toBe(readsBefore + 1) // once

    // Watched again: a write on the new server reaches B live.
    const a = tab()
    const added = await a.client.call<Todo>("add_todo", { list_id: list, title: "after restart" })
    await until("B shows it", () => (seen.getCurrentResult().data ?? []).some((todo) => todo.id === added.id))
    await a.realtime.subscribe<{ room: string }, { text: string }, unknown>("chat", { room: "restart" }).send({ text: "back" })
    await until("B's re-subscription hears the room", () => messages.some((m) => (m as { text: string }).text === "back"))
  }, 60_000)
})

function isInvalidation(frame: unknown): boolean {
  return typeof frame === "object" && frame !== null && "invalidate" in frame && !("id" in frame)
}

function isReply(frame: unknown): frame is Record<string, unknown> {
  return typeof frame === "object" && frame !== null && "id" in frame
}

/** Waits for the server's answer to a watch frame (`{"id", "ok": true}`): from then on, writes reach this socket. */
async function waitForWatchReply(frames: unknown[]): Promise<void> {
  await until("the watch is answered", () => frames.some((frame) => isReply(frame) && frame.ok === true))
}
