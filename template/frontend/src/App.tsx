import type { MizanHydration } from "mizan-js"
import { MizanContext } from "./api"
import { AccountPage } from "./pages/AccountPage"
import { Header } from "./pages/Header"
import { TodoBoard } from "./pages/TodoBoard"

export interface AppProps {
  /** Context results already known (server rendering, tests): those queries make no request. */
  hydration?: MizanHydration
}

/** The whole app: Mizan's provider around the header, the account forms and the to-do board. */
export function App({ hydration }: AppProps) {
  return (
    <MizanContext hydration={hydration} fallback={<p role="status">Loading…</p>}>
      <Header />
      <main>
        <AccountPage />
        <TodoBoard />
      </main>
    </MizanContext>
  )
}
