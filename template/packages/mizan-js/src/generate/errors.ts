/**
 * The one user-facing error of mizan-generate: the CLI prints its message on one line (or, for a failed
 * schema command, the command's own output) and exits 1 without a stack. Any other exception is a bug.
 */
export class GenerateError extends Error {
  override name = "GenerateError"
}
