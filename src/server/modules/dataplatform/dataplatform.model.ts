/**
 * The data platform's vocabulary (数据中台): the authoritative sources departments hold and the shape of
 * each source's records, the registry of lookups that workflow service tasks and form prefill call, and
 * the field catalogue of every source (the dotted paths of a record's `data`, with Chinese labels) that
 * form `x-prefill` annotations are checked against. Pure types and constants; other modules reach them
 * through `index.ts`. The demo's records are generated in `demo/`.
 * @module
 */
import type { DepartmentKind } from '../../../shared/domain.js'

/** The authoritative sources of the data platform. */
export const DATA_SOURCES = ['household', 'business', 'tax', 'social_security', 'real_estate'] as const
export type DataSource = (typeof DATA_SOURCES)[number]

/** What identifies a record of a source: the citizen it is about, or a company's credit code. */
export type RecordKeyKind = 'citizenId' | 'creditCode'

export interface DataSourceInfo {
  /** Chinese name shown next to a prefilled value (provenance). */
  zh: string
  en: string
  /** The department kind that holds the source and answers for its correctness. */
  ownerDepartmentKind: DepartmentKind
  /** What `DataRecord.key` is for this source. */
  keyKind: RecordKeyKind
}

export const DATA_SOURCE_INFO: Record<DataSource, DataSourceInfo> = {
  household: {
    zh: '户籍信息',
    en: 'Household registration',
    ownerDepartmentKind: 'public_security',
    keyKind: 'citizenId',
  },
  business: {
    zh: '企业登记信息',
    en: 'Business registry',
    ownerDepartmentKind: 'market_regulation',
    keyKind: 'creditCode',
  },
  tax: {
    zh: '个人所得税信息',
    en: 'Individual income tax',
    ownerDepartmentKind: 'tax',
    keyKind: 'citizenId',
  },
  social_security: {
    zh: '社会保险参保信息',
    en: 'Social insurance',
    ownerDepartmentKind: 'human_resources_social_security',
    keyKind: 'citizenId',
  },
  real_estate: {
    zh: '不动产登记信息',
    en: 'Real-estate registry',
    ownerDepartmentKind: 'natural_resources',
    keyKind: 'citizenId',
  },
}

// ---------------------------------------------------------------------------------------------
// Record data per source

/** 户籍 (public_security): one per citizen. */
export interface HouseholdData {
  name: string
  idNumber: string
  gender: 'F' | 'M'
  /** YYYY-MM-DD */
  birthDate: string
  /** 民族, e.g. 汉族 */
  ethnicity: string
  /** 户籍地址, a full address in the citizen's street. */
  address: string
  /** 户号 */
  householdNumber: string
  /** 户主姓名 */
  householdHead: string
  /** 与户主关系: 户主, 配偶, 子, 女, 其他 */
  relationshipToHead: string
  /** 户籍登记机关 (派出所) */
  registrationAuthority: string
  /** YYYY-MM-DD: 登记日期 (the birth date for those registered at birth). */
  registeredAt: string
}

export type BusinessStatus = 'active' | 'revoked' | 'cancelled'

/** 企业登记 (market_regulation): for about 5 % of citizens, as legal representative. */
export interface BusinessData {
  /** 统一社会信用代码, GB 32100 */
  creditCode: string
  name: string
  /** 企业类型, e.g. 有限责任公司（自然人独资） */
  companyType: string
  legalRepresentative: { name: string; idNumber: string; citizenId: string }
  registeredAddress: string
  /** 注册资本, 万元 */
  registeredCapital: number
  /** YYYY-MM-DD */
  establishedAt: string
  /** 行业 (short), e.g. 商贸 */
  industry: string
  businessScope: string
  status: BusinessStatus
  /** 登记机关 */
  registrationAuthority: string
}

/** 个人所得税综合所得 (tax): amounts in yuan with two decimals. */
export interface TaxData {
  taxYear: number
  /** 纳税人识别号 (the ID number for residents) */
  taxpayerId: string
  name: string
  /** 综合所得年收入额 */
  annualIncome: number
  /** 各项扣除合计 (basic, special, special additional) */
  deductions: number
  taxableIncome: number
  /** 应纳税额 */
  taxPayable: number
  /** 已缴（预扣）税额 */
  taxPaid: number
  /** 应退税额 (≥ 0) */
  refundable: number
  /** 应补税额 (≥ 0) */
  supplementary: number
  /** 主管税务机关 */
  taxAuthority: string
}

export const INSURANCE_TYPES = ['pension', 'medical', 'unemployment', 'work_injury', 'maternity'] as const
export type InsuranceType = (typeof INSURANCE_TYPES)[number]
export type InsuranceCategory = 'employee' | 'resident'

/** 社会保险 (human_resources_social_security): for most working-age citizens. */
export interface SocialSecurityData {
  /** 社会保障号码 (the ID number) */
  socialSecurityNumber: string
  name: string
  /** 参保地 (city code, 4 digits) */
  insuredCityCode: string
  insuredCityName: string
  category: InsuranceCategory
  insuranceTypes: InsuranceType[]
  /** 参保单位; null for residents' insurance */
  employer: string | null
  /** 月缴费基数 (yuan); null for residents' insurance */
  monthlyBase: number | null
  monthsContributed: number
  /** 个人账户余额 (yuan) */
  accountBalance: number
  /** YYYY-MM-DD */
  firstInsuredAt: string
  status: 'active' | 'suspended'
}

export type PropertyUsage = 'residential' | 'commercial' | 'office'

/** 不动产 (natural_resources): for about 40 % of citizens, one property each. */
export interface RealEstateData {
  /** 不动产权证书号, e.g. 湘（2019）星城市不动产权第0012345号 */
  certificateNumber: string
  /** 不动产单元号 (28 characters, GB/T 37346) */
  unitNumber: string
  owner: { name: string; idNumber: string }
  address: string
  /** 建筑面积, m² */
  area: number
  usage: PropertyUsage
  /** 权利类型: 国有建设用地使用权/房屋所有权, or 宅基地使用权/房屋所有权 for village houses */
  rightType: string
  ownership: 'sole' | 'joint'
  /** YYYY-MM-DD: 土地使用期限届满; null for homestead land (宅基地), which has no term */
  landUseEnd: string | null
  /** YYYY-MM-DD: 登簿日期 */
  registeredAt: string
}

export interface RecordDataBySource {
  household: HouseholdData
  business: BusinessData
  tax: TaxData
  social_security: SocialSecurityData
  real_estate: RealEstateData
}

/** One authoritative record. `key` is unique per source. */
export interface DataRecordOf<S extends DataSource> {
  source: S
  /** Citizen id (`ct-…`) or, for `business`, the credit code. */
  key: string
  /** The citizen the record is about (for `business`: the legal representative). */
  citizenId: string
  ownerDepartmentKind: DepartmentKind
  /** Region of the holding office: street (household), county (business, tax, real estate), city (social security). */
  regionCode: string
  data: RecordDataBySource[S]
  /** Epoch milliseconds: when the holding department last changed the record. */
  updatedAt: number
  /** The official of the holding department who last changed it, when known. */
  updatedBy?: string | null
}

export type DataRecord = { [S in DataSource]: DataRecordOf<S> }[DataSource]

// ---------------------------------------------------------------------------------------------
// Lookups

export const LOOKUP_NAMES = [
  'household.lookup',
  'business.lookup',
  'tax.lookup',
  'social_security.lookup',
  'real_estate.lookup',
] as const
export type LookupName = (typeof LOOKUP_NAMES)[number]

/**
 * A data-platform lookup, callable from a BPMN service task (`xzt:service`) and by form prefill.
 * The result is the record's `data` (or null when the source holds nothing for the input).
 */
export interface DataLookup {
  name: LookupName
  source: DataSource
  /** What the caller passes: the case applicant's citizen id, or a credit code from the form. */
  input: RecordKeyKind
  /**
   * For sources not keyed by citizen: the dotted path in `data` naming the citizen a record belongs
   * to, so prefill can find the logged-in citizen's record.
   */
  citizenPath?: string
  description: string
}

export const DATA_LOOKUPS: readonly DataLookup[] = [
  {
    name: 'household.lookup',
    source: 'household',
    input: 'citizenId',
    description: '按公民查询户籍信息（姓名、身份证号、民族、户籍地址、户号、户主）',
  },
  {
    name: 'business.lookup',
    source: 'business',
    input: 'creditCode',
    citizenPath: 'legalRepresentative.citizenId',
    description: '按统一社会信用代码查询企业登记信息；预填时按法定代表人查询本人企业',
  },
  {
    name: 'tax.lookup',
    source: 'tax',
    input: 'citizenId',
    description: '查询个人所得税综合所得年度汇算数据（收入、已缴税额、应退/应补税额）',
  },
  {
    name: 'social_security.lookup',
    source: 'social_security',
    input: 'citizenId',
    description: '查询社会保险参保信息（参保地、缴费月数、个人账户余额、险种）',
  },
  {
    name: 'real_estate.lookup',
    source: 'real_estate',
    input: 'citizenId',
    description: '查询本人名下不动产登记信息（证书号、坐落、面积、用途）',
  },
]

/** The lookup of a given name, or undefined. */
export function findLookup(name: string): DataLookup | undefined {
  return DATA_LOOKUPS.find((l) => l.name === name)
}

// ---------------------------------------------------------------------------------------------
// Field catalogue

export type RecordFieldType = 'string' | 'date' | 'integer' | 'number' | 'string[]'

export interface RecordField {
  /** Dotted path inside the record's `data`. */
  path: string
  /** Chinese label. */
  label: string
  type: RecordFieldType
  /** The value may be null. */
  nullable?: boolean
  /** For coded values: code → Chinese label (for `string[]`, the codes of the elements). */
  values?: Readonly<Record<string, string>>
}

const GENDER = { M: '男', F: '女' } as const

export const RECORD_FIELDS: Record<DataSource, readonly RecordField[]> = {
  household: [
    { path: 'name', label: '姓名', type: 'string' },
    { path: 'idNumber', label: '公民身份号码', type: 'string' },
    { path: 'gender', label: '性别', type: 'string', values: GENDER },
    { path: 'birthDate', label: '出生日期', type: 'date' },
    { path: 'ethnicity', label: '民族', type: 'string' },
    { path: 'address', label: '户籍地址', type: 'string' },
    { path: 'householdNumber', label: '户号', type: 'string' },
    { path: 'householdHead', label: '户主姓名', type: 'string' },
    { path: 'relationshipToHead', label: '与户主关系', type: 'string' },
    { path: 'registrationAuthority', label: '户籍登记机关', type: 'string' },
    { path: 'registeredAt', label: '户籍登记日期', type: 'date' },
  ],
  business: [
    { path: 'creditCode', label: '统一社会信用代码', type: 'string' },
    { path: 'name', label: '企业名称', type: 'string' },
    { path: 'companyType', label: '企业类型', type: 'string' },
    { path: 'legalRepresentative.name', label: '法定代表人姓名', type: 'string' },
    { path: 'legalRepresentative.idNumber', label: '法定代表人身份证号', type: 'string' },
    { path: 'legalRepresentative.citizenId', label: '法定代表人公民编号', type: 'string' },
    { path: 'registeredAddress', label: '住所', type: 'string' },
    { path: 'registeredCapital', label: '注册资本（万元）', type: 'number' },
    { path: 'establishedAt', label: '成立日期', type: 'date' },
    { path: 'industry', label: '所属行业', type: 'string' },
    { path: 'businessScope', label: '经营范围', type: 'string' },
    {
      path: 'status',
      label: '登记状态',
      type: 'string',
      values: { active: '存续', revoked: '吊销', cancelled: '注销' },
    },
    { path: 'registrationAuthority', label: '登记机关', type: 'string' },
  ],
  tax: [
    { path: 'taxYear', label: '税款所属年度', type: 'integer' },
    { path: 'taxpayerId', label: '纳税人识别号', type: 'string' },
    { path: 'name', label: '纳税人姓名', type: 'string' },
    { path: 'annualIncome', label: '综合所得收入额（元）', type: 'number' },
    { path: 'deductions', label: '扣除合计（元）', type: 'number' },
    { path: 'taxableIncome', label: '应纳税所得额（元）', type: 'number' },
    { path: 'taxPayable', label: '应纳税额（元）', type: 'number' },
    { path: 'taxPaid', label: '已缴税额（元）', type: 'number' },
    { path: 'refundable', label: '应退税额（元）', type: 'number' },
    { path: 'supplementary', label: '应补税额（元）', type: 'number' },
    { path: 'taxAuthority', label: '主管税务机关', type: 'string' },
  ],
  social_security: [
    { path: 'socialSecurityNumber', label: '社会保障号码', type: 'string' },
    { path: 'name', label: '姓名', type: 'string' },
    { path: 'insuredCityCode', label: '参保地区划代码', type: 'string' },
    { path: 'insuredCityName', label: '参保地', type: 'string' },
    {
      path: 'category',
      label: '参保类别',
      type: 'string',
      values: { employee: '职工社会保险', resident: '城乡居民社会保险' },
    },
    {
      path: 'insuranceTypes',
      label: '参保险种',
      type: 'string[]',
      values: {
        pension: '养老保险',
        medical: '医疗保险',
        unemployment: '失业保险',
        work_injury: '工伤保险',
        maternity: '生育保险',
      },
    },
    { path: 'employer', label: '参保单位', type: 'string', nullable: true },
    { path: 'monthlyBase', label: '月缴费基数（元）', type: 'number', nullable: true },
    { path: 'monthsContributed', label: '累计缴费月数', type: 'integer' },
    { path: 'accountBalance', label: '个人账户余额（元）', type: 'number' },
    { path: 'firstInsuredAt', label: '首次参保日期', type: 'date' },
    {
      path: 'status',
      label: '参保状态',
      type: 'string',
      values: { active: '正常参保', suspended: '暂停缴费' },
    },
  ],
  real_estate: [
    { path: 'certificateNumber', label: '不动产权证书号', type: 'string' },
    { path: 'unitNumber', label: '不动产单元号', type: 'string' },
    { path: 'owner.name', label: '权利人', type: 'string' },
    { path: 'owner.idNumber', label: '权利人证件号', type: 'string' },
    { path: 'address', label: '坐落', type: 'string' },
    { path: 'area', label: '建筑面积（㎡）', type: 'number' },
    {
      path: 'usage',
      label: '用途',
      type: 'string',
      values: { residential: '住宅', commercial: '商业', office: '办公' },
    },
    { path: 'rightType', label: '权利类型', type: 'string' },
    { path: 'ownership', label: '共有情况', type: 'string', values: { sole: '单独所有', joint: '共同共有' } },
    { path: 'landUseEnd', label: '土地使用期限至', type: 'date', nullable: true },
    { path: 'registeredAt', label: '登簿日期', type: 'date' },
  ],
}

/** The catalogue entry of `source` at dotted `path`, or undefined. */
export function findRecordField(source: string, path: string): RecordField | undefined {
  if (!(DATA_SOURCES as readonly string[]).includes(source)) return undefined
  return RECORD_FIELDS[source as DataSource].find((f) => f.path === path)
}
