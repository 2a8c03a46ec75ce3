import { describe, expect, it } from "vitest"

import { indentDeclarations } from "../indent.js"

describe("indentDeclarations", () => {
  it("indents by bracket depth, blank line after each declaration", () => {
    const source = ["export interface A {", "b: {", "c: string", "}", "d: ({", "e: number", "} | null)", "}", "export type F = string"].join("\n")
    expect(indentDeclarations(source)).toBe(
      ["export interface A {", "  b: {", "    c: string", "  }", "  d: ({", "    e: number", "  } | null)", "}", "", "export type F = string"].join("\n"),
    )
  })

  it("ignores brackets inside string literal types", () => {
    const source = ['export interface A {', 'mode: ("{" | "}" | "(")', 'x: number', "}"].join("\n")
    expect(indentDeclarations(source)).toBe(['export interface A {', '  mode: ("{" | "}" | "(")', "  x: number", "}"].join("\n"))
  })

  it("shifts doc comments to the depth of what they describe, and empties empty interfaces", () => {
    const source = ["export interface A {", "/**", " * The id.", " */", "id: number", "}", "export interface Empty {", "", "}"].join("\n")
    expect(indentDeclarations(source)).toBe(
      ["export interface A {", "  /**", "   * The id.", "   */", "  id: number", "}", "", "export interface Empty {}"].join("\n"),
    )
  })
})
