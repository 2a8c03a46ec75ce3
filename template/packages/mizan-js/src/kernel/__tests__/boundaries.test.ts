/** The kernel never imports React; the adapter imports only React, react-query and the kernel (STYLE.md "Core vs adapter"). */

import { build } from "esbuild"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const src = fileURLToPath(new URL("../../", import.meta.url))

/** Bundles an entry with every package external and returns the packages its import graph reaches. */
async function packagesImportedBy(entry: string): Promise<{ packages: string[]; files: string[] }> {
  const result = await build({
    entryPoints: [`${src}${entry}`],
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    packages: "external",
    jsx: "automatic",
    logLevel: "silent",
  })
  const packages = new Set<string>()
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imported of output.imports) if (imported.external) packages.add(imported.path)
  }
  return { packages: [...packages].sort(), files: Object.keys(result.metafile.inputs) }
}

describe("import boundaries", () => {
  it("keeps React out of the kernel's import graph", async () => {
    const { packages, files } = await packagesImportedBy("kernel/index.ts")
    expect(packages).toEqual(["@tanstack/query-core", "zod"])
    expect(files.some((file) => file.includes("/react/"))).toBe(false)
    expect(files.length).toBeGreaterThan(5) // the graph was really walked
  })

  it("builds the React adapter on react-query and the kernel only", async () => {
    const { packages } = await packagesImportedBy("react/index.ts")
    expect(packages).toEqual(["@tanstack/query-core", "@tanstack/react-query", "react", "react/jsx-runtime", "zod"])
  })
})
