import { useSyncExternalStore } from "react"

const noSubscription = () => () => {}

/**
 * False while the server renders and while the browser hydrates that HTML, true from then on (and from the first
 * render of a page the browser renders itself). The page's controls are disabled until then: a form used before
 * its JavaScript runs would be submitted by the browser itself (a GET, the password in the URL).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  )
}
