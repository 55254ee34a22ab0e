/**
 * Department, staff and citizen endpoints. Handlers only translate HTTP to one service call; access
 * checks live in the service and scoping in the store.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import {
  departmentSchema,
  errorResponses,
  idSchema,
  regionCodeSchema,
  staffSchema,
} from '../../http/schemas.js'
import { DEPARTMENT_KINDS, type DepartmentKind } from '../../../shared/domain.js'
import { STAFF_ROLES, USERNAME_PATTERN } from './org.model.js'
import type { CreateStaffInput, UpdateStaffInput } from '../../../shared/api.js'
import type { OrgService } from './org.service.js'

const idParams = { type: 'object', required: ['id'], properties: { id: idSchema } } as const
const nameSchema = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } as const
const staffRoleSchema = { type: 'string', enum: STAFF_ROLES } as const
const passwordSchema = { type: 'string', minLength: 8, maxLength: 200 } as const

const citizenSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    name: { type: 'string' },
    regionCode: { type: 'string' },
    gender: { type: 'string' },
    birthDate: { type: 'string' },
    idNumberMasked: { type: 'string' },
    phoneMasked: { type: 'string' },
  },
} as const

export function registerOrgRoutes(server: FastifyInstance, org: OrgService): void {
  const tags = ['organisation']

  server.get<{ Querystring: { region: string } }>(
    '/api/departments',
    {
      schema: {
        tags,
        summary: 'Departments in a region subtree (public directory)',
        querystring: { type: 'object', required: ['region'], properties: { region: regionCodeSchema } },
        response: { 200: { type: 'array', items: departmentSchema }, ...errorResponses },
      },
    },
    (req) => org.listDepartments(req.query.region),
  )
  server.get<{ Params: { id: string } }>(
    '/api/departments/:id',
    {
      schema: {
        tags,
        summary: 'One department',
        params: idParams,
        response: { 200: departmentSchema, ...errorResponses },
      },
    },
    (req) => org.getDepartment(req.params.id),
  )
  server.post<{ Body: { name: string; regionCode: string; kind: DepartmentKind } }>(
    '/api/departments',
    {
      schema: {
        tags,
        summary: 'Create a department (admin covering the region)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'regionCode', 'kind'],
          properties: {
            name: nameSchema,
            regionCode: regionCodeSchema,
            kind: { type: 'string', enum: Object.keys(DEPARTMENT_KINDS) },
          },
        },
        response: { 201: departmentSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await org.createDepartment(principalOf(req), req.body)),
  )
  server.patch<{ Params: { id: string }; Body: { name?: string } }>(
    '/api/departments/:id',
    {
      schema: {
        tags,
        summary: 'Rename a department (admin covering its region)',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { name: nameSchema },
        },
        response: { 200: departmentSchema, ...errorResponses },
      },
    },
    (req) => org.updateDepartment(principalOf(req), req.params.id, req.body),
  )

  server.get<{
    Querystring: { region: string; q?: string; departmentId?: string; limit?: number; offset?: number }
  }>(
    '/api/staff',
    {
      schema: {
        tags,
        summary: "Staff in a region subtree, within the caller's jurisdiction; total in x-total-count",
        querystring: {
          type: 'object',
          required: ['region'],
          properties: {
            region: regionCodeSchema,
            q: { type: 'string', maxLength: 100, description: 'matches username, name or position' },
            departmentId: idSchema,
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 500 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
        response: { 200: { type: 'array', items: staffSchema }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { region, ...rest } = req.query
      const { items, total } = await org.listStaff(principalOf(req), { regionCode: region, ...rest })
      return reply.header('x-total-count', String(total)).send(items)
    },
  )
  server.get<{ Params: { id: string } }>(
    '/api/staff/:id',
    {
      schema: {
        tags,
        summary: 'One staff member',
        params: idParams,
        response: { 200: staffSchema, ...errorResponses },
      },
    },
    (req) => org.getStaff(principalOf(req), req.params.id),
  )
  server.post<{ Body: CreateStaffInput }>(
    '/api/staff',
    {
      schema: {
        tags,
        summary: 'Create a staff account (admin covering the department)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password', 'name', 'departmentId', 'roles'],
          properties: {
            username: {
              type: 'string',
              pattern: USERNAME_PATTERN,
              description: 'lowercase letters, digits, . _ -; 3–64',
            },
            password: passwordSchema,
            name: nameSchema,
            departmentId: idSchema,
            position: { type: 'string', maxLength: 50 },
            roles: { type: 'array', minItems: 1, uniqueItems: true, items: staffRoleSchema },
          },
        },
        response: { 201: staffSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await org.createStaff(principalOf(req), req.body)),
  )
  server.patch<{ Params: { id: string }; Body: UpdateStaffInput }>(
    '/api/staff/:id',
    {
      schema: {
        tags,
        summary: 'Update a staff account: name, position, roles, department, active, password (admin)',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            name: nameSchema,
            position: { type: 'string', minLength: 1, maxLength: 50 },
            roles: { type: 'array', minItems: 1, uniqueItems: true, items: staffRoleSchema },
            departmentId: idSchema,
            active: { type: 'boolean' },
            password: passwordSchema,
          },
        },
        response: { 200: staffSchema, ...errorResponses },
      },
    },
    (req) => org.updateStaff(principalOf(req), req.params.id, req.body),
  )

  server.get<{ Params: { id: string } }>(
    '/api/citizens/:id',
    {
      schema: {
        tags,
        summary: 'A citizen profile (the citizen themself, or an admin covering their residence)',
        params: idParams,
        response: { 200: citizenSchema, ...errorResponses },
      },
    },
    (req) => org.getCitizen(principalOf(req), req.params.id),
  )
}
