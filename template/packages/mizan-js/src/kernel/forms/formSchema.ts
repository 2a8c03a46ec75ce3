/** A form as the manifest's `forms` section and `<name>.schema` describe it (PROTOCOL §5). */

export type FieldKind =
  | "string" | "email" | "url" | "slug" | "uuid"
  | "integer" | "float" | "decimal"
  | "boolean" | "null_boolean"
  | "choice" | "multiple_choice"
  | "date" | "time" | "datetime"

export interface FieldPattern {
  pattern: string
  /** JavaScript flags translated from Python's (`i`, `m`, `s`). */
  flags: string
  /** `RegexValidator(inverse_match=True)`: a match is the error. */
  inverse: boolean
  message: string
}

export interface FieldRules {
  max_length?: number
  min_length?: number
  max_value?: number | string
  min_value?: number | string
  step?: number | string
  step_offset?: number | string
  max_digits?: number | null
  decimal_places?: number | null
  no_null_characters?: boolean
  patterns?: FieldPattern[]
}

export interface FieldSchema {
  kind: FieldKind
  widget: string
  label: string
  required: boolean
  initial: unknown
  help_text: string
  disabled: boolean
  /** Django strips surrounding whitespace before checking (CharField's `strip=True`). */
  strip: boolean
  choices?: [unknown, string][]
  dynamic_choices?: boolean
  rules: FieldRules
  /** Validators only the server runs (`validate`/`submit` enforce them); listed so nothing is silently dropped. */
  server_only: string[]
}

export interface FormSchema {
  title: string
  submit_label: string
  live_validation: boolean
  prefix: string
  model_form: boolean
  fields: Record<string, FieldSchema>
  functions?: { schema: string; validate: string; submit: string }
}

/** The value a field holds in the browser: text, a checkbox's boolean, or a multiple choice's list. */
export type FieldValue = string | boolean | string[]

/** Per field, and `__all__` for the form's `clean()`: messages. */
export type FormErrors<K extends string = string> = Partial<Record<K | "__all__", string[]>>
