import { cleanup, render, screen, within } from "@testing-library/react"
import type { MizanHydration } from "mizan-js"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { App } from "../App"

// Every context is hydrated, so rendering must make no request: a call to fetch fails the test.
const fetchCalls: unknown[] = []
beforeEach(() => {
  fetchCalls.length = 0
  vi.stubGlobal("fetch", (...args: unknown[]) => {
    fetchCalls.push(args)
    return Promise.reject(new Error("the hydrated page made a request"))
  })
})
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

function hydration(user: { is_authenticated: boolean; username: string | null }): MizanHydration {
  return {
    queries: [
      { fn: "current_user", args: {}, result: user },
      {
        fn: "todo_list",
        args: { list_id: 1 },
        result: [{ id: 1, title: "Write the tests", done: true, author: "ada" }],
      },
      { fn: "todo_stats", args: { list_id: 1 }, result: { total: 1, done: 1 } },
      { fn: "todo_list", args: { list_id: 2 }, result: [] },
      { fn: "todo_stats", args: { list_id: 2 }, result: { total: 0, done: 0 } },
    ],
  }
}

describe("App", () => {
  it("shows an anonymous visitor the account forms and a read-only board", async () => {
    render(<App hydration={hydration({ is_authenticated: false, username: null })} />)

    expect((await screen.findByTestId("current-user")).textContent).toBe("Not logged in")
    expect(screen.getByRole("form", { name: "Log in" })).toBeTruthy()
    expect(screen.getByRole("form", { name: "Sign up" })).toBeTruthy()
    const inbox = screen.getByRole("region", { name: "Inbox" })
    expect(within(inbox).getByText("Write the tests")).toBeTruthy()
    expect(within(inbox).getByTestId("todo-stats").textContent).toBe("1 of 1 done")
    expect(within(inbox).getByText("Log in to add items.")).toBeTruthy()
    expect(within(screen.getByRole("region", { name: "Later" })).getByText("Nothing here yet.")).toBeTruthy()
    expect(fetchCalls).toEqual([])
  })

  it("shows a logged-in user their name and the add forms", async () => {
    render(<App hydration={hydration({ is_authenticated: true, username: "ada" })} />)

    expect((await screen.findByTestId("current-user")).textContent).toBe("Logged in as ada")
    expect(screen.getByRole("button", { name: "Log out" })).toBeTruthy()
    expect(screen.queryByRole("form", { name: "Log in" })).toBeNull()
    expect(screen.getByRole("form", { name: "Add to list 1" })).toBeTruthy()
    expect(screen.getByRole("form", { name: "Add to list 2" })).toBeTruthy()
    expect(fetchCalls).toEqual([])
  })

  it("welcomes with what runs and where to edit", async () => {
    render(<App hydration={hydration({ is_authenticated: false, username: null })} />)

    const welcome = await screen.findByRole("region", { name: "Your project is running" })
    for (const part of ["Django", "Mizan", "Vite", "Redis", "SSR"])
      expect(within(welcome).getByText(part, { selector: "strong" })).toBeTruthy()
    expect(within(welcome).getByText("backend/example/clients.py")).toBeTruthy()
    expect(within(welcome).getByText("frontend/src/pages/")).toBeTruthy()
    expect(within(welcome).getByRole("link", { name: "Django docs" }).getAttribute("href")).toMatch(
      /^https:\/\/docs\.djangoproject\.com\//,
    )
  })
})
