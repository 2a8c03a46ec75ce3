import { expect, test } from "@playwright/test"
import { signUp, uniqueUsername } from "./session"

test("the Django form: Zod's error before any request, the server's after submit, success refreshes the list", async ({
  page,
}) => {
  await page.goto("/")
  await signUp(page, uniqueUsername("ida"))
  const inbox = page.getByRole("region", { name: "Inbox" })
  const form = page.getByRole("form", { name: "New item" })
  await expect(inbox.getByTestId("todo-stats")).toHaveText(/^\d+ of \d+ done$/)
  const before = Number((await inbox.getByTestId("todo-stats").textContent())?.match(/of (\d+)/)?.[1])

  const submits: string[] = []
  page.on("request", (request) => {
    if (request.url().includes("new_todo.submit")) submits.push(request.postData() ?? "")
  })

  // Zod, from the form's min_length: shown at the field, and nothing is sent.
  await form.getByLabel("Title").fill("ab")
  await form.getByRole("button", { name: "Add" }).click()
  await expect(form.getByRole("alert")).toHaveText("Ensure this value has at least 3 characters (it has 2).")
  expect(submits).toEqual([])

  // Success: the item shows in its list and the stats count it.
  const title = `Form item ${Date.now()}`
  await form.getByLabel("Title").fill(title)
  await form.getByRole("button", { name: "Add" }).click()
  await expect(inbox.getByText(title)).toBeVisible()
  await expect(inbox.getByTestId("todo-stats")).toHaveText(new RegExp(`of ${before + 1} done$`))
  await expect(form.getByLabel("Title")).toHaveValue("")
  expect(submits).toHaveLength(1)

  // A rule only the server knows (a duplicate title on the list): shown after submit.
  await form.getByLabel("Title").fill(title.toUpperCase())
  await form.getByRole("button", { name: "Add" }).click()
  await expect(form.getByRole("alert")).toHaveText("This list already has an item with that title.")
  expect(submits).toHaveLength(2)
})
