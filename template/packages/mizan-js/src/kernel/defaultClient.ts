/** The client used when a call names none: the one `<MizanContext>` made, or one made on first use. */

import type { QueryClient } from "@tanstack/query-core"
import { MizanClient } from "./mizanClient.js"
import { clientsByQueryClient } from "./queryClientRegistry.js"

let defaultClient: MizanClient | undefined

/** The default client, created with baseUrl `/api/mizan` on first use. */
export function getDefaultClient(): MizanClient {
  return (defaultClient ??= new MizanClient())
}

/** Makes `client` the default (`<MizanContext>` does this with its own); `undefined` resets it. */
export function setDefaultClient(client: MizanClient | undefined): void {
  defaultClient = client
}

/** Resets the default if it is still `client` (an unmounting `<MizanContext>` leaves a newer one in place). */
export function releaseDefaultClient(client: MizanClient): void {
  if (defaultClient === client) defaultClient = undefined
}

/** The client serving `queryClient` (see `MizanClient.connect`), else the default one. */
export function mizanClientFor(queryClient: QueryClient | undefined): MizanClient {
  return (queryClient && clientsByQueryClient.get(queryClient)) || getDefaultClient()
}
