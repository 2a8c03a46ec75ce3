import { importTypes } from "./callsFile.js"
import type { Manifest } from "./manifest.js"
import { functionNames, pascalCase } from "./naming.js"

/** The TypeScript type of one field's value in the browser, from its kind. */
function valueType(kind: string): string {
  if (kind === "boolean") return "boolean"
  if (kind === "multiple_choice") return "string[]"
  return "string"
}

/**
 * Renders `forms.ts`: per form of the manifest's `forms` section, its schema (the Zod rules are built from it by
 * mizan-js's `zodForm`), the type of its values, and the typed `useXxxForm()` hook.
 */
export function renderForms(manifest: Manifest): string {
  const forms = manifest.forms ?? {}
  const names = Object.keys(forms).sort()
  if (names.length === 0) return "// No forms: define a Django form with MizanFormMixin (docs/forms.md).\nexport {}\n"
  const typeNames: string[] = []
  const blocks: string[] = []
  for (const name of names) {
    const form = forms[name]!
    const stem = `${pascalCase(name)}Form`
    const schemaName = `${stem[0]!.toLowerCase()}${stem.slice(1)}Schema`
    const submit = `${name}.submit`
    const result = submit in manifest.functions ? functionNames(submit).result : "unknown"
    if (result !== "unknown") typeNames.push(result)
    const fields = Object.entries(form.fields as Record<string, { kind: string }>)
    blocks.push(
      [
        `/** The values of the \`${name}\` form, as the browser holds them. */`,
        `export type ${stem}Data = {`,
        ...fields.map(([field, spec]) => `  ${JSON.stringify(field)}: ${valueType(spec.kind)}`),
        `}`,
        ``,
        `/** The \`${name}\` form as the server describes it (labels, widgets, rules, server-only validators). */`,
        `export const ${schemaName}: FormSchema = ${JSON.stringify(form, null, 2)}`,
        ``,
        `/** The \`${name}\` form's Zod schema: Django's rules, checked in the browser. */`,
        `export const ${schemaName.replace(/Schema$/, "Zod")} = zodForm(${schemaName})`,
        ``,
        `/** The \`${name}\` form: typed values, errors (Zod's, then the server's), submit through \`${submit}\`. */`,
        `export function use${stem}(): MizanForm<${stem}Data, ${result}> {`,
        `  return useMizanForm<${stem}Data, ${result}>(${JSON.stringify(name)}, ${schemaName})`,
        `}`,
      ].join("\n"),
    )
  }
  const header = [`import { useMizanForm, zodForm, type FormSchema, type MizanForm } from "mizan-js/react"`]
  if (typeNames.length > 0) header.push(importTypes(typeNames))
  return [...header, "", blocks.join("\n\n"), ""].join("\n")
}
