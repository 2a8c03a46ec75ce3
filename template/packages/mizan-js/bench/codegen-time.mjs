// Times `mizan-generate --schema` on a synthetic 500-function manifest (budget: 2 s) and counts the files an
// unchanged rerun writes (budget: 0). Run after `npm run build`: node bench/codegen-time.mjs [functions]
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { cpus, loadavg, tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..")
const bin = join(packageRoot, "bin", "mizan-generate.js")
const count = Number(process.argv[2] ?? 500)

if (!existsSync(join(packageRoot, "dist", "generate", "cli.js"))) {
  console.error("bench/codegen-time.mjs: dist/ is missing; run `npm run build` in packages/mizan-js first")
  process.exit(1)
}

/** A manifest shaped like a real backend's: models with enums, optionals, datetimes, nested refs; contexts. */
function syntheticManifest(functions) {
  const defs = {}
  const models = Math.max(1, Math.floor(functions / 5))
  defs.Status = { enum: ["draft", "open", "closed"], title: "Status", type: "string" }
  for (let i = 0; i < models; i++) {
    defs[`Model${i}`] = {
      title: `Model${i}`,
      type: "object",
      properties: {
        id: { title: "Id", type: "integer" },
        name: { title: "Name", type: "string", maxLength: 100 },
        status: { $ref: "#/$defs/Status" },
        created: { title: "Created", type: "string", format: "date-time" },
        note: { anyOf: [{ type: "string" }, { type: "null" }], default: null, title: "Note" },
        ...(i > 0 ? { parent: { anyOf: [{ $ref: `#/$defs/Model${i - 1}` }, { type: "null" }], default: null } } : {}),
        tags: { title: "Tags", type: "array", items: { type: "string" } },
      },
      required: ["id", "name", "status", "created"],
    }
  }
  const manifest = { mizan: 1, functions: {}, contexts: { global: { functions: [], params: { type: "object", properties: {} } } }, forms: {}, channels: {}, $defs: defs }
  const contexts = Math.max(1, Math.floor(functions / 50))
  for (let c = 0; c < contexts; c++) {
    manifest.contexts[`area${c}`] = {
      functions: [],
      params: { type: "object", properties: { area_id: { title: "Area Id", type: "integer" } }, required: ["area_id"] },
    }
  }
  for (let i = 0; i < functions; i++) {
    const kind = i % 10
    const name = kind === 9 ? `module${i % 7}.action_${i}` : `function_${i}`
    const context = kind === 0 ? "global" : kind < 3 ? `area${i % contexts}` : null
    const input =
      context === "global"
        ? { type: "object", properties: {} }
        : context !== null
          ? { type: "object", properties: { area_id: { title: "Area Id", type: "integer" } }, required: ["area_id"] }
          : {
              type: "object",
              properties: {
                area_id: { title: "Area Id", type: "integer" },
                title: { title: "Title", type: "string" },
                status: { $ref: "#/$defs/Status", default: "draft" },
                due: { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }], default: null, title: "Due" },
              },
              required: ["area_id", "title"],
            }
    const model = { $ref: `#/$defs/Model${i % models}` }
    manifest.functions[name] = {
      input,
      output: context === null || kind % 2 === 0 ? model : { type: "array", items: model },
      context,
      affects: context === null && kind % 2 === 1 ? [`function_${(i - (i % 10)) + 1}`].filter((f) => f !== name) : [],
      auth: kind === 5,
      websocket: false,
      rev: 1,
      view: false,
      route: null,
      doc: `Synthetic function ${i}.`,
    }
    if (context !== null) manifest.contexts[context].functions.push(name)
  }
  // Valid affects only: drop names that do not exist.
  for (const fn of Object.values(manifest.functions)) fn.affects = fn.affects.filter((f) => f in manifest.functions)
  return manifest
}

// The child reports its own CPU time on exit: on a busy machine wall time overstates the generator's cost.
const REPORT_CPU = `data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("mizan-bench-cpu "+(u.user+u.system)+"\\n")})`

function run(args) {
  const started = process.hrtime.bigint()
  const result = spawnSync(process.execPath, ["--import", REPORT_CPU, bin, ...args], { encoding: "utf8" })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (result.status !== 0) {
    console.error(result.stdout + result.stderr)
    process.exit(1)
  }
  const written = Number(/wrote (\d+) file/.exec(result.stdout)?.[1] ?? NaN)
  const cpuSeconds = Number(/mizan-bench-cpu (\d+)/.exec(result.stderr)?.[1] ?? NaN) / 1e6
  return { seconds, cpuSeconds, written }
}

const work = mkdtempSync(join(tmpdir(), "mizan-codegen-bench-"))
try {
  const schema = join(work, "manifest.json")
  writeFileSync(schema, JSON.stringify(syntheticManifest(count), null, 1) + "\n")
  const out = join(work, "api")
  const cold = run(["--schema", schema, "--out", out])
  const rerun = run(["--schema", schema, "--out", out])
  const load = loadavg()[0].toFixed(1)
  console.log(
    `mizan-generate --schema, ${count} functions: cold run ${cold.seconds.toFixed(2)} s wall, ` +
      `${cold.cpuSeconds.toFixed(2)} s CPU, ${cold.written} files written (budget 2 s; load average ${load} on ${cpus().length} CPUs)`,
  )
  console.log(
    `unchanged rerun: ${rerun.seconds.toFixed(2)} s wall, ${rerun.cpuSeconds.toFixed(2)} s CPU, ${rerun.written} files written (budget 0)`,
  )
} finally {
  rmSync(work, { recursive: true, force: true })
}
