import { z } from "zod"
import type { FieldSchema, FieldValue, FormSchema } from "./formSchema.js"

/**
 * Zod schemas that agree with Django's form cleaning. Values are what a browser posts (text, a checkbox's boolean,
 * a list for multiple choices); each schema accepts exactly what the Django field's `clean()` accepts, except the
 * validators the form schema lists as `server_only`, which the client lets through for the server to decide.
 * The messages are Django's English defaults, so the client's and the server's errors read the same.
 */

const REQUIRED = "This field is required."

/** Python's len(): code points, not UTF-16 units. */
function length(text: string): number {
  let count = 0
  for (const _ of text) count += 1
  return count
}

/** Python's str.strip() whitespace (str.isspace) — wider than JavaScript's trim for a few control characters. */
const PY_SPACE = "[\\s\\u001c-\\u001f\\u0085]"
const STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, "gu")

export function pyStrip(text: string): string {
  return text.replace(STRIP, "")
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return ""
  if (Array.isArray(value)) return value.map(String).join(",")
  return String(value)
}

/** Python's int(): optional sign, decimal digits with single underscores between them, surrounding spaces. */
const PY_INT = /^[+-]?\p{Nd}+(?:_\p{Nd}+)*$/u
/** Python's float()/Decimal(): decimal or exponent notation, or inf/nan spelled any case. */
const PY_NUMBER = /^[+-]?(?:(?:\p{Nd}+(?:_\p{Nd}+)*)?(?:\.\p{Nd}+(?:_\p{Nd}+)*)?|\p{Nd}+(?:_\p{Nd}+)*\.)(?:[eE][+-]?\p{Nd}+(?:_\p{Nd}+)*)?$/u

function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (digit) => String(digitValue(digit))).replace(/_/g, "")
}

function digitValue(digit: string): number {
  const code = digit.codePointAt(0)!
  // Unicode decimal digits come in runs of ten starting at a code point ending in 0 (or 6 for a few scripts).
  for (let zero = code; zero > code - 10; zero -= 1) {
    if (/\p{Nd}/u.test(String.fromCodePoint(zero - 1)) === false && /\p{Nd}/u.test(String.fromCodePoint(zero))) {
      return code - zero
    }
  }
  return 0
}

/** A decimal number as digits and exponent (Decimal's tuple), or null when it is not one. */
interface Decimal {
  negative: boolean
  digits: string
  exponent: number
}

function parseDecimal(text: string): Decimal | null | "special" {
  if (/^[+-]?(inf|infinity|nan|snan)$/i.test(text)) return "special"
  if (!PY_NUMBER.test(text) || !/\p{Nd}/u.test(text.replace(/[eE].*$/, ""))) return null
  const ascii = asciiDigits(text)
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(ascii)
  if (!match) return null
  const [, sign, whole = "", fraction = "", exp = "0"] = match
  const digits = (whole + fraction).replace(/^0+(?=\d)/, "")
  return { negative: sign === "-", digits: digits === "" ? "0" : digits, exponent: Number(exp) - fraction.length }
}

function compareDecimal(a: Decimal, limit: number | string): number {
  const b = parseDecimal(String(limit))
  if (b === null || b === "special") return 0
  const value = (d: Decimal): [number, string, number] => [d.negative ? -1 : 1, d.digits, d.exponent]
  const [sa, da, ea] = value(a)
  const [sb, db, eb] = value(b)
  const zeroA = /^0+$/.test(da)
  const zeroB = /^0+$/.test(db)
  if (zeroA && zeroB) return 0
  const signA = zeroA ? 0 : sa
  const signB = zeroB ? 0 : sb
  if (signA !== signB) return signA < signB ? -1 : 1
  // Same sign: compare magnitudes by aligning exponents.
  const shift = Math.min(ea, eb)
  const ma = BigInt(da + "0".repeat(ea - shift))
  const mb = BigInt(db + "0".repeat(eb - shift))
  const magnitude = ma === mb ? 0 : ma < mb ? -1 : 1
  return signA * magnitude
}

function decimalPlaces(d: Decimal): { digits: number; decimals: number; whole: number } {
  // Django's DecimalValidator, from Decimal.as_tuple().
  const digitsCount = d.digits.length
  if (d.exponent >= 0) {
    const digits = /^0+$/.test(d.digits) ? 0 : digitsCount + d.exponent
    return { digits, decimals: 0, whole: digits }
  }
  const decimals = -d.exponent
  const digits = Math.max(digitsCount, decimals)
  return { digits, decimals, whole: digits - decimals }
}

type Issue = (message: string) => void

function checkNumber(field: FieldSchema, text: string, issue: Issue): void {
  const kind = field.kind
  const rules = field.rules
  let value: Decimal | null
  if (kind === "integer") {
    const trimmed = text.replace(/\.0*\s*$/, "")
    value = PY_INT.test(trimmed) ? parseDecimal(trimmed) as Decimal : null
    if (value === null) return issue("Enter a whole number.")
  } else {
    // Decimal() ignores every underscore; float() only single ones between digits (PY_NUMBER).
    const parsed = parseDecimal(kind === "decimal" && /\p{Nd}/u.test(text) ? text.replace(/_/g, "") : text)
    if (parsed === null || parsed === "special") return issue("Enter a number.")
    value = parsed
  }
  if (rules.max_value !== undefined && compareDecimal(value, rules.max_value) > 0) {
    issue(`Ensure this value is less than or equal to ${rules.max_value}.`)
  }
  if (rules.min_value !== undefined && compareDecimal(value, rules.min_value) < 0) {
    issue(`Ensure this value is greater than or equal to ${rules.min_value}.`)
  }
  if (rules.step !== undefined && kind !== "float") {
    if (!isMultiple(value, Number(rules.step), Number(rules.step_offset ?? 0))) {
      issue(`Ensure this value is a multiple of step size ${rules.step}.`)
    }
  }
  if (kind === "decimal") {
    const { digits, decimals, whole } = decimalPlaces(value)
    const maxDigits = rules.max_digits ?? null
    const maxPlaces = rules.decimal_places ?? null
    if (maxDigits !== null && digits > maxDigits) {
      issue(`Ensure that there are no more than ${maxDigits} digits in total.`)
    } else if (maxPlaces !== null && decimals > maxPlaces) {
      issue(`Ensure that there are no more than ${maxPlaces} decimal places.`)
    } else if (maxDigits !== null && maxPlaces !== null && whole > maxDigits - maxPlaces) {
      issue(`Ensure that there are no more than ${maxDigits - maxPlaces} digits before the decimal point.`)
    }
  }
}

/** Django's StepValueValidator: `math.isclose(math.remainder(value - offset, step), 0, abs_tol=1e-9)`. */
function isMultiple(value: Decimal, step: number, offset: number): boolean {
  const x = Number(`${value.negative ? "-" : ""}${value.digits}e${value.exponent}`) - offset
  return Math.abs(ieeeRemainder(x, step)) <= 1e-9
}

/** Python's math.remainder: x - n*y with n the nearest integer to x/y (ties to even), computed exactly. */
function ieeeRemainder(x: number, y: number): number {
  const size = Math.abs(y)
  let r = x % size // exact, as C's fmod
  if (2 * Math.abs(r) > size) r -= Math.sign(r) * size
  else if (2 * Math.abs(r) === size && Math.abs(x) % (2 * size) > size) r -= Math.sign(r) * size
  return r
}

function checkText(field: FieldSchema, text: string, issue: Issue): void {
  const rules = field.rules
  const size = length(text)
  if (rules.max_length !== undefined && size > rules.max_length) {
    issue(`Ensure this value has at most ${rules.max_length} characters (it has ${size}).`)
  }
  if (rules.min_length !== undefined && size < rules.min_length) {
    issue(`Ensure this value has at least ${rules.min_length} characters (it has ${size}).`)
  }
  if (rules.no_null_characters && text.includes("\u0000")) issue("Null characters are not allowed.")
  for (const rule of rules.patterns ?? []) {
    const matches = new RegExp(rule.pattern, rule.flags + "u").test(text)
    if (matches === rule.inverse) issue(rule.message)
  }
  if (field.kind === "slug" && !/^[-a-zA-Z0-9_]+$/.test(text) && !field.server_only.some((s) => s.includes("slug"))) {
    issue("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.")
  }
  if (field.kind === "uuid" && !isUuid(text)) issue("Enter a valid UUID.")
  if (field.kind === "email" && !/^.+@.+$/su.test(text)) issue("Enter a valid email address.")
}

/** Python's uuid.UUID(hex): braces, "urn:uuid:" and hyphens removed, then 32 hex digits. */
function isUuid(text: string): boolean {
  const hex = text.replace(/^urn:/, "").replace(/^uuid:/, "").replace(/^\{|\}$/g, "").replace(/-/g, "")
  return /^[0-9a-fA-F]{32}$/.test(hex)
}

function choiceKeys(field: FieldSchema): Set<string> {
  return new Set((field.choices ?? []).map(([value]) => (value === null || value === undefined ? "" : String(value))))
}

/** Django's verdict on one field's value, as messages (empty: valid on the client). */
export function fieldErrors(field: FieldSchema, raw: unknown): string[] {
  const messages: string[] = []
  const issue: Issue = (message) => void messages.push(message)
  if (field.disabled) return messages // Django ignores posted data for a disabled field
  switch (field.kind) {
    case "boolean": {
      const value = typeof raw === "boolean" ? raw : !["", "false", "0"].includes(asText(raw).toLowerCase())
      if (field.required && !value) issue(REQUIRED)
      return messages
    }
    case "null_boolean":
      return messages
    case "multiple_choice": {
      const values = Array.isArray(raw) ? raw.map(asText) : raw === undefined || raw === null || raw === "" ? [] : [asText(raw)]
      if (field.required && values.length === 0) return [REQUIRED]
      if (!field.dynamic_choices) {
        const keys = choiceKeys(field)
        for (const value of values) {
          if (!keys.has(value)) issue(`Select a valid choice. ${value} is not one of the available choices.`)
        }
      }
      return messages
    }
    case "choice": {
      const value = asText(raw)
      if (value === "") return field.required ? [REQUIRED] : messages
      if (!field.dynamic_choices && !choiceKeys(field).has(value)) {
        issue(`Select a valid choice. ${value} is not one of the available choices.`)
      }
      return messages
    }
    default: {
      let text = asText(raw)
      const strips = field.strip || !["string", "email", "url", "slug", "uuid"].includes(field.kind)
      if (strips) text = pyStrip(text)
      if (text === "") return field.required ? [REQUIRED] : messages
      if (["integer", "float", "decimal"].includes(field.kind)) {
        checkNumber(field, text, issue)
        // Django stops at the first failing step: to_python, then validators (all of them).
        return messages
      }
      if (["date", "time", "datetime", "url"].includes(field.kind)) {
        // Parsed by the server (input formats, ISO 8601, scheme defaulting): server-only beyond presence.
        return messages
      }
      if (field.kind === "uuid") {
        if (!isUuid(text)) issue("Enter a valid UUID.")
        return messages
      }
      checkText(field, text, issue)
      return messages
    }
  }
}

/** The Zod schema of one field: Django's verdict as a refinement, with its messages. */
export function zodField(field: FieldSchema): z.ZodType<FieldValue | undefined> {
  return z.custom<FieldValue | undefined>().superRefine((value, ctx) => {
    for (const message of fieldErrors(field, value)) ctx.addIssue({ code: "custom", message })
  })
}

/** The Zod object schema of a form: one entry per field, unknown keys refused as the server refuses them. */
export function zodForm(schema: FormSchema): z.ZodObject<Record<string, z.ZodType<FieldValue | undefined>>> {
  const shape: Record<string, z.ZodType<FieldValue | undefined>> = {}
  for (const [name, field] of Object.entries(schema.fields)) shape[name] = zodField(field)
  return z.strictObject(shape)
}

/** The form's initial values as the browser holds them: text, booleans, lists. */
export function initialData(schema: FormSchema): Record<string, FieldValue> {
  const data: Record<string, FieldValue> = {}
  for (const [name, field] of Object.entries(schema.fields)) {
    const initial = field.initial
    if (field.kind === "boolean") data[name] = Boolean(initial)
    else if (field.kind === "multiple_choice") data[name] = Array.isArray(initial) ? initial.map(asText) : []
    else data[name] = asText(initial)
  }
  return data
}
