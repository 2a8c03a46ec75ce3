import { expect, type Request, test } from "@playwright/test"
import { markWindow, signUp, uniqueUsername, windowIsMarked } from "./session"

/** What a request to the Mizan API asked for: its decoded URL and body, to see which list it read. */
function describeApiRequest(request: Request): string | null {
  const url = new URL(request.url())
  if (!url.pathname.startsWith("/api/mizan/")) return null
  return `${decodeURIComponent(url.pathname + url.search)} ${request.postData() ?? ""}`
}

test("adding an item refreshes its own list and stats, without a reload, and leaves the other list alone", async ({
  page,
}) => {
  await page.goto("/")
  await signUp(page, uniqueUsername("grace"))
  const inbox = page.getByRole("region", { name: "Inbox" })
  const later = page.getByRole("region", { name: "Later" })
  await expect(inbox.getByTestId("todo-stats")).toHaveText(/^\d+ of \d+ done$/)
  const before = Number((await inbox.getByTestId("todo-stats").textContent())?.match(/of (\d+)/)?.[1])
  const laterStats = await later.getByTestId("todo-stats").textContent()
  await markWindow(page)

  const seen: string[] = []
  page.on("request", (request) => {
    const described = describeApiRequest(request)
    if (described) seen.push(described)
  })
  const title = `Buy oat milk ${Date.now()}`
  await inbox.getByLabel("Title").fill(title)
  await inbox.getByRole("button", { name: "Add" }).click()

  await expect(inbox.getByText(title)).toBeVisible()
  await expect(inbox.getByTestId("todo-stats")).toHaveText(new RegExp(`of ${before + 1} done$`))
  await expect(inbox.getByLabel("Title")).toHaveValue("")
  expect(await windowIsMarked(page)).toBe(true)
  await expect(later.getByTestId("todo-stats")).toHaveText(laterStats ?? "")
  expect(seen.some((request) => request.includes("add_todo"))).toBe(true)
  // Scoped by list_id: the other list's context was not refetched.
  expect(seen.filter((request) => /"list_id":\s*2\b/.test(request))).toEqual([])
})

test("a title the server refuses is shown at the title field", async ({ page }) => {
  await page.goto("/")
  await signUp(page, uniqueUsername("alan"))
  const later = page.getByRole("region", { name: "Later" })
  const stats = await later.getByTestId("todo-stats").textContent()

  await later.getByLabel("Title").fill("ab")
  await later.getByRole("button", { name: "Add" }).click()

  const titleInput = later.getByLabel("Title")
  await expect(titleInput).toHaveAttribute("aria-invalid", "true")
  await expect(titleInput).toHaveAccessibleDescription(/at least 3 characters/)
  await expect(titleInput).toHaveValue("ab")
  await expect(later.getByTestId("todo-stats")).toHaveText(stats ?? "")
})
