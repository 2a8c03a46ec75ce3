/** Applies invalidation keys to a QueryClient: one pass per answer, whatever the number of keys. */

import type { QueryClient } from "@tanstack/query-core"
import { matchesInvalidationKey } from "./invalidationKey.js"

/**
 * Marks every `["mizan", ...]` query that one of `keys` matches as stale and refetches the active ones (TanStack's
 * `invalidateQueries`), in a single pass so a query matched by several keys refetches once. `skip` holds query
 * hashes left alone: a read never invalidates itself, which would loop.
 */
export function applyInvalidation(
  queryClient: QueryClient,
  keys: readonly string[],
  skip: ReadonlySet<string> = new Set(),
): Promise<void> {
  if (keys.length === 0) return Promise.resolve()
  return queryClient.invalidateQueries({
    queryKey: ["mizan"],
    predicate: (query) => !skip.has(query.queryHash) && keys.some((key) => matchesInvalidationKey(query.queryKey, key)),
  })
}
