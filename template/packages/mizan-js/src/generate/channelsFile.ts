import { compile } from "json-schema-to-typescript"

import { GenerateError } from "./errors.js"
import { indentDeclarations } from "./indent.js"
import type { JsonSchema, Manifest } from "./manifest.js"
import { pascalCase, reservedNames } from "./naming.js"

/** The TypeScript names generated for one channel. */
export interface ChannelNames {
  pascal: string
  params: string
  /** The client's messages (the channel's `ReactMessage`). */
  clientMessage: string
  /** The server's messages (the channel's `DjangoMessage`). */
  serverMessage: string
  hook: string
}

/** `chat` → `ChatChannelParams`, `ChatReactMessage`, `ChatDjangoMessage`, `useChatChannel`. */
export function channelNames(name: string): ChannelNames {
  const pascal = pascalCase(name)
  return {
    pascal,
    params: `${pascal}ChannelParams`,
    clientMessage: `${pascal}ReactMessage`,
    serverMessage: `${pascal}DjangoMessage`,
    hook: `use${pascal}Channel`,
  }
}

const COMPILE_OPTIONS = {
  additionalProperties: false,
  bannerComment: "",
  declareExternallyReferenced: true,
  format: false,
  strictIndexSignatures: true,
  unknownAny: true,
  unreachableDefinitions: true,
}
const ROOT = "MizanChannelsRoot"

/**
 * Renders `channels.ts`: per channel of the manifest its three message types and a typed `useXxxChannel(params)`
 * hook over `useMizanChannel`, and the `callOverSocket([...])` that sends the `websocket=True` functions'
 * calls over the socket. The index re-exports it, so importing the generated API registers those functions.
 */
export async function renderChannels(manifest: Manifest): Promise<string> {
  const manifestChannels = manifest.channels ?? {}
  const channels = Object.keys(manifestChannels).sort()
  const socketFunctions = Object.keys(manifest.functions)
    .sort()
    .filter((name) => manifest.functions[name]!.websocket && !manifest.functions[name]!.view)
  if (channels.length === 0 && socketFunctions.length === 0) return "export {}\n"

  const owners = new Map<string, string>()
  for (const tsName of reservedNames(manifest)) owners.set(tsName, "a function or context")
  for (const key of Object.keys(manifest.$defs)) owners.set(pascalCase(key), `the model ${JSON.stringify(key)}`)
  const defs: { [tsName: string]: unknown } = {}
  const hooks: string[] = []
  for (const name of channels) {
    const channel = manifestChannels[name]!
    const n = channelNames(name)
    for (const tsName of [n.params, n.clientMessage, n.serverMessage, n.hook]) {
      const owner = owners.get(tsName)
      if (owner !== undefined) {
        throw new GenerateError(
          `channel ${JSON.stringify(name)} generates the TypeScript name ${tsName}, which ${owner} already has; ` +
            `rename the channel (name = "..." on its class)`,
        )
      }
      owners.set(tsName, `channel ${JSON.stringify(name)}`)
    }
    defs[n.params] = inline(channel.params, manifest)
    defs[n.serverMessage] = inline(channel.server_message, manifest)
    const sends = channel.client_message !== null
    if (sends) defs[n.clientMessage] = inline(channel.client_message!, manifest)
    const clientType = sends ? n.clientMessage : "never"
    hooks.push(
      [
        `/**`,
        ` * Subscribes to the \`${name}\` channel with these params while mounted: its status, the messages of its`,
        ` * group (\`${n.serverMessage}\`)${sends ? `, and \`send\` for a \`${n.clientMessage}\`` : " (it takes no messages from clients)"}.`,
        ` */`,
        `export function ${n.hook}(`,
        `  params: ${n.params},`,
        `  options?: MizanChannelOptions<${n.serverMessage}>,`,
        `): MizanChannel<${clientType}, ${n.serverMessage}> {`,
        `  return useMizanChannel<${n.params}, ${clientType}, ${n.serverMessage}>(${JSON.stringify(name)}, params, options)`,
        `}`,
      ].join("\n"),
    )
  }

  const lines: string[] = []
  if (socketFunctions.length > 0) lines.push(`import { callOverSocket } from "mizan-js"`)
  if (channels.length > 0) lines.push(`import { useMizanChannel, type MizanChannel, type MizanChannelOptions } from "mizan-js/react"`)
  lines.push(``)
  if (channels.length > 0) {
    const source = await compile({ type: "object", properties: {}, additionalProperties: false, $defs: defs }, ROOT, COMPILE_OPTIONS).catch(
      (error: unknown) => {
        throw new GenerateError(`cannot turn the channels' JSON Schema into types: ${(error as Error).message}`)
      },
    )
    lines.push(indentDeclarations(withoutRoot(source)), ``)
  }
  if (socketFunctions.length > 0) {
    lines.push(
      `/** The functions declared \`websocket=True\`: their calls go over the socket (over HTTP with realtime off). */`,
      `callOverSocket(${JSON.stringify(socketFunctions)})`,
      ``,
    )
  }
  if (hooks.length > 0) lines.push(hooks.join("\n\n"), ``)
  return lines.join("\n")
}

/**
 * A copy of a channel schema with every `$defs` reference replaced by its target (a cycle becomes `unknown`),
 * and without the titles from which json-schema-to-typescript would name a type of its own: channel
 * messages are small, and their types stay self-contained in channels.ts.
 */
function inline(schema: JsonSchema, manifest: Manifest, seen: readonly string[] = []): unknown {
  if (schema === true) return {}
  if (schema === false) return { tsType: "never" }
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk)
    if (typeof value !== "object" || value === null) return value
    const object = value as { [key: string]: unknown }
    if (typeof object.$ref === "string" && object.$ref.startsWith("#/$defs/")) {
      const target = decodeURIComponent(object.$ref.slice("#/$defs/".length))
      const resolved = manifest.$defs[target]
      if (resolved === undefined || seen.includes(target)) return { tsType: "unknown" }
      return inline(resolved, manifest, [...seen, target])
    }
    const result: { [key: string]: unknown } = {}
    for (const [key, item] of Object.entries(object)) {
      if (key === "title" || key === "$id") continue
      // A property named "title" is a property, not an annotation.
      result[key] = key === "properties" && typeof item === "object" && item !== null
        ? Object.fromEntries(Object.entries(item).map(([name, sub]) => [name, walk(sub)]))
        : walk(item)
    }
    return result
  }
  return walk(schema)
}

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
