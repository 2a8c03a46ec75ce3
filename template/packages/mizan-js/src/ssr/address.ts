/** Where the worker listens: `unix:/path/to.sock`, `host:port`, or `:port` (127.0.0.1). */

export type ListenAddress = { kind: "unix"; path: string } | { kind: "tcp"; host: string; port: number }

export function parseAddress(text: string): ListenAddress {
  if (text.startsWith("unix:")) {
    const path = text.slice("unix:".length)
    if (path) return { kind: "unix", path }
  } else {
    const match = /^(.*):(\d{1,5})$/.exec(text)
    const port = match ? Number(match[2]) : NaN
    if (match && port > 0 && port < 65536) return { kind: "tcp", host: match[1] || "127.0.0.1", port }
  }
  throw new Error(
    `MIZAN_SSR_ADDRESS ${JSON.stringify(text)} is not an address: use unix:/path/to/ssr.sock (development) or ` +
      "host:port such as 0.0.0.0:4100 (a container).",
  )
}

export function describeAddress(address: ListenAddress): string {
  return address.kind === "unix" ? `unix:${address.path}` : `${address.host}:${address.port}`
}
