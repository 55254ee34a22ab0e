/**
 * The governance policies the demo province starts with: version 1 of every kind, published by the
 * system when the demo is seeded. Real provinces publish their own through `POST /api/policies/{kind}`.
 * @module
 */
import type { PolicyKind } from '../policy/index.js'
import { CHINA_HOLIDAY_SCHEDULES } from '../workflow/calendar/index.js'

/** The policies the demo province starts with (version 1 of every kind). */
export const DEMO_POLICIES: Record<PolicyKind, unknown> = {
  'appeal.routing': {
    rules: [
      {
        id: 'discrepancy-to-record-owner',
        title: '数据差异由持有该记录的部门核查（无法确定时由市政务数据部门核查）',
        when: { kinds: ['discrepancy'] },
        to: { departmentKind: 'data_bureau', level: 'city', preferResponsible: true },
      },
      {
        id: 'case-complaints',
        title: '针对办件的投诉由负有责任的环节所在部门办理（无法确定时由区县政府办公室督办）',
        when: { kinds: ['complaint'], withCase: true },
        to: { departmentKind: 'government_office', level: 'county', preferResponsible: true },
      },
      {
        id: 'market-complaints',
        title: '市场经营类投诉由区县市场监管部门办理',
        when: { categories: ['market'] },
        to: { departmentKind: 'market_regulation', level: 'county' },
      },
      {
        id: 'tax-matters',
        title: '涉税诉求由区县税务部门办理',
        when: { categories: ['tax'] },
        to: { departmentKind: 'tax', level: 'county' },
      },
      {
        id: 'urban-and-housing',
        title: '城市管理和住房物业诉求由区县住房城乡建设部门办理',
        when: { categories: ['urban', 'housing'] },
        to: { departmentKind: 'housing_construction', level: 'county' },
      },
      {
        id: 'environment',
        title: '生态环境诉求由市生态环境部门办理',
        when: { categories: ['environment'] },
        to: { departmentKind: 'ecology_environment', level: 'city' },
      },
      {
        id: 'social-security',
        title: '社保就业诉求由区县人社部门办理',
        when: { categories: ['social_security'] },
        to: { departmentKind: 'human_resources_social_security', level: 'county' },
      },
      {
        id: 'transport',
        title: '交通出行诉求由市交通运输部门办理',
        when: { categories: ['transport'] },
        to: { departmentKind: 'transport', level: 'city' },
      },
    ],
    fallback: { departmentKind: 'government_office', level: 'county' },
  },
  'appeal.deadlines': {
    default: { respondDays: 1, resolveDays: 5 },
    byKind: {
      complaint: { respondDays: 1, resolveDays: 5 },
      suggestion: { respondDays: 3, resolveDays: 15 },
      inquiry: { respondDays: 1, resolveDays: 3 },
      praise: { respondDays: 3, resolveDays: 5 },
      discrepancy: { respondDays: 2, resolveDays: 10 },
    },
  },
  'appeal.escalation': {
    ladder: [
      { to: 'supervisor', afterWorkingDays: 0 },
      { to: 'leader', afterWorkingDays: 2 },
    ],
  },
  'responsibility.chain': {
    rules: [
      {
        id: 'delay',
        title: '办理超时：超过时限环节的经办人（无人认领时为当日值班人员）',
        when: { concerns: ['delay'] },
        primary: 'breaching_handler',
        secondary: ['supervisor'],
      },
      {
        id: 'wrongful-rejection',
        title: '不当驳回：作出驳回决定的审批人',
        when: { concerns: ['wrongful_rejection'] },
        primary: 'approver',
        secondary: ['supervisor'],
      },
      {
        id: 'window-conduct',
        title: '窗口服务：受理该办件的窗口人员',
        when: { concerns: ['window_conduct'] },
        primary: 'window_clerk',
        secondary: ['supervisor'],
      },
      {
        id: 'data-discrepancy',
        title: '数据差异：持有该记录的部门中最后修改记录的人员',
        when: { kinds: ['discrepancy'] },
        primary: 'record_owner',
        secondary: ['supervisor'],
      },
      {
        id: 'bad-review',
        title: '差评整改：作出办理决定的经办人',
        when: { concerns: ['bad_review'] },
        primary: 'case_handler',
        secondary: ['supervisor'],
      },
      {
        id: 'on-duty',
        title: '其他诉求：承办部门的承办人（未受理时为当日值班人员）及领导',
        primary: 'on_duty_handler',
        secondary: ['supervisor', 'leader'],
      },
    ],
  },
  'rating.rectification': { badScoreMax: 2, deadlineWorkingDays: 5 },
  /**
   * 群众体验 40 %, 流程追溯 40 %, 数据一致性 20 %. Rates scale linearly between the worst value (0 points)
   * and the best (100): a bad-review rate of 20 % or more scores 0, none scores 100.
   */
  'assessment.formula': {
    dimensions: { experience: 4, traceability: 4, consistency: 2 },
    indicators: [
      { code: 'rating_avg', weight: 3, worst: 1, best: 5 },
      { code: 'bad_review_rate', weight: 2, worst: 0.2, best: 0 },
      { code: 'appeal_satisfaction', weight: 2, worst: 0.5, best: 1 },
      { code: 'rectification_on_time', weight: 1, worst: 0.5, best: 1 },
      { code: 'appeal_response_rate', weight: 1, worst: 0.5, best: 1 },
      { code: 'appeal_resolution_rate', weight: 1, worst: 0.5, best: 1 },
      { code: 'step_on_time', weight: 3, worst: 0.6, best: 1 },
      { code: 'ledger_complete', weight: 2, worst: 0.9, best: 1 },
      { code: 'supplement_rate', weight: 1, worst: 0.5, best: 0 },
      { code: 'rework_rate', weight: 1, worst: 0.3, best: 0 },
      { code: 'appeal_return_rate', weight: 1, worst: 0.5, best: 0 },
      { code: 'unjustified_access', weight: 2, worst: 0.2, best: 0 },
      { code: 'discrepancies_per_1k', weight: 2, worst: 10, best: 0 },
      { code: 'correction_days', weight: 1, worst: 20, best: 1 },
    ],
    minSample: 10,
  },
  /** 改革评分、组织评价、群众满意度 各占三分之一. */
  'assessment.promotion': { weights: { reform: 1, organisation: 1, satisfaction: 1 }, minSample: 10 },
  /** The State Council's schedules for 2025 and 2026, and the projection for 2027 (see holidays.cn.ts). */
  'calendar.holidays': { years: CHINA_HOLIDAY_SCHEDULES, workdayStart: '09:00', workdayEnd: '17:30' },
}
