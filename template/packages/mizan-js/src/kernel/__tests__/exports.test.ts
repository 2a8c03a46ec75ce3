/** Pins the kernel's public API: a change here is a change for every generated project. */

import { describe, expect, it } from "vitest"
import * as kernel from "../index.js"

describe("mizan-js exports", () => {
  it("are exactly these", () => {
    expect(Object.keys(kernel).sort()).toEqual([
      "ChannelSubscription",
      "DjangoError",
      "FormController",
      "INVALIDATE_HEADER",
      "LiveInvalidation",
      "MizanClient",
      "MizanError",
      "MizanRealtime",
      "MizanSocket",
      "SocketCalls",
      "applyInvalidation",
      "callMizan",
      "callOverSocket",
      "defaultSocketUrl",
      "dehydrateMizan",
      "fieldErrors",
      "getDefaultClient",
      "hydrateMizan",
      "initialData",
      "invalidationKey",
      "invalidationKeyFilter",
      "isSocketFunction",
      "matchesInvalidationKey",
      "mizanClientFor",
      "mizanMutationOptions",
      "mizanQueryOptions",
      "pyStrip",
      "readInvalidationKeys",
      "setDefaultClient",
      "toMizanError",
      "zodField",
      "zodForm",
    ])
  })
})
