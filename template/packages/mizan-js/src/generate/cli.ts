import { relative } from "node:path"
import type { Readable } from "node:stream"
import { parseArgs } from "node:util"

import { DEFAULT_CONFIG } from "./config.js"
import { GenerateError } from "./errors.js"
import { generateFromConfig, generateFromSchemaFile, type GenerateResult } from "./runGenerate.js"
import { serveManifests } from "./serve.js"

/** Where the CLI writes: results to `out`, diagnostics to `err` (injectable so tests read them). */
export interface CliIO {
  out: (text: string) => void
  err: (text: string) => void
  /** What `--serve` reads manifest paths from (default: process.stdin). */
  input?: Readable
}

export const HELP = `mizan-generate: write typed TypeScript calls and React hooks from a Mizan backend's functions.

Usage:
  mizan-generate [--config mizan.config.mjs] [--check]
  mizan-generate --schema manifest.json --out frontend/src/api [--check]
  mizan-generate [--config mizan.config.mjs] --serve

Options:
  --config FILE   the config file (default: ./${DEFAULT_CONFIG}). It runs the backend's schema command:
                    export default {
                      schemaCommand: ["python", "backend/manage.py", "export_mizan_schema"],
                      env: {},
                      outDir: "frontend/src/api",
                    }
                  Paths are relative to the config file; the command runs from its folder.
  --schema FILE   read the manifest from FILE instead (made by: manage.py export_mizan_schema --output FILE);
                  needs --out, runs no Python.
  --out DIR       where to write with --schema.
  --check         write nothing; exit 1 and list the files that are stale (for CI).
  --serve         stay running for a watcher (mizan-dev generate --watch): print the loaded config as one
                  JSON line, then for each manifest path read on stdin, write outDir and answer one JSON
                  line ({"changed": [...], "unchanged": [...]} or {"error": "..."}); ends when stdin closes.
  -h, --help      show this help.

Writes calls.ts, hooks.ts, types.ts and index.ts; files whose content is unchanged are not rewritten.
Docs: docs/codegen.md.
`

/** Runs the CLI with these arguments and returns the exit code; only GenerateError is caught. */
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  let values: { config?: string; schema?: string; out?: string; check?: boolean; serve?: boolean; help?: boolean }
  try {
    values = parseArgs({
      args: argv,
      options: {
        config: { type: "string" },
        schema: { type: "string" },
        out: { type: "string" },
        check: { type: "boolean" },
        serve: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (error) {
    io.err(`mizan-generate: ${(error as Error).message}; see mizan-generate --help\n`)
    return 1
  }
  if (values.help) {
    io.out(HELP)
    return 0
  }
  const check = values.check ?? false
  try {
    if (values.serve) {
      if (values.schema !== undefined || values.out !== undefined || check) {
        throw new GenerateError("--serve takes only --config: mizan-generate --config mizan.config.mjs --serve")
      }
      await serveManifests({ config: values.config ?? DEFAULT_CONFIG, input: io.input ?? process.stdin, write: io.out })
      return 0
    }
    let result: GenerateResult
    if (values.schema !== undefined || values.out !== undefined) {
      if (values.schema === undefined || values.out === undefined) {
        throw new GenerateError("--schema and --out go together: mizan-generate --schema manifest.json --out DIR")
      }
      if (values.config !== undefined) throw new GenerateError("give either --config or --schema/--out, not both")
      result = await generateFromSchemaFile({ schema: values.schema, outDir: values.out, check })
    } else {
      result = await generateFromConfig({ config: values.config ?? DEFAULT_CONFIG, check })
    }
    if (result.warnings.trim() !== "") io.err(result.warnings.endsWith("\n") ? result.warnings : `${result.warnings}\n`)
    return report(result, check, io)
  } catch (error) {
    if (!(error instanceof GenerateError)) throw error
    io.err(`mizan-generate: ${error.message}\n`)
    return 1
  }
}

function report(result: GenerateResult, check: boolean, io: CliIO): number {
  const nearby = relative(process.cwd(), result.outDir)
  const where = nearby === "" ? "." : nearby.startsWith("..") ? result.outDir : nearby
  if (check) {
    if (result.changed.length === 0) {
      io.out(`mizan-generate: ${where} is up to date\n`)
      return 0
    }
    io.err(
      `mizan-generate: stale generated files in ${where}: ${result.changed.join(", ")}; run mizan-generate to update them\n`,
    )
    return 1
  }
  io.out(`mizan-generate: wrote ${result.changed.length} file(s), ${result.unchanged.length} unchanged in ${where}\n`)
  return 0
}

const defaultIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}
