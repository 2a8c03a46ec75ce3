#!/usr/bin/env node
// The mizan-generate command: a shim over the compiled CLI in dist/ (built by `npm run build`).
let cli
try {
  cli = await import("../dist/generate/cli.js")
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/generate/cli.js")) throw error
  process.stderr.write("mizan-generate: mizan-js is not built (dist/ is missing); run `npm run build` in packages/mizan-js\n")
  process.exit(1)
}
process.exitCode = await cli.main(process.argv.slice(2))
