import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

import { afterAll, beforeAll, describe, expect, it } from "vitest"

import { generateFromSchemaFile } from "../runGenerate.js"
import { runTsc, writeStrictProject } from "./support/strictProject.js"

const here = dirname(fileURLToPath(import.meta.url))
const packageRoot = resolve(here, "..", "..", "..")

/**
 * Generated code is only useful if it compiles for a user, and only safe if misuse does not: a strict
 * project (the flags of a Vite React template) compiles a page that uses the generated API with
 * `@ts-expect-error` on every misuse, resolving `mizan-js` to this package's sources.
 */
let project: string
const DIRECTIVE = /(\/\/|\{\/\*) @ts-expect-error .*$/

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), "mizan-generate-tsc-"))
  await generateFromSchemaFile({ schema: join(here, "fixtures", "manifest.json"), outDir: join(project, "api") })
  // docs/codegen.md's examples use the fixture's functions: they are compiled beside the page.
  for (const [index, example] of docExamples().entries()) writeFileSync(join(project, `doc-example-${index + 1}.tsx`), example)
  // The page imports react and @tanstack/react-query as a frontend would, from its node_modules.
  writeStrictProject(project, ["api", "*.tsx"])
})

afterAll(() => {
  rmSync(project, { recursive: true, force: true })
})

/** The ```tsx blocks of docs/codegen.md that import the generated `./api`. */
function docExamples(): string[] {
  const doc = readFileSync(join(packageRoot, "..", "..", "..", "docs", "codegen.md"), "utf8")
  return [...doc.matchAll(/^```tsx\n([\s\S]*?)^```$/gm)].map((match) => match[1]!).filter((code) => code.includes('from "./api"'))
}

/** Runs tsc over the project with this page; returns its exit code and the lines of usage.tsx it flagged. */
function typecheck(page: string): { status: number | null; output: string; flagged: number[] } {
  writeFileSync(join(project, "usage.tsx"), page)
  const result = runTsc(project)
  const output = result.stdout + result.stderr
  const flagged = [...output.matchAll(/^usage\.tsx\((\d+),\d+\): error/gm)].map((match) => Number(match[1]))
  return { status: result.status, output, flagged: [...new Set(flagged)].sort((a, b) => a - b) }
}

describe("generated code under tsc --strict", () => {
  const page = readFileSync(join(here, "fixtures", "usage.tsx"), "utf8")
  const lines = page.split("\n")
  const directives = lines.flatMap((line, index) => (DIRECTIVE.test(line) ? [index + 1] : []))

  it("compiles docs/codegen.md's examples too", () => {
    expect(docExamples().length).toBeGreaterThanOrEqual(2)
  })

  it("has misuse to check: wrong arg type, missing arg, unknown result field, wrong provider prop", () => {
    const reasons = lines.filter((line) => DIRECTIVE.test(line)).join("\n")
    for (const reason of ["wrong argument type", "missing argument", "unknown field on a result", "wrong provider prop"]) {
      expect(reasons).toContain(reason)
    }
  })

  it("compiles correct use, and every misuse is an error", () => {
    const result = typecheck(page)
    expect(result.output).toBe("")
    expect(result.status).toBe(0)
  }, 120_000)

  it("fails on exactly the misuse lines once their @ts-expect-error is removed", () => {
    // Blank the directives in place, so each misuse sits on the line after the one that held its directive.
    const bare = lines.map((line) => line.replace(DIRECTIVE, (_match, opener: string) => (opener === "//" ? "//" : "{/* */}")))
    const result = typecheck(bare.join("\n"))
    expect(result.status).not.toBe(0)
    expect(result.flagged).toEqual(directives.map((line) => line + 1))
  }, 120_000)
})
