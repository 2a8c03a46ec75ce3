import { mkdir, readFile, rename, writeFile } from "node:fs/promises"
import { join } from "node:path"

/** What writing (or checking) an output directory found. */
export interface OutputReport {
  /** Files whose content differed or that did not exist: written, or with `check`, stale. */
  changed: string[]
  unchanged: string[]
}

/**
 * Writes the files whose content differs from what is on disk and leaves the others untouched (mtime
 * included), so a watcher downstream (Vite, tsc --watch) sees no change when nothing changed. With
 * `check`, writes nothing and reports what would change.
 */
export async function syncOutputDir(
  outDir: string,
  files: Map<string, string>,
  { check = false }: { check?: boolean } = {},
): Promise<OutputReport> {
  const report: OutputReport = { changed: [], unchanged: [] }
  if (!check) await mkdir(outDir, { recursive: true })
  for (const [name, content] of files) {
    const path = join(outDir, name)
    if ((await readIfExists(path)) === content) {
      report.unchanged.push(name)
      continue
    }
    report.changed.push(name)
    if (check) continue
    // Write beside, then rename: a dev server never reads a half-written file.
    const temporary = `${path}.${process.pid}.tmp`
    await writeFile(temporary, content)
    await rename(temporary, path)
  }
  return report
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8")
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined
    throw error
  }
}
