import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

import { afterAll, describe, expect, it } from "vitest"

import { renderChannels } from "../channelsFile.js"
import { GenerateError } from "../errors.js"
import { generateFiles } from "../generate.js"
import { parseManifest } from "../manifest.js"
import { generateFromSchemaFile } from "../runGenerate.js"
import { runTsc, writeStrictProject } from "./support/strictProject.js"

const here = dirname(fileURLToPath(import.meta.url))
const fixture = join(here, "fixtures", "channels.manifest.json")
const golden = join(here, "golden", "channels", "channels.ts.golden")
/** `MIZAN_UPDATE_GOLDEN=1 npx vitest run src/generate` rewrites the golden files after a deliberate change. */
const update = process.env.MIZAN_UPDATE_GOLDEN === "1"

function manifest(text = readFileSync(fixture, "utf8")) {
  return parseManifest(text, fixture)
}

const projects: string[] = []
afterAll(() => {
  for (const project of projects) rmSync(project, { recursive: true, force: true })
})

describe("channels.ts", () => {
  it("matches the golden file: message types, a hook per channel, the websocket=True functions", async () => {
    const content = (await generateFiles(manifest())).get("channels.ts")!
    if (update) {
      mkdirSync(dirname(golden), { recursive: true })
      writeFileSync(golden, content)
    }
    expect(content).toBe(readFileSync(golden, "utf8"))
  })

  it("is an empty module when the backend has no channels and no websocket=True function", async () => {
    const text = JSON.parse(readFileSync(fixture, "utf8")) as Record<string, unknown>
    const bare = manifest(JSON.stringify({ ...text, channels: {}, functions: {} }))
    expect(await renderChannels(bare)).toBe("export {}\n")
  })

  it("refuses a channel whose TypeScript names another declaration already has, naming both", async () => {
    const text = JSON.parse(readFileSync(fixture, "utf8")) as { channels: Record<string, unknown> }
    // "board_presence" and "board.presence" both give BoardPresenceChannelParams.
    const clash = manifest(JSON.stringify({ ...text, channels: { ...text.channels, board_presence: text.channels["board.presence"] } }))
    const error = await renderChannels(clash).then(() => undefined, (reason: unknown) => reason)
    expect(error).toBeInstanceOf(GenerateError)
    expect((error as Error).message).toMatch(
      /channel "board_presence" generates the TypeScript name BoardPresenceChannelParams, which channel "board.presence" already has/,
    )
  })

  it("compiles under tsc --strict, and misuse of a channel hook is an error", async () => {
    const project = mkdtempSync(join(tmpdir(), "mizan-channels-tsc-"))
    projects.push(project)
    await generateFromSchemaFile({ schema: fixture, outDir: join(project, "api") })
    writeFileSync(
      join(project, "usage.tsx"),
      [
        `import { useBoardPresenceChannel, useChatChannel, type ChatDjangoMessage } from "./api"`,
        ``,
        `export function Page() {`,
        `  const chat = useChatChannel({ room: "general" })`,
        `  const last: ChatDjangoMessage | undefined = chat.messages.at(-1)`,
        `  void chat.send({ text: "hello" })`,
        `  // @ts-expect-error wrong message field`,
        `  void chat.send({ body: "hello" })`,
        `  // @ts-expect-error wrong params type`,
        `  useChatChannel({ room: 7 })`,
        `  const presence = useBoardPresenceChannel({ list_id: 7 })`,
        `  // @ts-expect-error a server-only channel takes no messages`,
        `  void presence.send({ viewers: [] })`,
        `  const status: "connecting" | "connected" | "disconnected" = presence.status`,
        `  return <p>{status} {last?.mood} {presence.messages.at(-1)?.viewers.join(", ")}</p>`,
        `}`,
        ``,
      ].join("\n"),
    )
    writeStrictProject(project, ["api", "*.tsx"])
    const result = runTsc(project)
    expect(result.stdout + result.stderr).toBe("")
    expect(result.status).toBe(0)
  }, 120_000)
})
