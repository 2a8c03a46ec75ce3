/** mizan-generate's keyword API; the `mizan-generate` bin is a thin CLI over it. */
export { main } from "./cli.js"
export { loadConfig, type GenerateConfig } from "./config.js"
export { GenerateError } from "./errors.js"
export { generateFiles, HEADER, OUTPUT_FILES } from "./generate.js"
export { checkManifest, MANIFEST_VERSION, parseManifest, type Manifest } from "./manifest.js"
export { contextNames, functionNames, pascalCase } from "./naming.js"
export { syncOutputDir, type OutputReport } from "./outputDir.js"
export { generateFromConfig, generateFromSchemaFile, type GenerateResult } from "./runGenerate.js"
