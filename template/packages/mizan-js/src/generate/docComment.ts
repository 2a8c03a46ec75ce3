import type { ManifestFunction } from "./manifest.js"

/** A JSDoc block for a generated function: the docstring's first line, then what the backend declares. */
export function docComment(name: string, fn: ManifestFunction, what: string, indent = ""): string {
  const lines = [`${what} \`${name}\`${fn.doc ? `: ${fn.doc}` : "."}`]
  if (fn.auth !== false) lines.push(`Requires ${fn.auth === true ? "a logged-in user" : `auth ${JSON.stringify(fn.auth)}`}.`)
  if (fn.affects.length > 0) lines.push(`Refetches ${fn.affects.map((item) => `\`${item}\``).join(", ")} when it succeeds.`)
  const safe = lines.map((line) => line.replace(/\*\//g, "*\\/"))
  return [`${indent}/**`, ...safe.map((line) => `${indent} * ${line}`), `${indent} */`].join("\n")
}
