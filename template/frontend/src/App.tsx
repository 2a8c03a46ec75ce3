import type { MizanHydration } from "mizan-js"
import { MizanErrorBoundary } from "mizan-js/react"
import { MizanContext } from "./api"
import { AccountPage } from "./pages/AccountPage"
import { Header } from "./pages/Header"
import { TodoBoard } from "./pages/TodoBoard"
import { WelcomeCard } from "./pages/WelcomeCard"

export interface AppProps {
  /** Context results already known (server rendering, tests): those queries make no request. */
  hydration?: MizanHydration
}

/**
 * The whole app: Mizan's provider around the header, the welcome card, the account forms and the to-do board.
 * Each part has its own error boundary, so one that fails shows a message in its place and the rest stays.
 */
export function App({ hydration }: AppProps) {
  return (
    // development: Vite's own flag (error details on the page, the overlay); Vite leaves NODE_ENV unreplaced in mizan-js.
    <MizanContext hydration={hydration} development={import.meta.env.DEV} fallback={<p role="status">Loading…</p>}>
      <MizanErrorBoundary>
        <Header />
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
    </MizanContext>
  )
}
