/**
 * What other modules may use of the data platform besides its service: the sources, their records'
 * shape, the lookups and the field catalogue. Pure; other modules import this, never
 * `dataplatform.model.js` or the store (eslint.config.js).
 * @module
 */
export {
  DATA_LOOKUPS,
  DATA_SOURCES,
  DATA_SOURCE_INFO,
  INSURANCE_TYPES,
  LOOKUP_NAMES,
  RECORD_FIELDS,
  findLookup,
  findRecordField,
  type BusinessData,
  type DataLookup,
  type DataRecord,
  type DataRecordOf,
  type DataSource,
  type DataSourceInfo,
  type HouseholdData,
  type LookupName,
  type RealEstateData,
  type RecordDataBySource,
  type RecordField,
  type RecordFieldType,
  type RecordKeyKind,
  type SocialSecurityData,
  type TaxData,
} from './dataplatform.model.js'
