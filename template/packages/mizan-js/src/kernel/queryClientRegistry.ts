/** Which MizanClient serves each QueryClient, so a query function finds its transport from `context.client`. */

import type { QueryClient } from "@tanstack/query-core"
import type { MizanClient } from "./mizanClient.js"

// Weak, so a dropped QueryClient (a test's, a finished SSR request's) is not kept alive by the registry.
export const clientsByQueryClient = new WeakMap<QueryClient, MizanClient>()
