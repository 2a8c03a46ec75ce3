import { GenerateError } from "./errors.js"
import type { Manifest } from "./manifest.js"

/** The TypeScript names generated for one server function. */
export interface FunctionNames {
  /** `todo_list` → `TodoList`: the stem every other name is built from. */
  pascal: string
  args: string
  result: string
  call: string
  queryOptions: string
  mutationOptions: string
  hook: string
}

/** The TypeScript names generated for one named context. */
export interface ContextNames {
  pascal: string
  params: string
  provider: string
}

/** Names the generated code declares besides the per-function ones, and the names it imports. */
export const FIXED_NAMES: readonly string[] = [
  "CallOptions",
  "MizanApi",
  "MizanContext",
  "MizanError",
  "MizanSchemaRoot",
  "callMizan",
  "createContextProvider",
  "mizanMutationOptions",
  "mizanQueryOptions",
  "pickParams",
  "useMizanContextQuery",
  "useMizanMutation",
]

/** `todo_list` → `TodoList`, `contact.submit` → `ContactSubmit`: each part's first letter upper-cased. */
export function pascalCase(name: string): string {
  return name
    .split(/[._\-\s]+/)
    .filter((part) => part !== "")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("")
}

/** `TodoList` → `todoList`. */
export function camelCase(pascal: string): string {
  return pascal === "" ? pascal : pascal[0]!.toLowerCase() + pascal.slice(1)
}

/** The names of one function, per the naming rule of docs/codegen.md. */
export function functionNames(name: string): FunctionNames {
  const pascal = pascalCase(name)
  return {
    pascal,
    args: `${pascal}Args`,
    result: `${pascal}Result`,
    call: `call${pascal}`,
    queryOptions: `${camelCase(pascal)}QueryOptions`,
    mutationOptions: `${camelCase(pascal)}MutationOptions`,
    hook: `use${pascal}`,
  }
}

/** The names of one named context. */
export function contextNames(name: string): ContextNames {
  const pascal = pascalCase(name)
  return { pascal, params: `${pascal}Params`, provider: `${pascal}Provider` }
}

/**
 * Checks that no two functions or contexts map to the same TypeScript name (`todo_list` and `todo.list`
 * both give `TodoList`), and returns every name the per-function code declares, so that `$defs` types can
 * be kept clear of them.
 */
export function reservedNames(manifest: Manifest): Set<string> {
  const owners = new Map<string, string>()
  const claim = (tsName: string, owner: string): void => {
    const previous = owners.get(tsName)
    if (previous !== undefined && previous !== owner) {
      throw new GenerateError(
        `${previous} and ${owner} both generate the TypeScript name ${tsName}; rename one of them in the backend`,
      )
    }
    owners.set(tsName, owner)
  }
  for (const name of FIXED_NAMES) owners.set(name, "mizan-js")
  for (const name of Object.keys(manifest.functions)) {
    const names = functionNames(name)
    if (!/^[A-Za-z_$]/.test(names.pascal)) {
      throw new GenerateError(`function ${JSON.stringify(name)} gives no usable TypeScript name; rename it`)
    }
    for (const tsName of [names.args, names.result, names.call, names.queryOptions, names.mutationOptions, names.hook]) {
      claim(tsName, `function ${JSON.stringify(name)}`)
    }
  }
  for (const name of Object.keys(manifest.contexts)) {
    if (name === "global") continue
    const names = contextNames(name)
    for (const tsName of [names.params, names.provider]) claim(tsName, `context ${JSON.stringify(name)}`)
  }
  for (const name of Object.keys(manifest.compositions ?? {})) {
    const names = contextNames(name)
    for (const tsName of [names.params, names.provider]) claim(tsName, `@compose ${JSON.stringify(name)}`)
  }
  return new Set(owners.keys())
}

/** A `$defs` key as a type name (`app__Todo` → `AppTodo`), moved off any name the generated code declares. */
export function definitionName(key: string, taken: Set<string>): string {
  let base = pascalCase(key.replace(/[^A-Za-z0-9_.\-\s]/g, "_"))
  if (!/^[A-Za-z_$]/.test(base)) base = `T${base}`
  let name = base
  for (let counter = 2; taken.has(name); counter++) name = `${base}${counter}`
  taken.add(name)
  return name
}


/** A property key as TypeScript source: bare when it is an identifier, quoted otherwise. */
export function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key)
}
