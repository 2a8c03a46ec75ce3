/**
 * TanStack options for Mizan calls, shaped like `queryOptions()` / `mutationOptions()` results, so generated
 * `xxxQueryOptions(args)` work in `useQuery`, `useSuspenseQuery`, `fetchQuery`, `prefetchQuery` and router loaders.
 */

import {
  hashKey,
  type DataTag,
  type MutationFunctionContext,
  type QueryFunctionContext,
} from "@tanstack/query-core"
import { mizanClientFor } from "./defaultClient.js"
import { MizanError } from "./mizanError.js"

/** `["mizan", fn, args]`: an invalidation key is a prefix of it (see invalidationKey.ts). */
export type MizanQueryKey<A extends object = object> = readonly ["mizan", string, A]

export interface MizanQueryOptions<R, A extends object = object> {
  queryKey: DataTag<MizanQueryKey<A>, R, MizanError>
  queryFn: (context: QueryFunctionContext) => Promise<R>
  /** Infinity: Mizan data stays fresh until an answer invalidates it. */
  staleTime: number
  retry: (failureCount: number, error: Error) => boolean
}

export interface MizanMutationOptions<A extends object, R> {
  mutationKey: readonly ["mizan", string]
  mutationFn: (args: A, context?: MutationFunctionContext) => Promise<R>
}

export interface MizanReadOptions {
  /** `fn` is a context function: it is read over GET and revalidated with its ETag (PROTOCOL §2). */
  context?: boolean
}

/** Options for reading `fn(args)` through TanStack Query, keyed `["mizan", fn, args]`. */
export function mizanQueryOptions<R, A extends object = object>(
  fn: string,
  args: A,
  options: MizanReadOptions = {},
): MizanQueryOptions<R, A> {
  const read = options.context === true
  return {
    queryKey: ["mizan", fn, args] as unknown as DataTag<MizanQueryKey<A>, R, MizanError>,
    queryFn: ({ client, signal, queryKey }) =>
      // `client` is the QueryClient running the query; it leads to the MizanClient that serves it.
      mizanClientFor(client).call<R>(fn, args, { signal, queryClient: client, queryHash: hashKey(queryKey), read }),
    staleTime: Infinity,
    retry: retryTransient,
  }
}

/** Options for calling `fn` as a TanStack mutation; its answer's invalidation keys are applied before it settles. */
export function mizanMutationOptions<A extends object, R>(fn: string): MizanMutationOptions<A, R> {
  return {
    mutationKey: ["mizan", fn],
    mutationFn: (args, context) => mizanClientFor(context?.client).call<R>(fn, args, { queryClient: context?.client }),
  }
}

// The server's answers (validation, auth, not found) do not change on a retry; a lost connection may.
function retryTransient(failureCount: number, error: Error): boolean {
  return failureCount < 3 && error instanceof MizanError && (error.code === "NETWORK_ERROR" || error.code === "TIMEOUT")
}
