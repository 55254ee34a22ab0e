/**
 * Realistic sample submissions of the demo matters: what a citizen types into each form beyond what
 * prefill fills in. Used by the catalogue and case tests and by the traffic simulator.
 * @module
 */
import { makeUscc } from '../../../../shared/uscc.js'
import { checkDigit } from '../../sim/demo.generator.js'
import type { DemoCitizen } from '../../sim/demo.model.js'

export type Data = Record<string, unknown>

export const FILE = 'data:application/pdf;name=%E6%9D%90%E6%96%99.pdf;base64,JVBERi0xLjQKJcfsj6IK'
export const PHOTO = 'data:image/jpeg;name=photo.jpg;base64,/9j/4AAQSkZJRgABAQ=='
const id = (county: string, birth: string, seq: string): string =>
  county + birth + seq + checkDigit(county + birth + seq)
export const PEOPLE = {
  wife: { name: '李晓雪', idNumber: id('430102', '19950308', '024') },
  supervisor: { name: '王丽', idNumber: id('430103', '19880716', '042') },
  finance: { name: '张敏', idNumber: id('430104', '19920211', '068'), phone: '13975112345' },
  buyer: { name: '刘建国', idNumber: id('430121', '19850923', '015'), phone: '18673188990' },
}
export const USCC_A = makeUscc('430102', '55012345')
export const USCC_B = makeUscc('430103', '66012345')
export const USCC_C = makeUscc('430104', '77012345')

/** Deep merge: objects merge key by key, anything else in `b` replaces. */
export function merge(a: Data, b: Data): Data {
  const out: Data = { ...a }
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k]
    out[k] =
      prev &&
      typeof prev === 'object' &&
      !Array.isArray(prev) &&
      v &&
      typeof v === 'object' &&
      !Array.isArray(v)
        ? merge(prev as Data, v as Data)
        : v
  }
  return out
}

/** What a citizen types in each form (the non-prefilled part). */
export function typed(c: DemoCitizen): Record<string, Data> {
  const phone = { phone: c.phone }
  return {
    TAX_REFUND: {
      applicant: phone,
      bank: { bankName: 'ICBC', accountNumber: '6222021901001234567' },
      specialDeductionProofs: [],
      declaration: true,
    },
    BIZ_STARTUP: {
      applicant: phone,
      company: {
        name: '星城市鸣河区星禾科技有限公司',
        alternativeNames: ['星城市星禾信息技术有限公司'],
        companyType: 'multi',
        registeredCapital: 100,
        address: '潇湘省星城市鸣河区古源街道桃花路88号金鸡大厦1203室',
        premisesType: 'leased',
        industry: '软件和信息技术服务业',
        businessScope: '软件开发；信息技术咨询服务；信息系统集成服务。',
      },
      shareholders: [
        { name: c.name, idNumber: c.idNumber, contribution: 60, contributionDate: '2031-12-31' },
        { ...PEOPLE.wife, contribution: 40, contributionDate: '2031-12-31' },
      ],
      legalRepresentative: phone,
      personnel: { supervisor: PEOPLE.supervisor, financeOfficer: PEOPLE.finance },
      seal: { types: ['official', 'finance', 'invoice'], delivery: 'mail' },
      tax: { taxpayerType: 'small', invoiceNeeded: true, invoiceType: 'ordinary', monthlyInvoiceQuota: 10 },
      socialSecurity: { employeeCount: 5, housingFund: true },
      attachments: { premisesProof: [FILE], articlesOfAssociation: FILE },
      declaration: true,
    },
    RESIDENCE_PERMIT: {
      applicant: phone,
      residence: {
        city: '4302',
        address: '潇湘省潇江市云台区青石街道江湾路16号',
        since: '2025-03-01',
        housingType: 'rented',
      },
      basis: { type: 'employment', employer: '潇江市恒通物流有限公司' },
      attachments: { photo: PHOTO, residenceProof: FILE },
      declaration: true,
    },
    SOCIAL_SECURITY_TRANSFER: {
      applicant: phone,
      transfer: {
        toCity: '4302',
        types: ['pension', 'medical'],
        reason: 'job_change',
        newEmployer: '潇江市恒通物流有限公司',
        newEmployerCreditCode: USCC_A,
      },
      otherProofs: [],
      declaration: true,
    },
    REAL_ESTATE_REGISTRATION: {
      seller: phone,
      buyer: { ...PEOPLE.buyer, maritalStatus: 'married', firstHome: true },
      transaction: {
        price: 128.5,
        contractNumber: 'XC2026-0012345',
        contractDate: '2026-11-20',
        paymentMethod: 'mortgage',
      },
      attachments: { contract: [FILE], maritalProof: FILE },
      declaration: true,
    },
    CONSTRUCTION_PERMIT: {
      contact: phone,
      project: {
        name: '星禾科技产业园一期',
        code: '2026-430101-65-01-123456',
        location: '潇湘省星城市鸣河区武寨街道秀埠大道以南',
        landCertificateNumber: '湘（2026）星城市不动产权第0100001号',
        usage: 'industrial',
        floorArea: 12800,
        height: 23.9,
        floorsAbove: 5,
        floorsBelow: 1,
        investment: 8600,
        plannedStart: '2027-03-01',
        plannedEnd: '2028-12-31',
      },
      participants: {
        designer: { name: '潇湘建筑设计院有限公司', creditCode: USCC_A },
        contractor: {
          name: '星城市建工集团有限公司',
          creditCode: USCC_B,
          qualification: 'grade1',
          projectManager: '刘建国',
        },
        supervisor: { name: '星城市华信工程监理有限公司', creditCode: USCC_C },
      },
      attachments: {
        designScheme: [FILE, FILE],
        landUseProof: FILE,
        drawingReview: FILE,
        constructionContract: FILE,
        eia: FILE,
      },
      declaration: true,
    },
    NEWBORN: {
      applicant: { ...phone, relationship: c.gender === 'M' ? 'father' : 'mother' },
      newborn: {
        name: '江小满',
        gender: 'F',
        birthDate: '2026-11-20',
        birthTime: '08:35',
        birthPlace: '星城市第一人民医院',
        birthCertificateNumber: 'S430012345',
        ethnicity: '汉族',
      },
      parents:
        c.gender === 'M'
          ? { father: { name: c.name, idNumber: c.idNumber }, mother: PEOPLE.wife }
          : {
              father: { name: PEOPLE.buyer.name, idNumber: PEOPLE.buyer.idNumber },
              mother: { name: c.name, idNumber: c.idNumber },
            },
      household: { registerWith: c.gender === 'M' ? 'father' : 'mother' },
      medicalInsurance: { enroll: true, year: 2026 },
      socialSecurityCard: {
        apply: true,
        bank: 'XXRCB',
        delivery: 'mail',
        mailingAddress: '潇湘省星城市鸣河区古源街道桃花路88号',
      },
      attachments: { birthCertificate: FILE, marriageCertificate: FILE },
      declaration: true,
    },
    BIZ_CHANGE: {
      applicant: phone,
      change: {
        items: ['address'],
        reason: '经营场所搬迁',
        newAddress: '潇湘省星城市鸣河区古源街道桃花路99号星禾大厦8楼',
      },
      attachments: { resolution: FILE, amendment: FILE, premisesProof: FILE },
      declaration: true,
    },
    MEDICAL_INSURANCE: {
      applicant: phone,
      insured: { category: 'flexible', year: 2026, assistance: 'none' },
      payment: { method: 'tax_app' },
      declaration: true,
    },
  }
}

/** Which citizens may apply at all (the forms' constraints mirror real eligibility). */
