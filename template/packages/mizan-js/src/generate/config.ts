import { existsSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { pathToFileURL } from "node:url"

import { GenerateError } from "./errors.js"

/** `mizan.config.mjs`, resolved: paths are absolute, taken relative to the config file. */
export interface GenerateConfig {
  /** The config file itself. */
  file: string
  /** The command that prints the manifest, run from the config file's folder. */
  schemaCommand: string[]
  /** Added to the command's environment. */
  env: { [name: string]: string }
  outDir: string
}

/** The config file name mizan-generate looks for when given no flags. */
export const DEFAULT_CONFIG = "mizan.config.mjs"

const EXAMPLE = `export default { schemaCommand: ["python", "backend/manage.py", "export_mizan_schema"], env: {}, outDir: "frontend/src/api" }`

/** Loads and checks a config file (an ES module whose default export is the config). */
export async function loadConfig(path: string): Promise<GenerateConfig> {
  const file = resolve(path)
  if (!existsSync(file)) {
    throw new GenerateError(
      `config file not found: ${file}. Create it with: ${EXAMPLE} (see docs/codegen.md), ` +
        "or run mizan-generate --schema FILE --out DIR",
    )
  }
  let loaded: { default?: unknown }
  try {
    loaded = (await import(pathToFileURL(file).href)) as { default?: unknown }
  } catch (error) {
    throw new GenerateError(`cannot load ${file}: ${(error as Error).message}`)
  }
  const config = loaded.default
  const fail = (what: string): never => {
    throw new GenerateError(`${file}: ${what}; expected ${EXAMPLE}`)
  }
  if (typeof config !== "object" || config === null) return fail("no default export of an object")
  const { schemaCommand, env = {}, outDir } = "source" in config ? fromSeedShape(config, fail) : (config as { [key: string]: unknown })
  if (!Array.isArray(schemaCommand) || schemaCommand.length === 0 || !schemaCommand.every((part) => typeof part === "string")) {
    return fail("schemaCommand must be a non-empty list of strings")
  }
  if (typeof env !== "object" || env === null || !Object.values(env).every((value) => typeof value === "string")) {
    return fail("env must be an object of strings")
  }
  if (typeof outDir !== "string" || outDir === "") return fail("outDir must be a folder path")
  const folder = dirname(file)
  return {
    file,
    schemaCommand: schemaCommand as string[],
    env: env as { [name: string]: string },
    outDir: resolve(folder, outDir),
  }
}

/**
 * The original Mizan's `django.config.mjs`: `{ source: { django: { managePath, command, env } }, output }`, read as
 * `schemaCommand: ["python", managePath, command]`, `env`, `outDir: output`. `source.django.python` may name
 * the interpreter (default `python`).
 */
function fromSeedShape(config: object, fail: (what: string) => never): { [key: string]: unknown } {
  const { source, output } = config as { source?: unknown; output?: unknown }
  const django = typeof source === "object" && source !== null ? (source as { django?: unknown }).django : undefined
  if (typeof django !== "object" || django === null) return fail("source.django must be an object (the seed config shape)")
  const { managePath, command = "export_mizan_schema", env = {}, python = "python" } = django as { [key: string]: unknown }
  if (typeof managePath !== "string" || managePath === "") return fail("source.django.managePath must be the path of manage.py")
  if (typeof command !== "string" || typeof python !== "string") return fail("source.django.command and .python must be strings")
  return { schemaCommand: [python, managePath, ...command.split(/\s+/).filter(Boolean)], env, outDir: output }
}
