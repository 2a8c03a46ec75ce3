import { useCallback, useEffect, useState, useSyncExternalStore } from "react"
import { FormController, type FieldValue, type FormErrors, type FormSchema, type SubmitOutcome } from "../kernel/index.js"
import { useMizanClient } from "./useMizanClient.js"

/** What `useXxxForm()` returns: the schema, typed values and errors, `set`, `submit`, `reset`. */
export interface MizanForm<D extends Record<string, FieldValue>, R> {
  schema: FormSchema
  data: D
  errors: FormErrors<Extract<keyof D, string>>
  isSubmitting: boolean
  set<K extends Extract<keyof D, string>>(field: K, value: D[K]): void
  submit(): Promise<SubmitOutcome<R, Extract<keyof D, string>>>
  reset(): void
}

/** The form `name` (its `<name>.validate` / `<name>.submit`) with `schema`; the generated hooks call this. */
export function useMizanForm<D extends Record<string, FieldValue>, R>(
  name: string,
  schema: FormSchema,
  options: { debounceMs?: number } = {},
): MizanForm<D, R> {
  const client = useMizanClient()
  const [controller] = useState(() => new FormController<D, R>(name, schema, { client, ...options }))
  const state = useSyncExternalStore(
    useCallback((listener: () => void) => controller.subscribe(listener), [controller]),
    () => controller.state,
    () => controller.state,
  )
  useEffect(() => () => controller.reset(), [controller])
  return {
    schema,
    data: state.data,
    errors: state.errors,
    isSubmitting: state.isSubmitting,
    set: useCallback((field, value) => controller.set(field, value), [controller]),
    submit: useCallback(() => controller.submit(), [controller]),
    reset: useCallback(() => controller.reset(), [controller]),
  }
}
