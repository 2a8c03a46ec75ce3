/**
 * SSR hydration: `{"queries": [{"fn", "args", "result"}]}` seeds the QueryClient, so a hydrated page makes
 * no request for those queries; `dehydrateMizan` writes the same shape from a QueryClient.
 */

import type { QueryClient } from "@tanstack/query-core"
import { isObject } from "./envelope.js"

export interface MizanHydratedQuery {
  fn: string
  args: object
  result: unknown
}

export interface MizanHydration {
  queries: MizanHydratedQuery[]
}

/** Seeds `queryClient` with every query in `hydration`; throws a TypeError naming a malformed entry. */
export function hydrateMizan(queryClient: QueryClient, hydration: MizanHydration): void {
  const queries: unknown = isObject(hydration) ? hydration.queries : undefined
  if (!Array.isArray(queries)) throw malformed("", hydration)
  queries.forEach((entry: unknown, index) => {
    if (!isObject(entry) || typeof entry.fn !== "string" || !isObject(entry.args) || !("result" in entry)) {
      throw malformed(`queries[${index}]`, entry)
    }
    queryClient.setQueryData(["mizan", entry.fn, entry.args], entry.result)
  })
}

/** The successful `["mizan", ...]` queries of `queryClient`, as hydration data for the page. */
export function dehydrateMizan(queryClient: QueryClient): MizanHydration {
  return {
    queries: queryClient
      .getQueryCache()
      .findAll({ queryKey: ["mizan"], predicate: (query) => query.state.status === "success" })
      .map((query) => {
        const [, fn, args] = query.queryKey as [string, string, object]
        return { fn, args, result: query.state.data }
      }),
  }
}

function malformed(where: string, value: unknown): TypeError {
  const got = JSON.stringify(value)?.slice(0, 80) ?? String(value)
  return new TypeError(`Mizan hydration ${where || "data"} is malformed: expected {"queries": [{"fn", "args", "result"}]}, got ${got}`)
}
