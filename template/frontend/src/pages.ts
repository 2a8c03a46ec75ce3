/**
 * The page components Django's views render by name, `render(request, "App", props)`: the SSR worker renders
 * them on the server (ssr-worker.tsx) and the browser hydrates them (main.tsx), both from this one list.
 */
import { App } from "./App"

export const pages = { App }
