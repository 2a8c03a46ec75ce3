// Vite serves the React app to the page Django renders (django-vite's tags), so `base` is Django's STATIC_URL
// and `origin` is this server's own address: assets and hot reload then work through the Django page.
import react from "@vitejs/plugin-react"
import { defineConfig } from "vitest/config"

const port = Number(process.env.MIZAN_VITE_PORT ?? "5173")

export default defineConfig({
  plugins: [react()],
  base: "/static/",
  server: {
    host: "127.0.0.1",
    port,
    strictPort: true,
    origin: `http://127.0.0.1:${port}`,
  },
  build: {
    manifest: "manifest.json",
    outDir: "dist",
    emptyOutDir: true,
    rollupOptions: { input: "src/main.tsx" },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
})
