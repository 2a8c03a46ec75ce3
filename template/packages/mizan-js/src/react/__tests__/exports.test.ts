/** Pins the React adapter's own public API (it also re-exports the kernel's). */

import { describe, expect, it } from "vitest"
import * as kernel from "../../kernel/index.js"
import * as react from "../index.js"

describe("mizan-js/react exports", () => {
  it("are the kernel's plus exactly these", () => {
    const own = Object.keys(react).filter((name) => !(name in kernel))
    expect(own.sort()).toEqual([
      "DjangoContext",
      "MIZAN_DEV_OVERLAY_CODES",
      "MizanContext",
      "MizanErrorBoundary",
      "MizanErrorFallback",
      "MizanProviderMissingError",
      "composeProviders",
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
      "useMizanForm",
      "useMizanMutation",
      "useMizanRealtime",
      "useMizanSocketStatus",
    ])
    expect(Object.keys(kernel).every((name) => name in react)).toBe(true)
    // The seeds' names are the same objects, not look-alikes.
    expect(react.DjangoContext).toBe(react.MizanContext)
    expect(react.DjangoError).toBe(react.MizanError)
  })
})
