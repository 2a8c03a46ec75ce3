import { act, fireEvent, render, screen } from "@testing-library/react"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startMizanServer, type MizanTestServer } from "../../kernel/__tests__/support/mizanServer.js"
import { MizanContext, useMizanForm, type FormSchema } from "../index.js"

const schema: FormSchema = {
  title: "New item", submit_label: "Add", live_validation: false, prefix: "", model_form: true,
  fields: {
    title: {
      kind: "string", widget: "text", label: "Title", required: true, initial: null, help_text: "", disabled: false,
      strip: true, rules: { min_length: 3 }, server_only: [],
    },
  },
}

let server: MizanTestServer
beforeEach(async () => {
  server = await startMizanServer()
  server.fn("new_todo.submit", (args) =>
    args.title === "Taken"
      ? { error: { code: "VALIDATION_ERROR", message: "Invalid.", details: { fields: { title: ["Duplicate."] } } }, status: 422 }
      : { result: { id: 1 } },
  )
})
afterEach(async () => server.close())

function Page() {
  const form = useMizanForm<{ title: string }, { id: number }>("new_todo", schema)
  return (
    <form onSubmit={(event) => { event.preventDefault(); void form.submit() }}>
      <label htmlFor="t">{form.schema.fields.title!.label}</label>
      <input id="t" value={form.data.title} onChange={(event) => form.set("title", event.target.value)} />
      <output>{(form.errors.title ?? []).join(" ")}</output>
      <button type="submit">{form.schema.submit_label}</button>
    </form>
  )
}

describe("useMizanForm", () => {
  it("shows Zod's error with no request, then the server's, then submits", async () => {
    render(<MizanContext baseUrl={server.baseUrl}><Page /></MizanContext>)
    fireEvent.change(screen.getByLabelText("Title"), { target: { value: "ab" } })
    await act(async () => fireEvent.click(screen.getByText("Add")))
    expect(screen.getByRole("status").textContent).toBe("Ensure this value has at least 3 characters (it has 2).")
    expect(server.calls()).toEqual([])

    fireEvent.change(screen.getByLabelText("Title"), { target: { value: "Taken" } })
    await act(async () => fireEvent.click(screen.getByText("Add")))
    await screen.findByText("Duplicate.")

    fireEvent.change(screen.getByLabelText("Title"), { target: { value: "Fresh" } })
    await act(async () => fireEvent.click(screen.getByText("Add")))
    await act(async () => new Promise((resolve) => setTimeout(resolve, 50)))
    expect(screen.getByRole("status").textContent).toBe("")
    expect(server.calls().map((call) => (call.body as { title?: string }).title)).toEqual(["Taken", "Fresh"])
  })
})
