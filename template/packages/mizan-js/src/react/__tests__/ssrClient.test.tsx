/** The browser side of SSR (`mizan-js/ssr/client`) on a page shaped as Django's MizanTemplates writes it. */

import { act } from "react"
import { renderToString } from "react-dom/server"
import { afterEach, describe, expect, it, vi } from "vitest"
import { getDjangoHydration, hydrateMizanPage, type MizanPageData } from "../../ssr/client.js"

// act() outside Testing Library: tell React this environment supports it.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

function Greeting({ name }: { name: string }) {
  return <p>Hello {name}</p>
}

const hydration = { queries: [{ fn: "site_info", args: {}, result: { name: "demo" } }] }

function writePage(data: MizanPageData, html: string): HTMLElement {
  document.body.innerHTML = `<div id="root">${html}</div>`
  const script = document.createElement("script")
  script.type = "application/json"
  script.id = "mizan-page"
  script.textContent = JSON.stringify(data)
  document.body.append(script)
  return document.getElementById("root")!
}

afterEach(() => {
  document.body.innerHTML = ""
  vi.restoreAllMocks()
})

describe("hydrateMizanPage", () => {
  it("hydrates the server's HTML in place, with no mismatch", async () => {
    const props = { name: "Ada" }
    const root = writePage({ component: "Greeting", props, hydration, rendered: true }, renderToString(<Greeting {...props} />))
    const serverNode = root.firstChild
    const errors = vi.spyOn(console, "error")
    await act(async () => {
      hydrateMizanPage({ Greeting })
    })
    expect(root.firstChild).toBe(serverNode) // hydrated, not replaced
    expect(root.textContent).toBe("Hello Ada")
    expect(errors).not.toHaveBeenCalled()
  })

  it("renders from scratch when the server sent the client shell", async () => {
    const root = writePage({ component: "Greeting", props: { name: "Bo" }, hydration, rendered: false }, "")
    await act(async () => {
      hydrateMizanPage({ Greeting })
    })
    expect(root.textContent).toBe("Hello Bo")
  })

  it("names the components it was given when the page asks for another", () => {
    writePage({ component: "Missing", props: {}, hydration, rendered: false }, "")
    expect(() => hydrateMizanPage({ Greeting })).toThrow('component "Missing", which hydrateMizanPage was not given; given: Greeting.')
  })
})

describe("getDjangoHydration (the seeds' name)", () => {
  it("is the page's hydration data, and undefined on a page Django did not render", () => {
    writePage({ component: "Greeting", props: { name: "Ada" }, hydration, rendered: true }, "")
    expect(getDjangoHydration()).toEqual(hydration)
    document.body.innerHTML = ""
    expect(getDjangoHydration()).toBeUndefined()
  })
})
