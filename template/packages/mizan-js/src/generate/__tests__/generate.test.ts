import { readFileSync, writeFileSync, mkdirSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

import { describe, expect, it } from "vitest"

import { generateFiles, HEADER, OUTPUT_FILES } from "../generate.js"
import { parseManifest } from "../manifest.js"

const here = dirname(fileURLToPath(import.meta.url))
const manifestPath = join(here, "fixtures", "manifest.json")
const goldenDir = join(here, "golden")
/** `MIZAN_UPDATE_GOLDEN=1 npx vitest run src/generate` rewrites the golden files after a deliberate change. */
const update = process.env.MIZAN_UPDATE_GOLDEN === "1"

async function generateFixture(): Promise<Map<string, string>> {
  return generateFiles(parseManifest(readFileSync(manifestPath, "utf8"), manifestPath))
}

describe("generateFiles", () => {
  it("writes exactly the documented files, each with the generated-file header", async () => {
    const files = await generateFixture()
    expect([...files.keys()]).toEqual([...OUTPUT_FILES])
    for (const content of files.values()) expect(content.startsWith(HEADER)).toBe(true)
  })

  it.each([...OUTPUT_FILES])("matches the golden %s", async (name) => {
    const content = (await generateFixture()).get(name)!
    // `.golden`, not `.ts`: the package typecheck must not compile them (they import the built package by name).
    const golden = join(goldenDir, `${name}.golden`)
    if (update) {
      mkdirSync(goldenDir, { recursive: true })
      writeFileSync(golden, content)
    }
    expect(content).toBe(readFileSync(golden, "utf8"))
  })

  it("gives the same bytes whatever the order of functions, contexts and $defs", async () => {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { [key: string]: { [key: string]: unknown } }
    const reversed = reverseKeys(manifest, 2)
    const first = await generateFixture()
    const second = await generateFiles(parseManifest(JSON.stringify(reversed), "reversed"))
    expect([...second.entries()]).toEqual([...first.entries()])
  })
})

/** The same object with the keys of its first `depth` levels in reverse order (property order is kept). */
function reverseKeys(value: unknown, depth: number): unknown {
  if (depth === 0 || typeof value !== "object" || value === null || Array.isArray(value)) return value
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reverseKeys(item, depth - 1)]),
  )
}
