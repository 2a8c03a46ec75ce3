/**
 * The provider's socket and the channel hook in a React tree against a `ws` server scripted as the Mizan
 * socket, and the scripted HTTP backend for the reads. The client socket is `ws` too: jsdom's WebSocket
 * (undici) cannot dispatch its events inside jsdom's realm.
 */

import { act, render, screen } from "@testing-library/react"
import { StrictMode, useState } from "react"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import NodeWebSocket, { WebSocketServer, type WebSocket } from "ws"
import type { WebSocketLike } from "../../kernel/index.js"
import { startMizanServer, type MizanTestServer } from "../../kernel/__tests__/support/mizanServer.js"
import { MizanContext, useMizanChannel, useMizanContextQuery, useMizanSocketStatus } from "../index.js"

type Frame = Record<string, unknown>

let http: MizanTestServer
let wss: WebSocketServer
let url: string
let sockets: WebSocket[]
let frames: Frame[]
let options: { url: string; createWebSocket: (url: string) => WebSocketLike }

beforeEach(async () => {
  http = await startMizanServer()
  sockets = []
  frames = []
  wss = new WebSocketServer({ port: 0, host: "127.0.0.1" })
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()))
  url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws/mizan/`
  options = { url, createWebSocket: (target) => new NodeWebSocket(target) as unknown as WebSocketLike }
  wss.on("connection", (socket) => {
    sockets.push(socket)
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as Frame
      frames.push(frame)
      socket.send(JSON.stringify(frame.action === "subscribe" ? { id: frame.id, subscribed: true } : { id: frame.id, ok: true }))
    })
  })
})

afterEach(async () => {
  await http.close()
  for (const socket of sockets) socket.terminate()
  await new Promise<void>((resolve) => wss.close(() => resolve()))
})

async function until(what: string, check: () => boolean): Promise<void> {
  const end = Date.now() + 5_000
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`)
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)))
  }
}

function Status() {
  return <p>socket {useMizanSocketStatus()}</p>
}

function Chat({ room }: { room: string }) {
  const chat = useMizanChannel<{ room: string }, { text: string }, { text: string }>("chat", { room })
  return (
    <div>
      <p>chat {chat.status}</p>
      <ul>
        {chat.messages.map((message, index) => (
          <li key={index}>{message.text}</li>
        ))}
      </ul>
      <button onClick={() => void chat.send({ text: "hi" })}>send</button>
    </div>
  )
}

describe("<MizanContext realtime>", () => {
  it("opens no socket until something needs one; realtime={false} opens none at all", async () => {
    const { unmount } = render(
      <MizanContext baseUrl={http.baseUrl} realtime={options}>
        <Status />
      </MizanContext>,
    )
    expect(screen.getByText("socket idle")).toBeTruthy()
    unmount()
    render(
      <MizanContext baseUrl={http.baseUrl} realtime={false}>
        <Status />
      </MizanContext>,
    )
    expect(screen.getByText("socket off")).toBeTruthy()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(sockets).toHaveLength(0)
  })

  it("useMizanChannel subscribes, shows pushed messages, sends typed ones, and unsubscribes on unmount", async () => {
    function Toggle() {
      const [shown, setShown] = useState(true)
      return (
        <>
          <button onClick={() => setShown(false)}>hide</button>
          {shown && <Chat room="general" />}
          <Status />
        </>
      )
    }
    render(
      <StrictMode>
        <MizanContext baseUrl={http.baseUrl} realtime={options}>
          <Toggle />
        </MizanContext>
      </StrictMode>,
    )
    await until("subscribed", () => screen.queryByText("chat connected") !== null)
    expect(screen.getByText("socket connected")).toBeTruthy()
    expect(sockets).toHaveLength(1) // StrictMode's remount kept the one socket
    const subscribe = frames.filter((frame) => frame.action === "subscribe").at(-1)!
    expect(subscribe).toMatchObject({ channel: "chat", params: { room: "general" } })

    act(() => sockets[0]!.send(JSON.stringify({ sub: subscribe.id, message: { text: "pushed" } })))
    expect(await screen.findByText("pushed")).toBeTruthy()

    act(() => screen.getByText("send").click())
    await until("sent", () => frames.some((frame) => frame.action === "send"))
    expect(frames.find((frame) => frame.action === "send")).toMatchObject({ sub: subscribe.id, message: { text: "hi" } })

    act(() => screen.getByText("hide").click())
    await until("unsubscribed", () => frames.some((frame) => frame.action === "unsubscribe" && frame.sub === subscribe.id))
  })

  it("watches a mounted context query and refetches it when the server pushes its key", async () => {
    let count = 0
    http.fn("todo_count", () => ({ result: ++count }))
    function Count() {
      return <p>count {useMizanContextQuery<number>("todo_count", { list_id: 7 })}</p>
    }
    render(
      <MizanContext baseUrl={http.baseUrl} realtime={options}>
        <Count />
      </MizanContext>,
    )
    expect(await screen.findByText("count 1")).toBeTruthy()
    await until("watched", () => frames.some((frame) => frame.action === "watch"))
    expect(frames.find((frame) => frame.action === "watch")).toMatchObject({ keys: ["todo_count?list_id=7"] })
    act(() => sockets[0]!.send(JSON.stringify({ invalidate: ["todo_count?list_id=7"] })))
    expect(await screen.findByText("count 2")).toBeTruthy()
  })
})
