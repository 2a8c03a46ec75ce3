import { type FormEvent, useEffect } from "react"
import { useCurrentUser, useNewTodoForm } from "../api"

/**
 * The Django form `NewTodoForm` (backend/example/forms.py) through its generated hook: labels and rules come from
 * the server, Zod checks the title's length before any request, and the server adds what only it knows (a
 * duplicate title). A saved item refreshes the list it went to (`affects="todo"`).
 */
export function NewTodoForm({ listId }: { listId: number }) {
  const user = useCurrentUser()
  const form = useNewTodoForm()
  const { set } = form
  useEffect(() => set("list_id", String(listId)), [set, listId])
  if (!user.is_authenticated) return null
  const title = form.schema.fields.title!
  const messages = [...(form.errors.title ?? []), ...(form.errors.__all__ ?? [])]

  async function submit(event: FormEvent) {
    event.preventDefault()
    const outcome = await form.submit()
    if (outcome.success) {
      form.reset()
      set("list_id", String(listId))
    }
  }

  return (
    <form aria-label={form.schema.title} onSubmit={(event) => void submit(event)}>
      <h3>{form.schema.title}</h3>
      <p className="field">
        <label htmlFor="new-todo-title">{title.label}</label>
        <input
          id="new-todo-title"
          name="title"
          value={form.data.title}
          aria-invalid={messages.length > 0}
          aria-describedby="new-todo-title-help"
          onChange={(event) => set("title", event.target.value)}
        />
        <small id="new-todo-title-help">{title.help_text}</small>
        {messages.map((message) => (
          <span key={message} role="alert" className="field-error">
            {message}
          </span>
        ))}
      </p>
      <button type="submit" disabled={form.isSubmitting}>
        {form.schema.submit_label}
      </button>
    </form>
  )
}
