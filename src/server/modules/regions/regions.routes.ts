/**
 * Region endpoints: public reads of the administrative tree and its GeoJSON, and GeoJSON import for
 * administrators.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses, regionCodeSchema, regionSchema } from '../../http/schemas.js'
import type { RegionService } from './regions.service.js'

const codeParams = { type: 'object', required: ['code'], properties: { code: regionCodeSchema } } as const
const featureCollectionSchema = {
  type: 'object',
  description: 'GeoJSON FeatureCollection; feature properties are Region fields',
  additionalProperties: true,
} as const

type CodeParams = { Params: { code: string } }

export function registerRegionRoutes(server: FastifyInstance, regions: RegionService): void {
  const tags = ['regions']
  server.get<CodeParams>(
    '/api/regions/:code',
    {
      schema: {
        tags,
        summary: 'One region',
        params: codeParams,
        response: { 200: regionSchema, ...errorResponses },
      },
    },
    (req) => regions.getRegion(req.params.code),
  )
  server.get<CodeParams>(
    '/api/regions/:code/children',
    {
      schema: {
        tags,
        summary: 'The direct children of a region (empty for a street)',
        params: codeParams,
        response: { 200: { type: 'array', items: regionSchema }, ...errorResponses },
      },
    },
    (req) => regions.listChildren(req.params.code),
  )
  server.get<CodeParams>(
    '/api/regions/:code/ancestors',
    {
      schema: {
        tags,
        summary: 'The chain from the province down to and including the region',
        params: codeParams,
        response: { 200: { type: 'array', items: regionSchema }, ...errorResponses },
      },
    },
    (req) => regions.listAncestors(req.params.code),
  )
  server.get<CodeParams>(
    '/api/regions/:code/geojson',
    {
      schema: {
        tags,
        summary: "The region's own outline as a GeoJSON Feature",
        params: codeParams,
        response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses },
      },
    },
    (req) => regions.getFeature(req.params.code),
  )
  server.get<CodeParams>(
    '/api/regions/:code/children/geojson',
    {
      schema: {
        tags,
        summary: "The region's children as a GeoJSON FeatureCollection (for the map)",
        params: codeParams,
        response: { 200: featureCollectionSchema, ...errorResponses },
      },
    },
    (req) => regions.childrenFeatureCollection(req.params.code),
  )
  server.get<CodeParams>(
    '/api/regions/:code/export',
    {
      schema: {
        tags,
        summary: 'The region and its whole subtree as GeoJSON (the import format)',
        params: codeParams,
        response: { 200: featureCollectionSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const fc = await regions.exportFeatureCollection(req.params.code)
      return reply
        .header('content-disposition', `attachment; filename="regions-${req.params.code}.geojson"`)
        .send(fc)
    },
  )
  server.post<{ Body: unknown }>(
    '/api/regions/import',
    {
      bodyLimit: 100 * 1024 * 1024,
      schema: {
        tags,
        summary:
          'Create or replace regions from a GeoJSON FeatureCollection (all or nothing; admin, data_admin)',
        body: {
          type: 'object',
          required: ['type', 'features'],
          properties: { type: { const: 'FeatureCollection' }, features: { type: 'array' } },
        },
        response: {
          200: { type: 'object', properties: { created: { type: 'integer' }, updated: { type: 'integer' } } },
          ...errorResponses,
        },
      },
    },
    (req) => regions.importFeatureCollection(principalOf(req), req.body),
  )
}
