import { defineConfig } from "vitest/config"

// Kernel and generator tests run in Node; React tests in jsdom. Type tests (*.test-d.ts) run through tsc.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          environment: "node",
          include: ["src/**/__tests__/**/*.test.{ts,tsx}"],
          exclude: ["src/react/**", "**/node_modules/**"],
          typecheck: {
            enabled: true,
            include: ["src/**/__tests__/**/*.test-d.{ts,tsx}"],
            tsconfig: "./tsconfig.json",
          },
        },
      },
      {
        test: {
          name: "react",
          environment: "jsdom",
          include: ["src/react/__tests__/**/*.test.{ts,tsx}"],
          setupFiles: ["src/react/__tests__/setup.ts"],
        },
      },
    ],
  },
})
