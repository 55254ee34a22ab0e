/**
 * The demo data platform (数据中台): authoritative record types, lookups, field catalogue and the
 * deterministic record generator.
 * @module
 */
export * from './records.model.js'
export * from './records.generator.js'
export * from '../../../../shared/uscc.js'
