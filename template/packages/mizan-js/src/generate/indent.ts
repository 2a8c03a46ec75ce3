/**
 * Indents json-schema-to-typescript's unformatted output by bracket nesting. The library's own formatting
 * runs prettier, which took most of the generator's time on a large backend (over a second for 500
 * functions); the declarations it emits only need their nesting shown.
 */
export function indentDeclarations(source: string, unit = "  "): string {
  // One entry per indent level: how many brackets the line that opened it left open (`d: ({` leaves two).
  const levels: number[] = []
  let inComment = false
  const lines: string[] = []
  for (const raw of source.split("\n")) {
    const line = raw.trim()
    if (inComment || line.startsWith("/*")) {
      // Doc comments keep their own shape (` * text`), shifted to the depth of what they describe.
      lines.push(line === "" ? "" : unit.repeat(levels.length) + (line.startsWith("*") ? ` ${line}` : line))
      inComment = !line.endsWith("*/")
      continue
    }
    const brackets = bracketsOf(line)
    const depth = Math.max(0, levels.length - (/^[}\])]/.test(line) ? 1 : 0))
    lines.push(line === "" ? "" : unit.repeat(depth) + line)
    let opened = 0
    for (const bracket of brackets) {
      if (bracket === "open") opened++
      else if (opened > 0) opened--
      else if (levels.length > 0 && --levels[levels.length - 1]! === 0) levels.pop()
    }
    if (opened > 0) levels.push(opened)
    if (levels.length === 0 && /^[}\])]/.test(line)) lines.push("")
  }
  // An interface without members prints as `{\n\n}`; a declaration ends with one blank line.
  return lines
    .join("\n")
    .replace(/\{\n\n\s*\}/g, "{}")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
}

/** The brackets of a line in order, outside string literals and `//` comments. */
function bracketsOf(line: string): ("open" | "close")[] {
  const brackets: ("open" | "close")[] = []
  let quote: string | null = null
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!
    if (quote !== null) {
      if (char === "\\") i++
      else if (char === quote) quote = null
    } else if (char === '"' || char === "'" || char === "`") {
      quote = char
    } else if (char === "/" && line[i + 1] === "/") {
      break
    } else if (char === "{" || char === "(" || char === "[") {
      brackets.push("open")
    } else if (char === "}" || char === ")" || char === "]") {
      brackets.push("close")
    }
  }
  return brackets
}
