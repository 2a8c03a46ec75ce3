// The E2E tests drive the real stack (Django on uvicorn, Vite) in Chromium. `mizan-dev test --e2e` starts the
// stack on free ports with a throwaway database and sets the two variables read here.
import { defineConfig, devices } from "@playwright/test"

const baseURL = process.env.MIZAN_E2E_BASE_URL
if (!baseURL) {
  throw new Error(
    "MIZAN_E2E_BASE_URL is not set: run `mizan-dev test --e2e`, which starts the stack and sets it, " +
      "or set it to the URL of a running stack (e.g. http://127.0.0.1:8000/).",
  )
}
// Empty or unset: Playwright's own Chromium (`npx playwright install chromium`); else this executable.
const executablePath = process.env.MIZAN_CHROMIUM_PATH || undefined

export default defineConfig({
  testDir: "tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath,
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
          ],
        },
      },
    },
  ],
})
