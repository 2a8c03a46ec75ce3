// Keeps one page of a running stack open in headless Chromium and answers commands, one JSON line each, so a
// Python test can watch the page change while it edits files. Copied into a generated project and run with node
// there, so `playwright-core` resolves from the project's own node_modules (its e2e workspace brings it).
//
//   node live_page.mjs URL [CHROMIUM]     CHROMIUM empty: Playwright's own browser
//   stdin  "text"   -> {"reply": "text", "text": <the page's visible text>, "loads": N, "reloaded": bool}
//   stdin  "overlay" -> {"reply": "overlay", "text": <the development overlay's text, "" when it is not shown>}
//   stdin  "quit"   -> closes the browser and exits (so does the end of stdin)
//   stdout {"event": "ready"} once the page loaded; {"event": "error" | "console" | "load", ...} as they happen
import { createInterface } from "node:readline"
import { chromium } from "playwright-core"

const [url, executablePath] = process.argv.slice(2)
if (!url) {
  console.error("usage: node live_page.mjs URL [CHROMIUM]")
  process.exit(2)
}

const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`)

const browser = await chromium.launch({
  executablePath: executablePath || undefined,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
  ],
})
const page = await browser.newPage()
let loads = 0
page.on("load", () => {
  loads += 1
  say({ event: "load", loads })
})
page.on("pageerror", (error) => say({ event: "error", message: String(error) }))
page.on("console", (message) => {
  if (message.type() === "error" || message.type() === "warning") {
    say({ event: "console", type: message.type(), text: message.text() })
  }
})
await page.goto(url, { waitUntil: "load", timeout: 120_000 })
// A mark on this document: it is gone if Vite ever falls back to reloading the whole page.
await page.evaluate(() => {
  window.__liveMark = true
})
say({ event: "ready" })

let closing = false
async function quit() {
  if (closing) return
  closing = true
  await browser.close()
  process.exit(0)
}

for await (const line of createInterface({ input: process.stdin })) {
  const command = line.trim()
  if (command === "text") {
    try {
      const [text, marked] = await page.evaluate(() => [document.body.innerText, window.__liveMark === true])
      say({ reply: "text", text, loads, reloaded: !marked })
    } catch (error) {
      // The page is navigating (a reload Vite chose): the next "text" sees the new document.
      say({ reply: "text", text: "", loads, reloaded: true, error: String(error) })
    }
  } else if (command === "overlay") {
    try {
      // The overlay is in a shadow root, which the page's innerText leaves out.
      const text = await page.evaluate(() => document.querySelector("[data-mizan-dev-overlay]")?.shadowRoot?.textContent ?? "")
      say({ reply: "overlay", text })
    } catch (error) {
      say({ reply: "overlay", text: "", error: String(error) })
    }
  } else if (command === "quit") {
    await quit()
  } else if (command) {
    say({ reply: "error", message: `unknown command ${JSON.stringify(command)}: use "text", "overlay" or "quit"` })
  }
}
await quit()
