import { spawnSync } from "node:child_process"
import { readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const packageRoot = fileURLToPath(new URL("..", import.meta.url))

/**
 * Builds the package (`tsc -p tsconfig.build.json`) when dist/generate is older than src/generate, so the
 * suite runs the real `mizan-generate` bin from a fresh checkout or after an edit.
 */
export default function setup(): void {
  const built = join(packageRoot, "dist", "generate", "cli.js")
  if (exists(built) && statSync(built).mtimeMs >= newestSource(join(packageRoot, "src", "generate"))) return
  const tsc = join(packageRoot, "node_modules", "typescript", "bin", "tsc")
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: packageRoot, encoding: "utf8" })
  if (!exists(built) || statSync(built).mtimeMs < newestSource(join(packageRoot, "src", "generate"))) {
    throw new Error(`building mizan-js failed (tsc -p tsconfig.build.json):\n${result.stdout}${result.stderr}`)
  }
}

function newestSource(folder: string): number {
  let newest = 0
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === "__tests__") continue
    const path = join(folder, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs)
  }
  return newest
}

function exists(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}
