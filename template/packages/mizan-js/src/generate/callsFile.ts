import { docComment } from "./docComment.js"
import type { Manifest } from "./manifest.js"
import { functionNames } from "./naming.js"

/**
 * Renders `calls.ts`: per function `callXxx`, `xxxQueryOptions` and `xxxMutationOptions`, thin typed wrappers
 * over the kernel, so that code without React (or a router loader) gets the same types as the hooks.
 */
export function renderCalls(manifest: Manifest): string {
  const typeNames: string[] = []
  const blocks: string[] = []
  for (const name of callableFunctions(manifest)) {
    const fn = manifest.functions[name]!
    const n = functionNames(name)
    typeNames.push(n.args, n.result)
    const key = JSON.stringify(name)
    const optional = (fn.input.required as unknown[] | undefined)?.length ? "" : ` = {}`
    blocks.push(
      [
        docComment(name, fn, "Calls"),
        `export function ${n.call}(args: ${n.args}${optional}, options?: CallOptions): Promise<${n.result}> {`,
        `  return callMizan<${n.result}>(${key}, args, options)`,
        `}`,
        ``,
        `/** TanStack Query options for \`${name}\` with these args: for useQuery, useSuspenseQuery or a loader. */`,
        `export function ${n.queryOptions}(args: ${n.args}${optional}) {`,
        `  return mizanQueryOptions<${n.result}>(${key}, args${fn.context !== null ? ", { context: true }" : ""})`,
        `}`,
        ``,
        `/** TanStack Query mutation options for \`${name}\`: for useMutation. */`,
        `export function ${n.mutationOptions}() {`,
        `  return mizanMutationOptions<${n.args}, ${n.result}>(${key})`,
        `}`,
      ].join("\n"),
    )
  }
  if (blocks.length === 0) return "export {}\n"
  return [
    `import { callMizan, mizanMutationOptions, mizanQueryOptions } from "mizan-js"`,
    ``,
    importTypes(typeNames),
    ``,
    `/** The options every \`callXxx\` takes: an AbortSignal, a timeout, or an explicit MizanClient. */`,
    `type CallOptions = Parameters<typeof callMizan>[2]`,
    ``,
    blocks.join("\n\n"),
    ``,
  ].join("\n")
}

/** The functions that get calls: all but view-path ones, whose answer is an HttpResponse, not a result. */
export function callableFunctions(manifest: Manifest): string[] {
  return Object.keys(manifest.functions)
    .sort()
    .filter((name) => !manifest.functions[name]!.view)
}

/** An `import type` of these names from ./types.js, one name per line, sorted. */
export function importTypes(names: string[]): string {
  const unique = [...new Set(names)].sort()
  return [`import type {`, ...unique.map((name) => `  ${name},`), `} from "./types.js"`].join("\n")
}
