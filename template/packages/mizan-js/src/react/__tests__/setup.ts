// Testing Library unmounts after each test by itself only under vitest globals, which this package does not use.
import { cleanup, configure } from "@testing-library/react"
import { afterEach } from "vitest"

// findBy* waits up to 1 s by default; a busy CI machine can take longer to answer over real HTTP.
configure({ asyncUtilTimeout: 5_000 })

afterEach(() => {
  cleanup()
})
