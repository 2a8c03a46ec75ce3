import { callableFunctions, importTypes } from "./callsFile.js"
import { docComment } from "./docComment.js"
import type { Manifest, ManifestFunction } from "./manifest.js"
import { camelCase, contextNames, functionNames } from "./naming.js"

/**
 * Renders `hooks.ts`: `useXxx()` per function (a context read for context members, a mutation hook for the
 * rest), `XxxProvider` per named context and per `@compose(...)`, over the React adapter.
 */
export function renderHooks(manifest: Manifest): string {
  const typeNames: string[] = []
  const runtime = new Set<string>()
  const blocks: string[] = []
  let needsPick = false

  for (const context of Object.keys(manifest.contexts).sort()) {
    if (context === "global") continue
    const n = contextNames(context)
    const members = callableFunctions(manifest).filter((name) => manifest.functions[name]!.context === context)
    typeNames.push(n.params)
    runtime.add("createContextProvider")
    blocks.push(
      [
        `const ${providerVariable(context)} = createContextProvider<${n.params}>(${JSON.stringify(context)})`,
        ``,
        `/** Provides the \`${context}\` context's params to ${members.length > 0 ? members.map((name) => functionNames(name).hook).join(", ") : "its hooks"}. */`,
        `export const ${n.provider} = ${providerVariable(context)}.Provider`,
      ].join("\n"),
    )
  }

  for (const [name, composition] of Object.entries(manifest.compositions ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const n = contextNames(name)
    const memberParams = composition.contexts.map((context) => contextNames(context).params)
    typeNames.push(...memberParams)
    runtime.add("composeProviders")
    const members = composition.contexts.map((context) => {
      const keys = Object.keys((manifest.contexts[context]!.params.properties as object | undefined) ?? {}).sort()
      return `  [${providerVariable(context)}, [${keys.map((key) => JSON.stringify(key)).join(", ")}]],`
    })
    const providers = composition.contexts.map((context) => `<${contextNames(context).provider}>`).join(", ")
    blocks.push(
      [
        `/** The params of ${n.provider}: every param its contexts take. */`,
        `export type ${n.params} = ${memberParams.join(" & ")}`,
        ``,
        `/** ${composition.doc ? `${composition.doc} ` : ""}Mounts ${providers}, each with the params it takes. */`,
        `export const ${n.provider} = composeProviders<${n.params}>(${JSON.stringify(name)}, [`,
        ...members,
        `])`,
      ].join("\n"),
    )
  }

  for (const name of callableFunctions(manifest)) {
    const fn = manifest.functions[name]!
    const n = functionNames(name)
    const key = JSON.stringify(name)
    typeNames.push(n.result)
    if (fn.context === "global") {
      runtime.add("useMizanContextQuery")
      blocks.push(
        [
          docComment(name, fn, "Reads the global context item"),
          `export function ${n.hook}(): ${n.result} {`,
          `  return useMizanContextQuery<${n.result}>(${key}, {})`,
          `}`,
        ].join("\n"),
      )
    } else if (fn.context !== null) {
      runtime.add("useMizanContextQuery")
      const args = memberArgs(fn, manifest.contexts[fn.context]!.params)
      needsPick ||= args.startsWith("pickParams")
      blocks.push(
        [
          docComment(name, fn, `Reads, inside ${contextNames(fn.context).provider}, the context item`),
          `export function ${n.hook}(): ${n.result} {`,
          `  const params = ${providerVariable(fn.context)}.useParams()`,
          `  return useMizanContextQuery<${n.result}>(${key}, ${args})`,
          `}`,
        ].join("\n"),
      )
    } else {
      runtime.add("useMizanMutation")
      typeNames.push(n.args)
      blocks.push(
        [
          docComment(name, fn, "Calls, as a mutation,"),
          `export function ${n.hook}() {`,
          `  return useMizanMutation<${n.args}, ${n.result}>(${key})`,
          `}`,
        ].join("\n"),
      )
    }
  }

  if (blocks.length === 0) return "export {}\n"
  const head = [
    `import { ${[...runtime].sort().join(", ")} } from "mizan-js/react"`,
    ``,
    importTypes(typeNames),
  ]
  if (needsPick) {
    head.push(
      ``,
      `/** The params a member function takes, of those its provider holds; unset ones are left out. */`,
      `function pickParams<P extends object, K extends keyof P>(params: P, keys: readonly K[]): Pick<P, K> {`,
      `  return Object.fromEntries(keys.filter((key) => params[key] !== undefined).map((key) => [key, params[key]])) as Pick<P, K>`,
      `}`,
    )
  }
  return [...head, ``, blocks.join("\n\n"), ``].join("\n")
}

/** The module-local name of a context's provider object: `todo` → `todoContext`. */
function providerVariable(context: string): string {
  return `${camelCase(contextNames(context).pascal)}Context`
}

/** The args a context member is called with: the provider's params, or the part of them it takes. */
function memberArgs(fn: ManifestFunction, params: { [key: string]: unknown }): string {
  const own = Object.keys((fn.input.properties as object | undefined) ?? {}).sort()
  const all = Object.keys((params.properties as object | undefined) ?? {}).sort()
  const required = (schema: { [key: string]: unknown }): string =>
    JSON.stringify([...((schema.required as string[] | undefined) ?? [])].sort())
  if (JSON.stringify(own) === JSON.stringify(all) && required(fn.input) === required(params)) return "params"
  if (own.length === 0) return "{}"
  return `pickParams(params, [${own.map((key) => JSON.stringify(key)).join(", ")}])`
}

