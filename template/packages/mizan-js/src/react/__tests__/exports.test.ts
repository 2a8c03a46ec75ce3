/** Pins the React adapter's own public API (it also re-exports the kernel's). */

import { describe, expect, it } from "vitest"
import * as kernel from "../../kernel/index.js"
import * as react from "../index.js"

describe("mizan-js/react exports", () => {
  it("are the kernel's plus exactly these", () => {
    const own = Object.keys(react).filter((name) => !(name in kernel))
    expect(own.sort()).toEqual([
      "MizanContext",
      "createContextProvider",
      "pascalCase",
      "useMizanChannel",
      "useMizanClient",
      "useMizanContextQuery",
      "useMizanForm",
      "useMizanMutation",
      "useMizanRealtime",
      "useMizanSocketStatus",
    ])
    expect(Object.keys(kernel).every((name) => name in react)).toBe(true)
  })
})
