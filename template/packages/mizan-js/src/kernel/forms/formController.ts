import { callMizan, type CallMizanOptions } from "../callMizan.js"
import { MizanError } from "../mizanError.js"
import type { FieldValue, FormErrors, FormSchema } from "./formSchema.js"
import { fieldErrors, initialData } from "./zodForm.js"

/** What `submit()` resolves with: the result, or the errors (Zod's, or the server's 422 `details.fields`). */
export type SubmitOutcome<R, K extends string> = { success: true; data: R } | { success: false; errors: FormErrors<K> }

export interface FormState<D, K extends string> {
  data: D
  errors: FormErrors<K>
  isSubmitting: boolean
}

export interface FormControllerOptions extends Pick<CallMizanOptions, "client"> {
  /** Milliseconds to wait after a change before asking `<name>.validate` (live validation); default 300. */
  debounceMs?: number
}

/**
 * A form's state outside any framework: values, errors, submit. The React hook subscribes to it. Errors come from
 * the Zod rules first (no request), and from the server after `submit()` or a debounced `<name>.validate`.
 */
export class FormController<D extends Record<string, FieldValue>, R> {
  readonly schema: FormSchema
  readonly #name: string
  readonly #options: FormControllerOptions
  readonly #listeners = new Set<() => void>()
  #state: FormState<D, Extract<keyof D, string>>
  #timer: ReturnType<typeof setTimeout> | undefined
  #validation = 0

  constructor(name: string, schema: FormSchema, options: FormControllerOptions = {}) {
    this.#name = name
    this.schema = schema
    this.#options = options
    this.#state = { data: initialData(schema) as D, errors: {}, isSubmitting: false }
  }

  get state(): FormState<D, Extract<keyof D, string>> {
    return this.#state
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => void this.#listeners.delete(listener)
  }

  /** Sets one field; with live validation, checks it with Zod now and with the server after a pause. */
  set<K extends Extract<keyof D, string>>(field: K, value: D[K]): void {
    const data = { ...this.#state.data, [field]: value }
    const errors = { ...this.#state.errors }
    if (this.schema.live_validation) {
      const messages = fieldErrors(this.schema.fields[field]!, value)
      clearTimeout(this.#timer)
      if (messages.length > 0) {
        errors[field] = messages // the server would say the same: no request until Zod passes
        this.#validation += 1
      } else {
        delete errors[field]
        this.#scheduleServerValidation(field)
      }
    }
    this.#update({ data, errors })
  }

  /** Zod's errors for every field (no request). */
  clientErrors(): FormErrors<Extract<keyof D, string>> {
    const errors: FormErrors<Extract<keyof D, string>> = {}
    for (const [name, field] of Object.entries(this.schema.fields)) {
      const messages = fieldErrors(field, this.#state.data[name])
      if (messages.length > 0) errors[name as Extract<keyof D, string>] = messages
    }
    return errors
  }

  /** Checks with Zod; if that passes, calls `<name>.submit`. Never rejects for a validation error. */
  async submit(): Promise<SubmitOutcome<R, Extract<keyof D, string>>> {
    const errors = this.clientErrors()
    if (Object.keys(errors).length > 0) {
      this.#update({ errors })
      return { success: false, errors }
    }
    clearTimeout(this.#timer)
    this.#validation += 1
    this.#update({ isSubmitting: true, errors: {} })
    try {
      const data = await callMizan<R>(`${this.#name}.submit`, this.#state.data, { client: this.#options.client })
      this.#update({ isSubmitting: false })
      return { success: true, data }
    } catch (error) {
      if (error instanceof MizanError && error.code === "VALIDATION_ERROR") {
        const serverErrors = (error.details.fields ?? {}) as FormErrors<Extract<keyof D, string>>
        this.#update({ isSubmitting: false, errors: serverErrors })
        return { success: false, errors: serverErrors }
      }
      this.#update({ isSubmitting: false })
      throw error
    }
  }

  /** Back to the initial values, no errors. */
  reset(): void {
    clearTimeout(this.#timer)
    this.#validation += 1
    this.#update({ data: initialData(this.schema) as D, errors: {}, isSubmitting: false })
  }

  #scheduleServerValidation(field: string): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => void this.#validateOnServer(field), this.#options.debounceMs ?? 300)
  }

  async #validateOnServer(field: string): Promise<void> {
    const ticket = ++this.#validation
    let answer: { valid: boolean; errors: Record<string, string[]> }
    try {
      answer = await callMizan(`${this.#name}.validate`, this.#state.data, { client: this.#options.client })
    } catch {
      return // live validation is advisory; submit reports for real
    }
    if (ticket !== this.#validation) return // a newer change or a submit superseded it
    const errors = { ...this.#state.errors }
    // Only the changed field and `__all__`: untouched fields are not flagged while the user is still typing.
    for (const key of [field, "__all__"]) {
      const messages = answer.errors[key]
      if (messages && messages.length > 0) errors[key as Extract<keyof D, string>] = messages
      else delete errors[key as Extract<keyof D, string>]
    }
    this.#update({ errors })
  }

  #update(patch: Partial<FormState<D, Extract<keyof D, string>>>): void {
    this.#state = { ...this.#state, ...patch }
    for (const listener of this.#listeners) listener()
  }
}
