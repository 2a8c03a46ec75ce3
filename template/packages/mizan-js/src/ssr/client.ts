/**
 * The browser side of Mizan's SSR: `hydrateMizanPage` reads the page data Django wrote
 * (`<script type="application/json" id="mizan-page">`) and hydrates the server-rendered HTML, or renders
 * from scratch when the server fell back to the client shell. Either way the page's hydration data seeds
 * `<MizanContext>`, so its contexts make no request.
 */

import { StrictMode, createElement, type ComponentType } from "react"
import { createRoot, hydrateRoot, type Root } from "react-dom/client"
import type { MizanHydration } from "../kernel/index.js"

export interface MizanPageData {
  component: string
  props: Record<string, unknown>
  hydration: MizanHydration
  /** False when the server served the client shell (worker down, slow or failed). */
  rendered: boolean
}

export interface HydrateOptions {
  /** The element holding the page; default `#root`. */
  root?: Element
  /** The JSON script's id; default `mizan-page`. */
  dataId?: string
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function hydrateMizanPage(components: Record<string, ComponentType<any>>, options: HydrateOptions = {}): Root {
  const data = readPageData(options.dataId ?? "mizan-page")
  const root = options.root ?? document.getElementById("root")
  if (!root) throw new Error('The page has no <div id="root">: the page template must hold {{ mizan.html }} inside it.')
  const component = Object.hasOwn(components, data.component) ? components[data.component] : undefined
  if (!component) {
    throw new Error(
      `The page names component ${JSON.stringify(data.component)}, which hydrateMizanPage was not given; given: ${Object.keys(components).sort().join(", ")}.`,
    )
  }
  const element = createElement(StrictMode, null, createElement(component, { ...data.props, hydration: data.hydration }))
  if (data.rendered) return hydrateRoot(root, element)
  const fresh = createRoot(root)
  fresh.render(element)
  return fresh
}

/** The page data Django wrote; a clear error when the page has none. */
export function readPageData(dataId = "mizan-page"): MizanPageData {
  const script = document.getElementById(dataId)
  if (!script?.textContent) {
    throw new Error(`The page has no <script id="${dataId}">: render it with Django's mizan.ssr.MizanTemplates backend.`)
  }
  return JSON.parse(script.textContent) as MizanPageData
}

/**
 * The seeds' SSR helper: the hydration data Django wrote into the page, for `<MizanContext hydration={...}>`;
 * `undefined` on a page Django did not render through `MizanTemplates` (so it works on any page).
 */
export function getDjangoHydration(dataId = "mizan-page"): MizanHydration | undefined {
  const script = document.getElementById(dataId)
  return script?.textContent ? readPageData(dataId).hydration : undefined
}
