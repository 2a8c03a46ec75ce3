import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, readdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

import { afterEach, beforeEach, describe, expect, it } from "vitest"

import { HELP, main } from "../cli.js"
import { OUTPUT_FILES } from "../generate.js"

const here = dirname(fileURLToPath(import.meta.url))
const manifestPath = join(here, "fixtures", "manifest.json")

let work: string
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "mizan-generate-cli-"))
})
afterEach(() => {
  rmSync(work, { recursive: true, force: true })
})

/** Runs the CLI in-process and collects what it printed. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ""
  let err = ""
  const code = await main(argv, { out: (text) => (out += text), err: (text) => (err += text) })
  return { code, out, err }
}

function writeManifest(data: unknown): string {
  const path = join(work, "manifest.json")
  writeFileSync(path, typeof data === "string" ? data : JSON.stringify(data))
  return path
}

function fixture(): { [key: string]: unknown } {
  return JSON.parse(readFileSync(manifestPath, "utf8")) as { [key: string]: unknown }
}

describe("mizan-generate --schema --out", () => {
  it("writes every file, then rewrites none on an unchanged rerun (mtimes untouched)", async () => {
    const out = join(work, "api")
    const first = await run("--schema", manifestPath, "--out", out)
    expect(first).toMatchObject({ code: 0, err: "" })
    expect(first.out).toContain(`wrote ${OUTPUT_FILES.length} file(s), 0 unchanged`)
    expect(readdirSync(out).sort()).toEqual([...OUTPUT_FILES])
    const mtimes = OUTPUT_FILES.map((name) => statSync(join(out, name)).mtimeMs)

    await new Promise((resolve) => setTimeout(resolve, 20))
    const second = await run("--schema", manifestPath, "--out", out)
    expect(second.code).toBe(0)
    expect(second.out).toContain(`wrote 0 file(s), ${OUTPUT_FILES.length} unchanged`)
    expect(OUTPUT_FILES.map((name) => statSync(join(out, name)).mtimeMs)).toEqual(mtimes)
  })

  it("rewrites only the file whose content changed", async () => {
    const out = join(work, "api")
    await run("--schema", manifestPath, "--out", out)
    const changed = fixture()
    ;(changed.functions as { echo: { doc: string } }).echo.doc = "Say it back, louder."
    const result = await run("--schema", writeManifest(changed), "--out", out)
    expect(result.out).toContain(`wrote 2 file(s), ${OUTPUT_FILES.length - 2} unchanged`)
    expect(readFileSync(join(out, "calls.ts"), "utf8")).toContain("Say it back, louder.")
  })
})

describe("mizan-generate --check", () => {
  it("passes when the folder is up to date", async () => {
    const out = join(work, "api")
    await run("--schema", manifestPath, "--out", out)
    const result = await run("--schema", manifestPath, "--out", out, "--check")
    expect(result.code).toBe(0)
    expect(result.out).toMatch(/is up to date/)
  })

  it("fails listing the stale and missing files, and writes nothing", async () => {
    const out = join(work, "api")
    await run("--schema", manifestPath, "--out", out)
    writeFileSync(join(out, "hooks.ts"), "// edited by hand\n")
    rmSync(join(out, "types.ts"))
    const result = await run("--schema", manifestPath, "--out", out, "--check")
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/stale generated files in .*: hooks\.ts, types\.ts; run mizan-generate/)
    expect(readFileSync(join(out, "hooks.ts"), "utf8")).toBe("// edited by hand\n")
    expect(readdirSync(out).sort()).toEqual(OUTPUT_FILES.filter((name) => name !== "types.ts"))
  })

  it("fails for a folder never generated, without creating it", async () => {
    const out = join(work, "never")
    const result = await run("--schema", manifestPath, "--out", out, "--check")
    expect(result.code).toBe(1)
    expect(result.err).toContain(OUTPUT_FILES.join(", "))
    expect(() => statSync(out)).toThrow()
  })
})

describe("bad input", () => {
  /** A user-facing failure: exit 1, one line on stderr, no stack frame. */
  async function expectOneLineError(argv: string[], pattern: RegExp): Promise<void> {
    const result = await run(...argv)
    expect(result.code).toBe(1)
    expect(result.out).toBe("")
    expect(result.err.trimEnd().split("\n")).toHaveLength(1)
    expect(result.err).not.toMatch(/\n\s+at /)
    expect(result.err).toMatch(pattern)
  }

  it("names an unknown manifest version", async () => {
    const path = writeManifest({ ...fixture(), mizan: 2 })
    await expectOneLineError(["--schema", path, "--out", work], /mizan: unsupported manifest version 2; this mizan-generate reads version 1/)
  })

  it("says a file without a version is not a manifest", async () => {
    const path = writeManifest({ functions: {} })
    await expectOneLineError(["--schema", path, "--out", work], /mizan: missing; this is not a Mizan manifest/)
  })

  it("names the malformed field", async () => {
    const data = fixture()
    ;(data.functions as { echo: { input: unknown } }).echo.input = "text: str"
    await expectOneLineError(
      ["--schema", writeManifest(data), "--out", work],
      /functions\["echo"\]\.input: expected an object, got string "text: str"/,
    )
  })

  it("names a context that is not declared", async () => {
    const data = fixture()
    ;(data.functions as { echo: { context: unknown } }).echo.context = "chat"
    await expectOneLineError(
      ["--schema", writeManifest(data), "--out", work],
      /functions\["echo"\]\.context: names the context "chat", which is not in "contexts"/,
    )
  })

  it("says a file that is not JSON is not JSON", async () => {
    await expectOneLineError(["--schema", writeManifest("Traceback (most recent call last):"), "--out", work], /is not JSON/)
  })

  it("names a manifest file that does not exist", async () => {
    await expectOneLineError(["--schema", join(work, "nope.json"), "--out", work], /cannot read the manifest .*nope\.json/)
  })

  it("rejects two functions that make the same TypeScript name", async () => {
    const data = fixture()
    const functions = data.functions as { [name: string]: unknown }
    functions["todo.list"] = functions.todo_list
    await expectOneLineError(
      ["--schema", writeManifest(data), "--out", work],
      /function "todo.list" and function "todo_list" both generate the TypeScript name|function "todo_list" and function "todo.list" both generate/,
    )
  })

  it("asks for --out with --schema", async () => {
    await expectOneLineError(["--schema", manifestPath], /--schema and --out go together/)
  })

  it("rejects an unknown flag", async () => {
    await expectOneLineError(["--shema", manifestPath], /Unknown option '--shema'.*see mizan-generate --help/)
  })
})

describe("--help", () => {
  it("shows the usage, the config format and every flag", async () => {
    const result = await run("--help")
    expect(result.code).toBe(0)
    expect(result.out).toBe(HELP)
    for (const flag of ["--config", "--schema", "--out", "--check", "schemaCommand", "outDir"]) {
      expect(HELP).toContain(flag)
    }
  })
})

describe("mizan-generate --config", () => {
  /** A config whose schema command is this Node running a script: the exporter's stand-in, no Python needed. */
  function writeConfig(script: string, extra = ""): string {
    const folder = join(work, "project")
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, "export.mjs"), script)
    const config = join(folder, "mizan.config.mjs")
    writeFileSync(
      config,
      `export default { schemaCommand: [${JSON.stringify(process.execPath)}, "export.mjs"], ${extra} outDir: "frontend/src/api" }\n`,
    )
    return config
  }

  it("runs the schema command from the config's folder with its env, and writes outDir relative to it", async () => {
    const script = [
      `import { readFileSync } from "node:fs"`,
      `if (process.env.MIZAN_TEST_FLAG !== "on") { process.stderr.write("env not passed\\n"); process.exit(3) }`,
      `process.stderr.write("System check identified 1 issue (0 silenced).\\n")`,
      `process.stdout.write(readFileSync(${JSON.stringify(manifestPath)}, "utf8"))`,
    ].join("\n")
    const config = writeConfig(script, `env: { MIZAN_TEST_FLAG: "on" },`)
    const result = await run("--config", config)
    expect(result.code).toBe(0)
    expect(result.err).toBe("System check identified 1 issue (0 silenced).\n")
    expect(readdirSync(join(work, "project", "frontend", "src", "api")).sort()).toEqual([...OUTPUT_FILES])
    expect((await run("--config", config, "--check")).code).toBe(0)
  })

  it("reads the original Mizan's django.config.mjs shape: source.django.{managePath, command, env} and output", async () => {
    const folder = join(work, "seed")
    mkdirSync(folder, { recursive: true })
    const script = [
      `import { readFileSync } from "node:fs"`,
      `if (process.argv[2] !== "export_mizan_schema" || process.env.SEED_FLAG !== "on") process.exit(3)`,
      `process.stdout.write(readFileSync(${JSON.stringify(manifestPath)}, "utf8"))`,
    ].join("\n")
    writeFileSync(join(folder, "manage.mjs"), script)
    const config = join(folder, "django.config.mjs")
    const django = `{ python: ${JSON.stringify(process.execPath)}, managePath: "manage.mjs", command: "export_mizan_schema", env: { SEED_FLAG: "on" } }`
    writeFileSync(config, `export default { source: { django: ${django} }, output: "src/api" }\n`)
    const result = await run("--config", config)
    expect(result.code).toBe(0)
    expect(readdirSync(join(folder, "src", "api")).sort()).toEqual([...OUTPUT_FILES])

    const broken = join(folder, "broken.config.mjs") // a new file: the first is cached as an ES module
    writeFileSync(broken, `export default { source: { django: { command: "x" } }, output: "src/api" }\n`)
    const refused = await run("--config", broken)
    expect(refused.code).toBe(1)
    expect(refused.err).toContain("source.django.managePath must be the path of manage.py")
  })

  it("shows the failing command's own stderr, not a stack of the generator", async () => {
    const python = [
      "Traceback (most recent call last):",
      '  File "backend/manage.py", line 22, in <module>',
      "django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.",
    ].join("\n")
    const config = writeConfig(`process.stderr.write(${JSON.stringify(python + "\n")}); process.exit(1)`)
    const result = await run("--config", config)
    expect(result.code).toBe(1)
    expect(result.err).toBe(
      `mizan-generate: the schema command \`${process.execPath} export.mjs\` failed (exit code 1):\n${python}\n`,
    )
  })

  it("says when the schema command cannot be found", async () => {
    const folder = join(work, "project")
    mkdirSync(folder)
    const config = join(folder, "mizan.config.mjs")
    writeFileSync(config, `export default { schemaCommand: ["mizan-no-such-python"], outDir: "api" }\n`)
    const result = await run("--config", config)
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/mizan-no-such-python was not found on PATH; set schemaCommand in .*mizan\.config\.mjs/)
  })

  it("says which config file is missing and how to create it", async () => {
    const missing = join(work, "mizan.config.mjs")
    const result = await run("--config", missing)
    expect(result.code).toBe(1)
    expect(result.err).toContain(`config file not found: ${missing}. Create it with: export default { schemaCommand:`)
    expect(result.err.trimEnd().split("\n")).toHaveLength(1)
  })

  it("names a config field of the wrong shape", async () => {
    const config = join(work, "mizan.config.mjs")
    writeFileSync(config, `export default { schemaCommand: "python backend/manage.py export_mizan_schema", outDir: "api" }\n`)
    const result = await run("--config", config)
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/mizan\.config\.mjs: schemaCommand must be a non-empty list of strings; expected export default/)
  })

  it("names a schema command whose output is not a manifest", async () => {
    const config = writeConfig(`process.stdout.write("Operations to perform:\\n")`)
    const result = await run("--config", config)
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/the output of `.* export\.mjs` is not JSON/)
  })
})
