import { spawn } from "node:child_process"
import { dirname } from "node:path"

import type { GenerateConfig } from "./config.js"
import { GenerateError } from "./errors.js"

/** What the schema command printed. */
export interface SchemaOutput {
  /** The manifest's JSON text (stdout). */
  stdout: string
  /** Anything else it said (stderr), such as Django's warnings; empty when quiet. */
  stderr: string
}

/**
 * Runs the config's schemaCommand (`python backend/manage.py export_mizan_schema`) from the config file's
 * folder and returns what it printed. When it fails, the error carries the command's own stderr, which is
 * where the Python traceback or the Django error is, rather than a stack of the generator.
 */
export function runSchemaCommand(config: GenerateConfig): Promise<SchemaOutput> {
  const [program, ...args] = config.schemaCommand as [string, ...string[]]
  const shown = config.schemaCommand.join(" ")
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, args, {
      cwd: dirname(config.file),
      env: { ...process.env, ...config.env },
      stdio: ["ignore", "pipe", "pipe"],
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk))
    child.on("error", (error: NodeJS.ErrnoException) => {
      const why = error.code === "ENOENT" ? `${program} was not found on PATH` : error.message
      reject(new GenerateError(`cannot run the schema command \`${shown}\`: ${why}; set schemaCommand in ${config.file}`))
    })
    child.on("close", (code, signal) => {
      const err = Buffer.concat(stderr).toString("utf8")
      if (code === 0) {
        resolvePromise({ stdout: Buffer.concat(stdout).toString("utf8"), stderr: err })
        return
      }
      const status = signal === null ? `exit code ${code}` : `signal ${signal}`
      const said = err.trim() === "" ? "(it printed nothing on stderr)" : err.trimEnd()
      reject(new GenerateError(`the schema command \`${shown}\` failed (${status}):\n${said}`))
    })
  })
}
