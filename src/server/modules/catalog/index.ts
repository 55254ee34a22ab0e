/**
 * What other modules may use of the catalogue besides its service: the matter definition and a deployed
 * version's shape, and forms (the schema type, the formats to register with Ajv, the prefill and
 * attachment field walks). Pure; other modules import this, never `catalog.model.js`,
 * `forms.model.js` or the store (eslint.config.js).
 * @module
 */
export {
  CHANNELS,
  parseMatterDefinition,
  type Channel,
  type MatterDefinition,
  type MatterMaterial,
  type MatterVersionRecord,
} from './catalog.model.js'
export {
  FORM_FORMATS,
  attachmentFields,
  formFields,
  prefillFields,
  schemaAt,
  type AttachmentField,
  type FormField,
  type FormSchema,
  type PrefillAnnotation,
  type PrefillField,
} from './forms.model.js'
