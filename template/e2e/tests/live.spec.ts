import { expect, type Page, test, type WebSocketRoute } from "@playwright/test"
import { markWindow, signUp, uniqueUsername, windowIsMarked } from "./session"

/**
 * Two users in two browser contexts (two cookie jars) on the same board: what one adds shows on the other's
 * page without a reload (live invalidation over the socket), each sees the other in the list's viewers (a
 * channel), and a page whose socket was cut catches up with what it missed once the socket is back.
 */

// Two browsers, two sign-ups and a reconnect: more than the default 30 s on a busy machine.
test.describe.configure({ timeout: 120_000 })

async function openBoard(page: Page, prefix: string): Promise<string> {
  await page.goto("/")
  const username = uniqueUsername(prefix)
  await signUp(page, username)
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "connected")
  return username
}

test("B sees A's new todo and A among the viewers, live, without a reload", async ({ browser }) => {
  const contextA = await browser.newContext()
  const contextB = await browser.newContext()
  try {
    const pageA = await contextA.newPage()
    const pageB = await contextB.newPage()
    const ada = await openBoard(pageA, "ada")
    const bob = await openBoard(pageB, "bob")
    const inboxA = pageA.getByRole("region", { name: "Inbox" })
    const inboxB = pageB.getByRole("region", { name: "Inbox" })

    // Presence: each board lists both users (after the login reconnect, under their names).
    await expect(inboxB.getByTestId("viewers")).toContainText(ada)
    await expect(inboxA.getByTestId("viewers")).toContainText(bob)
    await markWindow(pageB)

    const title = `Shared by ${ada} ${Date.now()}`
    await inboxA.getByLabel("Title").fill(title)
    await inboxA.getByRole("button", { name: "Add" }).click()
    await expect(inboxA.getByText(title)).toBeVisible()

    await expect(inboxB.getByText(title)).toBeVisible()
    await expect(inboxB.getByRole("listitem").filter({ hasText: title })).toContainText(`by ${ada}`)
    expect(await windowIsMarked(pageB)).toBe(true)

    // A closes the board: B's viewers no longer list A.
    await pageA.close()
    await expect(inboxB.getByTestId("viewers")).not.toContainText(ada)
  } finally {
    await contextA.close()
    await contextB.close()
  }
})

test("a page whose socket was cut refetches what changed meanwhile once it reconnects", async ({ browser }) => {
  const contextA = await browser.newContext()
  const contextB = await browser.newContext()
  try {
    const pageA = await contextA.newPage()
    const pageB = await contextB.newPage()
    // B's socket goes through this route: forwarded to the server until the test cuts it.
    let cut = false
    const routes: WebSocketRoute[] = []
    await pageB.routeWebSocket(/\/ws\/mizan\/$/, (ws) => {
      routes.push(ws)
      if (cut) {
        void ws.close({ code: 1012, reason: "cut by the test" })
        return
      }
      ws.connectToServer()
    })
    const ada = await openBoard(pageA, "ada")
    await openBoard(pageB, "bob")
    await markWindow(pageB)
    const laterA = pageA.getByRole("region", { name: "Later" })
    const laterB = pageB.getByRole("region", { name: "Later" })

    cut = true
    for (const route of routes) void route.close({ code: 1012, reason: "cut by the test" })
    await expect(pageB.getByTestId("live-status")).not.toHaveAttribute("data-status", "connected")

    const title = `Missed by bob ${Date.now()}`
    await laterA.getByLabel("Title").fill(title)
    await laterA.getByRole("button", { name: "Add" }).click()
    await expect(laterA.getByText(title)).toBeVisible()
    // While cut, B cannot hear of it.
    await pageB.waitForTimeout(500)
    await expect(laterB.getByText(title)).toHaveCount(0)

    cut = false
    await expect(pageB.getByTestId("live-status")).toHaveAttribute("data-status", "connected", { timeout: 20_000 })
    await expect(laterB.getByText(title)).toBeVisible()
    await expect(laterB.getByTestId("viewers")).toContainText(ada)
    expect(await windowIsMarked(pageB)).toBe(true)
  } finally {
    await contextA.close()
    await contextB.close()
  }
})
