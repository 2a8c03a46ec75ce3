import { type FormEvent, Suspense, useState } from "react"
import { TodoProvider, useAddTodo, useCurrentUser, useTodoList, useTodoStats, useToggleTodo } from "../api"
import { Field } from "../components/Field"
import { FormError } from "../components/FormError"
import { ListViewers } from "../live/ListViewers"
import { LiveStatus } from "../live/LiveStatus"
import { NewTodoForm } from "./NewTodoForm"

/**
 * The lists on the board. A list is only a number on the server; the names live here. Not exported: a page
 * module that exports only components keeps Fast Refresh; one more export (a constant) makes Vite re-run its
 * importers on each save and on each regeneration of `src/api/`, which can undo a save of App.tsx just made.
 */
const LISTS = [
  { id: 1, name: "Inbox" },
  { id: 2, name: "Later" },
] as const

/**
 * Two instances of the named context `todo`, one per `list_id`. Adding to one list refreshes that list's
 * `todo_list` and `todo_stats` only: `add_todo` declares `affects="todo"` and its `list_id` scopes the refresh.
 * Live: the socket watches the mounted lists, so another user's addition shows here without a reload, and
 * each list shows who else has it open (the `todo_presence` channel).
 */
export function TodoBoard() {
  return (
    <>
      <LiveStatus />
      <div className="board">
        {LISTS.map((list) => (
          <section key={list.id} aria-labelledby={`list-${list.id}`}>
            <h2 id={`list-${list.id}`}>{list.name}</h2>
            <ListViewers listId={list.id} />
            <Suspense fallback={<p role="status">Loading {list.name}…</p>}>
              <TodoProvider list_id={list.id}>
                <TodoStatsLine />
                <TodoItems listId={list.id} />
                <AddTodoForm listId={list.id} />
              </TodoProvider>
            </Suspense>
          </section>
        ))}
      </div>
      <NewTodoForm listId={LISTS[0].id} />
    </>
  )
}

function TodoStatsLine() {
  const stats = useTodoStats()
  return (
    <p data-testid="todo-stats">
      {stats.done} of {stats.total} done
    </p>
  )
}

function TodoItems({ listId }: { listId: number }) {
  const items = useTodoList()
  const user = useCurrentUser()
  const toggle = useToggleTodo()
  if (items.length === 0) return <p>Nothing here yet.</p>
  return (
    <ul>
      {items.map((item) => (
        <li key={item.id}>
          <label>
            <input
              type="checkbox"
              checked={item.done}
              disabled={!user.is_authenticated || toggle.isPending}
              onChange={() => void toggle.mutate({ list_id: listId, todo_id: item.id })}
            />{" "}
            {item.title}
          </label>
          {item.author ? <small> by {item.author}</small> : null}
        </li>
      ))}
    </ul>
  )
}

function AddTodoForm({ listId }: { listId: number }) {
  const user = useCurrentUser()
  const add = useAddTodo()
  const [title, setTitle] = useState("")
  if (!user.is_authenticated) return <p>Log in to add items.</p>
  async function submit(event: FormEvent) {
    event.preventDefault()
    try {
      await add.mutate({ list_id: listId, title })
      setTitle("")
    } catch {
      // The error is in `add.error`, shown at its field.
    }
  }
  return (
    <form aria-label={`Add to list ${listId}`} onSubmit={(event) => void submit(event)}>
      <Field
        id={`add-title-${listId}`}
        label="Title"
        path="title"
        error={add.error}
        value={title}
        onChange={setTitle}
      />
      <FormError error={add.error} />
      <button type="submit" disabled={add.isPending}>
        Add
      </button>
    </form>
  )
}
