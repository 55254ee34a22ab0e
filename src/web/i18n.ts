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
  'nav.audit': '审计控制台',
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

  'audit.title': '审计控制台',
  'audit.intro':
    '每个地市一本账本、省级一本账本（RFC 6962 默克尔日志），检查点经签名并由省级见证联署；收据可离线保存、随时验证。',
  'audit.refresh': '刷新',
  'audit.loadFailed': '账本数据加载失败',
  'audit.statLogs': '账本数',
  'audit.statLogsSub': '省级 {province} · 地市 {cities}',
  'audit.statEntries': '条目总数',
  'audit.statLatest': '最新检查点时间',
  'audit.statCoverage': '见证覆盖',
  'audit.statCoverageHint': '最新检查点已由省级见证联署的地市账本数',
  'audit.provinceWitness': '省级见证',
  'audit.externalWitnesses': '外部见证 {n} 个',
  'audit.logs': '账本列表',
  'audit.log': '账本',
  'audit.logPlaceholder': '选择账本',
  'audit.origin': '来源标识',
  'audit.size': '条目数',
  'audit.checkpointSize': '检查点大小',
  'audit.checkpointTime': '检查点时间',
  'audit.witness': '见证',
  'audit.witnessed': '已联署',
  'audit.witnessedHint': '省级见证已联署大小为 {size} 的当前检查点',
  'audit.witnessBehind': '见证滞后',
  'audit.witnessBehindHint': '省级见证联署至 {witnessed}，当前检查点大小为 {size}',
  'audit.notWitnessed': '未联署',
  'audit.notWitnessedHint': '省级见证尚未联署此账本的任何检查点',
  'audit.witnessNA': '不适用',
  'audit.witnessNAHint': '省级账本记录各地市的检查点，它本身就是见证方',
  'audit.noCheckpoint': '无检查点',
  'audit.verifierKey': '验证密钥',
  'audit.keyCount': '共 {n} 个密钥（含轮换前的旧密钥）',
  'audit.viewCheckpoint': '检查点',
  'audit.browseEntries': '条目',
  'audit.province': '省级',
  'audit.chart': '各账本条目数',
  'audit.chartHint': '点击柱条浏览该账本的条目',
  'audit.chartEntries': '条目：{n}',
  'audit.chartCheckpoint': '检查点大小：{n}',

  'audit.checkpointTitle': '检查点 · {log}',
  'audit.note': '签名检查点原文（signed note）',
  'audit.treeSize': '树大小',
  'audit.root': '根哈希',
  'audit.signatures': '签名',
  'audit.logSignature': '账本签名',
  'audit.cosignature': '见证联署',
  'audit.copy': '复制',
  'audit.copied': '已复制',
  'audit.copyFailed': '复制失败，请手动选择文本复制',
  'audit.close': '关闭',

  'audit.entriesTitle': '账本条目 · {log}',
  'audit.latestFirst': '最新条目在前，展开行可查看事件内容',
  'audit.index': '序号',
  'audit.type': '事件类型',
  'audit.subject': '主体',
  'audit.time': '时间',
  'audit.actor': '操作者',
  'audit.inspect': '查看证明',
  'audit.undecodable': '无法解码',

  'audit.receipt': '验证收据',
  'audit.receiptHint': '收据（c2sp.org/tlog-proof）包含事件、包含证明和带联署的检查点，可离线保存并随时验证',
  'audit.getReceipt': '获取收据',
  'audit.fetch': '获取',
  'audit.download': '下载收据',
  'audit.upload': '上传文件',
  'audit.fileRead': '已读取文件 {name}',
  'audit.fileFailed': '无法读取文件 {name}',
  'audit.receiptPlaceholder': '在此粘贴收据文本，或上传收据文件',
  'audit.receiptRequired': '请先粘贴或上传收据',
  'audit.keys': '指定验证密钥（可选）',
  'audit.keysPlaceholder': '每行一个 signed-note 验证密钥；留空则使用平台公布的账本与见证密钥',
  'audit.verify': '验证',
  'audit.clear': '清空',
  'audit.receiptValid': '收据验证通过',
  'audit.receiptValidSub': '该事件已包含在 {origin} 大小为 {size} 的检查点中',
  'audit.receiptInvalid': '收据验证失败',
  'audit.signers': '签名方',
  'audit.cosigners': '联署方',
  'audit.event': '记录的事件',

  'audit.lookup': '查询条目',
  'audit.lookupHint': '查看条目内容、叶哈希，以及相对最新检查点的包含证明',
  'audit.lookupGo': '查询',
  'audit.indexPlaceholder': '序号',
  'audit.indexRange': '序号范围 0–{max}',
  'audit.leafHash': '叶哈希',
  'audit.proof': '包含证明',
  'audit.proofCount': '{n} 个哈希',
  'audit.provenAgainst': '证明所对应的检查点',
  'audit.noCheckpointForEntry': '该条目尚未被检查点覆盖，暂无包含证明',
  'audit.signAndRetry': '签署检查点后重试',
  'audit.localOk': '本地复核通过：叶哈希与事件内容一致，包含证明可推导出检查点根哈希',
  'audit.localLeafBad': '本地复核失败：叶哈希与事件内容不一致',
  'audit.localProofBad': '本地复核失败：包含证明无法推导出检查点根哈希',
  'audit.localPending': '正在本地复核…',
  'audit.localUnavailable': '当前浏览器环境不支持本地哈希计算（需要 HTTPS），未做本地复核',
  'audit.data': '事件数据',
  'audit.version': '格式版本',
  'audit.department': '部门',
  'audit.region': '区划',
  'audit.roles': '角色',
  'audit.receiptForEntry': '获取此条目的收据',

  'audit.full': '全量审计',
  'audit.fullHint':
    '重新计算每本账本的默克尔树，校验全部检查点签名与见证联署，并重放全部事件、与实时数据表逐行比对',
  'audit.run': '运行全量审计',
  'audit.running': '正在审计，可能需要几秒钟…',
  'audit.notRun': '尚未运行全量审计',
  'audit.passed': '全量审计通过',
  'audit.passedSub': '{logs} 本账本、{entries} 条条目验证无误；重放 {events} 个事件，结果与实时数据一致',
  'audit.failed': '全量审计发现问题',
  'audit.failedSub': '{problems} 本账本验证失败，{differences} 处数据差异',
  'audit.ranAt': '完成于 {time}，用时 {seconds} 秒',
  'audit.ledgerVerification': '账本验证',
  'audit.checkpoints': '检查点',
  'audit.cosignatures': '联署',
  'audit.result': '结果',
  'audit.ok': '通过',
  'audit.atEntry': '条目 {index}',
  'audit.atCheckpoint': '检查点 {size}',
  'audit.replay': '事件重放',
  'audit.events': '事件总数',
  'audit.module.regions': '区划',
  'audit.module.departments': '部门',
  'audit.module.staff': '人员',
  'audit.module.citizens': '群众账号',
  'audit.differences': '数据差异',
  'audit.noDifferences': '未发现差异',
  'audit.table': '数据表',
  'audit.key': '主键',
  'audit.problem': '问题',
  'audit.field': '字段',
  'audit.expected': '账本重放值',
  'audit.actual': '实时数据值',
  'audit.problem.missing': '缺失',
  'audit.problem.unexpected': '多出',
  'audit.problem.differs': '不一致',

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
  'nav.audit': 'Audit console',
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

  'audit.title': 'Audit console',
  'audit.intro':
    'One ledger per city plus one for the province (RFC 6962 Merkle logs); checkpoints are signed and cosigned by the province witness; receipts can be kept offline and verified at any time.',
  'audit.refresh': 'Refresh',
  'audit.loadFailed': 'Failed to load the ledger',
  'audit.statLogs': 'Logs',
  'audit.statLogsSub': 'province {province} · cities {cities}',
  'audit.statEntries': 'Total entries',
  'audit.statLatest': 'Latest checkpoint',
  'audit.statCoverage': 'Witness coverage',
  'audit.statCoverageHint': 'City logs whose latest checkpoint the province witness has cosigned',
  'audit.provinceWitness': 'Province witness',
  'audit.externalWitnesses': '{n} external witnesses',
  'audit.logs': 'Ledger logs',
  'audit.log': 'Log',
  'audit.logPlaceholder': 'Select a log',
  'audit.origin': 'Origin',
  'audit.size': 'Entries',
  'audit.checkpointSize': 'Checkpoint size',
  'audit.checkpointTime': 'Checkpoint time',
  'audit.witness': 'Witness',
  'audit.witnessed': 'Cosigned',
  'audit.witnessedHint': 'The province witness cosigned the current checkpoint (size {size})',
  'audit.witnessBehind': 'Behind',
  'audit.witnessBehindHint':
    'The province witness cosigned up to size {witnessed}; the current checkpoint is at {size}',
  'audit.notWitnessed': 'Not cosigned',
  'audit.notWitnessedHint': 'The province witness has not cosigned any checkpoint of this log',
  'audit.witnessNA': 'N/A',
  'audit.witnessNAHint': 'The province log records every city checkpoint: it is the witness itself',
  'audit.noCheckpoint': 'No checkpoint',
  'audit.verifierKey': 'Verifier key',
  'audit.keyCount': '{n} keys (including keys before rotation)',
  'audit.viewCheckpoint': 'Checkpoint',
  'audit.browseEntries': 'Entries',
  'audit.province': 'Province',
  'audit.chart': 'Entries per log',
  'audit.chartHint': "Click a bar to browse the log's entries",
  'audit.chartEntries': 'Entries: {n}',
  'audit.chartCheckpoint': 'Checkpoint size: {n}',

  'audit.checkpointTitle': 'Checkpoint · {log}',
  'audit.note': 'Signed note',
  'audit.treeSize': 'Tree size',
  'audit.root': 'Root hash',
  'audit.signatures': 'Signatures',
  'audit.logSignature': 'Log signature',
  'audit.cosignature': 'Witness cosignature',
  'audit.copy': 'Copy',
  'audit.copied': 'Copied',
  'audit.copyFailed': 'Copy failed, please select the text and copy it by hand',
  'audit.close': 'Close',

  'audit.entriesTitle': 'Entries · {log}',
  'audit.latestFirst': 'Latest first; expand a row to see the event',
  'audit.index': 'Index',
  'audit.type': 'Event type',
  'audit.subject': 'Subject',
  'audit.time': 'Time',
  'audit.actor': 'Actor',
  'audit.inspect': 'Proof',
  'audit.undecodable': 'Cannot decode',

  'audit.receipt': 'Verify a receipt',
  'audit.receiptHint':
    'A receipt (c2sp.org/tlog-proof) holds the event, its inclusion proof and the cosigned checkpoint; keep it offline and verify it at any time',
  'audit.getReceipt': 'Get a receipt',
  'audit.fetch': 'Fetch',
  'audit.download': 'Download receipt',
  'audit.upload': 'Upload file',
  'audit.fileRead': 'Read {name}',
  'audit.fileFailed': 'Cannot read {name}',
  'audit.receiptPlaceholder': 'Paste a receipt here, or upload a receipt file',
  'audit.receiptRequired': 'Paste or upload a receipt first',
  'audit.keys': 'Verifier keys (optional)',
  'audit.keysPlaceholder': 'One signed-note verifier key per line; empty: the published log and witness keys',
  'audit.verify': 'Verify',
  'audit.clear': 'Clear',
  'audit.receiptValid': 'Receipt verified',
  'audit.receiptValidSub': 'The event is included in the checkpoint of size {size} of {origin}',
  'audit.receiptInvalid': 'The receipt does not verify',
  'audit.signers': 'Signers',
  'audit.cosigners': 'Cosigners',
  'audit.event': 'Recorded event',

  'audit.lookup': 'Look up an entry',
  'audit.lookupHint': 'The entry, its leaf hash and its inclusion proof in the latest checkpoint',
  'audit.lookupGo': 'Look up',
  'audit.indexPlaceholder': 'Index',
  'audit.indexRange': 'Index from 0 to {max}',
  'audit.leafHash': 'Leaf hash',
  'audit.proof': 'Inclusion proof',
  'audit.proofCount': '{n} hashes',
  'audit.provenAgainst': 'Checkpoint proven against',
  'audit.noCheckpointForEntry': 'No checkpoint covers this entry yet: no inclusion proof',
  'audit.signAndRetry': 'Sign a checkpoint and retry',
  'audit.localOk':
    'Checked locally: the leaf hash matches the event and the proof leads to the checkpoint root',
  'audit.localLeafBad': 'Local check failed: the leaf hash does not match the event',
  'audit.localProofBad': 'Local check failed: the proof does not lead to the checkpoint root',
  'audit.localPending': 'Checking locally…',
  'audit.localUnavailable': 'This browser context cannot hash locally (HTTPS needed): no local check',
  'audit.data': 'Event data',
  'audit.version': 'Format version',
  'audit.department': 'Department',
  'audit.region': 'Region',
  'audit.roles': 'Roles',
  'audit.receiptForEntry': "Get this entry's receipt",

  'audit.full': 'Full audit',
  'audit.fullHint':
    "Recompute every log's Merkle tree, check every checkpoint signature and witness cosignature, and replay every event against the live tables, row by row",
  'audit.run': 'Run full audit',
  'audit.running': 'Auditing, this may take a few seconds…',
  'audit.notRun': 'The full audit has not been run yet',
  'audit.passed': 'Full audit passed',
  'audit.passedSub':
    '{logs} logs and {entries} entries verified; {events} events replayed and the result matches the live data',
  'audit.failed': 'The full audit found problems',
  'audit.failedSub': '{problems} logs failed verification, {differences} differences in the data',
  'audit.ranAt': 'Finished at {time} in {seconds} s',
  'audit.ledgerVerification': 'Ledger verification',
  'audit.checkpoints': 'Checkpoints',
  'audit.cosignatures': 'Cosignatures',
  'audit.result': 'Result',
  'audit.ok': 'OK',
  'audit.atEntry': 'entry {index}',
  'audit.atCheckpoint': 'checkpoint {size}',
  'audit.replay': 'Event replay',
  'audit.events': 'Events',
  'audit.module.regions': 'Regions',
  'audit.module.departments': 'Departments',
  'audit.module.staff': 'Staff',
  'audit.module.citizens': 'Citizens',
  'audit.differences': 'Differences',
  'audit.noDifferences': 'No differences',
  'audit.table': 'Table',
  'audit.key': 'Key',
  'audit.problem': 'Problem',
  'audit.field': 'Field',
  'audit.expected': 'Expected (ledger replay)',
  'audit.actual': 'Actual (live table)',
  'audit.problem.missing': 'Missing',
  'audit.problem.unexpected': 'Unexpected',
  'audit.problem.differs': 'Differs',

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
  /** Date and time (epoch milliseconds) in the current language, 24-hour clock, to the second. */
  formatDateTime(ms: number): string
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
    const dateTimeFormat = new Intl.DateTimeFormat(lang, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    const t: Translate = (key, params) => translate(lang, key, params)
    return {
      lang,
      setLang,
      t,
      formatNumber: (n) => numberFormat.format(n),
      formatDateTime: (ms) => dateTimeFormat.format(ms),
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
