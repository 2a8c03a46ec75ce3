/**
 * `serveMizanSsr`: the SSR worker's entry. Called from the project's worker module, it does one of three
 * things depending on where it runs:
 *
 * - main thread: listen on `MIZAN_SSR_ADDRESS` (a Unix socket or host:port) and hand each render to a pool of
 *   renderer threads that load this same module;
 * - renderer thread: render the pages the main thread sends;
 * - `MIZAN_SSR_ONCE=1`: read one request on stdin, print its reply, exit (a process per render, for comparison).
 */

import { existsSync, unlinkSync } from "node:fs"
import { createServer, type Socket } from "node:net"
import { isMainThread, parentPort } from "node:worker_threads"
import { describeAddress, parseAddress } from "./address.js"
import { RendererPool } from "./pool.js"
import type { WorkerReply, WorkerRequest } from "./protocol.js"
import { renderRequest, type ComponentRegistry } from "./render.js"

export interface ServeOptions {
  /** Page components by the name Django's `render(request, "Name", props)` uses. */
  components: ComponentRegistry
  /** This module's `import.meta.url`: the renderer threads load it. */
  entry: string | URL
  /** Default `MIZAN_SSR_ADDRESS`. */
  address?: string
  /** Renderer threads; default `MIZAN_SSR_RENDERERS` or 4. */
  renderers?: number
}

/** The line printed once the worker accepts connections (mizan-dev's readiness probe waits for it). */
export const READY_LINE = "mizan-ssr: listening on"

const DEFAULT_TIMEOUT_MS = 2000

export function serveMizanSsr(options: ServeOptions): void {
  if (!isMainThread) return serveRenderer(options.components)
  if (process.env.MIZAN_SSR_ONCE === "1") return void renderOnce(options.components)
  void listen(options)
}

function serveRenderer(components: ComponentRegistry): void {
  const port = parentPort!
  port.on("message", (request: WorkerRequest) => {
    if (request.op === "render") port.postMessage(renderRequest(components, request))
  })
  port.postMessage({ ready: true })
}

async function renderOnce(components: ComponentRegistry): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  const request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as WorkerRequest
  const reply = request.op === "render" ? renderRequest(components, request) : { id: request.id, components: names(components) }
  process.stdout.write(JSON.stringify(reply) + "\n")
}

async function listen(options: ServeOptions): Promise<void> {
  const text = process.env.MIZAN_SSR_ADDRESS || options.address
  if (!text) {
    console.error("mizan-ssr: set MIZAN_SSR_ADDRESS (unix:/path/to/ssr.sock or host:port); mizan-dev up sets it.")
    process.exit(2)
  }
  const address = parseAddress(text)
  const size = options.renderers ?? positiveInt(process.env.MIZAN_SSR_RENDERERS, 4)
  const entry = options.entry instanceof URL ? options.entry : new URL(options.entry)
  const pool = new RendererPool({ entry, size, defaultTimeoutMs: DEFAULT_TIMEOUT_MS, log: (line) => console.error(line) })
  const server = createServer((socket) => serveConnection(socket, options.components, pool))
  if (address.kind === "unix" && existsSync(address.path)) unlinkSync(address.path) // a previous run's socket
  server.on("error", (error) => {
    console.error(`mizan-ssr: cannot listen on ${describeAddress(address)}: ${error.message}`)
    process.exit(1)
  })
  const stop = () => {
    server.close()
    if (address.kind === "unix" && existsSync(address.path)) unlinkSync(address.path)
    void pool.close().then(() => process.exit(0))
  }
  process.once("SIGTERM", stop)
  process.once("SIGINT", stop)
  const onListening = () => console.log(`${READY_LINE} ${describeAddress(address)} (${size} renderers)`)
  if (address.kind === "unix") server.listen(address.path, onListening)
  else server.listen(address.port, address.host, onListening)
}

function serveConnection(socket: Socket, components: ComponentRegistry, pool: RendererPool): void {
  socket.setNoDelay?.(true)
  let buffered = ""
  const send = (reply: WorkerReply) => {
    if (!socket.destroyed) socket.write(JSON.stringify(reply) + "\n")
  }
  socket.on("data", (chunk) => {
    buffered += chunk.toString("utf8")
    let newline = buffered.indexOf("\n")
    while (newline >= 0) {
      const line = buffered.slice(0, newline)
      buffered = buffered.slice(newline + 1)
      if (line.trim()) void answer(line, components, pool).then(send)
      newline = buffered.indexOf("\n")
    }
  })
  socket.on("error", () => socket.destroy())
}

async function answer(line: string, components: ComponentRegistry, pool: RendererPool): Promise<WorkerReply> {
  let request: WorkerRequest
  try {
    request = JSON.parse(line) as WorkerRequest
  } catch {
    return { id: null, kind: "bad_request", error: `not a JSON line: ${line.slice(0, 80)}` }
  }
  if (request.op === "components") return { id: request.id, components: names(components) }
  if (request.op !== "render" || typeof request.component !== "string") {
    return { id: typeof request.id === "number" ? request.id : null, kind: "bad_request", error: 'expected {"op": "render", "component": ...} or {"op": "components"}' }
  }
  if (!Object.hasOwn(components, request.component)) return renderRequest(components, request)
  return pool.render(request)
}

function names(components: ComponentRegistry): string[] {
  return Object.keys(components).sort()
}

function positiveInt(text: string | undefined, fallback: number): number {
  const value = Number(text)
  return Number.isInteger(value) && value > 0 ? value : fallback
}
