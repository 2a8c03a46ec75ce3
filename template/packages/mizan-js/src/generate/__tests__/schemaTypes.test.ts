import { describe, expect, it } from "vitest"

import { checkManifest, type Manifest } from "../manifest.js"
import { renderTypes } from "../schemaTypes.js"

const fn = (input: object, output: unknown, extra: object = {}): object => ({
  input: { type: "object", ...input },
  output,
  context: null,
  affects: [],
  auth: false,
  websocket: false,
  rev: 1,
  view: false,
  route: null,
  doc: null,
  ...extra,
})

function manifest(functions: object, $defs: object = {}): Manifest {
  return checkManifest({ mizan: 1, functions, contexts: {}, $defs }, "test manifest")
}

describe("renderTypes", () => {
  it("lets a model named like the function's result keep its name, with no alias", async () => {
    const text = await renderTypes(
      manifest({ echo: fn({}, { $ref: "#/$defs/EchoResult" }) }, { EchoResult: { type: "object", title: "EchoResult", properties: { text: { type: "string", title: "Text" } }, required: ["text"] } }),
    )
    expect(text).toContain("export interface EchoResult {\n  text: string\n}")
    expect(text).not.toMatch(/export type EchoResult =/)
  })

  it("moves a model whose name a generated type needs, and aliases the result to it", async () => {
    const text = await renderTypes(
      manifest(
        { ping: fn({}, { type: "string" }), other: fn({}, { $ref: "#/$defs/PingResult" }) },
        { PingResult: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] } },
      ),
    )
    expect(text).toContain("export type PingResult = string")
    expect(text).toContain("export interface PingResult2 {\n  ok: boolean\n}")
    expect(text).toContain("export type OtherResult = PingResult2")
  })

  it("names module-qualified models after their key, and keeps refs pointing at them", async () => {
    const text = await renderTypes(
      manifest(
        { get: fn({}, { type: "array", items: { $ref: "#/$defs/shop__models__Item" } }) },
        { shop__models__Item: { type: "object", title: "Item", properties: { sku: { type: "string" } }, required: ["sku"] } },
      ),
    )
    expect(text).toContain("export type GetResult = ShopModelsItem[]")
    expect(text).toContain("export interface ShopModelsItem {")
  })

  it("makes no type of its own for a titled property", async () => {
    const text = await renderTypes(manifest({ add: fn({ properties: { list_id: { type: "integer", title: "List Id" } }, required: ["list_id"] }, { type: "null" }) }))
    expect(text).toContain("export interface AddArgs {\n  list_id: number\n}")
    expect(text).not.toMatch(/ListId/)
  })

  it("keeps a ref with a default as a reference to the named type", async () => {
    const text = await renderTypes(
      manifest(
        { add: fn({ properties: { priority: { $ref: "#/$defs/Priority", default: "low" } } }, { type: "null" }) },
        { Priority: { enum: ["low", "high"], type: "string", title: "Priority" } },
      ),
    )
    expect(text).toContain("priority?: Priority")
  })

  it("reads additionalProperties: false as no extra keys, and a schema of `true` as unknown", async () => {
    const text = await renderTypes(manifest({ f: fn({ properties: { a: { type: "string" } }, additionalProperties: false }, true) }))
    expect(text).toContain("export interface FArgs {\n  a?: string\n}")
    expect(text).toContain("export type FResult = unknown")
  })
})
