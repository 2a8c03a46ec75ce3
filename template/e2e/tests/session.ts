import { expect, type Page } from "@playwright/test"

export const PASSWORD = "plum-Orbit-7741-lantern"

/** A username no earlier run used, so the tests need no database reset. */
export function uniqueUsername(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`
}

/** Signs up (which logs in) through the page's form and waits for the header to say so. */
export async function signUp(page: Page, username: string): Promise<void> {
  const form = page.getByRole("form", { name: "Sign up" })
  await form.getByLabel("Username").fill(username)
  await form.getByLabel("Password").fill(PASSWORD)
  await form.getByRole("button", { name: "Sign up" }).click()
  await expect(page.getByTestId("current-user")).toHaveText(`Logged in as ${username}`)
}

/** Marks the window so a test can prove the page was not reloaded since. */
export async function markWindow(page: Page): Promise<void> {
  await page.evaluate(() => {
    ;(window as unknown as { mizanE2eMark?: boolean }).mizanE2eMark = true
  })
}

export async function windowIsMarked(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { mizanE2eMark?: boolean }).mizanE2eMark === true)
}
