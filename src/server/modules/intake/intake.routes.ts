/**
 * Window intake endpoints: find a citizen (masked, every look-up recorded) and register one on the
 * spot. Window clerks only (`citizen.lookup`, `citizen.register`).
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses, regionCodeSchema } from '../../http/schemas.js'
import type { RegisterCitizenInput } from '../../../shared/api.js'
import type { IntakeService } from './intake.service.js'

const citizenMatchSchema = {
  type: 'object',
  required: ['id', 'nameMasked', 'idNumberMasked', 'phoneMasked', 'gender', 'regionCode', 'regionName'],
  properties: {
    id: { type: 'string' },
    nameMasked: { type: 'string', description: '张*三' },
    idNumberMasked: { type: 'string', description: '4301**********1234' },
    phoneMasked: { type: 'string', description: '139****5678' },
    gender: { type: 'string', enum: ['F', 'M'] },
    regionCode: { type: 'string' },
    regionName: { type: 'string' },
  },
} as const

export function registerIntakeRoutes(server: FastifyInstance, intake: IntakeService): void {
  const tags = ['window intake']

  server.get<{ Querystring: { query: string } }>(
    '/api/citizens',
    {
      schema: {
        tags,
        summary:
          'Find a citizen at a window by full identity number or full name (window clerks): masked matches, at most 20; every citizen shown is recorded as a data access',
        querystring: {
          type: 'object',
          required: ['query'],
          properties: {
            query: {
              type: 'string',
              minLength: 1,
              maxLength: 40,
              description: '18-character identity number (GB 11643) or a full name in Chinese',
            },
          },
        },
        response: { 200: { type: 'array', items: citizenMatchSchema }, ...errorResponses },
      },
    },
    (req) => intake.lookup(principalOf(req), req.query.query),
  )

  server.post<{ Body: RegisterCitizenInput }>(
    '/api/citizens',
    {
      schema: {
        tags,
        summary:
          'Register a citizen on the spot at a window (window clerks): identity number (GB 11643), name and mobile number; 409 when the number is already registered',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['idNumber', 'name', 'phone'],
          properties: {
            idNumber: {
              type: 'string',
              pattern: '^\\d{17}[\\dXx]$',
              description: '公民身份号码 (GB 11643; the check character is verified)',
            },
            name: { type: 'string', minLength: 2, maxLength: 20 },
            phone: { type: 'string', pattern: '^1\\d{10}$' },
            regionCode: regionCodeSchema,
            password: { type: 'string', minLength: 8, maxLength: 200 },
          },
        },
        response: { 201: citizenMatchSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await intake.register(principalOf(req), req.body)),
  )
}
