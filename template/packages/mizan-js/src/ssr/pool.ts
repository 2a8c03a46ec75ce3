/**
 * A pool of renderer threads. `renderToString` is synchronous, so one thread renders one page at a time; the
 * pool gives each render an idle thread (or queues it), so a slow page never holds up the others. A thread
 * that crashes, or overruns its render's timeout, is replaced, with a backoff while replacements keep failing.
 */

import { Worker } from "node:worker_threads"
import { describeError } from "./render.js"
import type { RenderRequest, WorkerReply } from "./protocol.js"

export interface PoolOptions {
  /** The module that runs `serveMizanSsr` (its `import.meta.url`); each thread loads it. */
  entry: URL
  size: number
  /** A render's timeout when the request names none. */
  defaultTimeoutMs: number
  log: (line: string) => void
}

interface Job {
  request: RenderRequest
  resolve: (reply: WorkerReply) => void
}

interface Renderer {
  thread: Worker
  job: Job | undefined
  timer: ReturnType<typeof setTimeout> | undefined
  ready: boolean
}

const FIRST_BACKOFF_MS = 100
const MAX_BACKOFF_MS = 5000

export class RendererPool {
  readonly #options: PoolOptions
  readonly #renderers = new Set<Renderer>()
  readonly #queue: Job[] = []
  #failures = 0
  #closed = false

  constructor(options: PoolOptions) {
    this.#options = options
    for (let index = 0; index < options.size; index++) this.#spawn()
  }

  render(request: RenderRequest): Promise<WorkerReply> {
    return new Promise((resolve) => {
      this.#queue.push({ request, resolve })
      this.#dispatch()
    })
  }

  /** Stops every renderer; no new one is started. */
  async close(): Promise<void> {
    this.#closed = true
    await Promise.all([...this.#renderers].map((renderer) => renderer.thread.terminate()))
  }

  #spawn(): void {
    if (this.#closed) return
    const thread = new Worker(this.#options.entry, { env: process.env })
    const renderer: Renderer = { thread, job: undefined, timer: undefined, ready: false }
    this.#renderers.add(renderer)
    thread.on("message", (message: WorkerReply | { ready: true }) => {
      if ("ready" in message) {
        renderer.ready = true
        this.#dispatch()
        return
      }
      this.#finish(renderer, message)
    })
    thread.on("error", (error) => this.#options.log(`mizan-ssr: a renderer failed: ${describeError(error)}`))
    thread.on("exit", () => this.#lost(renderer))
  }

  #dispatch(): void {
    for (const renderer of this.#renderers) {
      if (this.#queue.length === 0) return
      if (!renderer.ready || renderer.job) continue
      const job = this.#queue.shift()!
      renderer.job = job
      const timeoutMs = job.request.timeoutMs ?? this.#options.defaultTimeoutMs
      renderer.timer = setTimeout(() => {
        this.#options.log(`mizan-ssr: ${job.request.component} overran ${timeoutMs} ms; replacing its renderer`)
        renderer.ready = false // no new job for a renderer being replaced
        this.#reply(renderer, {
          id: job.request.id,
          kind: "timeout",
          error: `${job.request.component} took longer than ${timeoutMs} ms to render`,
        })
        void renderer.thread.terminate()
      }, timeoutMs)
      renderer.thread.postMessage(job.request)
    }
  }

  #finish(renderer: Renderer, reply: WorkerReply): void {
    if ("html" in reply) this.#failures = 0
    this.#reply(renderer, reply)
    this.#dispatch()
  }

  #reply(renderer: Renderer, reply: WorkerReply): void {
    clearTimeout(renderer.timer)
    renderer.timer = undefined
    renderer.job?.resolve(reply)
    renderer.job = undefined
  }

  #lost(renderer: Renderer): void {
    this.#renderers.delete(renderer)
    if (renderer.job) {
      const { request } = renderer.job
      this.#reply(renderer, { id: request.id, kind: "crashed", error: `the renderer of ${request.component} exited` })
    }
    if (this.#closed) return
    const delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** this.#failures)
    this.#failures += 1
    setTimeout(() => this.#spawn(), delay).unref?.()
  }
}
