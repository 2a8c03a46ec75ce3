import { useMutation } from "@tanstack/react-query"
import { useCallback } from "react"
import { mizanMutationOptions, type MizanError } from "../kernel/index.js"
import { useMizanClient } from "./useMizanClient.js"

export interface MizanMutation<A, R> {
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
  return { mutate, data: mutation.data, error: mutation.error, isPending: mutation.isPending, reset: mutation.reset }
}
