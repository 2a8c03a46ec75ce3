import { expect, test } from "@playwright/test"
import { markWindow, PASSWORD, signUp, uniqueUsername, windowIsMarked } from "./session"

test("logging in and out updates the global context without a reload", async ({ page }) => {
  const username = uniqueUsername("ada")
  await page.goto("/")
  await expect(page.getByTestId("current-user")).toHaveText("Not logged in")
  await markWindow(page)

  await signUp(page, username)
  await page.getByRole("button", { name: "Log out" }).click()
  await expect(page.getByTestId("current-user")).toHaveText("Not logged in")

  const login = page.getByRole("form", { name: "Log in" })
  await login.getByLabel("Username").fill(username)
  await login.getByLabel("Password").fill(PASSWORD)
  await login.getByRole("button", { name: "Log in" }).click()
  await expect(page.getByTestId("current-user")).toHaveText(`Logged in as ${username}`)
  expect(await windowIsMarked(page)).toBe(true)

  // The session is the server's: a fresh load still knows the user.
  await page.reload()
  await expect(page.getByTestId("current-user")).toHaveText(`Logged in as ${username}`)
})

test("a wrong password is shown at the password field", async ({ page }) => {
  await page.goto("/")
  const login = page.getByRole("form", { name: "Log in" })
  await login.getByLabel("Username").fill(uniqueUsername("nobody"))
  await login.getByLabel("Password").fill("not-the-password")
  await login.getByRole("button", { name: "Log in" }).click()

  const password = login.getByLabel("Password")
  await expect(password).toHaveAttribute("aria-invalid", "true")
  await expect(password).toHaveAccessibleDescription("Wrong username or password.")
  await expect(page.getByTestId("current-user")).toHaveText("Not logged in")
})
