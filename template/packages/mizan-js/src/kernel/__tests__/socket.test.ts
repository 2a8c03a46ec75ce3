/**
 * The socket client against a real WebSocket server (`ws`) that plays the server side of PROTOCOL §6 as a
 * script: what the kernel sends, in which order, and what it does with pushes and drops. The Django server's
 * side is covered by integration/socket.test.ts.
 */

import { QueryClient, QueryObserver } from "@tanstack/query-core"
import { afterEach, describe, expect, it } from "vitest"
import WebSocket, { WebSocketServer } from "ws"

import { LiveInvalidation } from "../liveInvalidation.js"
import { MizanError } from "../mizanError.js"
import { MizanSocket, type WebSocketLike } from "../socket.js"

type Frame = Record<string, unknown>

interface Script {
  url: string
  /** Frames received, per connection. */
  connections: Frame[][]
  sockets: WebSocket[]
  /** Answers a frame; undefined: no answer. */
  answer: (frame: Frame) => Frame | undefined
  close(): Promise<void>
}

const servers: Script[] = []
const cleanups: (() => void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function scriptServer(port = 0): Promise<Script> {
  const wss = new WebSocketServer({ port, host: "127.0.0.1" })
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()))
  const address = wss.address() as { port: number }
  const script: Script = {
    url: `ws://127.0.0.1:${address.port}/ws/mizan/`,
    connections: [],
    sockets: [],
    answer: (frame) => ({ id: frame.id, ok: true }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of script.sockets) socket.terminate()
        wss.close(() => resolve())
      }),
  }
  wss.on("connection", (socket) => {
    const frames: Frame[] = []
    script.connections.push(frames)
    script.sockets.push(socket)
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as Frame
      frames.push(frame)
      const reply = script.answer(frame)
      if (reply) socket.send(JSON.stringify(reply))
    })
  })
  servers.push(script)
  return script
}

function socketTo(url: string, options: { reconnectMinMs?: number; reconnectMaxMs?: number } = {}): MizanSocket {
  const socket = new MizanSocket({ url, createWebSocket: (target) => new WebSocket(target) as unknown as WebSocketLike, ...options })
  cleanups.push(() => socket.close())
  return socket
}

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe("MizanSocket", () => {
  it("stays idle until asked, then sends frames made while connecting once open, in order", async () => {
    const server = await scriptServer()
    const socket = socketTo(server.url)
    expect(socket.status).toBe("idle")
    const replies = await Promise.all([socket.request({ action: "watch", keys: ["a"] }), socket.request({ action: "watch", keys: ["b"] })])
    expect(server.connections).toHaveLength(1)
    expect(server.connections[0]).toEqual([
      { id: 1, action: "watch", keys: ["a"] },
      { id: 2, action: "watch", keys: ["b"] },
    ])
    expect(replies).toEqual([{ id: 1, ok: true }, { id: 2, ok: true }])
    expect(socket.status).toBe("connected")
  })

  it("rejects a sent, unanswered request with NETWORK_ERROR when the socket drops, and reconnects", async () => {
    const server = await scriptServer()
    server.answer = () => undefined
    const socket = socketTo(server.url, { reconnectMinMs: 20, reconnectMaxMs: 40 })
    const opens: boolean[] = []
    socket.onOpen((reconnected) => opens.push(reconnected))
    const pending = socket.request({ action: "rpc", fn: "slow", args: {} })
    await until("the frame arrived", () => server.connections[0]?.length === 1)
    server.sockets[0]!.terminate()
    const error = await pending.catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(MizanError)
    expect((error as MizanError).code).toBe("NETWORK_ERROR")
    await until("reconnected", () => opens.length === 2)
    expect(opens).toEqual([false, true])
  })

  it("backs off between failed attempts, within [ceiling/2, ceiling] of a doubling ceiling", async () => {
    const server = await scriptServer()
    const port = Number(new URL(server.url).port)
    await server.close()
    servers.length = 0
    const attempts: number[] = []
    const socket = new MizanSocket({
      url: `ws://127.0.0.1:${port}/ws/mizan/`,
      createWebSocket: (target) => {
        attempts.push(Date.now())
        return new WebSocket(target) as unknown as WebSocketLike
      },
      reconnectMinMs: 40,
      reconnectMaxMs: 160,
    })
    cleanups.push(() => socket.close())
    socket.open()
    await until("five attempts", () => attempts.length >= 5, 5_000)
    const gaps = attempts.slice(1).map((at, index) => at - attempts[index]!)
    // Ceilings 40, 80, 160, 160: each gap is at least half its ceiling (timers never fire early).
    ;[40, 80, 160, 160].forEach((ceiling, index) => expect(gaps[index]).toBeGreaterThanOrEqual(ceiling / 2 - 2))
    expect(socket.status).not.toBe("connected")
  })

  it("reconnect() opens a new connection at once (a login changes the handshake's session); idle stays idle", async () => {
    const server = await scriptServer()
    const socket = socketTo(server.url, { reconnectMinMs: 5_000 })
    socket.reconnect()
    expect(socket.status).toBe("idle")
    const opens: boolean[] = []
    socket.onOpen((reconnected) => opens.push(reconnected))
    await socket.request({ action: "watch", keys: ["a"] })
    socket.reconnect()
    await until("reopened", () => opens.length === 2)
    expect(opens).toEqual([false, true])
    expect(server.connections).toHaveLength(2) // no backoff wait: reconnectMinMs is 5 s
  })

  it("rejects a waiting request with TIMEOUT when its signal times out while connecting", async () => {
    const socket = socketTo("ws://127.0.0.1:9/ws/mizan/", { reconnectMinMs: 20 })
    const error = await socket.request({ action: "rpc", fn: "x", args: {} }, AbortSignal.timeout(100)).catch((reason: unknown) => reason)
    expect((error as MizanError).code).toBe("TIMEOUT")
  })
})

describe("LiveInvalidation", () => {
  async function live() {
    const server = await scriptServer()
    const socket = socketTo(server.url, { reconnectMinMs: 20, reconnectMaxMs: 40 })
    const liveInvalidation = new LiveInvalidation(socket)
    const queryClient = new QueryClient()
    cleanups.push(() => liveInvalidation.close(), () => queryClient.clear())
    liveInvalidation.serve(queryClient)
    let reads = 0
    const observe = (fn: string, args: object) => {
      const observer = new QueryObserver(queryClient, {
        queryKey: ["mizan", fn, args],
        queryFn: () => ++reads,
        staleTime: Infinity,
      })
      const stop = observer.subscribe(() => undefined)
      cleanups.push(stop)
      return { observer, stop }
    }
    return { server, socket, liveInvalidation, queryClient, observe, reads: () => reads }
  }

  it("watches the keys of observed queries in one frame per burst, and unwatches on the last unmount", async () => {
    const { server, liveInvalidation, observe } = await live()
    const first = observe("todo_list", { list_id: 7 })
    const second = observe("todo_list", { list_id: 7 })
    observe("todo_count", { list_id: 7, unset: undefined })
    await until("watched", () => liveInvalidation.watchedKeys.length === 2)
    await until("one frame", () => server.connections[0]?.length === 1)
    expect(server.connections[0]![0]).toEqual({ id: 1, action: "watch", keys: ["todo_list?list_id=7", "todo_count?list_id=7"] })
    first.stop()
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(server.connections[0]).toHaveLength(1) // another observer still has the list
    second.stop()
    await until("unwatched", () => server.connections[0]!.length === 2)
    expect(server.connections[0]![1]).toEqual({ id: 2, action: "unwatch", keys: ["todo_list?list_id=7"] })
  })

  it("refetches the queries an invalidate push matches, and every watched one on resync", async () => {
    const { server, liveInvalidation, observe, reads } = await live()
    const seven = observe("todo_list", { list_id: 7 })
    const eight = observe("todo_list", { list_id: 8 })
    await until("watched", () => liveInvalidation.watchedKeys.length === 2)
    await until("answered", () => server.connections[0]?.length === 1)
    await until("loaded", () => reads() === 2)
    server.sockets[0]!.send(JSON.stringify({ invalidate: ["todo_list?list_id=7"] }))
    await until("list 7 refetched", () => seven.observer.getCurrentResult().data === 3)
    expect(eight.observer.getCurrentResult().data).toBe(2)
    server.sockets[0]!.send(JSON.stringify({ resync: true }))
    await until("both refetched", () => reads() === 5)
  })

  it("never asks again for a key the server refused as not a context read", async () => {
    const { server, socket, liveInvalidation, observe } = await live()
    server.answer = (frame) =>
      frame.action === "watch"
        ? { id: frame.id, error: { code: "BAD_REQUEST", message: "not a context", details: { keys: { echo: "BAD_REQUEST" } } } }
        : { id: frame.id, ok: true }
    observe("echo", {})
    observe("todo_list", { list_id: 1 })
    await until("answered", () => server.connections[0]?.length === 1)
    await until("only the context key is watched", () => liveInvalidation.watchedKeys.join() === "todo_list?list_id=1")
    server.sockets[0]!.terminate()
    await until("reconnected and re-watched", () => server.connections[1]?.length === 1)
    expect(server.connections[1]![0]).toEqual({ id: expect.any(Number), action: "watch", keys: ["todo_list?list_id=1"] })
    expect(socket.status).toBe("connected")
  })
})
