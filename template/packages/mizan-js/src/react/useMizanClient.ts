import { useContext } from "react"
import type { MizanClient } from "../kernel/index.js"
import { MizanClientContext } from "./mizanClientContext.js"

/** The MizanClient of the nearest `<MizanContext>`; throws when there is none. */
export function useMizanClient(): MizanClient {
  const client = useContext(MizanClientContext)
  if (!client) {
    throw new Error(`No Mizan client here: wrap your app in <MizanContext baseUrl="/api/mizan"> (from "mizan-js/react" or your generated api).`)
  }
  return client
}
