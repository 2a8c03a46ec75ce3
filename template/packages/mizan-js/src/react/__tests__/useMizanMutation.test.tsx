import { act, render, screen } from "@testing-library/react"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { MizanError } from "../../kernel/index.js"
import { startMizanServer, type MizanTestServer } from "../../kernel/__tests__/support/mizanServer.js"
import { MizanContext, useMizanMutation, type MizanMutation } from "../index.js"

let server: MizanTestServer
let release: () => void

beforeEach(async () => {
  server = await startMizanServer()
  server.fn("echo", async (args) => {
    await new Promise<void>((resolve) => (release = resolve))
    return { result: { text: args.text } }
  })
  server.fn("signup", () => ({
    error: { code: "VALIDATION_ERROR", message: "Invalid input.", details: { fields: { email: ["Enter a valid email address."] } } },
    status: 422,
  }))
})

afterEach(async () => {
  await server.close()
})

function renderMutation<A extends object, R>(fn: string): { current: () => MizanMutation<A, R> } {
  let latest: MizanMutation<A, R> | undefined
  function Probe() {
    latest = useMizanMutation<A, R>(fn)
    return <p>{latest.isPending ? "pending" : "idle"}</p>
  }
  render(
    <MizanContext baseUrl={server.baseUrl}>
      <Probe />
    </MizanContext>,
  )
  return { current: () => latest! }
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await act(() => new Promise((resolve) => setTimeout(resolve, 10)))
  expect(check()).toBe(true)
}

describe("useMizanMutation", () => {
  it("returns the typed result from mutate, with isPending and data beside it", async () => {
    const echo = renderMutation<{ text: string }, { text: string }>("echo")
    expect(echo.current().isPending).toBe(false)
    let promise: Promise<{ text: string }> | undefined
    act(() => {
      promise = echo.current().mutate({ text: "hi" })
    })
    await screen.findByText("pending")
    await until(() => server.calls().length === 1)
    release()
    await act(async () => {
      await expect(promise).resolves.toEqual({ text: "hi" })
    })
    await until(() => !echo.current().isPending)
    const { isPending, data, error } = echo.current()
    expect({ isPending, data, error }).toEqual({ isPending: false, data: { text: "hi" }, error: null })
    act(() => echo.current().reset())
    await until(() => echo.current().data === undefined)
  })

  it("is callable itself, the original Mizan's form: await echo({ text })", async () => {
    const echo = renderMutation<{ text: string }, { text: string }>("echo")
    let promise: Promise<{ text: string }> | undefined
    act(() => {
      promise = echo.current()({ text: "called" })
    })
    await until(() => server.calls().length === 1)
    release()
    await act(async () => {
      await expect(promise).resolves.toEqual({ text: "called" })
    })
    await until(() => echo.current().data !== undefined)
    expect(echo.current().data).toEqual({ text: "called" })
  })

  it("rejects with a MizanError and exposes it as error, field errors included", async () => {
    const signup = renderMutation<{ email: string }, never>("signup")
    await act(async () => {
      await expect(signup.current().mutate({ email: "x" })).rejects.toBeInstanceOf(MizanError)
    })
    await until(() => signup.current().error !== null)
    const error = signup.current().error
    expect(error?.code).toBe("VALIDATION_ERROR")
    expect(error?.getFieldErrors("email")).toEqual(["Enter a valid email address."])
    act(() => signup.current().reset())
    await until(() => signup.current().error === null)
  })

  it("leaves no unhandled rejection when the caller does not await", async () => {
    const unhandled: unknown[] = []
    const record = (reason: unknown) => unhandled.push(reason)
    process.on("unhandledRejection", record)
    try {
      const signup = renderMutation<{ email: string }, never>("signup")
      act(() => {
        void signup.current().mutate({ email: "x" }) // fire and forget, as an onClick handler would
      })
      await until(() => signup.current().error !== null)
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(unhandled).toEqual([])
    } finally {
      process.off("unhandledRejection", record)
    }
  })

  it("turns a dead server into NETWORK_ERROR in error", async () => {
    const signup = renderMutation<{ email: string }, never>("signup")
    await server.close()
    act(() => {
      void signup.current().mutate({ email: "x" })
    })
    await until(() => signup.current().error !== null)
    expect(signup.current().error?.code).toBe("NETWORK_ERROR")
    server = await startMizanServer()
  })
})
