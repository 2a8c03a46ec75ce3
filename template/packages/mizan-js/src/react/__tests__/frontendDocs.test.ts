// @vitest-environment node
/**
 * The examples of docs/frontend.md compile: every ```tsx block is type-checked under strict tsc against this
 * package's sources. `<!-- file: NAME -->` before a block names its file (other blocks import it);
 * `<!-- skip: why -->` leaves a block out.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"
import { afterAll, describe, expect, it } from "vitest"

const packageRoot = fileURLToPath(new URL("../../../", import.meta.url))
const guide = fileURLToPath(new URL("../../../../../../docs/frontend.md", import.meta.url))

interface Block {
  file: string
  line: number
  source: string
}

function readBlocks(path: string): { blocks: Block[]; skipped: number } {
  const lines = readFileSync(path, "utf8").split("\n")
  const blocks: Block[] = []
  let skipped = 0
  for (let index = 0; index < lines.length; index++) {
    const fence = /^```(\w+)\s*$/.exec(lines[index]!)
    if (!fence) continue
    const end = lines.findIndex((line, at) => at > index && line.startsWith("```"))
    const marker = /^<!--\s*(file|skip)\s*:\s*(.*?)\s*-->$/.exec(lines[index - 1] ?? "")
    if (fence[1] === "tsx" || fence[1] === "ts") {
      if (marker?.[1] === "skip") skipped++
      else blocks.push({ file: marker?.[1] === "file" ? marker[2]! : `example-${index + 1}.tsx`, line: index + 2, source: lines.slice(index + 1, end).join("\n") })
    }
    index = end
  }
  return { blocks, skipped }
}

const workDir = mkdtempSync(join(packageRoot, ".docs-examples-"))
afterAll(() => rmSync(workDir, { recursive: true, force: true }))

describe("docs/frontend.md", () => {
  it("has examples, and every one of them compiles under strict tsc", () => {
    const { blocks } = readBlocks(guide)
    expect(blocks.length).toBeGreaterThan(8)
    expect(blocks.some((block) => block.file === "api.tsx")).toBe(true)

    const byPath = new Map<string, Block>()
    for (const block of blocks) {
      const path = join(workDir, block.file)
      writeFileSync(path, `${block.source}\n`)
      byPath.set(path, block)
    }
    const program = ts.createProgram([...byPath.keys()], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.ReactJSX,
      types: [],
      paths: {
        "mizan-js": [join(packageRoot, "src/kernel/index.ts")],
        "mizan-js/react": [join(packageRoot, "src/react/index.ts")],
      },
    })
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")
      const block = diagnostic.file && byPath.get(diagnostic.file.fileName)
      if (!block || diagnostic.start === undefined) return `${diagnostic.file?.fileName ?? "?"}: ${text}`
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start)
      return `docs/frontend.md:${block.line + line}: ${text}`
    })
    expect(problems).toEqual([])
  }, 60_000)
})
