import { spawn, type ChildProcess } from "node:child_process"
import { fileURLToPath } from "node:url"

/** The integration project's folder (manage.py, itproject, itapp). */
export const PROJECT_DIR = fileURLToPath(new URL("./project/", import.meta.url))

/** A running uvicorn serving the integration project. */
export interface DjangoServer {
  /** `http://127.0.0.1:<port>` */
  origin: string
  /** What the server printed so far, for failure messages. */
  output(): string
  stop(): Promise<void>
}

/** The Python that has the mizan runtime, Django and uvicorn: `$MIZAN_PYTHON` (the noxfile sets it). */
export function mizanPython(): string {
  const python = process.env.MIZAN_PYTHON
  if (!python) {
    throw new Error(
      "MIZAN_PYTHON is not set: point it at a python with the mizan runtime, django and uvicorn installed " +
        "(nox sets it; locally: MIZAN_PYTHON=.venv/bin/python npm run test:integration)",
    )
  }
  return python
}

/** The environment of every Python process the suite starts. */
export function pythonEnv(): NodeJS.ProcessEnv {
  // No __pycache__ folders left in the fixture project.
  return { ...process.env, PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1" }
}

/**
 * Starts uvicorn on a port the OS picks (`--port 0`) and resolves once it says where it listens, so there
 * is no window between choosing a free port and binding it. `port` restarts a server where one was.
 */
export function startDjangoServer(port = 0): Promise<DjangoServer> {
  const child = spawn(
    mizanPython(),
    ["-m", "uvicorn", "itproject.asgi:application", "--app-dir", PROJECT_DIR, "--host", "127.0.0.1", "--port", String(port)],
    { cwd: PROJECT_DIR, env: pythonEnv(), stdio: ["ignore", "pipe", "pipe"] },
  )
  let output = ""
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`uvicorn did not start within 60 s:\n${output}`)), 60_000)
    const fail = (error: Error): void => {
      clearTimeout(timer)
      child.kill("SIGKILL")
      reject(error)
    }
    const onData = (chunk: Buffer): void => {
      output += chunk.toString("utf8")
      const match = /Uvicorn running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ origin: match[1]!, output: () => output, stop: () => stop(child) })
      }
    }
    child.stdout.on("data", onData)
    child.stderr.on("data", onData)
    child.on("error", (error) => fail(new Error(`cannot start ${mizanPython()} -m uvicorn: ${error.message}`)))
    child.on("exit", (code) => fail(new Error(`uvicorn exited with code ${code} before serving:\n${output}`)))
  })
}

/** SIGTERM (uvicorn shuts down gracefully), then SIGKILL after 5 s. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 5_000)
    child.once("exit", () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill("SIGTERM")
  })
}
