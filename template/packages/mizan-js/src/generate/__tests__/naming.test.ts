import { describe, expect, it } from "vitest"

import { GenerateError } from "../errors.js"
import type { Manifest } from "../manifest.js"
import { camelCase, contextNames, definitionName, functionNames, pascalCase, reservedNames } from "../naming.js"

function manifest(functions: string[], contexts: string[] = []): Manifest {
  const fn = { input: { type: "object" }, output: {}, context: null, affects: [], auth: false, websocket: false, rev: 1, view: false, route: null, doc: null } as const
  return {
    mizan: 1,
    functions: Object.fromEntries(functions.map((name) => [name, { ...fn, affects: [] }])),
    contexts: Object.fromEntries(contexts.map((name) => [name, { functions: [], params: { type: "object" } }])),
    $defs: {},
  }
}

describe("pascalCase", () => {
  it.each([
    ["todo_list", "TodoList"],
    ["contact.submit", "ContactSubmit"],
    ["echo", "Echo"],
    ["todos.add_item", "TodosAddItem"],
    ["getHTTPStatus", "GetHTTPStatus"],
    ["_private", "Private"],
  ])("%s → %s", (name, expected) => {
    expect(pascalCase(name)).toBe(expected)
  })
})

describe("functionNames", () => {
  it("builds every generated name from the Python name", () => {
    expect(functionNames("contact.submit")).toEqual({
      pascal: "ContactSubmit",
      args: "ContactSubmitArgs",
      result: "ContactSubmitResult",
      call: "callContactSubmit",
      queryOptions: "contactSubmitQueryOptions",
      mutationOptions: "contactSubmitMutationOptions",
      hook: "useContactSubmit",
    })
    expect(camelCase("TodoList")).toBe("todoList")
  })

  it("names a context's provider and params", () => {
    expect(contextNames("todo")).toEqual({ pascal: "Todo", params: "TodoParams", provider: "TodoProvider" })
  })
})

describe("reservedNames", () => {
  it("rejects two functions with the same TypeScript name, naming both", () => {
    expect(() => reservedNames(manifest(["todo_list", "todo.list"]))).toThrow(
      new GenerateError('function "todo_list" and function "todo.list" both generate the TypeScript name TodoListArgs; rename one of them in the backend'),
    )
  })

  it("rejects two contexts with the same TypeScript name", () => {
    expect(() => reservedNames(manifest([], ["todo_list", "todo.list"]))).toThrow(
      /context "todo_list" and context "todo.list" both generate the TypeScript name TodoListParams/,
    )
  })

  it("keeps the names of mizan-js out of reach", () => {
    const names = reservedNames(manifest(["echo"], ["todo"]))
    for (const name of ["MizanContext", "MizanError", "MizanApi", "EchoArgs", "useEcho", "TodoProvider", "TodoParams"]) {
      expect(names.has(name)).toBe(true)
    }
  })
})

describe("definitionName", () => {
  it("turns a module-qualified $defs key into a type name", () => {
    expect(definitionName("app__models__Todo", new Set())).toBe("AppModelsTodo")
  })

  it("moves a model off a name the generated code declares", () => {
    const taken = new Set(["EchoResult", "MizanError"])
    expect(definitionName("EchoResult", taken)).toBe("EchoResult2")
    expect(definitionName("MizanError", taken)).toBe("MizanError2")
    expect(definitionName("EchoResult", taken)).toBe("EchoResult3")
  })
})
