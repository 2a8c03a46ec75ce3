import { readFile } from "node:fs/promises"
import { resolve } from "node:path"

import { loadConfig } from "./config.js"
import { GenerateError } from "./errors.js"
import { generateFiles } from "./generate.js"
import { parseManifest } from "./manifest.js"
import { syncOutputDir, type OutputReport } from "./outputDir.js"
import { runSchemaCommand } from "./schemaCommand.js"

/** What one run did: the output folder, the files it wrote (or found stale), and the schema command's stderr. */
export interface GenerateResult extends OutputReport {
  outDir: string
  /** What the schema command said on stderr while succeeding (Django warnings); empty for --schema. */
  warnings: string
}

/** `mizan-generate --schema FILE --out DIR`: generates from a manifest file, no Python involved. */
export async function generateFromSchemaFile({
  schema,
  outDir,
  check = false,
}: {
  schema: string
  outDir: string
  check?: boolean
}): Promise<GenerateResult> {
  let text: string
  try {
    text = await readFile(schema, "utf8")
  } catch (error) {
    throw new GenerateError(`cannot read the manifest ${schema}: ${(error as Error).message}`)
  }
  const manifest = parseManifest(text, schema)
  const report = await syncOutputDir(resolve(outDir), await generateFiles(manifest), { check })
  return { ...report, outDir: resolve(outDir), warnings: "" }
}

/** `mizan-generate --config FILE`: runs the config's schema command, then generates into its outDir. */
export async function generateFromConfig({
  config,
  check = false,
}: {
  config: string
  check?: boolean
}): Promise<GenerateResult> {
  const loaded = await loadConfig(config)
  const output = await runSchemaCommand(loaded)
  const manifest = parseManifest(output.stdout, `the output of \`${loaded.schemaCommand.join(" ")}\``)
  const report = await syncOutputDir(loaded.outDir, await generateFiles(manifest), { check })
  return { ...report, outDir: loaded.outDir, warnings: output.stderr }
}
