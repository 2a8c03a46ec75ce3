import { createContext } from "react"
import type { MizanClient } from "../kernel/index.js"

/** The MizanClient of the nearest `<MizanContext>`. */
export const MizanClientContext = createContext<MizanClient | undefined>(undefined)
