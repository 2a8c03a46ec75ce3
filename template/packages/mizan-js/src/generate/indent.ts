/**
 * Indents json-schema-to-typescript's unformatted output by bracket depth. The library's own formatting
 * runs prettier, which took most of the generator's time on a large backend (over a second for 500
 * functions); the declarations it emits only need their nesting shown.
 */
export function indentDeclarations(source: string, unit = "  "): string {
  let depth = 0
  let inComment = false
  const lines: string[] = []
  for (const raw of source.split("\n")) {
    const line = raw.trim()
    if (inComment || line.startsWith("/*")) {
      // Doc comments keep their own shape (` * text`), shifted to the depth of what they describe.
      lines.push(line === "" ? "" : unit.repeat(depth) + (line.startsWith("*") ? ` ${line}` : line))
      inComment = !line.endsWith("*/")
      continue
    }
    const { opened, closed, leadingClosers } = countBrackets(line)
    lines.push(line === "" ? "" : unit.repeat(Math.max(0, depth - leadingClosers)) + line)
    depth = Math.max(0, depth + opened - closed)
    if (depth === 0 && line.startsWith("}")) lines.push("")
  }
  // An interface without members prints as `{\n\n}`; a declaration ends with one blank line.
  return lines
    .join("\n")
    .replace(/\{\n\n\s*\}/g, "{}")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
}

function countBrackets(line: string): { opened: number; closed: number; leadingClosers: number } {
  let opened = 0
  let closed = 0
  let leadingClosers = 0
  let leading = true
  let quote: string | null = null
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!
    if (quote !== null) {
      if (char === "\\") i++
      else if (char === quote) quote = null
      continue
    }
    if (char === '"' || char === "'" || char === "`") {
      quote = char
      leading = false
    } else if (char === "/" && line[i + 1] === "/") {
      break
    } else if (char === "{" || char === "(" || char === "[") {
      opened++
      leading = false
    } else if (char === "}" || char === ")" || char === "]") {
      closed++
      if (leading) leadingClosers++
    } else if (char !== " ") {
      leading = false
    }
  }
  return { opened, closed, leadingClosers }
}
