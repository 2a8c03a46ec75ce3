import { GenerateError } from "./errors.js"

/** A JSON Schema, as the manifest carries it (draft 2020-12 subset that pydantic emits). */
export type JsonSchema = { [key: string]: unknown } | boolean

/** The `auth` requirement of a function (PROTOCOL §1). */
export type AuthRequirement = boolean | "staff" | "superuser" | "custom"

/** One server function of the manifest. */
export interface ManifestFunction {
  input: { [key: string]: unknown }
  output: JsonSchema
  context: string | null
  affects: string[]
  auth: AuthRequirement
  websocket: boolean
  rev: number
  view: boolean
  route: string | null
  doc: string | null
}

/** One context of the manifest: its member functions and the params they share. */
export interface ManifestContext {
  functions: string[]
  params: { [key: string]: unknown }
}

/** One `ReactChannel` of the manifest: its params and message schemas (`client_message` null: server-only). */
export interface ManifestChannel {
  params: JsonSchema
  client_message: JsonSchema | null
  server_message: JsonSchema
}

/** One `@compose(...)` of the manifest: the contexts its provider mounts, outermost first. */
export interface ManifestComposition {
  contexts: string[]
  doc: string | null
}

/** The manifest `export_mizan_schema` prints, version 1 (docs/architecture.md). */
export interface Manifest {
  mizan: 1
  functions: { [name: string]: ManifestFunction }
  contexts: { [name: string]: ManifestContext }
  /** Absent in a manifest built by hand; parseManifest always fills it. */
  channels?: { [name: string]: ManifestChannel }
  /** Absent in a manifest built by hand; parseManifest always fills it. */
  compositions?: { [name: string]: ManifestComposition }
  /** The forms section (mizan.forms): each form's schema by name. */
  forms?: { [name: string]: { fields: { [field: string]: { [key: string]: unknown } }; [key: string]: unknown } }
  $defs: { [name: string]: JsonSchema }
}

/** The manifest version this generator reads. */
export const MANIFEST_VERSION = 1

const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/
const AUTH_VALUES: readonly unknown[] = [true, false, "staff", "superuser", "custom"]

/**
 * Parses and checks a manifest's text. Checks the shape the generator relies on, so that a wrong file fails
 * here with the path of the bad field rather than deep inside code generation.
 */
export function parseManifest(text: string, source: string): Manifest {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new GenerateError(
      `${source} is not JSON (${(error as Error).message}); expected the output of manage.py export_mizan_schema`,
    )
  }
  return checkManifest(data, source)
}

/** Checks an already-parsed manifest; see parseManifest. */
export function checkManifest(data: unknown, source: string): Manifest {
  const fail = (path: string, what: string): never => {
    throw new GenerateError(`${source}: ${path}: ${what}`)
  }
  if (!isObject(data)) fail("manifest", `expected a JSON object, got ${describe(data)}`)
  const root = data as { [key: string]: unknown }
  if (!("mizan" in root)) {
    fail("mizan", "missing; this is not a Mizan manifest (make it with manage.py export_mizan_schema)")
  }
  if (root.mizan !== MANIFEST_VERSION) {
    fail(
      "mizan",
      `unsupported manifest version ${JSON.stringify(root.mizan)}; this mizan-generate reads version ${MANIFEST_VERSION}: ` +
        "use the mizan-js that ships with your mizan backend",
    )
  }
  const functions = expectObject(root.functions, "functions", fail)
  const contexts = expectObject(root.contexts ?? {}, "contexts", fail)
  const defs = expectObject(root.$defs ?? {}, "$defs", fail)
  const channels = expectObject(root.channels ?? {}, "channels", fail)
  const compositions = expectObject(root.compositions ?? {}, "compositions", fail)
  const forms = expectObject(root.forms ?? {}, "forms", fail)
  for (const [name, value] of Object.entries(forms)) {
    const at = `forms[${JSON.stringify(name)}]`
    if (!FUNCTION_NAME.test(name)) fail(at, "not a valid form name (dotted Python identifiers only)")
    const form = expectObject(value, at, fail)
    const fields = expectObject(form.fields, `${at}.fields`, fail)
    for (const [field, spec] of Object.entries(fields)) {
      const kind = expectObject(spec, `${at}.fields.${field}`, fail).kind
      if (typeof kind !== "string") fail(`${at}.fields.${field}.kind`, `expected a field kind, got ${describe(kind)}`)
    }
  }

  for (const [name, value] of Object.entries(functions)) {
    const at = `functions[${JSON.stringify(name)}]`
    if (!FUNCTION_NAME.test(name)) fail(at, "not a valid function name (dotted Python identifiers only)")
    const fn = expectObject(value, at, fail)
    const input = expectObject(fn.input, `${at}.input`, fail)
    if (input.type !== "object") fail(`${at}.input.type`, `expected "object", got ${describe(input.type)}`)
    if (!isObject(fn.output) && typeof fn.output !== "boolean") {
      fail(`${at}.output`, `expected a JSON Schema, got ${describe(fn.output)}`)
    }
    if (fn.context !== null && typeof fn.context !== "string") {
      fail(`${at}.context`, `expected null or a context name, got ${describe(fn.context)}`)
    }
    if (typeof fn.context === "string" && !(fn.context in contexts)) {
      fail(`${at}.context`, `names the context ${JSON.stringify(fn.context)}, which is not in "contexts"`)
    }
    if (!Array.isArray(fn.affects) || !fn.affects.every((item) => typeof item === "string")) {
      fail(`${at}.affects`, `expected a list of function names, got ${describe(fn.affects)}`)
    }
    if (!AUTH_VALUES.includes(fn.auth)) {
      fail(`${at}.auth`, `expected false, true, "staff", "superuser" or "custom", got ${describe(fn.auth)}`)
    }
    if (typeof fn.view !== "boolean") fail(`${at}.view`, `expected true or false, got ${describe(fn.view)}`)
    if (fn.doc !== undefined && fn.doc !== null && typeof fn.doc !== "string") {
      fail(`${at}.doc`, `expected a string or null, got ${describe(fn.doc)}`)
    }
  }
  for (const [name, value] of Object.entries(contexts)) {
    const at = `contexts[${JSON.stringify(name)}]`
    const context = expectObject(value, at, fail)
    if (!Array.isArray(context.functions)) {
      fail(`${at}.functions`, `expected a list of function names, got ${describe(context.functions)}`)
    }
    for (const member of context.functions as unknown[]) {
      if (typeof member !== "string" || !(member in functions)) {
        fail(`${at}.functions`, `names ${describe(member)}, which is not in "functions"`)
      }
    }
    const params = expectObject(context.params, `${at}.params`, fail)
    if (params.type !== "object") fail(`${at}.params.type`, `expected "object", got ${describe(params.type)}`)
  }
  for (const [name, value] of Object.entries(defs)) {
    if (!isObject(value) && typeof value !== "boolean") {
      fail(`$defs[${JSON.stringify(name)}]`, `expected a JSON Schema, got ${describe(value)}`)
    }
  }
  for (const [name, value] of Object.entries(channels)) {
    const at = `channels[${JSON.stringify(name)}]`
    const channel = expectObject(value, at, fail)
    for (const part of ["params", "server_message"]) expectObject(channel[part], `${at}.${part}`, fail)
    if (channel.client_message !== null) expectObject(channel.client_message, `${at}.client_message`, fail)
  }
  for (const [name, value] of Object.entries(compositions)) {
    const at = `compositions[${JSON.stringify(name)}]`
    const composition = expectObject(value, at, fail)
    if (!Array.isArray(composition.contexts) || composition.contexts.length === 0) {
      fail(`${at}.contexts`, `expected a non-empty list of context names, got ${describe(composition.contexts)}`)
    }
    for (const member of composition.contexts as unknown[]) {
      if (typeof member !== "string" || !(member in contexts) || member === "global") {
        fail(`${at}.contexts`, `names ${describe(member)}, which is not a named context in "contexts"`)
      }
    }
    if (name in contexts) fail(at, `has the name of a context; both would generate the same provider`)
  }
  for (const part of ["functions", "contexts", "channels", "$defs"]) checkRefs(root[part], part, defs, fail)

  const normalized: Manifest = {
    mizan: 1,
    functions: {},
    contexts: {},
    channels: channels as Manifest["channels"],
    compositions: {},
    forms: forms as Manifest["forms"],
    $defs: defs as Manifest["$defs"],
  }
  for (const [name, value] of Object.entries(functions)) {
    const fn = value as { [key: string]: unknown }
    normalized.functions[name] = {
      input: fn.input as ManifestFunction["input"],
      output: fn.output as JsonSchema,
      context: fn.context as string | null,
      affects: fn.affects as string[],
      auth: fn.auth as AuthRequirement,
      websocket: fn.websocket === true,
      rev: typeof fn.rev === "number" ? fn.rev : 1,
      view: fn.view as boolean,
      route: typeof fn.route === "string" ? fn.route : null,
      doc: typeof fn.doc === "string" ? fn.doc : null,
    }
  }
  for (const [name, value] of Object.entries(contexts)) {
    const context = value as { [key: string]: unknown }
    normalized.contexts[name] = {
      functions: context.functions as string[],
      params: context.params as ManifestContext["params"],
    }
  }
  for (const [name, value] of Object.entries(compositions)) {
    const composition = value as { [key: string]: unknown }
    normalized.compositions![name] = {
      contexts: composition.contexts as string[],
      doc: typeof composition.doc === "string" ? composition.doc : null,
    }
  }
  return normalized
}

/** Every `$ref` must name an entry of the shared top-level `$defs`: the only kind of ref a manifest has. */
function checkRefs(
  value: unknown,
  path: string,
  defs: { [key: string]: unknown },
  fail: (path: string, what: string) => never,
): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkRefs(item, `${path}[${index}]`, defs, fail))
    return
  }
  if (!isObject(value)) return
  for (const [key, item] of Object.entries(value)) {
    const at = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`
    if (key === "$ref" && typeof item === "string") {
      const target = item.startsWith("#/$defs/") ? decodeURIComponent(item.slice("#/$defs/".length)) : undefined
      if (target === undefined || !(target in defs)) {
        fail(at, `${JSON.stringify(item)} does not name an entry of the top-level "$defs"`)
      }
    } else if (key !== "enum" && key !== "const" && key !== "default" && key !== "examples") {
      checkRefs(item, at, defs, fail)
    }
  }
}

function expectObject(
  value: unknown,
  path: string,
  fail: (path: string, what: string) => never,
): { [key: string]: unknown } {
  if (!isObject(value)) return fail(path, `expected an object, got ${describe(value)}`)
  return value
}

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)"
  if (value === null) return "null"
  if (Array.isArray(value)) return "a list"
  if (typeof value === "object") return "an object"
  return `${typeof value} ${JSON.stringify(value)}`
}
