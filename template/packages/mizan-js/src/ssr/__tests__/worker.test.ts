// The SSR worker as a real Bun process on a real Unix socket: concurrent renders, failures, timeouts, restarts.
import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { connect, type Socket } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { READY_LINE } from "../serve.js"

const PACKAGE = fileURLToPath(new URL("../../../", import.meta.url))
const BUN = join(PACKAGE, "node_modules", ".bin", "bun")
const WORKER = fileURLToPath(new URL("./fixtures/worker.tsx", import.meta.url))

type Reply = { id: number | null; html?: string; components?: string[]; error?: string; kind?: string }

/** One connection speaking the worker's NDJSON: requests carry ids, replies come back in any order. */
class Connection {
  readonly #socket: Socket
  readonly #waiting = new Map<number, (reply: Reply) => void>()
  #buffered = ""
  #nextId = 1

  constructor(path: string) {
    this.#socket = connect(path)
    this.#socket.on("data", (chunk) => {
      this.#buffered += chunk.toString("utf8")
      let newline
      while ((newline = this.#buffered.indexOf("\n")) >= 0) {
        const reply = JSON.parse(this.#buffered.slice(0, newline)) as Reply
        this.#buffered = this.#buffered.slice(newline + 1)
        this.#waiting.get(reply.id!)?.(reply)
        this.#waiting.delete(reply.id!)
      }
    })
  }

  send(request: Record<string, unknown>): Promise<Reply> {
    const id = this.#nextId++
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve)
      this.#socket.write(JSON.stringify({ ...request, id }) + "\n")
    })
  }

  render(component: string, props: Record<string, unknown> = {}, timeoutMs?: number): Promise<Reply> {
    return this.send({ op: "render", component, props, hydration: { queries: [] }, timeoutMs })
  }

  close(): void {
    this.#socket.destroy()
  }
}

let folder: string
let worker: ChildProcess
let logs = ""
let connection: Connection

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "mizan-ssr-"))
  const socketPath = join(folder, "ssr.sock")
  worker = spawn(BUN, [WORKER], {
    env: { ...process.env, MIZAN_SSR_ADDRESS: `unix:${socketPath}`, MIZAN_SSR_RENDERERS: "2" },
    stdio: ["ignore", "pipe", "pipe"],
  })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker printed no ready line:\n${logs}`)), 15000)
    worker.stdout!.on("data", (chunk: Buffer) => {
      logs += chunk.toString()
      if (logs.includes(READY_LINE)) {
        clearTimeout(timer)
        resolve()
      }
    })
    worker.stderr!.on("data", (chunk: Buffer) => (logs += chunk.toString()))
    worker.on("exit", (code) => reject(new Error(`the worker exited (${code}):\n${logs}`)))
  })
  connection = new Connection(socketPath)
}, 20000)

afterAll(async () => {
  connection?.close()
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker.once("exit", resolve))
    worker.kill("SIGTERM")
    await exited
  }
  rmSync(folder, { recursive: true, force: true })
})

describe("the SSR worker under Bun", () => {
  it("lists its components and renders one with its props, escaped", async () => {
    expect((await connection.send({ op: "components" })).components).toEqual([
      "Big", "Contexts", "Echo", "Exits", "Hello", "Slow", "Throws",
    ])
    const reply = await connection.render("Hello", { name: "</script><b>" })
    expect(reply.html).toBe('<p class="hello">Hello, <!-- -->&lt;/script&gt;&lt;b&gt;<!-- -->!</p>')
  })

  it("renders a context from the hydration data, with no socket and no request", async () => {
    const reply = await connection.send({
      op: "render",
      component: "Contexts",
      props: {},
      hydration: { queries: [{ fn: "current_user", args: {}, result: { username: "ada" } }] },
    })
    expect(reply.html).toContain('<p data-testid="user">ada</p>')
  })

  it("answers a fast render while a slow one holds the other renderer", async () => {
    const started = Date.now()
    const slow = connection.render("Slow", { ms: 600 })
    const fast = await connection.render("Hello", { name: "quick" })
    expect(fast.html).toContain("quick")
    expect(Date.now() - started).toBeLessThan(500)
    expect((await slow).html).toBe("<p>slow done</p>")
  })

  it("renders many pages in flight at once on one connection, each to its own reply", async () => {
    const replies = await Promise.all(Array.from({ length: 40 }, (_, index) => connection.render("Hello", { name: `n${index}` })))
    replies.forEach((reply, index) => expect(reply.html).toContain(`n${index}<!-- -->!`))
  })

  it("reports a component that throws, an unknown one and a bad line, and keeps serving", async () => {
    expect(await connection.render("Throws", { message: "no data" })).toMatchObject({ kind: "render_error", error: "Error: no data" })
    const unknown = await connection.render("Missing")
    expect(unknown.kind).toBe("unknown_component")
    expect(unknown.error).toContain("registered: Big, Contexts, Echo, Exits, Hello, Slow, Throws")
    expect((await connection.render("Hello", { name: "after" })).html).toContain("after")
  })

  it("abandons a render past its timeout, replaces the renderer and renders the next page", async () => {
    const started = Date.now()
    const reply = await connection.render("Slow", { ms: 5000 }, 200)
    expect(reply).toMatchObject({ kind: "timeout" })
    expect(reply.error).toContain("Slow took longer than 200 ms")
    expect(Date.now() - started).toBeLessThan(1500)
    const next = await Promise.all([connection.render("Hello", { name: "a" }), connection.render("Hello", { name: "b" })])
    expect(next.map((one) => one.html?.includes("Hello"))).toEqual([true, true])
    expect(logs).toContain("Slow overran 200 ms")
  })

  it("replaces a renderer that dies mid-render, with backoff, and the next renders work", async () => {
    expect(await connection.render("Exits")).toMatchObject({ kind: "crashed", error: "the renderer of Exits exited" })
    expect(await connection.render("Exits")).toMatchObject({ kind: "crashed" })
    const after = await Promise.all(Array.from({ length: 6 }, (_, index) => connection.render("Hello", { name: `r${index}` })))
    expect(after.every((reply) => reply.html?.includes("Hello"))).toBe(true)
    const big = await connection.render("Big")
    expect(big.html!.length).toBeGreaterThan(40_000)
  })
})
