import { expect, type Page, test } from "@playwright/test"
import { signUp, uniqueUsername } from "./session"

// The page is server-rendered by the SSR worker (`mizan-dev test --e2e` runs it) with its contexts' data in the
// page, so the browser hydrates it without asking Mizan for anything.

interface Watched {
  mizanCalls: string[]
  hydrationWarnings: string[]
}

/** Records the page's requests to Mizan's API and React's hydration warnings, from the first byte on. */
function watch(page: Page): Watched {
  const watched: Watched = { mizanCalls: [], hydrationWarnings: [] }
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/mizan/")) watched.mizanCalls.push(request.url())
  })
  page.on("console", (message) => {
    if (/hydrat|did not match|server rendered/i.test(message.text())) watched.hydrationWarnings.push(message.text())
  })
  page.on("pageerror", (error) => watched.hydrationWarnings.push(`page error: ${error.message}`))
  return watched
}

/** The page data Django wrote into the document. */
async function pageData(page: Page): Promise<{ component: string; rendered: boolean }> {
  return JSON.parse((await page.locator("#mizan-page").textContent()) ?? "null")
}

test("the first load is server-rendered, hydrates without a warning and makes no Mizan call", async ({ page }) => {
  const watched = watch(page)
  const response = await page.goto("/")
  const served = await response!.text()
  // The server's HTML already holds the header and the board's data, before any script ran.
  expect(served).toContain('<p data-testid="current-user">Not logged in</p>')
  expect(served).toMatch(/data-testid="todo-stats">\d+<!-- --> of <!-- -->\d+<!-- --> done/)
  expect(await pageData(page)).toMatchObject({ component: "App", rendered: true })
  // Its controls are disabled until React hydrates them: no form is submitted by the browser itself before.
  expect(served).toContain('<fieldset class="page" disabled="">')

  await expect(page.getByTestId("current-user")).toHaveText("Not logged in")
  await page.waitForLoadState("networkidle")
  // Interactive once hydrated: the controls are enabled.
  await expect(page.getByRole("form", { name: "Log in" }).getByRole("button", { name: "Log in" })).toBeEnabled()
  expect(watched.mizanCalls).toEqual([])
  expect(watched.hydrationWarnings).toEqual([])
})

test("a hostile username in the page data is shown as text and runs nothing", async ({ context, page }) => {
  const hostile = `</script><script>window.mizanPwned=1</script><!--<script>\u2028${uniqueUsername("x")}`
  await page.goto("/")
  await signUp(page, hostile)

  // A fresh load of the page as that user: the username is in the server HTML and in the page data.
  const fresh = await context.newPage()
  const watched = watch(fresh)
  const response = await fresh.goto("/")
  const served = await response!.text()
  expect(served).not.toContain("<script>window.mizanPwned")
  expect(await pageData(fresh)).toMatchObject({ rendered: true })
  await expect(fresh.getByTestId("current-user")).toHaveText(`Logged in as ${hostile}`)
  await fresh.waitForLoadState("networkidle")
  expect(await fresh.evaluate(() => (window as unknown as { mizanPwned?: number }).mizanPwned)).toBeUndefined()
  expect(watched.mizanCalls).toEqual([])
  expect(watched.hydrationWarnings).toEqual([])
})
