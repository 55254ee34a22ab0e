/**
 * JSON Schemas shared by several route modules (inlined where used, so both validators and the
 * OpenAPI document see them without $ref plumbing).
 * @module
 */
import { DEPARTMENT_KINDS, REGION_LEVELS } from '../../shared/domain.js'
import { ERROR_SCHEMA } from './errors.js'

export const REGION_CODE_PATTERN = '^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3})?)?)?$'

export const regionCodeSchema = {
  type: 'string',
  pattern: REGION_CODE_PATTERN,
  description: 'Region code, GB/T 2260 style: 2 (province), 4 (city), 6 (county) or 9 (street) digits',
} as const

export const idSchema = { type: 'string', minLength: 1, maxLength: 100 } as const

export const regionSchema = {
  type: 'object',
  required: ['code', 'name', 'level', 'parentCode', 'population', 'centroid'],
  properties: {
    code: { type: 'string' },
    name: { type: 'string' },
    level: { type: 'string', enum: REGION_LEVELS },
    parentCode: { type: ['string', 'null'] },
    population: { type: 'integer' },
    centroid: { type: ['array', 'null'], items: { type: 'number' }, description: '[lon, lat]' },
  },
} as const

export const departmentSchema = {
  type: 'object',
  required: ['id', 'name', 'regionCode', 'kind'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    regionCode: { type: 'string' },
    kind: { type: 'string', enum: Object.keys(DEPARTMENT_KINDS) },
  },
} as const

export const staffSchema = {
  type: 'object',
  required: ['id', 'username', 'name', 'departmentId', 'position', 'roles', 'regionCode', 'active'],
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    name: { type: 'string' },
    departmentId: { type: 'string' },
    position: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    regionCode: { type: 'string' },
    active: { type: 'boolean' },
  },
} as const

/** Error responses every route may give, for the OpenAPI document. */
export const errorResponses = {
  '4xx': { description: 'Client error', ...ERROR_SCHEMA },
  '5xx': { description: 'Server error', ...ERROR_SCHEMA },
} as const
