import { expect, type Page, test } from "@playwright/test"

// Screenshots are saved as artifacts (test-results/), not compared with baselines: fonts and antialiasing differ
// from one fresh machine to the next. The layout is asserted instead: nothing wider than the window, cards stacked.
const WIDTHS = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "mobile", width: 390, height: 844 },
] as const

async function widestOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
}

for (const size of WIDTHS) {
  for (const scheme of ["light", "dark"] as const) {
    test(`the starter page at ${size.name} width in ${scheme} mode: styled, no overflow, screenshot saved`, async ({
      page,
    }, info) => {
      await page.setViewportSize({ width: size.width, height: size.height })
      await page.emulateMedia({ colorScheme: scheme })
      await page.goto("/")
      const welcome = page.getByRole("region", { name: "Your project is running" })
      await expect(welcome).toBeVisible()
      await expect(welcome.getByText("backend/example/clients.py")).toBeVisible()
      await expect(page.getByRole("region", { name: "Inbox" }).getByTestId("todo-stats")).toBeVisible()

      expect(await widestOverflow(page)).toBeLessThanOrEqual(0)
      const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
      expect(background).toBe(scheme === "dark" ? "rgb(18, 20, 26)" : "rgb(246, 247, 249)")
      const button = page.getByRole("form", { name: "Sign up" }).getByRole("button", { name: "Sign up" })
      expect(await button.evaluate((element) => getComputedStyle(element).borderRadius)).not.toBe("0px")
      const icon = await page.locator('link[rel="icon"]').getAttribute("href")
      expect(icon).toMatch(/^data:image\/svg\+xml,/)
      if (size.name === "mobile") {
        // One column: the two lists are stacked, not side by side.
        const inbox = await page.getByRole("region", { name: "Inbox" }).boundingBox()
        const later = await page.getByRole("region", { name: "Later" }).boundingBox()
        expect(later!.y).toBeGreaterThan(inbox!.y + inbox!.height - 1)
      }
      expect(await page.locator("[data-mizan-dev-overlay]").count()).toBe(0)
      await page.screenshot({ path: info.outputPath(`starter-${size.name}-${scheme}.png`), fullPage: true })
    })
  }
}

test("an unreachable server is told to the user in plain words, and the rest of the page stays", async ({ page }) => {
  await page.goto("/")
  await expect(page.getByTestId("current-user")).toHaveText("Not logged in")
  await page.route("**/api/mizan/**", (route) => route.abort("connectionrefused"))
  const form = page.getByRole("form", { name: "Log in" })
  await form.getByLabel("Username").fill("nobody")
  await form.getByLabel("Password").fill("whatever-it-is")
  await form.getByRole("button", { name: "Log in" }).click()
  await expect(form.getByRole("alert")).toHaveText(
    "The server could not be reached. Check your connection and try again.",
  )
  await expect(page.getByRole("region", { name: "Your project is running" })).toBeVisible()
})

test("in development an uncaught error shows in the overlay over the page, and Escape closes it", async ({ page }) => {
  await page.goto("/")
  await expect(page.getByTestId("current-user")).toHaveText("Not logged in")
  await page.evaluate(() => {
    setTimeout(() => {
      throw new TypeError("e2e: a bug in an event handler")
    }, 0)
  })
  const overlay = page.locator("[data-mizan-dev-overlay]")
  await expect(overlay.getByRole("heading", { name: "TypeError in the page" })).toBeVisible()
  await expect(overlay.getByText("e2e: a bug in an event handler", { exact: true })).toBeVisible()
  await page.keyboard.press("Escape")
  await expect(overlay).toHaveCount(0)
  await expect(page.getByRole("region", { name: "Your project is running" })).toBeVisible()
})
