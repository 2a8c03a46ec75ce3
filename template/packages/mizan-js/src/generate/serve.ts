import { createInterface } from "node:readline"
import type { Readable } from "node:stream"

import { loadConfig } from "./config.js"
import { GenerateError } from "./errors.js"
import { generateFromSchemaFile } from "./runGenerate.js"

/** One answer line of `--serve`: what a generation wrote, or why it could not. */
export type ServeAnswer =
  | { outDir: string; changed: string[]; unchanged: string[] }
  | { error: string }

/**
 * `mizan-generate --config FILE --serve`: a warm generator for a watcher that makes the manifest itself.
 * It loads the config once and prints it as one JSON line (`{"config": {...}}`), so the caller can run the
 * schema command its own way; then, for every line on `input` (a manifest file's path), it generates into the
 * config's outDir and prints one JSON line (a ServeAnswer). A bad manifest is an answer, not an exit; the
 * process ends when `input` closes. Saves node's start-up and module loading on every regeneration.
 */
export async function serveManifests({
  config,
  input,
  write,
}: {
  config: string
  input: Readable
  write: (text: string) => void
}): Promise<void> {
  const loaded = await loadConfig(config)
  write(`${JSON.stringify({ config: loaded })}\n`)
  const lines = createInterface({ input, crlfDelay: Infinity })
  for await (const line of lines) {
    const schema = line.trim()
    if (schema === "") continue
    let answer: ServeAnswer
    try {
      const result = await generateFromSchemaFile({ schema, outDir: loaded.outDir })
      answer = { outDir: result.outDir, changed: result.changed, unchanged: result.unchanged }
    } catch (error) {
      if (!(error instanceof GenerateError)) throw error
      answer = { error: error.message }
    }
    write(`${JSON.stringify(answer)}\n`)
  }
}
