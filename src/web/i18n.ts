/**
 * UI strings in Chinese (default) and English, plus a tiny React context to switch between them.
 * Every user-visible string of the web UI comes from here. The chosen language is kept in
 * localStorage under `xzt_lang`.
 */
import { createContext, createElement, useCallback, useContext, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import type { DepartmentKind, RegionLevel, Role } from '../shared/domain.js'
import { DEPARTMENT_KINDS } from '../shared/domain.js'

export type Lang = 'zh-CN' | 'en'

const zh = {
  'app.name': '星政通',
  'app.subtitle': '全省一体化数字政府平台',
  'app.slogan': '一平台 · 一次填报 · 一次受理',
  'app.footer': '潇湘省政务服务和数据管理局',
  'lang.switch': 'English',
  'lang.switchTitle': '切换为英文',

  'login.title': '账号登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.usernameRequired': '请输入用户名',
  'login.passwordRequired': '请输入密码',
  'login.submit': '登录',
  'login.invalid': '用户名或密码错误',
  'login.rateLimited': '登录尝试过于频繁，请稍后再试',
  'login.failed': '登录失败',

  'nav.regions': '区划地图',
  'nav.org': '组织机构',
  'nav.me': '我的',
  'header.logout': '退出登录',
  'header.citizen': '群众',
  'header.loggedOut': '已退出登录',

  'common.loading': '加载中…',
  'common.retry': '重试',
  'common.cancel': '取消',
  'common.save': '保存',
  'common.create': '新建',
  'common.edit': '编辑',
  'common.actions': '操作',
  'common.search': '搜索',
  'common.total': '共 {n} 条',
  'common.none': '无',
  'common.yes': '是',
  'common.no': '否',
  'common.saved': '已保存',
  'common.created': '已创建',
  'common.notFound': '页面不存在',
  'common.backHome': '返回首页',
  'common.forbidden': '无权访问此页面',

  'error.network': '网络连接失败，请检查网络后重试',
  'error.unknown': '请求失败（{status}）',
  'error.sessionExpired': '登录已过期，请重新登录',

  'apiError.VALIDATION_FAILED': '提交的数据未通过校验',
  'apiError.MALFORMED_REQUEST': '请求格式错误',
  'apiError.INVALID_INPUT': '输入内容不符合要求',
  'apiError.UNAUTHENTICATED': '请先登录',
  'apiError.INVALID_CREDENTIALS': '用户名或密码错误',
  'apiError.CSRF_FAILED': '安全校验失败，请刷新页面后重试',
  'apiError.FORBIDDEN': '无权执行此操作或超出管辖范围',
  'apiError.NOT_FOUND': '请求的资源不存在',
  'apiError.METHOD_NOT_ALLOWED': '不支持的操作',
  'apiError.CONFLICT': '与现有数据冲突',
  'apiError.PAYLOAD_TOO_LARGE': '提交的内容过大',
  'apiError.UNSUPPORTED_MEDIA_TYPE': '不支持的内容类型',
  'apiError.RATE_LIMITED': '操作过于频繁，请稍后再试',
  'apiError.INTERNAL': '服务器内部错误，请稍后再试',
  'apiError.UNAVAILABLE': '服务暂不可用，请稍后再试',

  'level.province': '省',
  'level.city': '市',
  'level.county': '县（区）',
  'level.street': '街道（乡镇）',

  'region.code': '区划代码',
  'region.name': '名称',
  'region.level': '层级',
  'region.population': '人口',
  'region.parent': '上级区划',
  'region.centroid': '中心点（经度, 纬度）',
  'region.children': '下级区划',
  'region.childCount': '下级区划数',
  'region.totalPopulation': '总人口',
  'region.largestChild': '人口最多',
  'region.averagePopulation': '平均人口',
  'region.current': '当前区划',
  'region.map': '区划地图',
  'region.mapHint': '点击区域或表格行可下钻',
  'region.table': '下级区划列表',
  'region.details': '区划详情',
  'region.outline': '区划轮廓',
  'region.noChildren': '该区划为最基层（街道/乡镇），无下级区划',
  'region.noGeometry': '暂无区划边界数据',
  'region.high': '多',
  'region.low': '少',
  'region.people': '人',
  'region.tooltipPopulation': '人口：{n} 人',
  'region.share': '占比',
  'region.loadFailed': '区划数据加载失败',
  'region.up': '返回上级',

  'org.title': '组织机构',
  'org.region': '所属区划',
  'org.regionPlaceholder': '选择区划',
  'org.departments': '部门',
  'org.departmentCount': '部门数',
  'org.staffCount': '人员数',
  'org.deptName': '部门名称',
  'org.deptKind': '部门类型',
  'org.deptRegion': '区划代码',
  'org.deptId': '部门编号',
  'org.newDept': '新建部门',
  'org.renameDept': '重命名部门',
  'org.staff': '人员',
  'org.staffSearch': '按姓名或用户名搜索',
  'org.newStaff': '新建人员',
  'org.editStaff': '编辑人员',
  'org.name': '姓名',
  'org.username': '用户名',
  'org.password': '初始密码',
  'org.department': '所在部门',
  'org.position': '职务',
  'org.roles': '角色',
  'org.active': '启用账号',
  'org.nameRequired': '请输入姓名',
  'org.usernameRequired': '请输入用户名',
  'org.usernamePattern': '用户名只能包含小写字母、数字、点、下划线和短横线',
  'org.passwordRequired': '请输入初始密码',
  'org.passwordLength': '密码至少 8 位',
  'org.departmentRequired': '请选择部门',
  'org.rolesRequired': '请至少选择一个角色',
  'org.deptNameRequired': '请输入部门名称',
  'org.deptKindRequired': '请选择部门类型',
  'org.usernameTaken': '该用户名已被使用',
  'org.validationFailed': '提交的数据未通过校验',
  'org.adminOnly': '仅管理员可新建和编辑',
  'org.inactive': '已停用',
  'org.newPassword': '重置密码',
  'org.newPasswordHint': '留空则不修改密码',
  'org.deptFilter': '部门：{name}',
  'org.deptFilterHint': '点击部门行可筛选该部门人员',
  'org.usernameHint': '3–64 位，以小写字母或数字开头',

  'me.title': '我的信息',
  'me.name': '姓名',
  'me.username': '用户名',
  'me.region': '所在区划',
  'me.address': '行政区划路径',
  'me.regionCode': '区划代码',
  'me.accountType': '账号类型',
  'me.department': '所在部门',
  'me.roles': '角色',
  'kind.staff': '工作人员',
  'kind.citizen': '群众',

  'role.citizen': '群众',
  'role.clerk': '窗口人员',
  'role.official': '经办人员',
  'role.supervisor': '科室负责人',
  'role.leader': '单位领导',
  'role.process_engineer': '流程工程师',
  'role.data_admin': '数据管理员',
  'role.auditor': '审计员',
  'role.admin': '系统管理员',
}

export type MessageKey = keyof typeof zh
type Messages = Record<MessageKey, string>

const en: Messages = {
  'app.name': 'Xingzhengtong',
  'app.subtitle': 'Integrated provincial digital-government platform',
  'app.slogan': 'One platform · one submission · one acceptance',
  'app.footer': 'Xiaoxiang Province Government Services and Data Administration',
  'lang.switch': '中文',
  'lang.switchTitle': 'Switch to Chinese',

  'login.title': 'Sign in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.usernameRequired': 'Please enter your username',
  'login.passwordRequired': 'Please enter your password',
  'login.submit': 'Sign in',
  'login.invalid': 'Incorrect username or password',
  'login.rateLimited': 'Too many sign-in attempts, please try again later',
  'login.failed': 'Sign-in failed',

  'nav.regions': 'Region map',
  'nav.org': 'Organisation',
  'nav.me': 'My profile',
  'header.logout': 'Sign out',
  'header.citizen': 'Citizen',
  'header.loggedOut': 'Signed out',

  'common.loading': 'Loading…',
  'common.retry': 'Retry',
  'common.cancel': 'Cancel',
  'common.save': 'Save',
  'common.create': 'Create',
  'common.edit': 'Edit',
  'common.actions': 'Actions',
  'common.search': 'Search',
  'common.total': '{n} in total',
  'common.none': 'None',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.saved': 'Saved',
  'common.created': 'Created',
  'common.notFound': 'Page not found',
  'common.backHome': 'Back to home',
  'common.forbidden': 'You are not allowed to view this page',

  'error.network': 'Network error, please check your connection and retry',
  'error.unknown': 'Request failed ({status})',
  'error.sessionExpired': 'Your session has expired, please sign in again',

  'apiError.VALIDATION_FAILED': 'The submitted data is not valid',
  'apiError.MALFORMED_REQUEST': 'Malformed request',
  'apiError.INVALID_INPUT': 'The input is not acceptable',
  'apiError.UNAUTHENTICATED': 'Please sign in',
  'apiError.INVALID_CREDENTIALS': 'Incorrect username or password',
  'apiError.CSRF_FAILED': 'Security check failed, please reload the page and retry',
  'apiError.FORBIDDEN': 'Not allowed, or outside your jurisdiction',
  'apiError.NOT_FOUND': 'Not found',
  'apiError.METHOD_NOT_ALLOWED': 'Operation not supported',
  'apiError.CONFLICT': 'Conflicts with existing data',
  'apiError.PAYLOAD_TOO_LARGE': 'The submission is too large',
  'apiError.UNSUPPORTED_MEDIA_TYPE': 'Unsupported content type',
  'apiError.RATE_LIMITED': 'Too many requests, please try again later',
  'apiError.INTERNAL': 'Internal server error, please try again later',
  'apiError.UNAVAILABLE': 'Service temporarily unavailable, please try again later',

  'level.province': 'Province',
  'level.city': 'City',
  'level.county': 'County / district',
  'level.street': 'Street / township',

  'region.code': 'Code',
  'region.name': 'Name',
  'region.level': 'Level',
  'region.population': 'Population',
  'region.parent': 'Parent region',
  'region.centroid': 'Centroid (lon, lat)',
  'region.children': 'Subdivisions',
  'region.childCount': 'Subdivisions',
  'region.totalPopulation': 'Total population',
  'region.largestChild': 'Most populous',
  'region.averagePopulation': 'Average population',
  'region.current': 'Current region',
  'region.map': 'Region map',
  'region.mapHint': 'Click an area or a table row to drill down',
  'region.table': 'Subdivisions',
  'region.details': 'Region details',
  'region.outline': 'Outline',
  'region.noChildren': 'This is a street / township, the lowest level: it has no subdivisions',
  'region.noGeometry': 'No boundary data for this region',
  'region.high': 'High',
  'region.low': 'Low',
  'region.people': '',
  'region.tooltipPopulation': 'Population: {n}',
  'region.share': 'Share',
  'region.loadFailed': 'Failed to load region data',
  'region.up': 'Up one level',

  'org.title': 'Organisation',
  'org.region': 'Region',
  'org.regionPlaceholder': 'Select a region',
  'org.departments': 'Departments',
  'org.departmentCount': 'Departments',
  'org.staffCount': 'Staff',
  'org.deptName': 'Department',
  'org.deptKind': 'Type',
  'org.deptRegion': 'Region code',
  'org.deptId': 'ID',
  'org.newDept': 'New department',
  'org.renameDept': 'Rename department',
  'org.staff': 'Staff',
  'org.staffSearch': 'Search by name or username',
  'org.newStaff': 'New staff',
  'org.editStaff': 'Edit staff',
  'org.name': 'Name',
  'org.username': 'Username',
  'org.password': 'Initial password',
  'org.department': 'Department',
  'org.position': 'Position',
  'org.roles': 'Roles',
  'org.active': 'Account enabled',
  'org.nameRequired': 'Please enter a name',
  'org.usernameRequired': 'Please enter a username',
  'org.usernamePattern': 'Use lower-case letters, digits, dots, underscores and hyphens only',
  'org.passwordRequired': 'Please enter an initial password',
  'org.passwordLength': 'At least 8 characters',
  'org.departmentRequired': 'Please select a department',
  'org.rolesRequired': 'Please select at least one role',
  'org.deptNameRequired': 'Please enter a department name',
  'org.deptKindRequired': 'Please select a department type',
  'org.usernameTaken': 'This username is already taken',
  'org.validationFailed': 'The submitted data is not valid',
  'org.adminOnly': 'Only administrators can create and edit',
  'org.inactive': 'Disabled',
  'org.newPassword': 'Reset password',
  'org.newPasswordHint': 'Leave empty to keep the current password',
  'org.deptFilter': 'Department: {name}',
  'org.deptFilterHint': 'Click a department row to list its staff',
  'org.usernameHint': '3–64 characters, starting with a lower-case letter or digit',

  'me.title': 'My profile',
  'me.name': 'Name',
  'me.username': 'Username',
  'me.region': 'Region',
  'me.address': 'Administrative path',
  'me.regionCode': 'Region code',
  'me.accountType': 'Account type',
  'me.department': 'Department',
  'me.roles': 'Roles',
  'kind.staff': 'Staff',
  'kind.citizen': 'Citizen',

  'role.citizen': 'Citizen',
  'role.clerk': 'Service-window clerk',
  'role.official': 'Official',
  'role.supervisor': 'Supervisor',
  'role.leader': 'Leader',
  'role.process_engineer': 'Process engineer',
  'role.data_admin': 'Data administrator',
  'role.auditor': 'Auditor',
  'role.admin': 'Administrator',
}

const dictionaries: Record<Lang, Messages> = { 'zh-CN': zh, en }

const API_ERROR_CODES = new Set([
  'VALIDATION_FAILED',
  'MALFORMED_REQUEST',
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'CSRF_FAILED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'INTERNAL',
  'UNAVAILABLE',
])

/**
 * Human text for an API error. The server's messages are English; in Chinese the localised
 * text of the error code leads, and for input errors the server's specifics follow it.
 */
export function describeApiError(
  lang: Lang,
  error: { status: number; code: string; message: string },
): string {
  if (error.status === 0) return translate(lang, 'error.network')
  const known = API_ERROR_CODES.has(error.code)
    ? translate(lang, `apiError.${error.code}` as MessageKey)
    : null
  if (lang === 'en')
    return error.message || known || translate(lang, 'error.unknown', { status: error.status })
  if (!known) return error.message || translate(lang, 'error.unknown', { status: error.status })
  const specific = ['VALIDATION_FAILED', 'INVALID_INPUT', 'CONFLICT'].includes(error.code)
  return specific && error.message ? `${known}：${error.message}` : known
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string

/** Look a key up and fill `{name}` placeholders. */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[lang][key]
  if (!params) return text
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    return value === undefined ? whole : String(value)
  })
}

const STORAGE_KEY = 'xzt_lang'

function initialLang(): Lang {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY)
    if (stored === 'en' || stored === 'zh-CN') return stored
  } catch {
    // localStorage may be unavailable (private mode); fall back to the default.
  }
  return 'zh-CN'
}

export interface I18n {
  lang: Lang
  setLang(lang: Lang): void
  t: Translate
  /** Number formatting for the current language (thousand separators). */
  formatNumber(n: number): string
  levelName(level: RegionLevel): string
  roleName(role: Role): string
  departmentKindName(kind: DepartmentKind): string
  /** Text for an `ApiError` (see `describeApiError`). */
  describeError(error: { status: number; code: string; message: string }): string
}

const I18nContext = createContext<I18n | null>(null)

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang)

  const setLang = useCallback((next: Lang) => {
    setLangState(next)
    try {
      window.localStorage.setItem(STORAGE_KEY, next)
    } catch {
      // Not persisted; the switch still applies for this page view.
    }
    document.documentElement.lang = next
  }, [])

  const value = useMemo<I18n>(() => {
    const numberFormat = new Intl.NumberFormat(lang)
    const t: Translate = (key, params) => translate(lang, key, params)
    return {
      lang,
      setLang,
      t,
      formatNumber: (n) => numberFormat.format(n),
      levelName: (level) => t(`level.${level}`),
      describeError: (error) => describeApiError(lang, error),
      roleName: (role) => t(`role.${role}`),
      departmentKindName: (kind) => {
        const label = DEPARTMENT_KINDS[kind] as { zh: string; en: string } | undefined
        if (!label) return kind
        return lang === 'en' ? label.en : label.zh
      },
    }
  }, [lang, setLang])

  return createElement(I18nContext.Provider, { value }, children)
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext)
  if (!ctx) throw new Error('useI18n must be used inside <I18nProvider>')
  return ctx
}
