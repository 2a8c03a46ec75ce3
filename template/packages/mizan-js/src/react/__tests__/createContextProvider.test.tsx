import { act, render, screen } from "@testing-library/react"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startMizanServer, type MizanTestServer } from "../../kernel/__tests__/support/mizanServer.js"
import { composeProviders, createContextProvider, MizanContext, pascalCase, useMizanContextQuery, useMizanMutation, type MizanMutation } from "../index.js"
import { silenceConsoleError } from "./support/silenceConsoleError.js"

interface TodoParams {
  list_id: number
}

// What the generator writes for the named context "todo".
const todo = createContextProvider<TodoParams>("todo")
const TodoProvider = todo.Provider
function useTodoList(): { list_id: number; version: number } {
  return useMizanContextQuery("todo_list", todo.useParams())
}

let server: MizanTestServer
let reads: number[]

beforeEach(async () => {
  server = await startMizanServer()
  reads = []
  server.fn("todo_list", (args) => {
    const id = args.list_id as number
    reads.push(id)
    return { result: { list_id: id, version: reads.filter((read) => read === id).length } }
  })
  server.fn("add_todo", (args) => ({ result: "added", invalidate: [`todo_list?list_id=${args.list_id as number}`] }))
})

afterEach(async () => {
  await server.close()
})

function TodoList() {
  const list = useTodoList()
  return <p>list {list.list_id} v{list.version}</p>
}

describe("createContextProvider", () => {
  it("gives the hooks below the provider its params", async () => {
    render(
      <MizanContext baseUrl={server.baseUrl}>
        <TodoProvider list_id={7}>
          <TodoList />
        </TodoProvider>
      </MizanContext>,
    )
    expect(await screen.findByText("list 7 v1")).toBeTruthy()
    expect(server.calls()[0]).toMatchObject({ method: "GET", path: "call/todo_list/", args: { list_id: 7 } })
  })

  it("refetches the list_id 7 instances once after a mutation scoped to 7, and leaves list_id 8 alone", async () => {
    let addTodo: MizanMutation<TodoParams, string> | undefined
    function Adder() {
      addTodo = useMizanMutation<TodoParams, string>("add_todo")
      return null
    }
    render(
      <MizanContext baseUrl={server.baseUrl}>
        <Adder />
        <TodoProvider list_id={7}>
          <TodoList />
        </TodoProvider>
        <TodoProvider list_id={7}>
          <TodoList />
        </TodoProvider>
        <TodoProvider list_id={8}>
          <TodoList />
        </TodoProvider>
      </MizanContext>,
    )
    expect(await screen.findAllByText("list 7 v1")).toHaveLength(2) // two providers, one shared fetch
    expect(screen.getByText("list 8 v1")).toBeTruthy()
    expect(reads.sort()).toEqual([7, 8])

    await act(async () => {
      await addTodo!.mutate({ list_id: 7 })
    })

    // TanStack notifies observers on its next tick, so the new data renders just after the promise settles.
    expect(await screen.findAllByText("list 7 v2")).toHaveLength(2)
    expect(screen.getByText("list 8 v1")).toBeTruthy()
    expect(reads.sort()).toEqual([7, 7, 8])
  })

  it("throws an error naming the provider to add when a hook is used outside it", () => {
    const quiet = silenceConsoleError()
    try {
      expect(() =>
        render(
          <MizanContext baseUrl={server.baseUrl}>
            <TodoList />
          </MizanContext>,
        ),
      ).toThrow(/outside <TodoProvider>: render it inside <TodoProvider \.\.\.params>/)
    } finally {
      quiet()
    }
  })
})

describe("createContextProvider in development", () => {
  it("refuses a name that is not a context name", () => {
    expect(() => createContextProvider("")).toThrow(/needs the context's name .* got ""/)
    expect(() => createContextProvider("todo list")).toThrow(TypeError)
    expect(() => createContextProvider("shop.cart")).not.toThrow()
  })
})

describe("pascalCase", () => {
  it("follows the generator's naming", () => {
    expect(pascalCase("todo")).toBe("Todo")
    expect(pascalCase("todo_list")).toBe("TodoList")
    expect(pascalCase("contact.submit")).toBe("ContactSubmit")
  })
})

describe("composeProviders", () => {
  interface UserParams {
    period?: string
  }
  const user = createContextProvider<UserParams>("user")
  // What the generator writes for @compose("user", "todo") on `Dashboard`.
  const DashboardProvider = composeProviders<UserParams & TodoParams>("dashboard", [
    [user, ["period"]],
    [todo, ["list_id"]],
  ])

  function Params() {
    return (
      <p>
        user {JSON.stringify(user.useParams())} todo {JSON.stringify(todo.useParams())}
      </p>
    )
  }

  it("mounts each member context with only the params it takes, and its hooks read", async () => {
    render(
      <MizanContext baseUrl={server.baseUrl}>
        <DashboardProvider list_id={3} period="month">
          <Params />
          <TodoList />
        </DashboardProvider>
      </MizanContext>,
    )
    expect(await screen.findByText("list 3 v1")).toBeTruthy()
    expect(screen.getByText('user {"period":"month"} todo {"list_id":3}')).toBeTruthy()
    expect(reads).toEqual([3])
  })

  it("leaves out params that are not set, and is named for devtools", () => {
    render(
      <MizanContext baseUrl={server.baseUrl}>
        <DashboardProvider list_id={4}>
          <Params />
        </DashboardProvider>
      </MizanContext>,
    )
    expect(screen.getByText('user {} todo {"list_id":4}')).toBeTruthy()
    expect((DashboardProvider as { displayName?: string }).displayName).toBe("DashboardProvider")
  })
})
