import { compile } from "json-schema-to-typescript"

import { GenerateError } from "./errors.js"
import { indentDeclarations } from "./indent.js"
import type { JsonSchema, Manifest } from "./manifest.js"
import { contextNames, definitionName, functionNames, pascalCase, propertyKey, reservedNames } from "./naming.js"

/** The name of the compile's root, declared by nobody once the root is dropped. */
const ROOT = "MizanSchemaRoot"

/** json-schema-to-typescript's options: no index signature unless the schema asks, `unknown` over `any`. */
const COMPILE_OPTIONS = {
  additionalProperties: false,
  bannerComment: "",
  declareExternallyReferenced: true,
  format: false,
  strictIndexSignatures: true,
  unknownAny: true,
  unreachableDefinitions: true,
}

/** What a subschema keyword holds, for walking a schema without mistaking a property named `title` for one. */
const SCHEMA_MAPS = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"]
/** Keywords that change no type: dropped beside a `$ref` so that the ref stays a reference to a named type. */
const ANNOTATIONS = ["title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly", "$comment"]
const SCHEMAS = [
  "items",
  "additionalItems",
  "additionalProperties",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contains",
  "propertyNames",
  "not",
  "if",
  "then",
  "else",
]

/**
 * Renders every TypeScript type of the manifest with json-schema-to-typescript, in one compile so that the
 * shared `$defs` are declared once: a type per `$defs` entry (named after its key), `XxxArgs` / `XxxResult`
 * per function, `XxxParams` per named context, and `MizanApi`, the map of them all. The library names
 * a definition after its key (and an interface after the last segment of a $ref to it), so every schema
 * goes into $defs under its final TypeScript name, and the manifest's refs are rewritten to match.
 */
export async function renderTypes(manifest: Manifest): Promise<string> {
  const taken = reservedNames(manifest)
  const names = new Map<string, string>()
  // `def echo() -> EchoResult`: the model already has the function's type name, so it keeps it, unaliased.
  for (const [name, fn] of Object.entries(manifest.functions)) {
    const tsNames = functionNames(name)
    for (const [schema, tsName] of [[fn.input, tsNames.args], [fn.output, tsNames.result]] as const) {
      const target = pureRef(schema)
      if (target !== undefined && target in manifest.$defs && pascalCase(target) === tsName) names.set(target, tsName)
    }
  }
  for (const key of Object.keys(manifest.$defs).sort()) {
    if (!names.has(key)) names.set(key, definitionName(key, taken))
  }
  const clean = (schema: unknown): unknown => cleanSchema(schema, names)
  const defs: { [tsName: string]: unknown } = {}
  for (const [key, tsName] of names) defs[tsName] = clean(manifest.$defs[key])

  // A schema that is only a $ref would be dereferenced into the very object it names, and the library would
  // then give that object one name or the other: such schemas get an alias of their own instead.
  const aliases: string[] = []
  const declared: string[] = [...names.values()]
  const addSchema = (tsName: string, schema: JsonSchema): void => {
    const target = pureRef(schema)
    if (target !== undefined && target in manifest.$defs) {
      const targetName = names.get(target)!
      if (targetName !== tsName) aliases.push(`export type ${tsName} = ${targetName}`)
      return
    }
    declared.push(tsName)
    defs[tsName] = clean(schema)
  }

  const functionEntries: string[] = []
  for (const name of Object.keys(manifest.functions).sort()) {
    const fn = manifest.functions[name]!
    const tsNames = functionNames(name)
    addSchema(tsNames.args, fn.input)
    addSchema(tsNames.result, fn.output)
    functionEntries.push(`${propertyKey(name)}: { args: ${tsNames.args}; result: ${tsNames.result} }`)
  }
  const contextEntries: string[] = []
  for (const name of Object.keys(manifest.contexts).sort()) {
    if (name === "global") continue
    addSchema(contextNames(name).params, manifest.contexts[name]!.params)
    contextEntries.push(`${propertyKey(name)}: ${contextNames(name).params}`)
  }

  // Every schema is a definition of an empty root: resolving a thousand root-level $refs to them cost more
  // than a third of the compile. The root's own declaration, and the note the library adds to each
  // definition's comment about it, are dropped again below.
  const root: Parameters<typeof compile>[0] = {
    type: "object",
    properties: {},
    additionalProperties: false,
    $defs: sortKeys(defs),
  }
  const source = await compile(root, ROOT, COMPILE_OPTIONS).catch((error: unknown) => {
    throw new GenerateError(`cannot turn the manifest's JSON Schema into types: ${(error as Error).message}`)
  })

  const block = (entries: string[]): string[] =>
    entries.length === 0 ? [" {}"] : [" {", ...entries.map((entry) => `    ${entry}`), "  }"]
  const api = [
    "/** Every server function's arguments and result, and every named context's params, by name. */",
    "export interface MizanApi {",
    ...block(functionEntries).map((line, index) => (index === 0 ? `  functions:${line}` : line)),
    ...block(contextEntries).map((line, index) => (index === 0 ? `  contexts:${line}` : line)),
    "}",
  ].join("\n")
  const sections = [indentDeclarations(withoutRoot(source)), aliases.sort().join("\n"), api]
  const text = `${sections.filter((section) => section !== "").join("\n\n")}\n`
  const exported = new Set([...text.matchAll(/^export (?:type|interface|enum|const enum) (\w+)/gm)].map((match) => match[1]))
  for (const tsName of [...declared, ...aliases.map((line) => line.split(" ")[2]!)]) {
    if (!exported.has(tsName)) {
      throw new Error(`json-schema-to-typescript did not declare ${tsName}; this is a mizan-generate bug`)
    }
  }
  return text
}

/** The compiled text without the empty root interface and the library's notes that point at it. */
function withoutRoot(source: string): string {
  const note = new RegExp(
    String.raw`\n( \* ?\n)? \* This interface was referenced by \`${ROOT}\`'s JSON-Schema\n \* via the \`definition\` "[^"\n]*"\.`,
    "g",
  )
  return source
    .replace(new RegExp(String.raw`^export interface ${ROOT} \{\s*\}\n?`, "m"), "")
    .replace(note, "")
    .replace(/^\/\*\*\n \*\/\n/gm, "")
    .trim()
}

function sortKeys<T>(record: { [key: string]: T }): { [key: string]: T } {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** The `$defs` key a schema is an alias of (`{"$ref": "#/$defs/Todo"}` → `Todo`), if that is all it is. */
function pureRef(schema: JsonSchema): string | undefined {
  if (typeof schema !== "object") return undefined
  const ref = schema.$ref
  const others = Object.keys(schema).filter((key) => !["$ref", "title", "description"].includes(key))
  return typeof ref === "string" && others.length === 0 ? refTarget(ref) : undefined
}

/** A `#/$defs/` ref pointed at the type name its target was given. */
function renamedRef(ref: string, names: Map<string, string>): string {
  const target = refTarget(ref)
  return target !== undefined && names.has(target) ? `#/$defs/${names.get(target)!}` : ref
}

/** `#/$defs/Todo` → `Todo` (JSON Pointer unescaped); undefined for a ref elsewhere. */
function refTarget(ref: string): string | undefined {
  if (!ref.startsWith("#/$defs/") || ref.indexOf("/", "#/$defs/".length) !== -1) return undefined
  return decodeURIComponent(ref.slice("#/$defs/".length)).replace(/~1/g, "/").replace(/~0/g, "~")
}

/**
 * A copy of a schema with refs renamed to their type names and without `title` and `$id`, from which json-schema-to-typescript would otherwise name a
 * type of its own for every titled property (pydantic titles them all); booleans become their object form.
 */
function cleanSchema(schema: unknown, names: Map<string, string>): unknown {
  if (schema === true) return {}
  if (schema === false) return { tsType: "never" }
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema
  const result: { [key: string]: unknown } = {}
  const clean = (sub: unknown): unknown => cleanSchema(sub, names)
  // `{"$ref": ..., "default": ...}` would make the library copy the target inline instead of naming it.
  const ref = (schema as { $ref?: unknown }).$ref
  if (typeof ref === "string" && Object.keys(schema).every((key) => key === "$ref" || ANNOTATIONS.includes(key))) {
    return { $ref: renamedRef(ref, names) }
  }
  for (const [key, value] of Object.entries(schema as { [key: string]: unknown })) {
    if (key === "title" || key === "$id") continue
    if (key === "$ref" && typeof value === "string") {
      result[key] = renamedRef(value, names)
      continue
    }
    if (SCHEMA_MAPS.includes(key) && typeof value === "object" && value !== null) {
      result[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, clean(sub)]))
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      result[key] = value.map(clean)
    } else if (SCHEMAS.includes(key)) {
      // `additionalProperties: false` and the like are understood by the library as booleans.
      result[key] = Array.isArray(value) ? value.map(clean) : typeof value === "boolean" ? value : clean(value)
    } else {
      result[key] = value
    }
  }
  return result
}
