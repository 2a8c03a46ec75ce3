import { spawnSync, type SpawnSyncReturns } from "node:child_process"
import { symlinkSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const packageRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..", "..")

/**
 * Makes `dir` a TypeScript project as strict as a Vite React template's, so generated code is checked the way a
 * user's frontend would check it: react and TanStack come from this package's node_modules, and `mizan-js`
 * resolves to this package's sources.
 */
export function writeStrictProject(dir: string, include: string[]): void {
  symlinkSync(join(packageRoot, "node_modules"), join(dir, "node_modules"), "dir")
  const compilerOptions = {
    target: "ES2022",
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    module: "ESNext",
    moduleResolution: "Bundler",
    jsx: "react-jsx",
    strict: true,
    noEmit: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noFallthroughCasesInSwitch: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    isolatedModules: true,
    skipLibCheck: true,
    types: [],
    paths: {
      "mizan-js": [join(packageRoot, "src", "kernel", "index.ts")],
      "mizan-js/react": [join(packageRoot, "src", "react", "index.ts")],
    },
  }
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include }))
}

/** Runs this package's tsc over the project in `dir`. */
export function runTsc(dir: string): SpawnSyncReturns<string> {
  const tsc = join(packageRoot, "node_modules", "typescript", "bin", "tsc")
  return spawnSync(process.execPath, [tsc, "-p", ".", "--pretty", "false"], { cwd: dir, encoding: "utf8" })
}
