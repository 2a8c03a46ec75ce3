import { describe, expect, it } from "vitest"
import { invalidationKey, invalidationKeyFilter, matchesInvalidationKey, readInvalidationKeys } from "../index.js"

describe("invalidationKeyFilter", () => {
  it("maps an unscoped key to the function's prefix", () => {
    expect(invalidationKeyFilter("current_user")).toEqual(["mizan", "current_user"])
  })

  it("maps a scoped key to the function and its params, values parsed as JSON", () => {
    expect(invalidationKeyFilter("todo_list?list_id=7")).toEqual(["mizan", "todo_list", { list_id: 7 }])
    expect(invalidationKeyFilter("chat?room=%22general%22&since=null")).toEqual(["mizan", "chat", { room: "general", since: null }])
    expect(invalidationKeyFilter("search?q=%22a+b%2Cc%22")).toEqual(["mizan", "search", { q: "a b,c" }])
  })

  it("reads a value that is not JSON text as a string", () => {
    expect(invalidationKeyFilter("chat?room=general")).toEqual(["mizan", "chat", { room: "general" }])
  })
})

describe("invalidationKey", () => {
  it("writes sorted params as form-urlencoded JSON text, as the server does", () => {
    expect(invalidationKey("todo_list")).toBe("todo_list")
    expect(invalidationKey("todo_list", { list_id: 7 })).toBe("todo_list?list_id=7")
    expect(invalidationKey("chat", { since: 3, room: "a b" })).toBe("chat?room=%22a+b%22&since=3")
  })

  it("round-trips through the filter", () => {
    const params = { room: "x,y&z=1", page: 2, flag: true }
    expect(invalidationKeyFilter(invalidationKey("chat", params))).toEqual(["mizan", "chat", params])
  })
})

describe("matchesInvalidationKey", () => {
  it("matches every instance for an unscoped key", () => {
    expect(matchesInvalidationKey(["mizan", "todo_list", { list_id: 7 }], "todo_list")).toBe(true)
    expect(matchesInvalidationKey(["mizan", "todo_list", { list_id: 8 }], "todo_list")).toBe(true)
    expect(matchesInvalidationKey(["mizan", "todo_lists", {}], "todo_list")).toBe(false)
  })

  it("matches only instances whose params agree for a scoped key", () => {
    expect(matchesInvalidationKey(["mizan", "todo_list", { list_id: 7 }], "todo_list?list_id=7")).toBe(true)
    expect(matchesInvalidationKey(["mizan", "todo_list", { list_id: 7, page: 2 }], "todo_list?list_id=7")).toBe(true)
    expect(matchesInvalidationKey(["mizan", "todo_list", { list_id: 8 }], "todo_list?list_id=7")).toBe(false)
    expect(matchesInvalidationKey(["mizan", "todo_list", {}], "todo_list?list_id=7")).toBe(false)
  })

  it("never confuses the number 7 with the string \"7\"", () => {
    expect(matchesInvalidationKey(["mizan", "todo_list", { list_id: 7 }], "todo_list?list_id=%227%22")).toBe(false)
    expect(matchesInvalidationKey(["mizan", "todo_list", { list_id: "7" }], "todo_list?list_id=%227%22")).toBe(true)
  })

  it("leaves queries that are not Mizan's alone", () => {
    expect(matchesInvalidationKey(["todo_list", { list_id: 7 }], "todo_list")).toBe(false)
  })
})

describe("readInvalidationKeys", () => {
  it("unites the body's list and the header's, without duplicates", () => {
    const headers = new Headers({ "X-Mizan-Invalidate": "todo_list?list_id=7, current_user" })
    expect(readInvalidationKeys({ invalidate: ["current_user", "stats"] }, headers).sort()).toEqual([
      "current_user",
      "stats",
      "todo_list?list_id=7",
    ])
  })

  it("ignores a missing or malformed list", () => {
    expect(readInvalidationKeys({ result: 1 }, new Headers())).toEqual([])
    expect(readInvalidationKeys({ invalidate: "current_user" }, null)).toEqual([])
    expect(readInvalidationKeys(null, null)).toEqual([])
  })
})
