import { createContext } from "react"
import type { MizanRealtime } from "../kernel/index.js"

/** The socket of the nearest `<MizanContext>`; undefined when it was opted out (`realtime={false}`). */
export const MizanRealtimeContext = createContext<MizanRealtime | undefined>(undefined)
