/**
 * JSON Schemas of the Open311 routes: the arguments (validated; a form's values are all text, so
 * coordinates take a number or its decimal text) and the documents (for OpenAPI: the answers
 * themselves are written by `open311.format.ts`, in JSON or XML).
 * @module
 */
import { MAX_DESCRIPTION_LENGTH, MAX_KEY_NAME_LENGTH } from './open311.model.js'
import { OPEN311_FORMATS } from './open311.format.js'

export const text = (maxLength = 1000) => ({ type: 'string', maxLength }) as const
export const formatParam = {
  type: 'string',
  enum: [...OPEN311_FORMATS],
  description: 'json or xml (any other extension → 404)',
} as const
export const formatOnly = {
  type: 'object',
  required: ['format'],
  properties: { format: formatParam },
} as const
export const jurisdictionQuery = {
  type: 'object',
  properties: {
    jurisdiction_id: {
      ...text(20),
      description: 'region code (43 the province, 4301 a city, …); absent or empty: the whole province',
    },
  },
} as const
/** A coordinate: a number in JSON, its decimal text in a form. */
export const coordinate = {
  type: ['number', 'string'],
  pattern: '^\\s*-?[0-9]{1,3}(\\.[0-9]+)?\\s*$',
  description: 'decimal degrees (WGS 84)',
} as const

export const open311Errors = {
  description: 'GeoReport v2 error document (XML: <errors><error><code/><description/></error></errors>)',
  type: 'array',
  items: {
    type: 'object',
    required: ['code', 'description'],
    properties: { code: { type: 'integer' }, description: { type: 'string' } },
  },
} as const
export const open311ErrorResponses = { '4xx': open311Errors, '5xx': open311Errors } as const

export const nullableText = { type: ['string', 'null'] } as const
export const requestSchema = {
  type: 'object',
  properties: {
    service_request_id: { type: 'string' },
    status: { enum: ['open', 'closed'] },
    status_notes: nullableText,
    service_name: { type: 'string' },
    service_code: { type: 'string' },
    description: { type: 'string' },
    agency_responsible: { type: 'string', description: 'the department the appeal was routed to' },
    service_notice: nullableText,
    requested_datetime: { type: 'string', description: 'ISO 8601, +08:00' },
    updated_datetime: { ...nullableText, description: 'the close time once closed' },
    expected_datetime: { type: 'string', description: 'the resolution deadline' },
    address: { type: 'string', description: 'the region’s name' },
    address_id: { type: 'string', description: 'the region code' },
    zipcode: nullableText,
    lat: { type: ['number', 'null'] },
    long: { type: ['number', 'null'] },
    media_url: nullableText,
  },
} as const
export const serviceSchema = {
  type: 'object',
  properties: {
    service_code: { type: 'string', description: 'the appeal category, `top/sub`' },
    service_name: { type: 'string' },
    description: { type: 'string' },
    metadata: { type: 'boolean' },
    type: { enum: ['realtime', 'batch', 'blackbox'] },
    keywords: { type: 'string' },
    group: { type: 'string' },
  },
} as const
export const definitionSchema = {
  type: 'object',
  properties: {
    service_code: { type: 'string' },
    attributes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          variable: { type: 'boolean' },
          code: { type: 'string' },
          datatype: { type: 'string' },
          required: { type: 'boolean' },
          datatype_description: { type: 'string' },
          order: { type: 'integer' },
          description: { type: 'string' },
          values: {
            type: 'array',
            items: { type: 'object', properties: { key: { type: 'string' }, name: { type: 'string' } } },
          },
        },
      },
    },
  },
} as const
export const discoverySchema = {
  type: 'object',
  properties: {
    changeset: { type: 'string' },
    contact: { type: 'string' },
    key_service: { type: 'string' },
    endpoints: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          specification: { type: 'string' },
          url: { type: 'string' },
          changeset: { type: 'string' },
          type: { enum: ['production', 'test'] },
          formats: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
} as const

export const keySchema = {
  type: 'object',
  required: ['id', 'name', 'regionCode', 'createdBy', 'createdAt', 'revokedAt', 'revokedBy'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    regionCode: { type: 'string', description: 'where the key files: its issuer’s region' },
    createdBy: { type: 'string' },
    createdAt: { type: 'integer' },
    revokedAt: { type: ['integer', 'null'] },
    revokedBy: { type: ['string', 'null'] },
  },
} as const

export const submitBody = {
  type: 'object',
  additionalProperties: true,
  properties: {
    api_key: text(200),
    jurisdiction_id: text(20),
    service_code: { ...text(100), description: 'a service_code of services.json' },
    lat: coordinate,
    long: coordinate,
    address_string: text(1000),
    address_id: { ...text(20), description: 'a region code (the address_id of GET requests)' },
    email: text(200),
    device_id: text(200),
    account_id: text(200),
    first_name: text(200),
    last_name: text(200),
    phone: text(200),
    description: text(MAX_DESCRIPTION_LENGTH * 2),
    media_url: text(2000),
    'attribute[kind]': {
      type: 'string',
      maxLength: 50,
      description: 'complaint (default), suggestion, inquiry or praise',
    },
    attribute: {
      type: 'object',
      description: 'attributes as a JSON object (`{"kind":"praise"}`); forms send attribute[CODE] fields',
      additionalProperties: { anyOf: [text(1000), { type: 'array', items: text(1000) }] },
    },
  },
} as const

export const keyBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: MAX_KEY_NAME_LENGTH } },
} as const

/** A key as issued: the only answer that holds the key itself. */
export const issuedKeySchema = {
  ...keySchema,
  required: [...keySchema.required, 'api_key'],
  properties: { ...keySchema.properties, api_key: { type: 'string' } },
} as const
