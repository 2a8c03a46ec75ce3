/**
 * The errors the development overlay shows: reported by error boundaries (with the component stack), by
 * `MizanContext` (failed calls, with the function's name) and by the page's uncaught errors. One entry per
 * error object, so a query error that a boundary then catches is one entry with both the name and the stack.
 */

export interface MizanDevError {
  readonly id: number
  readonly error: unknown
  /** The server function whose call failed, when known. */
  readonly fn?: string
  /** Where in the component tree a boundary caught it. */
  readonly componentStack?: string
}

export interface MizanDevErrorSource {
  fn?: string
  componentStack?: string
}

type Listener = () => void

let entries: readonly MizanDevError[] = []
let nextId = 1
const listeners = new Set<Listener>()

/** Adds `error` to the overlay's list, or completes its entry with what this source knows. */
export function reportMizanDevError(error: unknown, source: MizanDevErrorSource = {}): void {
  const known = entries.find((entry) => entry.error === error)
  if (known) {
    const merged = { ...known, fn: known.fn ?? source.fn, componentStack: known.componentStack ?? source.componentStack }
    entries = entries.map((entry) => (entry === known ? merged : entry))
  } else {
    entries = [...entries, { id: nextId++, error, ...definedOnly(source) }]
  }
  for (const listener of [...listeners]) listener()
}

/** The errors reported and not dismissed, oldest first. */
export function getMizanDevErrors(): readonly MizanDevError[] {
  return entries
}

/** Empties the list (the overlay's close button). */
export function dismissMizanDevErrors(): void {
  if (entries.length === 0) return
  entries = []
  for (const listener of [...listeners]) listener()
}

export function subscribeMizanDevErrors(listener: Listener): () => void {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}

function definedOnly(source: MizanDevErrorSource): MizanDevErrorSource {
  return Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined))
}
