import { screen, within } from "@testing-library/react"
import { createRoot } from "react-dom/client"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startMizanServer, type MizanTestServer } from "../../kernel/__tests__/support/mizanServer.js"
import { createContextProvider, MizanContext, useMizanContextQuery } from "../index.js"
import { silenceConsoleError } from "./support/silenceConsoleError.js"

// A file of its own: the overlay installed by a first render that never commits stays for the page's life.

const todo = createContextProvider<{ list_id: number }>("todo")

function TodoList() {
  const list = useMizanContextQuery<{ title: string }>("todo_list", todo.useParams())
  return <p>list: {list.title}</p>
}

function overlay(): HTMLElement | null {
  const host = document.querySelector("[data-mizan-dev-overlay]")
  return (host?.shadowRoot as unknown as HTMLElement | undefined) ?? null
}

let server: MizanTestServer
let quiet: () => void

beforeEach(async () => {
  server = await startMizanServer()
  quiet = silenceConsoleError()
})

afterEach(async () => {
  quiet()
  await server.close()
})

describe("the development overlay without any error boundary", () => {
  it("stays on the page when an error no boundary catches unmounts the whole app, naming the missing provider", async () => {
    // Outside act(), as in a browser: React reports an uncaught render error to the window and unmounts the root.
    const environment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
    const before = environment.IS_REACT_ACT_ENVIRONMENT
    environment.IS_REACT_ACT_ENVIRONMENT = false
    const container = document.body.appendChild(document.createElement("div"))
    const root = createRoot(container)
    try {
      root.render(
        <MizanContext baseUrl={server.baseUrl} realtime={false}>
          <p>header</p>
          <TodoList />
        </MizanContext>,
      )
      await screen.findByText(() => container.childElementCount === 0 && overlay() !== null, { selector: "body" })
      const panel = overlay()!
      expect(within(panel).getByRole("heading", { name: "MizanProviderMissingError in the page" })).toBeTruthy()
      expect(within(panel).getByText(/outside <TodoProvider>: render it inside <TodoProvider \.\.\.params>/, { selector: "p" })).toBeTruthy()
    } finally {
      root.unmount()
      container.remove()
      environment.IS_REACT_ACT_ENVIRONMENT = before
    }
  })

})
