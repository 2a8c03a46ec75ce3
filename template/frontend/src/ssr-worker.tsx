// The SSR worker, run by Bun: `mizan-dev up` runs this source (`bun --watch`, so a saved component is rendered
// anew), production runs its bundle (`npm run build` writes frontend/dist-ssr/ssr-worker.js). See docs/ssr.md.
import { serveMizanSsr } from "mizan-js/ssr"
import { pages } from "./pages"

serveMizanSsr({ components: pages, entry: import.meta.url })
