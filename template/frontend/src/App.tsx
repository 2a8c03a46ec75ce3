import type { MizanHydration } from "mizan-js"
import { MizanErrorBoundary } from "mizan-js/react"
import { MizanContext } from "./api"
import { useHydrated } from "./components/useHydrated"
import { AccountPage } from "./pages/AccountPage"
import { Header } from "./pages/Header"
import { TodoBoard } from "./pages/TodoBoard"
import { WelcomeCard } from "./pages/WelcomeCard"

export interface AppProps {
  /** The page's title (the view's `title` prop). */
  title?: string
  /** Error details and the overlay: Django's DEBUG through the view, so the server and the browser agree. */
  development?: boolean
  /** Context results already known (server rendering, tests): those queries make no request. */
  hydration?: MizanHydration
}

/**
 * The whole app: Mizan's provider around the header, the welcome card, the account forms and the to-do board.
 * Each part has its own error boundary, so one that fails shows a message in its place and the rest stays.
 */
export function App({ title, development = import.meta.env.DEV, hydration }: AppProps) {
  // The server-rendered controls stay disabled until React has hydrated them (see useHydrated).
  const hydrated = useHydrated()
  return (
    // development defaults to Vite's own flag (Vite leaves NODE_ENV unreplaced in mizan-js); pages get DEBUG.
    <MizanContext hydration={hydration} development={development} fallback={<p role="status">Loading…</p>}>
      <fieldset className="page" disabled={!hydrated}>
        <MizanErrorBoundary>
          <Header title={title} />
        </MizanErrorBoundary>
        <main>
          <WelcomeCard />
          <MizanErrorBoundary>
            <AccountPage />
          </MizanErrorBoundary>
          <MizanErrorBoundary>
            <TodoBoard />
          </MizanErrorBoundary>
        </main>
      </fieldset>
    </MizanContext>
  )
}
