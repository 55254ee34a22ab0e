/**
 * The shapes the HTTP API returns and accepts, shared by the server (which produces them) and the web
 * client (which consumes them), so the two cannot drift apart. Pure types.
 * @module
 */
import type {
  AppealChannel,
  AppealConcern,
  AppealKind,
  AppealSatisfaction,
  AppealStatus,
  Department,
  DepartmentKind,
  Region,
  RegionGeometry,
  Role,
  Staff,
} from './domain.js'
import type { Permission } from './permissions.js'

// ---- accounts ------------------------------------------------------------------------------------

/** The signed-in user, as `/api/auth/me` and `/api/auth/login` return it. */
export interface Me {
  id: string
  username: string
  name: string
  kind: 'staff' | 'citizen'
  roles: Role[]
  regionCode: string
  regionName: string
  departmentId: string | null
  departmentName: string | null
  /**
   * The kind of the department (`service_center`, `government_office`…): a clerk of a service centre works
   * its windows, one elsewhere (a government office's 12345 hotline) takes calls.
   */
  departmentKind: DepartmentKind | null
  /** Every permission of `src/shared/permissions.ts` the user holds in some scope (`permissionsOf`). */
  permissions: Permission[]
}

export interface LoginResponse {
  token: string
  csrfToken: string
  expiresAt: number
  user: Me
}

/** A staff member as the API returns it. */
export type StaffView = Staff & { active: boolean }

export interface CreateStaffInput {
  username: string
  password: string
  name: string
  departmentId: string
  position?: string
  roles: Role[]
}

export interface UpdateStaffInput {
  name?: string
  position?: string
  roles?: Role[]
  departmentId?: string
  active?: boolean
  password?: string
}

export interface CreateDepartmentInput {
  name: string
  regionCode: string
  kind: Department['kind']
}

/** A citizen as shown to someone allowed to see them; identity numbers masked. */
export interface CitizenView {
  id: string
  username: string
  name: string
  regionCode: string
  gender: 'F' | 'M'
  birthDate: string
  idNumberMasked: string
  phoneMasked: string
}

/**
 * A citizen as a window clerk finds them (`GET /api/citizens?query=`): masked, enough to tell matches
 * apart with the citizen's card in hand, not enough to learn who someone is.
 */
export interface CitizenMatch {
  id: string
  /** `张*三` */
  nameMasked: string
  /** `4301**********1234` */
  idNumberMasked: string
  /** `139****5678` */
  phoneMasked: string
  gender: 'F' | 'M'
  /** Where they live (a street or township), with its name. */
  regionCode: string
  regionName: string
}

/** Registering a citizen at a window (`POST /api/citizens`). */
export interface RegisterCitizenInput {
  /** 公民身份号码 (GB 11643, check character verified). */
  idNumber: string
  name: string
  /** 11-digit mobile number. */
  phone: string
  /** The street or township they live in; the clerk's own by default. */
  regionCode?: string
  /** An initial password the citizen typed; without one the account cannot sign in yet. */
  password?: string
}

// ---- regions -------------------------------------------------------------------------------------

export interface RegionFeature {
  type: 'Feature'
  properties: Region
  geometry: RegionGeometry | null
}

export interface RegionFeatureCollection {
  type: 'FeatureCollection'
  features: RegionFeature[]
}

// ---- ledger --------------------------------------------------------------------------------------

/** Who did it: ids and roles only, never names. */
export interface LedgerActor {
  id: string
  roles: string[]
  department: string | null
  region: string
}

/** A decoded ledger event (a leaf). Personal data is never in it, only salted commitments. */
export interface LedgerLeaf {
  v: number
  log: string
  index: number
  time: number
  type: string
  subject: string
  actor: LedgerActor
  data: Record<string, unknown>
}

/** A transparency log as `/api/ledger/logs` lists it: one per city plus the province log. */
export interface LedgerLog {
  /** The province code (`43`) or a city code (`4301`). */
  id: string
  origin: string
  size: number
  /** The current signed-note verifier key (`<origin>+<hash>+<key>`). */
  verifierKey: string
  /** Every verifier key the log has been signed with, oldest first (rotation keeps them). */
  verifierKeys: string[]
  /** The latest checkpoint, null before the first is signed. */
  checkpoint: { size: number; time: number } | null
  /** Witnesses that cosigned a checkpoint of this log, with the largest size each cosigned. */
  witnesses: { name: string; size: number }[]
}

export interface LedgerWitnesses {
  /** Verifier key of the province witness (it cosigns the city logs). */
  province: string
  external: string[]
}

/** One entry of `/api/ledger/{id}/entries`: `leaf` is base64 of its canonical JSON. */
export interface LedgerEntrySummary {
  index: number
  leaf: string
  time: number
  type: string
}

/** `/api/ledger/{id}/entries/{index}`: the leaf with its inclusion proof in the latest checkpoint. */
export interface LedgerEntryDetail {
  log: string
  index: number
  leaf: LedgerLeaf
  /** base64 of SHA-256(0x00 ‖ leaf bytes). */
  leafHash: string
  checkpoint: { size: number; root: string; note: string } | null
  /** Audit path from the leaf to the checkpoint root (base64 hashes), null without a checkpoint. */
  proof: string[] | null
}

/** What a valid receipt proves. */
export interface ReceiptVerification {
  log: string
  origin: string
  index: number
  size: number
  root: string
  leaf: LedgerLeaf
  signers: string[]
  cosigners: string[]
}

// ---- audit ---------------------------------------------------------------------------------------

export interface VerifyProblem {
  log: string
  /** The first bad entry, when the problem is an entry. */
  index?: number
  /** The bad checkpoint's size, when the problem is a checkpoint. */
  checkpoint?: number
  /** What is wrong, as a code the UI names in its language (see VERIFY_PROBLEM_KINDS). */
  kind?: VerifyProblemKind
  /** Values the UI's sentence for `kind` needs besides `index` and `checkpoint`. */
  params?: Record<string, string | number>
  /** The same in English, for logs and the CLI. */
  problem: string
}

export const VERIFY_PROBLEM_KINDS = [
  'checkpoint_deleted',
  'cosignature_deleted',
  'checkpoint_root',
  'checkpoint_note_mismatch',
  'checkpoint_note_invalid',
  'cosignature_invalid',
  'entry_missing',
  'leaf_misplaced',
  'columns_differ',
  'leaf_hash',
  'tree_mismatch',
  'witness_rewritten',
  'rolled_back',
  'checkpoint_beyond',
] as const
export type VerifyProblemKind = (typeof VERIFY_PROBLEM_KINDS)[number]

export interface LogVerification {
  log: string
  entries: number
  checkpoints: number
  cosignatures: number
  problem: VerifyProblem | null
}

/** A live row that differs from the state the ledger's events rebuild. */
export interface AuditDifference {
  /** Live table, e.g. `department`. */
  table: string
  /** Primary key of the row. */
  key: string
  /** `missing`: the ledger has it, the table does not; `unexpected`: the table has it, the ledger does not. */
  problem: 'missing' | 'unexpected' | 'differs'
  /** For `differs`: the field and both values. */
  field?: string
  expected?: unknown
  actual?: unknown
}

export interface AuditReplayReport {
  events: number
  /** Events replayed per module (`regions`, `departments`, `staff`, `citizens`, …). */
  byModule: Record<string, number>
  differences: AuditDifference[]
}

/** `POST /api/audit/run`. */
export interface AuditRunResult {
  ok: boolean
  ledger: LogVerification[]
  replay: AuditReplayReport
}

// ---- catalogue and data platform ---------------------------------------------------------------------

/** A matter (事项) as the catalogue lists it. */
export interface MatterSummary {
  code: string
  name: string
  nameEn: string
  description: string
  version: number
  ownerLevel: string
  /** Department kinds involved. */
  departments: string[]
  /** 承诺时限, working days. */
  slaDays: number
  /** 法定时限, working days. */
  legalSlaDays: number
  channels: string[]
  fullyOnline: boolean
  /** 跑动次数 at most. */
  trips: number
  /** What the process does: who acts, whether in parallel. */
  process: {
    key: string
    steps: {
      id: string
      name: string | null
      departmentKind: string | null
      level: string | null
      applicant: boolean
      slaDays: number | null
    }[]
    departments: { departmentKind: string; level: string }[]
    parallel: boolean
    supplement: boolean
  }
}

/** One matter with its form and materials (`GET /api/matters/{code}`). */
export interface MatterDetail extends MatterSummary {
  formSchema: Record<string, unknown>
  materials: {
    code: string
    name: string
    required: boolean
    fetchable: boolean
    source?: string
    field?: string
  }[]
  /** Every deployed version, oldest first. */
  versions: number[]
}

/** Where one prefilled value came from. */
export interface PrefillSource {
  source: string
  /** The department kind that holds the record. */
  department: string
  recordKey: string
  /** Path of the value inside the record. */
  path: string
  updatedAt: number
  /** A submitted value that differs is flagged as a data discrepancy. */
  verify: boolean
}

/** `GET /api/matters/{code}/prefill`: the form data the government already holds, and its sources. */
export interface PrefillResult {
  data: Record<string, unknown>
  sources: Record<string, PrefillSource>
}

// ---- cases -------------------------------------------------------------------------------------------

export type CaseStatus =
  'submitted' | 'accepted' | 'in_progress' | 'supplement_requested' | 'completed' | 'rejected'

/** One step of a case's timeline: submission, then every task, each with its ledger position. */
export interface TimelineStep {
  /** `submit` for the submission, else the process node id. */
  node: string
  name: string | null
  departmentId: string | null
  department: string | null
  assignee: { id: string; name: string } | null
  startedAt: number
  completedAt: number | null
  dueAt: number | null
  outcome: string | null
  /** The official's reason or note with the outcome (a supplement request says what is missing). */
  comment: string | null
  /** `ok`, `warned` (SLA warning fired) or `breached`. */
  sla: string
  ledger: { log: string; index: number } | null
}

export interface CaseView {
  id: string
  matterCode: string
  matterVersion: number
  matterName: string
  status: CaseStatus
  channel: 'online' | 'window'
  applicantId: string
  regionCode: string
  submittedAt: number
  acceptedAt: number | null
  completedAt: number | null
  /** Committed due time of the whole matter (working days from acceptance). */
  dueAt: number
  trips: number
  /**
   * Submitted values that contradict an authoritative record (paths and sources, not values): only for
   * the applicant and the departments handling the case (the fields of their steps); empty for
   * everyone else (`case.read_discrepancies`).
   */
  discrepancies: { path: string; source: string; recordKey: string }[]
  /**
   * True when some submitted value contradicts an authoritative record, for everyone who may see the
   * case: a window clerk learns that the data does not match and checks the applicant's documents,
   * without learning which field differs.
   */
  recordMismatch: boolean
  /** The form data this caller may see (all for the applicant; the task's fields for an official). */
  data: Record<string, unknown>
  /** The files in that data (upload fields holding `attachment:<id>`), in form order. */
  attachments: CaseAttachment[]
  timeline: TimelineStep[]
}

/** An uploaded file (`POST /api/attachments`): put `ref` into the form's upload field. */
export interface AttachmentView {
  id: string
  /** `attachment:<id>`: the value of an upload field referring to this file. */
  ref: string
  /** SHA-256 of the content, lowercase hex: the commitment the ledger records when a case binds it. */
  sha256: string
  size: number
  mediaType: string
  filename: string
}

/** A file of a case: where in the form it sits (dotted path, list items by index) and what it is. */
export interface CaseAttachment {
  /** Dotted path in the form data, e.g. `attachments.premisesProof.0`. */
  path: string
  id: string
  sha256: string
  size: number
  mediaType: string
  filename: string
}

/** An open task in someone's inbox. */
export interface TaskView {
  id: string
  caseId: string
  node: string
  name: string | null
  kind: 'department' | 'applicant'
  matterCode: string
  departmentId: string | null
  /** Who claimed it (null: anyone in the department may take it). */
  assigneeId: string | null
  createdAt: number
  dueAt: number | null
  sla: string
  outcomes: string[]
}

/** `GET /api/cases/{id}/receipt`: the case's ledger entries, each provable offline. */
export interface CaseReceipt {
  caseId: string
  entries: { log: string; index: number; type: string; time: number; receipt: string }[]
  /** Verifier keys to check them with (log keys and the province witness). */
  keys: string[]
}

// ---- data accesses and their review ------------------------------------------------------------------

/** A supervisor's verdict on a flagged access: the official had a reason, or had none. */
export type AccessVerdict = 'justified' | 'unjustified'

export const ACCESS_VERDICTS: readonly AccessVerdict[] = ['justified', 'unjustified']

/** The review of a flagged access as supervisors see it. */
export interface AccessReview {
  verdict: AccessVerdict
  /** The reviewer's note (kept off the ledger, which holds its salted commitment). */
  note: string | null
  reviewedAt: number
  reviewer: { id: string; name: string }
  /** Where the review is recorded. */
  ledger: { log: string; index: number } | null
}

/**
 * A flagged access (`GET /api/data-access/flagged`): an official opened a citizen's case data without an
 * open task on it. The citizen is named by id only: the reviewer judges the official, not the citizen.
 */
export interface FlaggedAccess {
  id: string
  staff: { id: string; name: string; departmentId: string | null }
  citizenId: string
  caseId: string
  matterCode: string | null
  matterName: string | null
  /** Comma-separated top-level form fields that were shown, or `*` for the whole case. */
  what: string
  at: number
  ledger: { log: string; index: number }
  review: AccessReview | null
}

/** The review as the citizen whose data it was sees it (`GET /api/me/data-access`). */
export interface CitizenAccessReview {
  verdict: AccessVerdict
  reviewedAt: number
}

// ---- scheduler ----------------------------------------------------------------------------------------

export const SCHEDULER_JOB_STATUSES = ['pending', 'running', 'done', 'failed', 'dead', 'cancelled'] as const
export type SchedulerJobStatus = (typeof SCHEDULER_JOB_STATUSES)[number]

/** A scheduled job or timer as `GET /api/admin/jobs` lists it. */
export interface SchedulerJob {
  id: string
  kind: string
  kindLabel: { zh: string; en: string }
  key: string
  payload: unknown
  regionCode: string
  dueAt: number
  status: SchedulerJobStatus
  attempts: number
  maxAttempts: number
  lastError: string | null
  leaseOwner?: string | null
  createdAt: number
  finishedAt: number | null
}

/** `GET /api/admin/jobs`. */
export interface SchedulerJobList {
  jobs: SchedulerJob[]
  total: number
  /** Jobs in each status in the caller's region subtree. */
  counts: Record<SchedulerJobStatus, number>
}

// ---- appeals (诉求) -------------------------------------------------------------------------------------

/** A step of an appeal's timeline, with the ledger entry that records it. */
export interface AppealStepView {
  type: string
  at: number
  actor: { id: string; name: string }
  /** The step's own data: a reply's text, a return's reason, the department it went to… */
  data: Record<string, unknown>
  /**
   * The department the step sent the appeal to (filed: where it was routed; returned: where it went
   * next), with its name: `data.department` named. Null for a step that sends it nowhere, or one naming
   * a department the platform does not know.
   */
  department: { id: string; name: string } | null
  /** A return's department that gave the appeal back (`data.from`), named; null for any other step. */
  fromDepartment: { id: string; name: string } | null
  ledger: { log: string; index: number }
}

/** An escalation a missed deadline (or a dissatisfied citizen) triggered. */
export interface AppealEscalationView {
  stage: 'respond' | 'resolve' | 'satisfaction'
  /** The rung of the escalation ladder (0-based). */
  step: number
  level: 'supervisor' | 'leader'
  to: { id: string; name: string }[]
  at: number
  policy: string
  ledger: { log: string; index: number }
}

/** An appeal as `GET /api/appeals/{id}` shows it. */
export interface AppealView {
  id: string
  kind: AppealKind
  category: string
  channel: AppealChannel
  text: string
  location: { lat: number; lng: number } | null
  regionCode: string
  regionName: string
  caseId: string | null
  citizenId: string | null
  /** A hotline or window caller's name and phone: shown to the staff handling it only. */
  contact: { name?: string; phone?: string; email?: string } | null
  attachments: AttachmentView[]
  status: AppealStatus
  department: { id: string; name: string }
  handler: { id: string; name: string } | null
  round: number
  respondDueAt: number
  resolveDueAt: number
  /** The resolution deadline (= resolveDueAt). */
  dueAt: number
  respondedAt: number | null
  resolvedAt: number | null
  closedAt: number | null
  response: string | null
  resolution: string | null
  satisfaction: AppealSatisfaction | null
  reopened: boolean
  mergedInto: string | null
  concern: AppealConcern
  routing: { rule: string; policy: string }
  deadlinePolicy: string
  escalationPolicy: string
  createdAt: number
  timeline: AppealStepView[]
  escalations: AppealEscalationView[]
  /** Open appeals of the same category and place filed close in time: offered for merging. */
  duplicates: { id: string; distance: number | null; createdAt: number; status: AppealStatus }[]
  /** What the caller may do now. */
  actions: ('accept' | 'return' | 'respond' | 'resolve' | 'rate' | 'merge')[]
}

/** An appeal in a list. */
export type AppealSummary = Omit<
  AppealView,
  'timeline' | 'escalations' | 'duplicates' | 'attachments' | 'contact'
>

/** A link of a responsibility chain (`GET /api/appeals/{id}/responsibility`). */
export interface ChainLinkView {
  staffId: string
  name: string
  role: string
  department: string
  departmentId: string
  primary: boolean
  rule: string
  function: string
  reason: string
  explain: { code: string; params: Record<string, string | number> }
  evidence: { log: string; index: number }[]
  contest: {
    id: string
    status: 'pending' | 'upheld' | 'rejected'
    reason: string
    decision: string | null
    decidedBy: string | null
    ledger: { log: string; index: number }
    decisionLedger: { log: string; index: number } | null
  } | null
  excluded: boolean
}

export interface ResponsibilityChainView {
  appealId: string
  revision: number
  policyVersion: string
  rule: string | null
  cause: string
  builtAt: number
  ledger: { log: string; index: number }
  links: ChainLinkView[]
  trace: { rule: string; outcome: 'not_applicable' | 'nobody_found' | 'selected' }[]
}

// ---- rectifications (整改) after a bad rating ----------------------------------------------------------

/**
 * - `open`: a bad rating opened it; the handling department calls the citizen back first;
 * - `called_back`: the call-back (回访) is recorded; the department rectifies next;
 * - `rectified`: the department recorded its measures (整改完成); the citizen rates the rectification;
 * - `closed`: the citizen answered satisfied or not satisfied;
 * - `void`: a contest found the review false (申诉不实评价成立); the rating is kept, excluded.
 * Missing the deadline does not change the status: it sets `overdue` and escalates.
 */
export const RECTIFICATION_STATUSES = ['open', 'called_back', 'rectified', 'closed', 'void'] as const
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number]

/** Display names of the statuses (zh, en). */
export const RECTIFICATION_STATUS_NAMES: Record<RectificationStatus, { zh: string; en: string }> = {
  open: { zh: '待回访', en: 'Awaiting call-back' },
  called_back: { zh: '已回访待整改', en: 'Called back' },
  rectified: { zh: '已整改待评价', en: 'Rectified' },
  closed: { zh: '已办结', en: 'Closed' },
  void: { zh: '差评不实已作废', en: 'Void (review found false)' },
}

/** A contest of the rating: filed (pending), then upheld or rejected by a region overseer. */
export type RectificationContest = 'pending' | 'upheld' | 'rejected'

export const RECTIFICATION_STEP_KINDS = [
  'opened',
  'called_back',
  'escalated',
  'rectified',
  'contested',
  'contest_decided',
  'rated',
] as const
export type RectificationStepKind = (typeof RECTIFICATION_STEP_KINDS)[number]

/** A rectification as `GET /api/rectifications` lists it. */
export interface RectificationView {
  id: string
  caseId: string
  matterCode: string
  status: RectificationStatus
  /** The handling unit (the department of the step that decided the case), or null when none decided. */
  department: { id: string; name: string } | null
  /** Region of the case (whose log records the steps). */
  regionCode: string
  /** The bad rating that opened it; `excluded` once a contest found it false. */
  rating: { score: number; tags: string[]; comment: string | null; excluded: boolean }
  createdAt: number
  /** Epoch ms: the deadline, in working days by the policy. */
  dueAt: number
  /** The deadline passed before the department rectified (the leaders were told: `escalatedTo`). */
  overdue: boolean
  escalatedTo: { id: string; name: string }[]
  contest: RectificationContest | null
  /** The citizen's verdict on the rectification, once closed. */
  satisfied: boolean | null
  /** The rating.rectification policy version that set the deadline. */
  policy: string
  ledger: { log: string; index: number }
}

/** One step of a rectification's timeline, with its ledger entry. Fields a kind does not use are null. */
export interface RectificationStep {
  kind: RectificationStepKind
  at: number
  /** Who recorded it; null for the system (the deadline escalation). */
  actor: { id: string; name: string } | null
  /** The call-back's summary, the measures, the contest's or decision's reason, the citizen's comment. */
  text: string | null
  /** `called_back`: when the call took place. */
  calledAt: number | null
  /** `contest_decided`: whether the contest was upheld. */
  upheld: boolean | null
  /** `rated`: the citizen's verdict. */
  satisfied: boolean | null
  /** `escalated`: the department leaders it went to. */
  staff: { id: string; name: string }[]
  ledger: { log: string; index: number }
}

/** `GET /api/rectifications/{id}` and the answer of every step. */
export interface RectificationDetail extends RectificationView {
  timeline: RectificationStep[]
}

/** `GET /api/rectifications`. */
export interface RectificationList {
  items: RectificationView[]
  total: number
}

/** `POST /api/cases/{id}/rating/invitations`: a one-time counter rating link (the QR code, the counter tablet). */
export interface RatingInvitation {
  id: string
  caseId: string
  /** The one-time token; only its hash is stored. */
  token: string
  /** `/rate/<token>`: the page behind the link, relative to the platform's origin. */
  path: string
  expiresAt: number
}

/** `GET /api/rating-invitations/{token}`: what the link rates, nothing personal (it faces a public hall). */
export interface CounterRatingView {
  matterName: string
  status: 'completed' | 'rejected'
  completedAt: number | null
  department: { id: string; name: string } | null
  expiresAt: number
  /** `open`: rate now; `used`: this link rated the case; `rated`: the case was rated otherwise; `expired`. */
  state: 'open' | 'used' | 'rated' | 'expired'
  /** Once this link gave a bad rating: the rectification it opened, when and by whom. */
  rectification: { dueAt: number; department: { id: string; name: string } | null } | null
}

// ---- The command hall's headline KPIs (GET /api/analytics/kpis) ----------------------------------

/** A headline figure with what it divides, so that it can be checked. */
export interface Headline {
  value: number | null
  numerator: number
  denominator: number
  /** What the seed claims the figure is (星政通5.0). */
  claimed: number
  definition: { zh: string; en: string }
}

export interface KpiFigures {
  submitted: number
  completed: number
  rejected: number
  /** End-to-end time of completed cases: median and 90th percentile (ms), from the histogram. */
  medianMs: number | null
  p90Ms: number | null
  /** Share of cases submitted that took no trip in person (零跑动). */
  zeroTripShare: number | null
  /** Share of completed cases completed within an hour of submission (当场办结). */
  instantShare: number | null
  /** Share of department steps completed within their time limit. */
  onTimeRate: number | null
  /** Share of case ratings that are favourable (score ≥ 4 of 5). */
  satisfactionRate: number | null
  /** 1 − Σ承诺时限 / Σ法定时限 over the cases submitted (each weighted by its process version). */
  compression: number | null
  /** Mean reform score given with ratings (1–5: how much the redesigned process helped). */
  reformScore: number | null
}

export interface VersionFigures extends KpiFigures {
  version: number
}

/** `GET /api/analytics/kpis`: shares are 0..1, null when nothing to divide. */
export interface Kpis extends KpiFigures {
  region: string
  name: string
  from: number
  to: number
  matter: string | null
  version: number | null
  headline: { efficiency: Headline; satisfaction: Headline }
  /** With `matter`: the figures of each of its process versions with cases in the period. */
  versions: VersionFigures[]
}
