import { QueryClient, useQuery, useQueryClient } from "@tanstack/react-query"
import { render, screen } from "@testing-library/react"
import { useEffect, useState } from "react"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { callMizan, getDefaultClient, MizanClient, mizanQueryOptions } from "../../kernel/index.js"
import { startMizanServer, type MizanTestServer } from "../../kernel/__tests__/support/mizanServer.js"
import { MizanContext, useMizanClient, useMizanContextQuery } from "../index.js"
import { silenceConsoleError } from "./support/silenceConsoleError.js"

let server: MizanTestServer

beforeEach(async () => {
  server = await startMizanServer()
  server.fn("current_user", () => ({ result: { name: "ada" } }))
  server.fn("site", () => ({ result: { title: "Mizan" } }))
})

afterEach(async () => {
  await server.close()
})

function User() {
  const user = useMizanContextQuery<{ name: string }>("current_user", {})
  return <p>user {user.name}</p>
}

function Site() {
  const site = useMizanContextQuery<{ title: string }>("site", {})
  return <p>site {site.title}</p>
}

describe("<MizanContext>", () => {
  it("suspends with the fallback, then shows the data; the global contexts share one batch", async () => {
    render(
      <MizanContext baseUrl={server.baseUrl} fallback={<p>loading</p>}>
        <User />
        <Site />
      </MizanContext>,
    )
    expect(screen.getByText("loading")).toBeTruthy()
    expect(await screen.findByText("user ada")).toBeTruthy()
    expect(screen.getByText("site Mizan")).toBeTruthy()
    expect(server.calls()).toHaveLength(1)
    expect(server.calls()[0]).toMatchObject({
      path: "batch/",
      body: { calls: [{ fn: "current_user", args: {} }, { fn: "site", args: {} }] },
    })
  })

  it("renders hydrated contexts at once, with no request", async () => {
    render(
      <MizanContext
        baseUrl={server.baseUrl}
        fallback={<p>loading</p>}
        hydration={{ queries: [{ fn: "current_user", args: {}, result: { name: "hydrated" } }] }}
        realtime={false} // the live socket's upgrade is a request too, tested in realtime.test.tsx
      >
        <User />
      </MizanContext>,
    )
    expect(screen.getByText("user hydrated")).toBeTruthy()
    expect(screen.queryByText("loading")).toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(server.requests).toEqual([])
  })

  it("uses a given QueryClient and MizanClient", async () => {
    const queryClient = new QueryClient()
    const client = new MizanClient({ baseUrl: server.baseUrl })
    let seen: { query: QueryClient; mizan: MizanClient } | undefined
    function Probe() {
      seen = { query: useQueryClient(), mizan: useMizanClient() }
      return null
    }
    render(
      <MizanContext client={client} queryClient={queryClient}>
        <Probe />
        <User />
      </MizanContext>,
    )
    await screen.findByText("user ada")
    expect(seen?.query).toBe(queryClient)
    expect(seen?.mizan).toBe(client)
    expect(queryClient.getQueryData(["mizan", "current_user", {}])).toEqual({ name: "ada" })
  })

  it("makes its client the default, so callXxx() in a component reaches its baseUrl", async () => {
    server.fn("echo", (args) => ({ result: args.text }))
    function Caller() {
      const [text, setText] = useState("")
      useEffect(() => {
        void callMizan<string>("echo", { text: "called" }).then(setText)
      }, [])
      return <p>echo {text}</p>
    }
    const { unmount } = render(
      <MizanContext baseUrl={server.baseUrl}>
        <Caller />
      </MizanContext>,
    )
    expect(await screen.findByText("echo called")).toBeTruthy()
    expect(getDefaultClient().baseUrl).toBe(server.baseUrl)
    unmount()
    expect(getDefaultClient().baseUrl).toBe("/api/mizan")
  })

  it("leaves a newer <MizanContext>'s client as the default when an older one unmounts", () => {
    const older = new MizanClient({ baseUrl: "/older" })
    const newer = new MizanClient({ baseUrl: "/newer" })
    const first = render(<MizanContext client={older} />)
    render(<MizanContext client={newer} />)
    first.unmount()
    expect(getDefaultClient()).toBe(newer)
  })

  it("lets generated queryOptions work in useQuery", async () => {
    function Plain() {
      const query = useQuery(mizanQueryOptions<{ title: string }>("site", {}))
      return <p>{query.data ? `plain ${query.data.title}` : "pending"}</p>
    }
    render(
      <MizanContext baseUrl={server.baseUrl}>
        <Plain />
      </MizanContext>,
    )
    expect(await screen.findByText("plain Mizan")).toBeTruthy()
  })
})

describe("outside <MizanContext>", () => {
  it("useMizanClient and the context hooks throw an error naming <MizanContext>", () => {
    const quiet = silenceConsoleError()
    try {
      expect(() => render(<User />)).toThrow(/wrap your app in <MizanContext/)
    } finally {
      quiet()
    }
  })
})
