/** One render: a registered page component with its props and the page's hydration data, to an HTML string. */

import { createElement, type ComponentType } from "react"
import { renderToString } from "react-dom/server"
import type { MizanHydration } from "../kernel/index.js"
import type { RenderRequest, WorkerReply } from "./protocol.js"

/** A page component: its props from the view, plus the hydration data to hand to `<MizanContext>`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PageComponent = ComponentType<any>

export type ComponentRegistry = Record<string, PageComponent>

/** What the page component receives: the view's props and `hydration`. The client renders the same. */
export function pageElement(component: PageComponent, props: Record<string, unknown>, hydration: MizanHydration) {
  return createElement(component, { ...props, hydration })
}

export function renderRequest(components: ComponentRegistry, request: RenderRequest): WorkerReply {
  const component = Object.hasOwn(components, request.component) ? components[request.component] : undefined
  if (!component) {
    return {
      id: request.id,
      kind: "unknown_component",
      error: `No component is registered as ${JSON.stringify(request.component)}; registered: ${Object.keys(components).sort().join(", ") || "none"}.`,
    }
  }
  try {
    return { id: request.id, html: renderToString(pageElement(component, request.props ?? {}, request.hydration ?? { queries: [] })) }
  } catch (error) {
    return { id: request.id, kind: "render_error", error: describeError(error) }
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return String(error)
}
