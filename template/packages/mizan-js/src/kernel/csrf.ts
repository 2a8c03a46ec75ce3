/** Reads Django's CSRF cookie when the page can see it. */

/** The cookie's value, or undefined when there is no readable cookie (HttpOnly, another origin, no DOM). */
export function readCookie(name: string): string | undefined {
  if (typeof document === "undefined") return undefined
  for (const pair of document.cookie.split(";")) {
    const at = pair.indexOf("=")
    if (at > 0 && pair.slice(0, at).trim() === name) return decodeURIComponent(pair.slice(at + 1).trim()) || undefined
  }
  return undefined
}
