import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { PassThrough } from "node:stream"
import { fileURLToPath } from "node:url"

import { afterEach, beforeEach, describe, expect, it } from "vitest"

import { main } from "../cli.js"
import { OUTPUT_FILES } from "../generate.js"

const here = dirname(fileURLToPath(import.meta.url))
const manifestPath = join(here, "fixtures", "manifest.json")

let work: string
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "mizan-generate-serve-"))
})
afterEach(() => {
  rmSync(work, { recursive: true, force: true })
})

function writeConfig(): string {
  const folder = join(work, "project")
  mkdirSync(folder, { recursive: true })
  const config = join(folder, "mizan.config.mjs")
  writeFileSync(
    config,
    `export default { schemaCommand: ["python", "backend/manage.py", "export_mizan_schema"], env: { A: "1" }, outDir: "frontend/src/api" }\n`,
  )
  return config
}

/** Runs `--serve` in-process, feeding it these stdin lines, and returns the JSON lines it printed. */
async function serve(argv: string[], lines: string[]): Promise<{ code: number; answers: unknown[]; err: string }> {
  const input = new PassThrough()
  let out = ""
  let err = ""
  const running = main(argv, { out: (text) => (out += text), err: (text) => (err += text), input })
  for (const line of lines) input.write(`${line}\n`)
  input.end()
  const code = await running
  return { code, answers: out.trimEnd().split("\n").filter(Boolean).map((line) => JSON.parse(line) as unknown), err }
}

describe("mizan-generate --serve", () => {
  it("prints the loaded config, then answers each manifest path with what it wrote", async () => {
    const config = writeConfig()
    const outDir = join(work, "project", "frontend", "src", "api")
    const result = await serve(["--config", config, "--serve"], [manifestPath, "", manifestPath])
    expect(result).toMatchObject({ code: 0, err: "" })
    expect(result.answers).toEqual([
      {
        config: {
          file: config,
          schemaCommand: ["python", "backend/manage.py", "export_mizan_schema"],
          env: { A: "1" },
          outDir,
        },
      },
      { outDir, changed: [...OUTPUT_FILES].sort(), unchanged: [] },
      { outDir, changed: [], unchanged: [...OUTPUT_FILES].sort() },
    ])
    expect(readdirSync(outDir).sort()).toEqual([...OUTPUT_FILES].sort())
  })

  it("answers a bad manifest with its error and keeps serving", async () => {
    const config = writeConfig()
    const broken = join(work, "broken.json")
    writeFileSync(broken, "{not json")
    const result = await serve(["--config", config, "--serve"], [broken, join(work, "missing.json"), manifestPath])
    expect(result.code).toBe(0)
    const [, bad, missing, good] = result.answers as { error?: string; changed?: string[] }[]
    expect(bad?.error).toMatch(/broken\.json/)
    expect(missing?.error).toMatch(/cannot read the manifest .*missing\.json/)
    expect(good?.changed?.length).toBe(OUTPUT_FILES.length)
    expect(readFileSync(join(work, "project", "frontend", "src", "api", "index.ts"), "utf8")).not.toBe("")
  })

  it("takes only --config", async () => {
    const result = await serve(["--serve", "--check"], [])
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/--serve takes only --config/)
  })

  it("names a missing config file and exits", async () => {
    const result = await serve(["--config", join(work, "nope.mjs"), "--serve"], [])
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/config file not found/)
  })
})
