import type { MizanError } from "../api"

export interface FieldProps {
  id: string
  label: string
  /** The argument's name: the server's validation errors for it are shown under the input. */
  path: string
  error: MizanError | null
  value: string
  onChange(value: string): void
  type?: "text" | "password"
}

/** A labelled input with the server's validation messages for its field. */
export function Field({ id, label, path, error, value, onChange, type = "text" }: FieldProps) {
  const messages = error?.getFieldErrors(path) ?? []
  const errorId = `${id}-error`
  return (
    <p className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={path}
        type={type}
        value={value}
        aria-invalid={messages.length > 0}
        aria-describedby={messages.length > 0 ? errorId : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {messages.length > 0 ? (
        <span id={errorId} className="field-error" role="alert">
          {messages.join(" ")}
        </span>
      ) : null}
    </p>
  )
}
