export { FormController, type FormControllerOptions, type FormState, type SubmitOutcome } from "./formController.js"
export type { FieldKind, FieldPattern, FieldRules, FieldSchema, FieldValue, FormErrors, FormSchema } from "./formSchema.js"
export { fieldErrors, initialData, pyStrip, zodField, zodForm } from "./zodForm.js"
