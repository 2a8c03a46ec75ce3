import { QueryClient, useMutation, useQuery, useSuspenseQuery } from "@tanstack/react-query"
import { describe, expectTypeOf, it } from "vitest"
import { callMizan, MizanError, mizanMutationOptions, mizanQueryOptions } from "../../kernel/index.js"
import { createContextProvider, MizanContext, useMizanContextQuery, useMizanMutation } from "../index.js"

interface Todo {
  id: number
  title: string
}

describe("kernel types", () => {
  it("types callMizan's result", () => {
    expectTypeOf(callMizan<Todo>("todo", { id: 1 })).toEqualTypeOf<Promise<Todo>>()
  })

  it("carries the result type through the query key to TanStack", () => {
    const options = mizanQueryOptions<Todo[]>("todo_list", { list_id: 7 })
    expectTypeOf(new QueryClient().getQueryData(options.queryKey)).toEqualTypeOf<Todo[] | undefined>()
  })
})

describe("React types", () => {
  it("types useQuery and useSuspenseQuery from the options", () => {
    const query = useQuery(mizanQueryOptions<Todo[]>("todo_list", { list_id: 7 }))
    expectTypeOf(query.data).toEqualTypeOf<Todo[] | undefined>()
    expectTypeOf(useSuspenseQuery(mizanQueryOptions<Todo[]>("todo_list", {})).data).toEqualTypeOf<Todo[]>()
  })

  it("types useMutation from the options", () => {
    const mutation = useMutation(mizanMutationOptions<{ title: string }, Todo>("add_todo"))
    expectTypeOf(mutation.mutateAsync).parameter(0).toEqualTypeOf<{ title: string }>()
    expectTypeOf(mutation.data).toEqualTypeOf<Todo | undefined>()
  })

  it("types the Mizan hooks", () => {
    expectTypeOf(useMizanContextQuery<Todo>("todo", {})).toEqualTypeOf<Todo>()
    const add = useMizanMutation<{ title: string }, Todo>("add_todo")
    expectTypeOf(add.mutate).toEqualTypeOf<(args: { title: string }) => Promise<Todo>>()
    expectTypeOf(add.error).toEqualTypeOf<MizanError | null>()
    expectTypeOf(add.data).toEqualTypeOf<Todo | undefined>()
    // @ts-expect-error a wrong argument type
    void add.mutate({ title: 1 })
    // @ts-expect-error a missing argument
    void add.mutate({})
  })

  it("types provider props", () => {
    const todo = createContextProvider<{ list_id: number }>("todo")
    void (<todo.Provider list_id={7}>x</todo.Provider>)
    // @ts-expect-error a wrong prop type
    void (<todo.Provider list_id="7">x</todo.Provider>)
    // @ts-expect-error a missing prop
    void (<todo.Provider>x</todo.Provider>)
    expectTypeOf(todo.useParams()).toEqualTypeOf<{ list_id: number }>()
    void (<MizanContext baseUrl="/api/mizan" fallback={<p>loading</p>} />)
    // @ts-expect-error hydration has a shape
    void (<MizanContext hydration={{ current_user: {} }} />)
  })
})
