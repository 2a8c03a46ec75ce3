/** Pins the React adapter's own public API (it also re-exports the kernel's). */

import { describe, expect, it } from "vitest"
import * as kernel from "../../kernel/index.js"
import * as react from "../index.js"

describe("mizan-js/react exports", () => {
  it("are the kernel's plus exactly these", () => {
    const own = Object.keys(react).filter((name) => !(name in kernel))
    expect(own.sort()).toEqual([
      "MIZAN_DEV_OVERLAY_CODES",
      "MizanContext",
      "MizanErrorBoundary",
      "MizanErrorFallback",
      "MizanProviderMissingError",
      "createContextProvider",
      "dismissMizanDevErrors",
      "getMizanDevErrors",
      "installMizanDevOverlay",
      "isDeveloperError",
      "mizanErrorText",
      "pascalCase",
      "reportMizanDevError",
      "useMizanChannel",
      "useMizanClient",
      "useMizanContextQuery",
      "useMizanMutation",
      "useMizanRealtime",
      "useMizanSocketStatus",
    ])
    expect(Object.keys(kernel).every((name) => name in react)).toBe(true)
  })
})
