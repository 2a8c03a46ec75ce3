import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { fieldErrors, FormController, initialData, MizanClient, zodForm, type FieldSchema, type FormSchema } from "../index.js"
import { startMizanServer, type MizanTestServer } from "./support/mizanServer.js"

function field(kind: FieldSchema["kind"], extra: Partial<FieldSchema> = {}): FieldSchema {
  return {
    kind, widget: "text", label: kind, required: true, initial: null, help_text: "", disabled: false,
    strip: kind === "string", rules: {}, server_only: [], ...extra,
  }
}

const contact: FormSchema = {
  title: "Contact", submit_label: "Send", live_validation: true, prefix: "", model_form: false,
  fields: {
    name: field("string", { rules: { max_length: 5, no_null_characters: true } }),
    age: field("integer", { required: false, rules: { min_value: 18 } }),
    agree: field("boolean"),
    topic: field("choice", { choices: [["a", "A"], ["b", "B"]], initial: "a" }),
  },
}

describe("Django-agreeing rules", () => {
  it("strips, counts code points, and uses Django's messages", () => {
    expect(fieldErrors(contact.fields.name!, "  abcde  ")).toEqual([])
    expect(fieldErrors(contact.fields.name!, "😀😀😀😀😀")).toEqual([])
    expect(fieldErrors(contact.fields.name!, "abcdef")).toEqual(["Ensure this value has at most 5 characters (it has 6)."])
    expect(fieldErrors(contact.fields.name!, "   ")).toEqual(["This field is required."])
  })

  it("reads numbers as Python does", () => {
    const age = contact.fields.age!
    expect(fieldErrors(age, "18.0")).toEqual([])
    expect(fieldErrors(age, " 1_000 ")).toEqual([])
    expect(fieldErrors(age, "17")).toEqual(["Ensure this value is greater than or equal to 18."])
    expect(fieldErrors(age, "1e3")).toEqual(["Enter a whole number."])
    expect(fieldErrors(age, "")).toEqual([])
  })

  it("builds a strict Zod object: unknown keys are refused", () => {
    const schema = zodForm(contact)
    expect(schema.safeParse({ name: "Ann", age: "20", agree: true, topic: "b" }).success).toBe(true)
    const bad = schema.safeParse({ name: "Ann", agree: false, topic: "c", nope: 1 })
    expect(bad.success).toBe(false)
    const paths = bad.error!.issues.map((issue) => issue.path.join(".") || issue.code)
    expect(paths).toEqual(expect.arrayContaining(["agree", "topic"]))
  })

  it("starts from the initial values, typed as the browser holds them", () => {
    expect(initialData(contact)).toEqual({ name: "", age: "", agree: false, topic: "a" })
  })
})

describe("FormController", () => {
  let server: MizanTestServer
  beforeEach(async () => {
    server = await startMizanServer()
    server.fn("contact.submit", (args) =>
      args.name === "taken"
        ? { error: { code: "VALIDATION_ERROR", message: "Invalid.", details: { fields: { name: ["Taken."] } } }, status: 422 }
        : { result: { sent: true } },
    )
    server.fn("contact.validate", () => ({ result: { valid: false, errors: { name: ["Taken."], __all__: ["No."] } } }))
  })
  afterEach(async () => server.close())

  it("reports Zod's errors without a request", async () => {
    const form = new FormController("contact", contact, { client: new MizanClient({ baseUrl: server.baseUrl }) })
    form.set("name", "toolong")
    expect(form.state.errors.name).toEqual(["Ensure this value has at most 5 characters (it has 7)."])
    const outcome = await form.submit()
    expect(outcome.success).toBe(false)
    expect(server.calls()).toEqual([])
    form.reset()
  })

  it("submits, and shows the server's errors after a 422", async () => {
    const form = new FormController<Record<string, string | boolean>, { sent: boolean }>("contact", contact, {
      client: new MizanClient({ baseUrl: server.baseUrl }),
    })
    form.set("agree", true)
    form.set("name", "taken")
    await expect(form.submit()).resolves.toEqual({ success: false, errors: { name: ["Taken."] } })
    expect(form.state.errors).toEqual({ name: ["Taken."] })
    form.set("name", "Ann")
    await expect(form.submit()).resolves.toEqual({ success: true, data: { sent: true } })
    expect(form.state.isSubmitting).toBe(false)
  })

  it("asks <name>.validate after a pause, for the changed field and __all__", async () => {
    const form = new FormController("contact", contact, { client: new MizanClient({ baseUrl: server.baseUrl }), debounceMs: 10 })
    form.set("name", "Ann")
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(form.state.errors).toEqual({ name: ["Taken."], __all__: ["No."] })
  })
})
