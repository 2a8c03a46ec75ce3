import { act, fireEvent, render, screen, within } from "@testing-library/react"
import { type ComponentProps, type ReactNode, useState } from "react"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startMizanServer, type MizanTestServer } from "../../kernel/__tests__/support/mizanServer.js"
import {
  createContextProvider,
  dismissMizanDevErrors,
  MizanContext,
  MizanError,
  MizanErrorBoundary,
  MizanProviderMissingError,
  useMizanContextQuery,
  useMizanMutation,
} from "../index.js"
import { silenceConsoleError } from "./support/silenceConsoleError.js"

const TRACEBACK = 'Traceback (most recent call last):\n  File "backend/example/clients.py", line 9, in todo_list\n    1 / 0\nZeroDivisionError: division by zero\n'
const todo = createContextProvider<{ list_id: number }>("todo")

let server: MizanTestServer
let quiet: () => void

beforeEach(async () => {
  server = await startMizanServer()
  quiet = silenceConsoleError()
})

afterEach(async () => {
  quiet()
  act(() => dismissMizanDevErrors())
  await server.close()
})

/** The overlay's shadow root, where its text is; null when it is not on the page. */
function overlay(): HTMLElement | null {
  const host = document.querySelector("[data-mizan-dev-overlay]")
  return (host?.shadowRoot as unknown as HTMLElement | undefined) ?? null
}

async function findOverlay(): Promise<HTMLElement> {
  return await screen.findByText(() => overlay() !== null, { selector: "body" }).then(() => overlay()!)
}

/** `child` in an error boundary inside `<MizanContext>` on the test server, socket off. */
function renderInBoundary(child: ReactNode, props: Partial<ComponentProps<typeof MizanContext>> = {}) {
  return render(
    <MizanContext baseUrl={server.baseUrl} realtime={false} {...props}>
      <MizanErrorBoundary>{child}</MizanErrorBoundary>
    </MizanContext>,
  )
}

function serverFault(details: object = { exception: "ZeroDivisionError: division by zero", traceback: TRACEBACK }) {
  return { error: { code: "INTERNAL_ERROR", message: "Internal server error.", details }, status: 500 }
}

function TodoList() {
  const list = useMizanContextQuery<{ title: string }>("todo_list", todo.useParams())
  return <p>list: {list.title}</p>
}

function Stats() {
  const stats = useMizanContextQuery<{ total: number }>("todo_stats", {})
  return <p>total {stats.total}</p>
}

describe("MizanErrorBoundary", () => {
  it("shows the fallback in place of the failing part, keeps the rest, and Try again fetches the query again", async () => {
    let answers = 0
    server.fn("todo_list", () => (++answers === 1 ? serverFault() : { result: { title: "Inbox" } }))
    server.fn("todo_stats", () => ({ result: { total: 3 } }))
    render(
      <MizanContext baseUrl={server.baseUrl} realtime={false} devOverlay={false}>
        <MizanErrorBoundary>
          <todo.Provider list_id={1}>
            <TodoList />
          </todo.Provider>
        </MizanErrorBoundary>
        <MizanErrorBoundary>
          <Stats />
        </MizanErrorBoundary>
      </MizanContext>,
    )

    const alert = await screen.findByRole("alert")
    expect(alert.textContent).toContain("Something went wrong on our side. Try again in a moment.")
    expect(alert.getAttribute("data-mizan-error")).toBe("INTERNAL_ERROR")
    expect(screen.getByText("total 3")).toBeTruthy()

    fireEvent.click(within(alert).getByRole("button", { name: "Try again" }))
    expect(await screen.findByText("list: Inbox")).toBeTruthy()
    expect(screen.queryByRole("alert")).toBeNull()
    expect(answers).toBe(2)
  })

  it("renders a custom fallback with the error, and renders the part again when a reset key changes", async () => {
    let fail = true
    function Flaky() {
      if (fail) throw new Error("flaky")
      return <p>fine now</p>
    }
    let setKey: (key: number) => void = () => undefined
    function Page() {
      const [key, set] = useState(0)
      setKey = set
      return (
        <MizanErrorBoundary resetKeys={[key]} fallback={({ error }) => <p>caught: {(error as Error).message}</p>}>
          <Flaky />
        </MizanErrorBoundary>
      )
    }
    render(
      <MizanContext realtime={false} devOverlay={false}>
        <Page />
      </MizanContext>,
    )
    expect(await screen.findByText("caught: flaky")).toBeTruthy()
    fail = false
    act(() => setKey(1))
    expect(await screen.findByText("fine now")).toBeTruthy()
  })

  it("names the missing provider on the page, in the fallback", async () => {
    const caught: unknown[] = []
    render(
      <MizanContext baseUrl={server.baseUrl} realtime={false} devOverlay={false}>
        <MizanErrorBoundary onError={(error) => caught.push(error)}>
          <TodoList />
        </MizanErrorBoundary>
      </MizanContext>,
    )
    const alert = await screen.findByRole("alert")
    expect(alert.textContent).toContain('A hook of the "todo" context was used outside <TodoProvider>: render it inside <TodoProvider ...params>.')
    expect(caught).toHaveLength(1)
    expect(caught[0]).toBeInstanceOf(MizanProviderMissingError)
    expect(caught[0]).toMatchObject({ contextName: "todo", providerName: "TodoProvider" })
    expect(server.calls()).toEqual([])
  })

  it("gives the user no developer detail in production", async () => {
    const before = process.env.NODE_ENV
    process.env.NODE_ENV = "production"
    try {
      renderInBoundary(<TodoList />)
      const alert = await screen.findByRole("alert")
      expect(alert.textContent).toBe("Something went wrong while showing this part of the page. Try again, or reload the page.Try again")
      expect(overlay()).toBeNull()
    } finally {
      process.env.NODE_ENV = before
    }
  })
})

describe("MizanContext's development prop, not NODE_ENV, decides what the page shows", () => {
  // In a browser under Vite, `process` is undefined in a linked package: the template passes import.meta.env.DEV.
  async function withNodeEnv(value: string, body: () => Promise<void>) {
    const before = process.env.NODE_ENV
    process.env.NODE_ENV = value
    try {
      await body()
    } finally {
      process.env.NODE_ENV = before
    }
  }

  it("development on: the fallback names the missing provider and the overlay lists it, whatever NODE_ENV says", async () => {
    await withNodeEnv("production", async () => {
      renderInBoundary(<TodoList />, { development: true })
      const alert = await screen.findByRole("alert")
      expect(alert.textContent).toContain("outside <TodoProvider>")
      const panel = await findOverlay()
      expect(within(panel).getAllByText(/render it inside <TodoProvider \.\.\.params>/).length).toBeGreaterThan(0)
    })
  })

  it("development off: only the user's sentence, and no overlay, even when NODE_ENV is development", async () => {
    await withNodeEnv("development", async () => {
      renderInBoundary(<TodoList />, { development: false })
      const alert = await screen.findByRole("alert")
      expect(alert.textContent).toBe("Something went wrong while showing this part of the page. Try again, or reload the page.Try again")
      expect(overlay()).toBeNull()
    })
  })
})

describe("the development overlay", () => {
  it("shows a failed context query's code, function, message and the server traceback, with the component stack", async () => {
    server.fn("todo_list", () => serverFault())
    renderInBoundary(
      <todo.Provider list_id={1}>
        <TodoList />
      </todo.Provider>,
    )
    await screen.findByRole("alert")
    const panel = await findOverlay()
    expect(within(panel).getByRole("heading", { name: "INTERNAL_ERROR from todo_list() (HTTP 500)" })).toBeTruthy()
    expect(within(panel).getByText("Internal server error.")).toBeTruthy()
    expect(within(panel).getByText("ZeroDivisionError: division by zero")).toBeTruthy()
    expect(within(panel).getByText(/File "backend\/example\/clients.py", line 9, in todo_list/)).toBeTruthy()
    expect(within(panel).getByText(/at TodoList/)).toBeTruthy()
    // One entry: the query's failure and the boundary's catch are the same error.
    expect(within(panel).getByText("1 error")).toBeTruthy()
  })

  it("says where the traceback is when the server sends none (DEBUG off)", async () => {
    server.fn("todo_stats", () => serverFault({}))
    renderInBoundary(<Stats />)
    const panel = await findOverlay()
    expect(within(panel).getByText(/No traceback: the server sends it only with DEBUG on/)).toBeTruthy()
  })

  it("shows a failed mutation's server fault, but not a validation error the form shows", async () => {
    server.fn("add_todo", (args) =>
      args.title === "ab"
        ? { error: { code: "VALIDATION_ERROR", message: "Invalid input.", details: { fields: { title: ["Too short."] } } }, status: 400 }
        : serverFault(),
    )
    let add: ((args: { title: string }) => Promise<unknown>) | undefined
    function Adder() {
      add = useMizanMutation<{ title: string }, unknown>("add_todo").mutate
      return null
    }
    render(
      <MizanContext baseUrl={server.baseUrl} realtime={false}>
        <Adder />
      </MizanContext>,
    )
    await act(async () => {
      await add!({ title: "ab" }).catch(() => undefined)
    })
    expect(overlay()).toBeNull()
    await act(async () => {
      await add!({ title: "a real title" }).catch(() => undefined)
    })
    const panel = await findOverlay()
    expect(within(panel).getByRole("heading", { name: "INTERNAL_ERROR from add_todo() (HTTP 500)" })).toBeTruthy()
  })

  it("shows text, never markup, from the server", async () => {
    server.fn("todo_stats", () => serverFault({ traceback: '<img src="x" onerror="window.pwned = 1">' }))
    renderInBoundary(<Stats />)
    const panel = await findOverlay()
    expect(within(panel).getByText('<img src="x" onerror="window.pwned = 1">')).toBeTruthy()
    expect(panel.querySelector("img")).toBeNull()
  })

  it("closes with its button and with Escape, and comes back with the next error", async () => {
    server.fn("todo_stats", () => serverFault())
    const { rerender } = render(
      <MizanContext baseUrl={server.baseUrl} realtime={false}>
        <MizanErrorBoundary key="a">
          <Stats />
        </MizanErrorBoundary>
      </MizanContext>,
    )
    const panel = await findOverlay()
    fireEvent.click(within(panel).getByRole("button", { name: "Close the error overlay" }))
    expect(overlay()).toBeNull()

    rerender(
      <MizanContext baseUrl={server.baseUrl} realtime={false}>
        <MizanErrorBoundary key="b">
          <todo.Provider list_id={2}>
            <TodoList />
          </todo.Provider>
        </MizanErrorBoundary>
      </MizanContext>,
    )
    server.fn("todo_list", () => serverFault())
    await findOverlay()
    fireEvent.keyDown(window, { key: "Escape" })
    expect(overlay()).toBeNull()
  })

  it("is not there when devOverlay is false", async () => {
    server.fn("todo_stats", () => serverFault())
    renderInBoundary(<Stats />, { devOverlay: false })
    await screen.findByRole("alert")
    expect(overlay()).toBeNull()
  })
})

describe("MizanError in the overlay's filter", () => {
  it("is not a MizanProviderMissingError", () => {
    expect(new MizanProviderMissingError("todo", "TodoProvider")).not.toBeInstanceOf(MizanError)
  })
})
