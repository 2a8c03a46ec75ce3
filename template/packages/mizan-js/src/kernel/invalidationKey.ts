/**
 * Invalidation keys (docs/architecture.md "Invalidation keys"): `name` or `name?p1=v1&p2=v2`, form-urlencoded,
 * each value the compact JSON text of the param. A key becomes a TanStack query-key prefix, so scoping is
 * TanStack's partial key match: `todo_list?list_id=7` → `["mizan", "todo_list", {list_id: 7}]`.
 */

import { partialMatchKey, type QueryKey } from "@tanstack/query-core"

export const INVALIDATE_HEADER = "X-Mizan-Invalidate"

/** The query-key prefix an invalidation key matches: `["mizan", fn]`, plus the params when it is scoped. */
export function invalidationKeyFilter(key: string): QueryKey {
  const at = key.indexOf("?")
  if (at < 0) return ["mizan", key]
  const params: Record<string, unknown> = {}
  for (const [name, text] of new URLSearchParams(key.slice(at + 1))) params[name] = parseValue(text)
  return ["mizan", key.slice(0, at), params]
}

/** The key for `fn` scoped to `params` (sorted, JSON values), as the server writes it. */
export function invalidationKey(fn: string, params: Record<string, unknown> = {}): string {
  const names = Object.keys(params).sort()
  if (names.length === 0) return fn
  return `${fn}?${new URLSearchParams(names.map((name) => [name, JSON.stringify(params[name])])).toString()}`
}

/** Does a query key fall under an invalidation key? */
export function matchesInvalidationKey(queryKey: QueryKey, key: string): boolean {
  return partialMatchKey(queryKey, invalidationKeyFilter(key))
}

/** The keys of one answer: the body's `invalidate` list and the `X-Mizan-Invalidate` header, deduplicated. */
export function readInvalidationKeys(body: unknown, headers: Headers | null): string[] {
  const keys = new Set<string>()
  const listed = (body as { invalidate?: unknown } | null)?.invalidate
  if (Array.isArray(listed)) for (const key of listed) if (typeof key === "string" && key) keys.add(key)
  // The header joins keys with commas; a comma inside a value is percent-encoded, so splitting is safe.
  for (const key of headers?.get(INVALIDATE_HEADER)?.split(",") ?? []) if (key.trim()) keys.add(key.trim())
  return [...keys]
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    // A value that is not JSON text can only have been meant as a string.
    return text
  }
}
