/**
 * Display names of ledger event types, in Chinese and English. The server declares each type in its
 * module's `<module>.events.ts` (collected by `ledger.registry.ts`); the web cannot import server code,
 * so the names people read live here, beside the other vocabulary both sides share. A unit test
 * (`src/server/modules/ledger/event-names.test.ts`) fails when a declared type has no name here, or a
 * name here has no declared type.
 * @module
 */

export interface DisplayName {
  readonly zh: string
  readonly en: string
}

export const EVENT_TYPE_NAMES: Readonly<Record<string, DisplayName>> = {
  // ledger
  'ledger.checkpoint_witnessed': { zh: '见证联署检查点', en: 'Checkpoint witnessed' },
  // regions
  'region.upserted': { zh: '区划登记或变更', en: 'Region created or changed' },
  // org
  'department.created': { zh: '部门设立', en: 'Department created' },
  'department.renamed': { zh: '部门更名', en: 'Department renamed' },
  'staff.created': { zh: '工作人员账号开设', en: 'Staff account created' },
  'staff.updated': { zh: '工作人员账号变更', en: 'Staff account changed' },
  'citizen.registered_batch': { zh: '群众账号批量登记', en: 'Citizens registered in bulk' },
  'citizen.registered': { zh: '群众账号窗口登记', en: 'Citizen registered at a window' },
  // catalog
  'matter.deployed': { zh: '事项版本发布', en: 'Matter version deployed' },
  // dataplatform
  'record.registered_batch': { zh: '权威数据批量登记', en: 'Authoritative records registered in bulk' },
  // system
  'system.clock_advanced': { zh: '平台时钟调整', en: 'Platform clock advanced' },
  // cases
  'case.submitted': { zh: '办件提交', en: 'Case submitted' },
  'case.accepted': { zh: '办件受理', en: 'Case accepted' },
  'case.incident': { zh: '办理异常', en: 'Process incident' },
  'case.completed': { zh: '办件办结', en: 'Case completed' },
  'case.rejected': { zh: '办件不予办理', en: 'Case rejected' },
  'task.created': { zh: '环节开始', en: 'Task opened' },
  'task.completed': { zh: '环节办理完成', en: 'Task completed' },
  'task.cancelled': { zh: '环节取消', en: 'Task cancelled' },
  'task.claimed': { zh: '环节认领', en: 'Task claimed' },
  'task.released': { zh: '环节退回部门', en: 'Task released' },
  'task.reassigned': { zh: '环节改派', en: 'Task reassigned' },
  'task.escalated': { zh: '超期督办', en: 'Task escalated' },
  'sla.warned': { zh: '时限预警', en: 'Time limit warning' },
  'sla.breached': { zh: '时限超期', en: 'Time limit breached' },
  // data-access
  'data.accessed': { zh: '查看群众数据', en: "Citizen's data viewed" },
  'data.access_reviewed': { zh: '数据访问预警核查', en: 'Flagged access reviewed' },
  'data.looked_up': { zh: '窗口查找群众', en: 'Citizen looked up at a window' },
  // scheduler
  'job.scheduled': { zh: '后台任务已排期', en: 'Jobs scheduled' },
  'job.completed': { zh: '后台任务已完成', en: 'Job completed' },
  'job.failed': { zh: '后台任务失败待重试', en: 'Job attempt failed' },
  'job.dead': { zh: '后台任务转入死信', en: 'Job moved to the dead letter' },
  'job.cancelled': { zh: '后台任务已撤销', en: 'Jobs cancelled' },
  'job.retried': { zh: '后台任务重新执行', en: 'Job sent back to the queue' },
  // policy
  'policy.published': { zh: '发布治理规则', en: 'Policy published' },
  'policy.overridden': { zh: '地方调整治理规则', en: 'Policy overridden locally' },
  'policy.override_retired': { zh: '撤销地方调整', en: 'Local override retired' },
  'assessment.org_evaluated': { zh: '录入组织评价', en: 'Organisation evaluation entered' },
  'assessment.fact_contested': { zh: '考核事实申诉', en: 'Scorecard fact contested' },
  'assessment.fact_contest_decided': { zh: '考核事实申诉裁定', en: 'Fact contest decided' },
  // ratings
  'rating.submitted': { zh: '办件评价', en: 'Case rated' },
  'rating.invited': { zh: '窗口邀请评价', en: 'Counter rating opened' },
  'rectification.opened': { zh: '差评整改立项', en: 'Rectification opened' },
  'rectification.chain_built': { zh: '整改责任链生成', en: 'Rectification chain built' },
  // appeals
  'appeal.filed': { zh: '诉求登记并分派', en: 'Appeal filed and routed' },
  'appeal.accepted': { zh: '诉求受理', en: 'Appeal accepted' },
  'appeal.returned': { zh: '诉求退回并重新分派', en: 'Appeal returned and rerouted' },
  'appeal.responded': { zh: '诉求首次答复', en: 'Appeal answered' },
  'appeal.resolved': { zh: '诉求办结', en: 'Appeal resolved' },
  'appeal.rated': { zh: '诉求满意度评价', en: 'Appeal rated' },
  'appeal.escalated': { zh: '诉求超期督办', en: 'Appeal escalated' },
  'appeal.merged': { zh: '重复诉求合并', en: 'Duplicate appeal merged' },
  'chain.built': { zh: '责任链生成', en: 'Responsibility chain built' },
  'chain.contested': { zh: '责任认定申诉', en: 'Chain link contested' },
  'chain.contest_decided': { zh: '责任认定申诉裁定', en: 'Chain contest decided' },
  'rectification.called_back': { zh: '差评回访', en: 'Citizen called back' },
  'rectification.rectified': { zh: '整改完成', en: 'Rectification done' },
  'rectification.escalated': { zh: '整改超期督办', en: 'Overdue rectification escalated' },
  'rectification.rated': { zh: '群众评价整改', en: 'Rectification rated by the citizen' },
  'rating.contested': { zh: '申诉不实评价', en: 'Review contested as false' },
  'rating.contest_decided': { zh: '评价申诉裁定', en: 'Review contest decided' },
  // open311
  'open311.key_issued': { zh: '开放诉求接口密钥签发', en: 'GeoReport API key issued' },
  'open311.key_revoked': { zh: '开放诉求接口密钥吊销', en: 'GeoReport API key revoked' },
  'open311.request_received': { zh: '开放诉求接口受理请求', en: 'GeoReport service request received' },
}

/** The display name of an event type in `lang`, or undefined for a type this table does not know. */
export function eventTypeName(type: string, lang: 'zh' | 'en'): string | undefined {
  return Object.hasOwn(EVENT_TYPE_NAMES, type) ? EVENT_TYPE_NAMES[type]?.[lang] : undefined
}
