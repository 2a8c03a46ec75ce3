/** React logs the render errors a test provokes on purpose; the test asserts on the error itself. */
export function silenceConsoleError(): () => void {
  const original = console.error
  console.error = () => undefined
  return () => {
    console.error = original
  }
}
