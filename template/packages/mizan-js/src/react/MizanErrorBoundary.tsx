import { QueryErrorResetBoundary } from "@tanstack/react-query"
import { Component, type ErrorInfo, type ReactNode } from "react"
import { MizanError } from "../kernel/index.js"
import { reportMizanDevError } from "./devErrors.js"
import { mizanErrorText } from "./errorText.js"
import { MizanDevelopmentContext, nodeEnvDevelopment, useMizanDevelopment } from "./mizanDevelopmentContext.js"

export interface MizanErrorFallbackProps {
  /** What the part below the boundary threw: a MizanError from a context query, or any render error. */
  error: unknown
  /** Renders the part again; its failed context queries are fetched again. */
  reset(): void
}

export interface MizanErrorBoundaryProps {
  children?: ReactNode
  /** Shown instead of the part that failed; default `<MizanErrorFallback>`. */
  fallback?: ReactNode | ((props: MizanErrorFallbackProps) => ReactNode)
  /** Called once per caught error (to log it or send it to an error tracker). */
  onError?(error: unknown, info: ErrorInfo): void
  /** When one of these changes (by `Object.is`), a boundary showing its fallback renders its part again. */
  resetKeys?: readonly unknown[]
}

/**
 * Keeps one failing part from blanking the page: what it threw while rendering (a context query's MizanError, a
 * hook outside its provider, any bug) shows as the fallback in its place, and the rest of the page stays.
 * "Try again" resets TanStack Query's error state too, so the failed context queries are fetched again.
 */
export function MizanErrorBoundary(props: MizanErrorBoundaryProps) {
  return <QueryErrorResetBoundary>{({ reset }) => <Boundary {...props} resetQueries={reset} />}</QueryErrorResetBoundary>
}

interface BoundaryState {
  caught: { error: unknown } | null
}

class Boundary extends Component<MizanErrorBoundaryProps & { resetQueries(): void }, BoundaryState> {
  static override contextType = MizanDevelopmentContext
  declare context: boolean | undefined
  override state: BoundaryState = { caught: null }

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { caught: { error } }
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    if (this.context ?? nodeEnvDevelopment()) {
      reportMizanDevError(error, info.componentStack ? { componentStack: info.componentStack } : {})
    }
    this.props.onError?.(error, info)
  }

  override componentDidUpdate(previous: MizanErrorBoundaryProps): void {
    if (this.state.caught && changed(previous.resetKeys, this.props.resetKeys)) this.reset()
  }

  reset = (): void => {
    this.props.resetQueries()
    this.setState({ caught: null })
  }

  override render(): ReactNode {
    const { caught } = this.state
    if (!caught) return this.props.children
    const { fallback } = this.props
    const props = { error: caught.error, reset: this.reset }
    if (typeof fallback === "function") return fallback(props)
    return fallback === undefined ? <MizanErrorFallback {...props} /> : fallback
  }
}

function changed(before: readonly unknown[] = [], after: readonly unknown[] = []): boolean {
  return before.length !== after.length || before.some((value, index) => !Object.is(value, after[index]))
}

/**
 * The default fallback: a sentence for the user and a "Try again" button. In development a render error's own
 * message is shown beneath (e.g. which Provider a hook needs), so the developer reads it where it happened.
 */
export function MizanErrorFallback({ error, reset }: MizanErrorFallbackProps) {
  const developing = useMizanDevelopment()
  const detail = developing && error instanceof Error && !(error instanceof MizanError) ? error.message : null
  return (
    <div role="alert" className="mizan-error" data-mizan-error={error instanceof MizanError ? error.code : "RENDER_ERROR"}>
      <p>{mizanErrorText(error)}</p>
      {detail ? (
        <p>
          <code>{detail}</code>
        </p>
      ) : null}
      <button type="button" onClick={reset}>
        Try again
      </button>
    </div>
  )
}
