import { useMutation } from "@tanstack/react-query"
import { useCallback } from "react"
import { mizanMutationOptions, type MizanError } from "../kernel/index.js"
import { useMizanClient } from "./useMizanClient.js"

/**
 * A mutation hook's value. Call it (`await echo({ text })`, the original Mizan's form) or its `mutate`: the same
 * call either way.
 */
export interface MizanMutation<A, R> {
  (args: A): Promise<R>
  /** Calls the function; resolves with its result after the contexts it affects are refetched. */
  mutate(args: A): Promise<R>
  /** The last result, until `reset()`. */
  data: R | undefined
  error: MizanError | null
  isPending: boolean
  reset(): void
}

/** Calls `fn` on demand, with TanStack's mutation state beside the promise. */
export function useMizanMutation<A extends object, R>(fn: string): MizanMutation<A, R> {
  useMizanClient()
  const mutation = useMutation<R, MizanError, A>(mizanMutationOptions<A, R>(fn))
  const { mutateAsync } = mutation
  const mutate = useCallback(
    (args: A) => {
      const promise = mutateAsync(args)
      // The failure is also in `error`: a caller who does not await must not get an unhandled rejection.
      promise.catch(() => undefined)
      return promise
    },
    [mutateAsync],
  )
  // A fresh function per render, like TanStack's own result object: its state properties change with the state.
  return Object.assign((args: A) => mutate(args), {
    mutate,
    data: mutation.data,
    error: mutation.error,
    isPending: mutation.isPending,
    reset: mutation.reset,
  })
}
