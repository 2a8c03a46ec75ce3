/**
 * The development overlay: a panel over the page listing the errors a developer must see (a server fault with
 * its Python traceback when Django runs with DEBUG, a component that threw, a hook outside its provider).
 *
 * Plain DOM in a shadow root, outside React's tree: it stays up when an uncaught error unmounts the whole app,
 * and the page's styles do not reach it. Text only (no HTML is parsed), so a traceback cannot inject markup.
 */

import { MizanError } from "../kernel/index.js"
import { dismissMizanDevErrors, getMizanDevErrors, reportMizanDevError, subscribeMizanDevErrors, type MizanDevError } from "./devErrors.js"

/** Codes that mean a bug to fix rather than a state to show the user (validation, auth, not found, rate). */
export const MIZAN_DEV_OVERLAY_CODES: readonly string[] = [
  "INTERNAL_ERROR",
  "BAD_REQUEST",
  "BAD_RESPONSE",
  "METHOD_NOT_ALLOWED",
  "NOT_IMPLEMENTED",
]

/** The host element's attribute: `document.querySelector("[data-mizan-dev-overlay]")`. */
export const OVERLAY_ATTRIBUTE = "data-mizan-dev-overlay"

let installs = 0
let teardown: (() => void) | undefined

/** Whether the overlay wants this error: any non-Mizan error, and Mizan errors with a developer's code. */
export function isDeveloperError(error: unknown): boolean {
  return !(error instanceof MizanError) || MIZAN_DEV_OVERLAY_CODES.includes(error.code)
}

/**
 * Shows the overlay whenever an error is reported, and reports the page's uncaught errors and unhandled
 * rejections. Counted: each call returns its own remove. After the last remove the overlay stays until its
 * errors are closed, so an error that unmounted the whole app (and its MizanContext) is still on the page.
 */
export function installMizanDevOverlay(): () => void {
  if (typeof document === "undefined") return () => undefined
  installs += 1
  teardown ??= mount()
  let removed = false
  return () => {
    if (removed) return
    removed = true
    installs -= 1
    // Later, not now: an uncaught render error unmounts the app (running this) before React reports the error.
    setTimeout(removeWhenUnused, 0)
  }
}

function removeWhenUnused(): void {
  if (installs > 0 || getMizanDevErrors().length > 0 || !teardown) return
  const stop = teardown
  teardown = undefined
  stop()
}

function mount(): () => void {
  const onError = (event: ErrorEvent) => {
    const error: unknown = event.error ?? event.message
    if (isDeveloperError(error) && !isNoise(event.message)) reportMizanDevError(error)
  }
  const onRejection = (event: PromiseRejectionEvent) => {
    if (isDeveloperError(event.reason)) reportMizanDevError(event.reason)
  }
  const onKey = (event: KeyboardEvent) => {
    if (event.key === "Escape") dismissMizanDevErrors()
  }
  let host: HTMLElement | undefined
  const render = () => {
    const errors = getMizanDevErrors()
    if (errors.length === 0) {
      host?.remove()
      host = undefined
      removeWhenUnused()
      return
    }
    host ??= createHost()
    if (!host.isConnected) document.body.append(host)
    draw(host.shadowRoot!, errors)
  }
  window.addEventListener("error", onError)
  window.addEventListener("unhandledrejection", onRejection)
  window.addEventListener("keydown", onKey)
  const stop = subscribeMizanDevErrors(render)
  render()
  return () => {
    stop()
    window.removeEventListener("error", onError)
    window.removeEventListener("unhandledrejection", onRejection)
    window.removeEventListener("keydown", onKey)
    host?.remove()
  }
}

// Browsers report these harmless layout notices as errors; they are not the developer's bug.
function isNoise(message: string): boolean {
  return message.startsWith("ResizeObserver loop")
}

function createHost(): HTMLElement {
  const host = document.createElement("div")
  host.setAttribute(OVERLAY_ATTRIBUTE, "")
  host.attachShadow({ mode: "open" })
  return host
}

function draw(root: ShadowRoot, errors: readonly MizanDevError[]): void {
  const panel = element("section", { role: "dialog", "aria-label": "Development errors", "aria-live": "assertive" })
  const bar = element("header")
  bar.append(element("strong", {}, errors.length === 1 ? "1 error" : `${errors.length} errors`))
  const close = element("button", { type: "button", "aria-label": "Close the error overlay" }, "×")
  close.addEventListener("click", dismissMizanDevErrors)
  bar.append(close)
  panel.append(bar)
  for (const entry of [...errors].reverse()) panel.append(describe(entry))
  panel.append(element("footer", {}, "Development only (mizan-js). Esc or × closes it; the app keeps running."))
  const style = element("style", {}, STYLES)
  root.replaceChildren(style, panel)
}

function describe({ error, fn, componentStack }: MizanDevError): HTMLElement {
  const article = element("article")
  if (error instanceof MizanError) {
    const where = fn ? ` from ${fn}()` : ""
    const status = error.status ? ` (HTTP ${error.status})` : ""
    article.append(element("h2", {}, `${error.code}${where}${status}`))
    article.append(element("p", {}, error.message))
    const exception = error.details.exception
    if (typeof exception === "string") article.append(element("p", { class: "exception" }, exception))
    const traceback = error.details.traceback
    if (typeof traceback === "string") {
      article.append(element("h3", {}, "Server traceback"), element("pre", {}, traceback))
    } else if (error.code === "INTERNAL_ERROR") {
      article.append(
        element("p", { class: "hint" }, "No traceback: the server sends it only with DEBUG on (DJANGO_DEBUG=true); it is in the server's log."),
      )
    }
  } else if (error instanceof Error) {
    article.append(element("h2", {}, `${error.name} in the page`), element("p", {}, error.message))
    if (error.stack) article.append(element("h3", {}, "Stack"), element("pre", {}, error.stack))
  } else {
    article.append(element("h2", {}, "Error in the page"), element("p", {}, String(error)))
  }
  if (componentStack) article.append(element("h3", {}, "Component stack"), element("pre", {}, componentStack.trim()))
  return article
}

function element(tag: string, attributes: Record<string, string> = {}, text?: string): HTMLElement {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  if (text !== undefined) node.textContent = text
  return node
}

const STYLES = `
:host { all: initial; }
section {
  position: fixed; inset: 1rem; z-index: 2147483647; overflow: auto; box-sizing: border-box;
  max-width: 60rem; margin: 0 auto; padding: 0 1.25rem 1rem; border-radius: 0.5rem;
  background: #181b22; color: #e8eaf0; border-top: 4px solid #f25f5c;
  font: 14px/1.5 ui-sans-serif, system-ui, sans-serif; box-shadow: 0 1rem 3rem rgb(0 0 0 / 0.45);
}
header { position: sticky; top: 0; display: flex; justify-content: space-between; align-items: center;
  padding: 0.75rem 0; background: #181b22; }
button { font: inherit; font-size: 1.25rem; line-height: 1; padding: 0.25rem 0.6rem; cursor: pointer;
  color: inherit; background: transparent; border: 1px solid #3a3f4b; border-radius: 0.375rem; }
button:hover, button:focus-visible { background: #2a2f3a; }
article { border-top: 1px solid #2e333e; padding: 0.5rem 0; }
h2 { margin: 0.5rem 0 0.25rem; font-size: 1rem; color: #ff8a80; font-family: ui-monospace, monospace; }
h3 { margin: 0.75rem 0 0.25rem; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: #9aa0ad; }
p { margin: 0.25rem 0; }
.exception { font-family: ui-monospace, monospace; color: #ffd479; }
.hint { color: #9aa0ad; }
pre { margin: 0; padding: 0.75rem; overflow: auto; border-radius: 0.375rem; background: #0f1115; color: #d6d9e0;
  font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre; }
footer { margin-top: 0.75rem; color: #9aa0ad; font-size: 12px; }
`
