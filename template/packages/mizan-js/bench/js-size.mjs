#!/usr/bin/env node
// Bundle size of mizan-js (kernel + React adapter) beside @tanstack/react-query's, both measured the same way:
// bundled by esbuild, minified, gzipped (level 9), with React (and TanStack, where said) left external.
// Usage, in packages/mizan-js after `npm install`: node bench/js-size.mjs
// Measures the sources (src/), so no build is needed. Exits 1 when Mizan's kernel + adapter is over its 4 KB
// gzip budget. Target es2022: class private fields stay native, as in Vite's default browser targets.

import { build } from "esbuild"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"

const root = fileURLToPath(new URL("..", import.meta.url))
const BUDGET_GZIP = 4 * 1024
const REACT = ["react", "react-dom", "react/jsx-runtime"]
const TANSTACK = ["@tanstack/query-core", "@tanstack/react-query"]

async function measure(contents, external) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    jsx: "automatic",
    platform: "browser",
    define: { "process.env.NODE_ENV": '"production"' },
    external,
    write: false,
    logLevel: "silent",
  })
  const code = result.outputFiles[0].contents
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length }
}

const rows = [
  ["mizan-js kernel + react adapter (TanStack, React external)", await measure(`export * from "./src/react/index.ts"`, [...REACT, ...TANSTACK])],
  ["mizan-js kernel alone (query-core external)", await measure(`export * from "./src/kernel/index.ts"`, [...TANSTACK])],
  ["@tanstack/react-query (query-core, React external)", await measure(`export * from "@tanstack/react-query"`, [...REACT, "@tanstack/query-core"])],
  ["@tanstack/react-query with query-core (React external)", await measure(`export * from "@tanstack/react-query"`, REACT)],
  ["@tanstack/query-core alone", await measure(`export * from "@tanstack/query-core"`, [])],
]

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`
const width = Math.max(...rows.map(([name]) => name.length))
console.log(`${"bundle".padEnd(width)}  ${"minified".padStart(10)}  ${"min+gzip".padStart(10)}`)
for (const [name, size] of rows) console.log(`${name.padEnd(width)}  ${kb(size.min).padStart(10)}  ${kb(size.gzip).padStart(10)}`)

const mizan = rows[0][1].gzip
const verdict = mizan <= BUDGET_GZIP ? "within" : "OVER"
console.log(`\nmizan-js kernel + adapter: ${kb(mizan)} min+gzip, ${verdict} the ${kb(BUDGET_GZIP)} budget`)
process.exitCode = mizan <= BUDGET_GZIP ? 0 : 1
