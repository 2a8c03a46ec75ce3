import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

import { describe, expect, it } from "vitest"

import { GenerateError } from "../errors.js"
import { checkManifest, parseManifest } from "../manifest.js"

const here = dirname(fileURLToPath(import.meta.url))
const text = readFileSync(join(here, "fixtures", "manifest.json"), "utf8")

/** The fixture with one change made by `edit`. */
function edited(edit: (manifest: { [key: string]: any }) => void): unknown {
  const manifest = JSON.parse(text) as { [key: string]: any }
  edit(manifest)
  return manifest
}

describe("parseManifest", () => {
  it("reads the fixture, filling what version 1 leaves optional", () => {
    const manifest = parseManifest(text, "manifest.json")
    expect(Object.keys(manifest.functions)).toContain("contact.submit")
    expect(manifest.functions.echo).toMatchObject({ context: null, auth: false, view: false, doc: "Say it back." })
    const minimal = checkManifest({ mizan: 1, functions: {} }, "minimal")
    expect(minimal).toEqual({ mizan: 1, functions: {}, contexts: {}, channels: {}, compositions: {}, forms: {}, $defs: {} })
    expect(manifest.compositions).toEqual({ dashboard: { contexts: ["user", "todo"], doc: "Everything the dashboard reads." } })
  })

  it.each([
    ["a list", [], 'm.json: manifest: expected a JSON object, got a list'],
    ["no functions", { mizan: 1 }, "m.json: functions: expected an object, got nothing (the field is missing)"],
    [
      "a bad function name",
      edited((m) => (m.functions["todo list"] = m.functions.echo)),
      'm.json: functions["todo list"]: not a valid function name (dotted Python identifiers only)',
    ],
    [
      "an input that is not an object schema",
      edited((m) => (m.functions.echo.input = { type: "array" })),
      'm.json: functions["echo"].input.type: expected "object", got string "array"',
    ],
    [
      "affects that is not a list",
      edited((m) => (m.functions.add_todo.affects = "todo")),
      'm.json: functions["add_todo"].affects: expected a list of function names, got string "todo"',
    ],
    [
      "an unknown auth value",
      edited((m) => (m.functions.echo.auth = "admin")),
      'm.json: functions["echo"].auth: expected false, true, "staff", "superuser" or "custom", got string "admin"',
    ],
    [
      "a context naming an unknown function",
      edited((m) => m.contexts.todo.functions.push("todo_stats")),
      'm.json: contexts["todo"].functions: names string "todo_stats", which is not in "functions"',
    ],
    [
      "a composition naming an unknown context",
      edited((m) => m.compositions.dashboard.contexts.push("shop")),
      'm.json: compositions["dashboard"].contexts: names string "shop", which is not a named context in "contexts"',
    ],
    [
      "a composition of the global context",
      edited((m) => (m.compositions.dashboard.contexts = ["global"])),
      'm.json: compositions["dashboard"].contexts: names string "global", which is not a named context in "contexts"',
    ],
    [
      "a composition with no contexts",
      edited((m) => (m.compositions.dashboard.contexts = [])),
      'm.json: compositions["dashboard"].contexts: expected a non-empty list of context names, got a list',
    ],
    [
      "a composition named like a context",
      edited((m) => (m.compositions.todo = m.compositions.dashboard)),
      'm.json: compositions["todo"]: has the name of a context; both would generate the same provider',
    ],
    [
      "a $defs entry that is not a schema",
      edited((m) => (m.$defs.Todo = "Todo")),
      'm.json: $defs["Todo"]: expected a JSON Schema, got string "Todo"',
    ],
  ])("names the field at fault: %s", (_what, data, message) => {
    expect(() => checkManifest(data, "m.json")).toThrow(new GenerateError(message))
  })
})

describe("refs", () => {
  it("names a ref to a model that is not in $defs", () => {
    const data = edited((m) => (m.functions.echo.output = { $ref: "#/$defs/Missing" }))
    expect(() => checkManifest(data, "m.json")).toThrow(
      new GenerateError('m.json: functions.echo.output.$ref: "#/$defs/Missing" does not name an entry of the top-level "$defs"'),
    )
  })

  it("names a ref outside the manifest", () => {
    const data = edited((m) => (m.$defs.Todo.properties.tags.items = { $ref: "other.json#/Tag" }))
    expect(() => checkManifest(data, "m.json")).toThrow(/m\.json: \$defs\.Todo\.properties\.tags\.items\.\$ref: "other\.json#\/Tag" does not name/)
  })
})
