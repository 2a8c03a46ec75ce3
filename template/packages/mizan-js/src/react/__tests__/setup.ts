// Testing Library unmounts after each test by itself only under vitest globals, which this package does not use.
import { cleanup } from "@testing-library/react"
import { afterEach } from "vitest"

afterEach(() => {
  cleanup()
})
