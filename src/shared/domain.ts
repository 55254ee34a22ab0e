/**
 * Domain vocabulary shared by server, CLI and web: region levels, roles and the API shapes of the
 * foundation modules. Pure types and constants, no I/O.
 * @module
 */

/** The four administrative levels, GB/T 2260 style: the code length tells the level. */
export const REGION_LEVELS = ['province', 'city', 'county', 'street'] as const
export type RegionLevel = (typeof REGION_LEVELS)[number]

/** Code length of each level: province 2 digits, city 4, county 6, street 9. */
export const REGION_CODE_LENGTH: Record<RegionLevel, number> = { province: 2, city: 4, county: 6, street: 9 }

/** A longitude/latitude pair (WGS 84 degrees), GeoJSON order. */
export type LonLat = [number, number]

export interface Region {
  code: string
  name: string
  level: RegionLevel
  parentCode: string | null
  population: number
  /** Label point of the region, [lon, lat]; null when no geometry is known. */
  centroid: LonLat | null
}

/** GeoJSON geometry a region may carry. */
export type RegionGeometry =
  { type: 'Polygon'; coordinates: LonLat[][] } | { type: 'MultiPolygon'; coordinates: LonLat[][][] }

/** Every role the platform knows. A citizen account has exactly `citizen`. */
export const ROLES = [
  'citizen',
  'clerk',
  'official',
  'supervisor',
  'leader',
  'process_engineer',
  'data_admin',
  'auditor',
  'admin',
] as const
export type Role = (typeof ROLES)[number]

/** Department kinds; the label is what the UI shows (zh-CN) and what demo names are built from. */
export const DEPARTMENT_KINDS = {
  government_office: { zh: '人民政府办公室', en: 'General Office of the People’s Government' },
  data_bureau: { zh: '政务服务和数据管理局', en: 'Government Services and Data Administration' },
  market_regulation: { zh: '市场监督管理局', en: 'Administration for Market Regulation' },
  tax: { zh: '税务局', en: 'Tax Bureau' },
  public_security: { zh: '公安局', en: 'Public Security Bureau' },
  human_resources_social_security: {
    zh: '人力资源和社会保障局',
    en: 'Human Resources and Social Security Bureau',
  },
  natural_resources: { zh: '自然资源和规划局', en: 'Natural Resources and Planning Bureau' },
  housing_construction: { zh: '住房和城乡建设局', en: 'Housing and Urban-Rural Development Bureau' },
  civil_affairs: { zh: '民政局', en: 'Civil Affairs Bureau' },
  health: { zh: '卫生健康委员会', en: 'Health Commission' },
  education: { zh: '教育局', en: 'Education Bureau' },
  ecology_environment: { zh: '生态环境局', en: 'Ecology and Environment Bureau' },
  transport: { zh: '交通运输局', en: 'Transport Bureau' },
  medical_security: { zh: '医疗保障局', en: 'Healthcare Security Administration' },
  street_office: { zh: '街道办事处', en: 'Sub-district Office' },
  service_center: { zh: '便民服务中心', en: 'Community Service Centre' },
} as const
export type DepartmentKind = keyof typeof DEPARTMENT_KINDS

export interface Department {
  id: string
  name: string
  regionCode: string
  kind: DepartmentKind
}

export interface Staff {
  id: string
  username: string
  name: string
  departmentId: string
  position: string
  roles: Role[]
  /** Region of the staff member's department: the root of their jurisdiction. */
  regionCode: string
}

export interface Citizen {
  id: string
  username: string
  name: string
  /** Street-level region of residence. */
  regionCode: string
  gender: 'F' | 'M'
  birthDate: string
}

/** Kinds of appeal (诉求): complaint, suggestion, inquiry, praise, data discrepancy. */
export const APPEAL_KINDS = ['complaint', 'suggestion', 'inquiry', 'praise', 'discrepancy'] as const
export type AppealKind = (typeof APPEAL_KINDS)[number]
