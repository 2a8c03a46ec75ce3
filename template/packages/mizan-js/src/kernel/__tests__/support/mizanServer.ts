/**
 * A scripted Mizan backend on a real HTTP server (node:http, free port): it speaks the wire protocol of
 * PROTOCOL §2 (call, context reads over GET with ETag, batch, session, CSRF) so the kernel's transport runs for
 * real. Each test scripts the functions it needs and reads back the requests that arrived.
 */

import { createHash } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingMessage["headers"]
  body: unknown
  /** The parsed `args` of a GET read's query string. */
  args?: unknown
}

export type Answer =
  | { result: unknown; invalidate?: string[]; headerOnly?: boolean }
  | { error: { code: string; message: string; details?: object }; status: number }

export type FunctionHandler = (args: Record<string, unknown>) => Answer | Promise<Answer>
export type RawHandler = (request: IncomingMessage, response: ServerResponse) => void

export interface MizanTestServer {
  baseUrl: string
  requests: RecordedRequest[]
  /** Requests other than the session one. */
  calls(): RecordedRequest[]
  /** Scripts the server function `fn`. */
  fn(name: string, handler: FunctionHandler): void
  /** Answers `path` (under the base URL, e.g. "call/echo/") with a raw handler instead of the protocol. */
  raw(path: string, handler: RawHandler): void
  /** When set, unsafe requests must carry it as X-CSRFToken and /session/ hands it out. */
  csrfToken: string | undefined
  close(): Promise<void>
}

const PREFIX = "/api/mizan/"

export async function startMizanServer(): Promise<MizanTestServer> {
  const functions = new Map<string, FunctionHandler>()
  const raws = new Map<string, RawHandler>()
  const requests: RecordedRequest[] = []
  const state: { csrfToken: string | undefined } = { csrfToken: undefined }

  const server = createServer((request, response) => {
    void handle(request, response)
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString("utf8")
    const path = (request.url ?? "").split("?")[0]!.slice(PREFIX.length)
    let body: unknown = undefined
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = text
    }
    const query = new URL(request.url ?? "", "http://server").searchParams.get("args")
    const args: unknown = query === null ? undefined : JSON.parse(query)
    requests.push({ method: request.method ?? "", path, headers: request.headers, body, args })

    const raw = raws.get(path)
    if (raw) return raw(request, response)
    if (path === "session/") {
      return send(response, 200, { csrfToken: state.csrfToken ?? "", authenticated: false })
    }
    const unsafe = request.method !== "GET" && request.method !== "HEAD"
    if (unsafe && state.csrfToken !== undefined && request.headers["x-csrftoken"] !== state.csrfToken) {
      return send(response, 403, { error: { code: "FORBIDDEN", message: "CSRF token missing or incorrect." } })
    }
    if (path === "batch/") {
      const calls = (body as { calls: { fn: string; args: Record<string, unknown> }[] }).calls
      const results: unknown[] = []
      const union = new Set<string>()
      for (const call of calls) {
        const answer = await run(call.fn, call.args)
        if ("result" in answer) {
          for (const key of answer.invalidate ?? []) union.add(key)
          results.push({ result: answer.result, invalidate: answer.invalidate ?? [] })
        } else {
          results.push({ error: answer.error })
        }
      }
      return send(response, 200, { results, invalidate: [...union] }, [...union])
    }
    const match = /^call\/([^/]+)\/$/.exec(path)
    if (!match) return send(response, 404, { error: { code: "NOT_FOUND", message: `no route ${path}` } })
    if (request.method === "GET") return read(request, response, decodeURIComponent(match[1]!), args ?? {})
    const answer = await run(decodeURIComponent(match[1]!), (body ?? {}) as Record<string, unknown>)
    if ("result" in answer) {
      const keys = answer.invalidate ?? []
      const envelope = { result: answer.result, invalidate: answer.headerOnly ? [] : keys }
      return send(response, 200, envelope, keys)
    }
    return send(response, answer.status, { error: answer.error })
  }

  // A context read (PROTOCOL §2): args in the query string, ETag = hash of the body, 304 on If-None-Match.
  async function read(request: IncomingMessage, response: ServerResponse, fn: string, args: unknown): Promise<void> {
    const answer = await run(fn, args as Record<string, unknown>)
    if (!("result" in answer)) return send(response, answer.status, { error: answer.error })
    const text = JSON.stringify({ result: answer.result, invalidate: [] })
    const etag = `"${createHash("sha256").update(text).digest("hex").slice(0, 32)}"`
    if (request.headers["if-none-match"] === etag) {
      response.writeHead(304, { ETag: etag })
      return void response.end()
    }
    response.writeHead(200, { "Content-Type": "application/json", ETag: etag })
    response.end(text)
  }

  async function run(fn: string, args: Record<string, unknown>): Promise<Answer> {
    const handler = functions.get(fn)
    if (!handler) return { error: { code: "NOT_FOUND", message: `Unknown function ${fn}.` }, status: 404 }
    return handler(args)
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo

  return {
    baseUrl: `http://127.0.0.1:${port}/api/mizan`,
    requests,
    calls: () => requests.filter((request) => request.path !== "session/"),
    fn: (name, handler) => void functions.set(name, handler),
    raw: (path, handler) => void raws.set(path, handler),
    get csrfToken() {
      return state.csrfToken
    },
    set csrfToken(token) {
      state.csrfToken = token
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function send(response: ServerResponse, status: number, body: unknown, invalidate: string[] = []): void {
  const headers: Record<string, string> = { "Content-Type": "application/json" }
  if (invalidate.length > 0) headers["X-Mizan-Invalidate"] = invalidate.join(",")
  response.writeHead(status, headers)
  response.end(JSON.stringify(body))
}
