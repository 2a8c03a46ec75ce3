import { spawnSync } from "node:child_process"
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

import { QueryClient, QueryObserver, type QueryKey } from "@tanstack/query-core"
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest"

import { FormController, MizanClient, MizanError, setDefaultClient, type FormSchema } from "mizan-js"

import { runTsc, writeStrictProject } from "../src/generate/__tests__/support/strictProject.js"
import { PROJECT_DIR, mizanPython, pythonEnv, startDjangoServer, type DjangoServer } from "./djangoServer.js"

const packageRoot = fileURLToPath(new URL("..", import.meta.url))
const bin = join(packageRoot, "bin", "mizan-generate.js")

/**
 * The generated module, loaded at run time from a temporary folder. Its static types are checked by the
 * generator's own type test; here each function is called the way the generated signature allows.
 */
type Generated = Record<string, (...args: never[]) => unknown>
type Call<A, R> = (args: A, options?: { client?: MizanClient }) => Promise<R>

interface Todo {
  id: number
  list_id: number
  title: string
  priority: "low" | "normal" | "high"
  created: string
  note: string | null
}

let work: string
let server: DjangoServer
let api: Generated
let baseUrl: string

/**
 * Every call request the kernel made, seen by wrapping the real fetch. Its GETs of `/session/` (for a CSRF
 * token: Node's fetch keeps no cookies) are left out: they are the kernel's business, not the calls'.
 */
const requests: { path: string; body: unknown; args?: unknown }[] = []
/** The method, path and status of every call request, for the reads over GET. */
const exchanges: string[] = []
/** The `X-Mizan-Invalidate` header of each answer that had one, by request path. */
const invalidateHeaders: { path: string; keys: string }[] = []
const recordingFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input))
  const query = url.searchParams.get("args")
  if (!url.pathname.endsWith("/session/")) {
    const body: unknown = typeof init?.body === "string" ? JSON.parse(init.body) : undefined
    requests.push({ path: url.pathname, body, args: query === null ? undefined : JSON.parse(query) })
  }
  const response = await fetch(input, init)
  if (!url.pathname.endsWith("/session/")) exchanges.push(`${init?.method ?? "GET"} ${url.pathname} ${response.status}`)
  const keys = response.headers.get("X-Mizan-Invalidate")
  if (keys !== null) invalidateHeaders.push({ path: url.pathname, keys })
  return response
}

function generate(config: string, ...flags: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bin, "--config", config, ...flags], { encoding: "utf8", env: pythonEnv() })
}

function writeConfig(folder: string, env: Record<string, string> = {}): string {
  const config = join(folder, "mizan.config.mjs")
  const command = [mizanPython(), join(PROJECT_DIR, "manage.py"), "export_mizan_schema"]
  writeFileSync(
    config,
    `export default { schemaCommand: ${JSON.stringify(command)}, env: ${JSON.stringify(env)}, outDir: "api" }\n`,
  )
  return config
}

function fn<A, R>(name: string): Call<A, R> {
  const value = api[name]
  if (typeof value !== "function") throw new Error(`the generated client has no ${name}`)
  return value as unknown as Call<A, R>
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "mizan-integration-"))
  const config = writeConfig(work)
  const result = generate(config)
  expect(result.stderr).toBe("")
  expect(result.status).toBe(0)
  api = (await import(join(work, "api", "index.ts"))) as Generated
  server = await startDjangoServer()
  baseUrl = `${server.origin}/api/mizan`
})

afterAll(async () => {
  await server?.stop()
  if (work) rmSync(work, { recursive: true, force: true })
})

afterEach(() => {
  requests.length = 0
  exchanges.length = 0
  invalidateHeaders.length = 0
  setDefaultClient(undefined)
})

function useClient(queryClient?: QueryClient): MizanClient {
  const client = new MizanClient({ baseUrl, fetch: recordingFetch, ...(queryClient ? { queryClient } : {}) })
  setDefaultClient(client)
  return client
}

async function rejection(promise: Promise<unknown>): Promise<MizanError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(MizanError)
  return error as MizanError
}

describe("mizan-generate --config against the real exporter", () => {
  it("wrote the client, and an unchanged backend rewrites nothing", () => {
    expect(readdirSync(join(work, "api")).sort()).toEqual(["calls.ts", "channels.ts", "forms.ts", "hooks.ts", "index.ts", "types.ts"])
    const config = join(work, "mizan.config.mjs")
    const rerun = generate(config)
    expect(rerun.status).toBe(0)
    expect(rerun.stdout).toMatch(/wrote 0 file\(s\), 6 unchanged/)
    expect(generate(config, "--check").status).toBe(0)
  })

  it("generated every name the backend's functions call for", () => {
    for (const name of ["callEcho", "callContactSubmit", "callAddTodo", "todoListQueryOptions", "addTodoMutationOptions"]) {
      expect(typeof api[name]).toBe("function")
    }
    for (const name of ["useEcho", "useSiteInfo", "useTodoList", "useAddTodo", "useMyNotes", "TodoProvider", "MizanContext", "MizanError", "useChatChannel"]) {
      expect(api[name]).toBeDefined()
    }
  })

  it("generated code that compiles under tsc --strict", () => {
    writeStrictProject(work, ["api"])
    const result = runTsc(work)
    expect(result.stdout + result.stderr).toBe("")
    expect(result.status).toBe(0)
  }, 120_000)

  it("shows the Python error when the export fails, not a stack of the generator", () => {
    const folder = mkdtempSync(join(work, "broken-"))
    const result = generate(writeConfig(folder, { DJANGO_SETTINGS_MODULE: "itproject.no_such_settings" }))
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/^mizan-generate: the schema command `.*manage\.py export_mizan_schema` failed \(exit code 1\):\n/)
    expect(result.stderr).toContain("ModuleNotFoundError: No module named 'itproject.no_such_settings'")
    expect(result.stderr).not.toMatch(/\n\s+at .*\.js:\d+/)
  })
})

describe("generated calls over real HTTP", () => {
  it("calls a function with typed args and gets its result", async () => {
    useClient()
    const echo = fn<{ text: string; times?: number }, { text: string; times: number }>("callEcho")
    expect(await echo({ text: "hi", times: 2 })).toEqual({ text: "hi hi", times: 2 })
    expect(requests).toEqual([{ path: "/api/mizan/call/echo/", body: { text: "hi", times: 2 } }])
  })

  it("calls a dotted function through its PascalCase name", async () => {
    useClient()
    const submit = fn<{ email: string; message: string }, string>("callContactSubmit")
    expect(await submit({ email: "a@example.com", message: "hello" })).toBe("ticket for a@example.com")
    expect(requests[0]!.path).toBe("/api/mizan/call/contact.submit/")
  })

  it("takes an explicit client instead of the default one", async () => {
    const client = new MizanClient({ baseUrl, fetch: recordingFetch })
    const echo = fn<{ text: string }, { text: string }>("callEcho")
    expect((await echo({ text: "explicit" }, { client })).text).toBe("explicit")
    expect(requests).toHaveLength(1)
  })

  it("sends the calls of one tick as one /batch/ request, in order", async () => {
    useClient()
    const echo = fn<{ text: string; times?: number }, { text: string }>("callEcho")
    const submit = fn<{ email: string; message: string }, string>("callContactSubmit")
    const results = await Promise.all([echo({ text: "a" }), echo({ text: "b", times: 3 }), submit({ email: "c@example.com", message: "m" })])
    expect(results).toEqual([{ text: "a", times: 1 }, { text: "b b b", times: 3 }, "ticket for c@example.com"])
    expect(requests).toHaveLength(1)
    expect(requests[0]!.path).toBe("/api/mizan/batch/")
    expect(requests[0]!.body).toEqual({
      calls: [
        { fn: "echo", args: { text: "a" } },
        { fn: "echo", args: { text: "b", times: 3 } },
        { fn: "contact.submit", args: { email: "c@example.com", message: "m" } },
      ],
    })
  })

  it("settles each call of a batch on its own: one error does not fail the others", async () => {
    useClient()
    const echo = fn<{ text: string }, { text: string }>("callEcho")
    const find = fn<{ list_id: number; todo_id: number }, Todo>("callFindTodo")
    const [ok, missing] = await Promise.allSettled([echo({ text: "fine" }), find({ list_id: 1, todo_id: 999 })])
    expect(ok).toEqual({ status: "fulfilled", value: { text: "fine", times: 1 } })
    expect(missing.status).toBe("rejected")
    expect((missing as PromiseRejectedResult).reason).toMatchObject({ code: "NOT_FOUND" })
    expect(requests.map((request) => request.path)).toEqual(["/api/mizan/batch/"])
  })
})

describe("errors as MizanError", () => {
  it("VALIDATION_ERROR from pydantic carries the field's messages", async () => {
    useClient()
    const add = fn<{ list_id: number; title: string }, Todo>("callAddTodo")
    const error = await rejection(add({ list_id: 1, title: "" }))
    expect(error.code).toBe("VALIDATION_ERROR")
    expect(error.isValidationError()).toBe(true)
    expect(error.getFieldErrors("title").length).toBeGreaterThan(0)
    expect(error.getFieldErrors("list_id")).toEqual([])
  })

  it("VALIDATION_ERROR raised by the function keeps its own messages", async () => {
    useClient()
    const add = fn<{ list_id: number; title: string }, Todo>("callAddTodo")
    const error = await rejection(add({ list_id: 1, title: "forbidden word" }))
    expect(error.code).toBe("VALIDATION_ERROR")
    expect(error.message).toBe("This title is not allowed.")
    expect(error.getFieldErrors("title")).toEqual(["Choose another title."])
  })

  it("NOT_FOUND names what is missing", async () => {
    useClient()
    const find = fn<{ list_id: number; todo_id: number }, Todo>("callFindTodo")
    const error = await rejection(find({ list_id: 1, todo_id: 999 }))
    expect(error.code).toBe("NOT_FOUND")
    expect(error.message).toBe("No todo 999 in list 1.")
    expect(error.isAuthError()).toBe(false)
  })

  it("UNAUTHORIZED for an auth function called anonymously", async () => {
    useClient()
    const notes = fn<Record<string, never>, string[]>("callMyNotes")
    const error = await rejection(notes({}))
    expect(error.code).toBe("UNAUTHORIZED")
    expect(error.isAuthError()).toBe(true)
  })
})

describe("invalidation", () => {
  it("a mutation on list_id 7 refetches the list_id=7 query once, and no other", async () => {
    const queryClient = new QueryClient()
    useClient(queryClient)
    const options = (name: string, args: object = {}): { queryKey: QueryKey } =>
      (api[name] as unknown as (args: object) => { queryKey: QueryKey })(args)
    const observers = {
      list7: new QueryObserver(queryClient, options("todoListQueryOptions", { list_id: 7 })),
      list8: new QueryObserver(queryClient, options("todoListQueryOptions", { list_id: 8 })),
      site: new QueryObserver(queryClient, options("siteInfoQueryOptions")),
    }
    const unsubscribe = Object.values(observers).map((observer) => observer.subscribe(() => undefined))
    try {
      await Promise.all(
        Object.values(observers).map((observer) =>
          queryClient.fetchQuery({ ...observer.options, staleTime: Infinity }),
        ),
      )
      const counts = (): Record<string, number> =>
        Object.fromEntries(Object.entries(observers).map(([key, observer]) => [key, observer.getCurrentQuery().state.dataUpdateCount]))
      const before = counts()
      expect(Object.values(before)).toEqual([1, 1, 1])
      requests.length = 0

      const add = fn<{ list_id: number; title: string; priority?: string }, Todo>("callAddTodo")
      const added = await add({ list_id: 7, title: "milk", priority: "high" })
      expect(added).toMatchObject({ list_id: 7, title: "milk", priority: "high", note: null })
      expect(invalidateHeaders).toEqual([{ path: "/api/mizan/call/add_todo/", keys: "todo_list?list_id=7" }])
      // The kernel resolves a mutation's call once the active queries its keys name are refetched.

      expect(counts()).toEqual({ list7: 2, list8: 1, site: 1 })
      expect(observers.list7.getCurrentResult().data).toEqual([added])
      expect(observers.list8.getCurrentResult().data).toEqual([])
      // The mutation, then exactly one refetch: todo_list for list 7.
      const reads = requests.filter((request) => !request.path.endsWith("/add_todo/"))
      expect(requests.filter((request) => request.path.endsWith("/add_todo/"))).toHaveLength(1)
      expect(reads).toEqual([{ path: "/api/mizan/call/todo_list/", args: { list_id: 7 } }])
    } finally {
      unsubscribe.forEach((stop) => stop())
      queryClient.clear()
    }
  })
})

describe("context reads over GET", () => {
  it("revalidate with the ETag Django sent: a 304 while nothing changed, the new list after a write", async () => {
    const queryClient = new QueryClient()
    useClient(queryClient)
    const options = (api.todoListQueryOptions as unknown as (args: object) => { queryKey: QueryKey })({ list_id: 9 })
    const observer = new QueryObserver(queryClient, options)
    const unsubscribe = observer.subscribe(() => undefined)
    try {
      await queryClient.fetchQuery({ ...observer.options, staleTime: Infinity })
      await queryClient.refetchQueries({ queryKey: options.queryKey })
      expect(observer.getCurrentResult().data).toEqual([])

      const added = await fn<{ list_id: number; title: string }, Todo>("callAddTodo")({ list_id: 9, title: "bread" })
      expect(observer.getCurrentResult().data).toEqual([added])
      expect(exchanges).toEqual([
        "GET /api/mizan/call/todo_list/ 200",
        "GET /api/mizan/call/todo_list/ 304",
        "POST /api/mizan/call/add_todo/ 200",
        "GET /api/mizan/call/todo_list/ 200",
      ])
    } finally {
      unsubscribe()
      queryClient.clear()
    }
  })
})

describe("a Django form with live_validation, against the real server", () => {
  type SignupData = { handle: string; email: string }
  const debounceMs = 50

  function signupForm(): FormController<SignupData, string> {
    return new FormController<SignupData, string>("signup", api.signupFormSchema as unknown as FormSchema, {
      client: useClient(),
      debounceMs,
    })
  }

  it("Zod refuses a bad slug at once and asks the server nothing while the field fails", async () => {
    const form = signupForm()
    form.set("handle", "no spaces")
    expect(form.state.errors.handle?.[0]).toMatch(/letters, numbers, underscores or hyphens/)
    await new Promise((resolve) => setTimeout(resolve, debounceMs * 6))
    expect(requests).toEqual([])
  })

  it("a rule only the server knows arrives through <name>.validate after the pause, before any submit", async () => {
    const form = signupForm()
    form.set("handle", "adm")
    form.set("handle", "admin")
    expect(form.state.errors).toEqual({})
    await vi.waitFor(() => expect(form.state.errors).toEqual({ handle: ["This handle is taken."] }))
    // One request for the two quick changes, with the values of the last; the untouched email is not flagged.
    expect(requests).toEqual([{ path: "/api/mizan/call/signup.validate/", body: { handle: "admin", email: "" } }])

    form.set("handle", "ada")
    await vi.waitFor(() => expect(form.state.errors).toEqual({}))
    form.set("email", "ada@example.com")
    await expect(form.submit()).resolves.toEqual({ success: true, data: "welcome ada" })
    expect(requests.map((request) => request.path).at(-1)).toBe("/api/mizan/call/signup.submit/")
  })

  it("a submit the server refuses gives its 422 field errors, and an unknown field is named", async () => {
    const form = signupForm()
    form.set("handle", "root")
    form.set("email", "root@example.com")
    await expect(form.submit()).resolves.toEqual({ success: false, errors: { handle: ["This handle is taken."] } })
    expect(form.state.errors).toEqual({ handle: ["This handle is taken."] })

    const error = await rejection(fn<object, string>("callSignupSubmit")({ handle: "x", email: "x@example.com", admin: true }))
    expect(error.status).toBe(422)
    expect(JSON.stringify(error.details)).toContain("admin")
  })
})
