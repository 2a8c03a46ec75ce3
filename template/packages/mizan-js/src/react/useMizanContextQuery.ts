import { useSuspenseQuery } from "@tanstack/react-query"
import { mizanQueryOptions } from "../kernel/index.js"
import { useMizanClient } from "./useMizanClient.js"

/** Reads `fn(args)`, suspending until it is loaded (or hydrated); the data is always defined. */
export function useMizanContextQuery<R, A extends object = object>(fn: string, args: A): R {
  useMizanClient() // a clear error naming <MizanContext> before TanStack's own about QueryClientProvider
  return useSuspenseQuery(mizanQueryOptions<R, A>(fn, args, { context: true })).data
}
