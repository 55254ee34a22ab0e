/**
 * Kysely table types. Time is integer epoch milliseconds in both dialects; booleans are 0/1 integers;
 * lists are JSON text. Stores convert rows to domain models, nothing else sees these types.
 * @module
 */
export interface RegionTable {
  code: string
  name: string
  level: string
  parent_code: string | null
  population: number
  centroid_lon: number | null
  centroid_lat: number | null
  /** GeoJSON geometry as JSON text; null when unknown. */
  geometry: string | null
  updated_at: number
}

export interface DepartmentTable {
  id: string
  name: string
  region_code: string
  kind: string
  created_at: number
  updated_at: number
}

export interface AccountTable {
  id: string
  username: string
  password_hash: string
  kind: 'staff' | 'citizen'
  name: string
  /** Staff: region of the department (jurisdiction root). Citizen: street of residence. */
  region_code: string
  active: number
  /** Salt of the ledger commitments to this account's personal data; erasing it crypto-shreds them. */
  salt: string | null
  created_at: number
  updated_at: number
}

export interface StaffTable {
  account_id: string
  department_id: string
  position: string
  /** JSON array of role names. */
  roles: string
}

export interface CitizenTable {
  account_id: string
  id_number: string
  gender: string
  birth_date: string
  phone: string
}

export interface SessionTable {
  /** SHA-256 (hex) of the bearer token; the token itself is never stored. */
  id: string
  account_id: string
  csrf_token: string
  created_at: number
  expires_at: number
}

export interface MetaTable {
  key: string
  value: string
}

export interface LedgerLogTable {
  id: string
  origin: string
  created_at: number
}

export interface LedgerKeyTable {
  log_id: string
  vkey: string
  created_at: number
}

export interface LedgerLeafTable {
  log_id: string
  idx: number
  time: number
  type: string
  subject: string
  /** RFC 8785 canonical JSON of the event. */
  leaf: Uint8Array
  /** RFC 6962 leaf hash. */
  hash: Uint8Array
  /** Hashes (32 bytes each) of tree levels 1..t completed by this leaf; null when none. */
  nodes: Uint8Array | null
}

export interface LedgerCheckpointTable {
  log_id: string
  size: number
  root: Uint8Array
  /** The signed note (checkpoint body and the log's signature). */
  note: string
  created_at: number
}

export interface LedgerCosignatureTable {
  log_id: string
  size: number
  /** Witness key name. */
  witness: string
  /** The signature line, `— <name> <base64>`. */
  line: string
  created_at: number
}

export interface MatterTable {
  code: string
  name: string
  current_version: number
  created_at: number
  updated_at: number
}

export interface MatterVersionTable {
  matter_code: string
  version: number
  /** matter.json of this version (JSON). */
  definition: string
  /** The form's JSON Schema (JSON). */
  form_schema: string
  /** The BPMN 2.0 XML as deployed. */
  process_xml: string
  /** The compiled process definition the engine runs (JSON). */
  process: string
  deployed_at: number
  /** Who published this version (a staff id; null for versions deployed by the system before teams). */
  published_by: string | null
  /** The publishing team (their department): reform scores of this version are attributed to it. */
  team_id: string | null
}

export interface DataRecordTable {
  source: string
  record_key: string
  /** The citizen the record is about (for a business: its legal representative). */
  citizen_id: string
  owner_department_kind: string
  region_code: string
  /** The record's data (JSON). */
  data: string
  updated_at: number
  /** The official who last changed the record (null when not recorded). */
  updated_by: string | null
  /** The ledger entry that registered the record's current state (null for older records). */
  ledger_log: string | null
  ledger_index: number | null
}

export interface CaseFileTable {
  id: string
  matter_code: string
  matter_version: number
  applicant_id: string
  region_code: string
  channel: 'online' | 'window'
  status: string
  /** The form data (JSON): personal, never in the ledger (which holds its salted commitment). */
  data: string
  salt: string
  /** The workflow engine's instance state (JSON). */
  instance: string
  /** The instance state's revision: optimistic concurrency for every workflow command. */
  revision: number
  /** JSON array of `{path, source, recordKey}`: submitted values contradicting a record. */
  discrepancies: string
  submitted_by: string
  submitted_at: number
  accepted_at: number | null
  completed_at: number | null
  due_at: number
  trips: number
  updated_at: number
}

export interface CaseTaskTable {
  id: string
  case_id: string
  node_id: string
  name: string | null
  kind: 'department' | 'applicant'
  department_id: string | null
  role: string | null
  status: 'open' | 'completed' | 'cancelled'
  outcome: string | null
  comment: string | null
  fields: string
  outcomes: string
  iteration: number
  /** `ok`, `warned` or `breached`. */
  sla: string
  assignee_id: string | null
  created_at: number
  due_at: number | null
  completed_at: number | null
  /** Ledger position of the event that closed the task (or opened it while open). */
  ledger_log: string | null
  ledger_index: number | null
}

export interface CaseTimerTable {
  id: string
  case_id: string
  task_id: string
  due_at: number
  status: 'pending' | 'fired' | 'cancelled'
  fired_at: number | null
}

/** A durable job or timer of the scheduler module (see the scheduler migration). */
export interface SchedulerJobTable {
  id: string
  kind: string
  key: string
  /** JSON. */
  payload: string
  region_code: string
  due_at: number
  status: 'pending' | 'running' | 'done' | 'failed' | 'dead' | 'cancelled'
  attempts: number
  max_attempts: number
  last_error: string | null
  lease_owner: string | null
  lease_until: number | null
  created_at: number
  finished_at: number | null
}

/** A published version of a governance policy (see the policy migration). */
export interface PolicyVersionTable {
  kind: string
  version: number
  effective_at: number
  /** JSON. */
  body: string
  digest: string
  note: string | null
  published_by: string
  published_at: number
  ledger_log: string
  ledger_index: number
}

/** A city's, county's or street's override of some fields of a policy kind (see its migration). */
export interface PolicyOverrideTable {
  id: string
  kind: string
  region_code: string
  level: 'city' | 'county' | 'street'
  seq: number
  /** JSON array of `{path, value}`. */
  overrides: string
  effective_at: number
  note: string | null
  published_by: string
  published_at: number
  retired_at: number | null
  retired_by: string | null
  ledger_log: string
  ledger_index: number
}

/** An official's organisation evaluation for a period (see the org evaluation migration). */
export interface OrgEvaluationTable {
  staff_id: string
  /** `2026`, `2026-Q4` or `2026-11`. */
  period: string
  /** 0–100. */
  score: number
  comment: string | null
  salt: string
  revision: number
  entered_by: string
  entered_at: number
  ledger_log: string
  ledger_index: number
}

/** A contest of a fact on an official's own scorecard (see the fact contest migration). */
export interface FactContestTable {
  id: string
  staff_id: string
  /** The contesting official's department: where a superior decides. */
  department_id: string
  region_code: string
  period: string
  indicator: string
  ref_kind: string
  ref_id: string
  fact_key: string
  fact_at: number
  fact_ledger_log: string
  fact_ledger_index: number
  reason: string
  salt: string
  /** pending, upheld or rejected. */
  status: string
  decided_by: string | null
  decision: string | null
  created_at: number
  decided_at: number | null
  ledger_log: string
  ledger_index: number
  decision_ledger_log: string | null
  decision_ledger_index: number | null
}

/** 好差评 of a finished case (see the ratings migration). */
export interface CaseRatingTable {
  case_id: string
  applicant_id: string
  score: number
  reform_score: number | null
  /** JSON array of tag codes. */
  tags: string
  comment: string | null
  salt: string
  matter_code: string
  matter_version: number
  department_id: string | null
  region_code: string
  policy: string
  rated_at: number
  ledger_log: string
  ledger_index: number
  /** 1 once a contest found the review false (kept, skipped by assessment). */
  excluded: number
  /** `online` (the applicant signed in) or `counter` (a window's rating link, tablet or QR code). */
  channel: 'online' | 'counter'
  /** The window clerk who opened the counter rating link. */
  invited_by: string | null
  /** The team that published the rated process version (see `matter_version.team_id`). */
  team_id: string | null
}

/** A one-time counter rating link for a finished case (see the counter rating migration). */
export interface RatingInvitationTable {
  id: string
  /** base64url SHA-256 of the token; the token itself is only in the link. */
  token_hash: string
  case_id: string
  invited_by: string
  created_at: number
  expires_at: number
  used_at: number | null
  ledger_log: string
  ledger_index: number
}

/** A rectification (整改) a bad rating opened (see the ratings and rectification lifecycle migrations). */
export interface RectificationTable {
  id: string
  case_id: string
  department_id: string | null
  region_code: string
  status: 'open' | 'called_back' | 'rectified' | 'closed' | 'void'
  due_at: number
  policy: string
  created_at: number
  ledger_log: string
  ledger_index: number
  /** The contest of the rating: null (none), pending, upheld or rejected. */
  contest: 'pending' | 'upheld' | 'rejected' | null
  /** When the deadline passed unrectified and the department's leaders were told; null before. */
  escalated_at: number | null
  /** Bumped by every change (a change commits only against the revision it read). */
  revision: number
}

/** One step of a rectification: at most one of each kind. */
export interface RectificationStepTable {
  rectification_id: string
  kind: 'called_back' | 'escalated' | 'rectified' | 'contested' | 'contest_decided' | 'rated'
  at: number
  /** Account id, or `system` (the deadline job). */
  actor_id: string
  /** The call-back's summary, the measures, a contest's or decision's reason, the citizen's comment. */
  text: string | null
  /** Salt of the text's commitment in the ledger. */
  salt: string | null
  /** The call-back: when the call took place (epoch ms). */
  called_at: number | null
  /** A contest decision: 1 upheld, 0 rejected. The citizen's verdict: 1 satisfied, 0 not. */
  verdict: number | null
  /** The escalation: JSON array of the leaders' account ids. */
  staff_ids: string | null
  ledger_log: string
  ledger_index: number
}

/** An appeal (诉求), see the appeals migration. */
export interface AppealTable {
  id: string
  kind: string
  category: string
  channel: string
  text: string
  lat: number | null
  lng: number | null
  region_code: string
  case_id: string | null
  citizen_id: string | null
  filed_by: string
  /** JSON `{name?, phone?}` of a hotline or window caller, or null. */
  contact: string | null
  /** JSON array of attachment ids. */
  attachments: string
  salt: string
  status: string
  department_id: string
  handler_id: string | null
  round: number
  respond_due_at: number
  resolve_due_at: number
  responded_at: number | null
  resolved_at: number | null
  closed_at: number | null
  response: string | null
  resolution: string | null
  satisfaction: string | null
  reopened: number
  merged_into: string | null
  concern: string
  routing_rule: string
  routing_policy: string
  deadline_policy: string
  escalation_policy: string
  created_at: number
  updated_at: number
}

/** A step of an appeal's timeline, with its ledger entry. */
export interface AppealStepTable {
  id: string
  appeal_id: string
  type: string
  at: number
  actor_id: string
  /** JSON: the step's own data (texts as written; the ledger holds commitments). */
  data: string
  ledger_log: string
  ledger_index: number
}

/** An escalation a missed deadline (or a dissatisfied citizen) triggered. */
export interface AppealEscalationTable {
  id: string
  appeal_id: string
  round: number
  stage: string
  step: number
  level: string
  /** JSON array of staff ids. */
  to_ids: string
  at: number
  policy: string
  ledger_log: string
  ledger_index: number
}

/** A revision of an appeal's responsibility chain. */
export interface AppealChainTable {
  appeal_id: string
  revision: number
  policy: string
  rule: string | null
  /** JSON array of links. */
  links: string
  /** JSON array of the rules tried. */
  trace: string
  /** Why it was (re)built: filed, accepted, rerouted, policy, contest. */
  cause: string
  built_at: number
  ledger_log: string
  ledger_index: number
}

/** A rectification's responsibility chain. */
export interface RectificationChainTable {
  rectification_id: string
  policy: string
  rule: string | null
  links: string
  trace: string
  built_at: number
  ledger_log: string
  ledger_index: number
}

/** An official's contest of their link in a chain, and their superior's decision. */
export interface ChainContestTable {
  id: string
  appeal_id: string
  revision: number
  staff_id: string
  department_id: string
  reason: string
  status: string
  decided_by: string | null
  decision: string | null
  created_at: number
  decided_at: number | null
  ledger_log: string
  ledger_index: number
  decision_ledger_log: string | null
  decision_ledger_index: number | null
}

export interface CaseEventTable {
  id: string
  case_id: string
  type: string
  at: number
  actor_id: string
  task_id: string | null
  data: string
  ledger_log: string
  ledger_index: number
}

export interface DataAccessTable {
  id: string
  citizen_id: string
  staff_id: string
  case_id: string
  what: string
  at: number
  flagged: number
  ledger_log: string
  ledger_index: number
  /** The official's department and its region when they looked (null only for the system). */
  department_id: string | null
  region_code: string | null
  /** A supervisor's review of a flagged access; all four null until reviewed. */
  reviewed_by: string | null
  reviewed_at: number | null
  review_verdict: 'justified' | 'unjustified' | null
  /** Kept here (it may name people); the ledger holds its salted commitment. */
  review_note: string | null
  /** Index of the review's ledger event, in `ledger_log` (both events belong to the case's city). */
  review_ledger_index: number | null
}

/** One distinct file content, stored once however many uploads share it. */
export interface AttachmentBlobTable {
  /** SHA-256 of `content`, lowercase hex: re-checked on every read. */
  sha256: string
  size: number
  content: Uint8Array
  created_at: number
}

/** One uploaded file: whose it is, what it is called, and the case it was handed in with. */
export interface AttachmentTable {
  id: string
  /** The citizen account the file belongs to (the applicant of the case it is bound to). */
  owner_id: string
  /** Who uploaded it: the citizen, or a window clerk on their behalf. */
  uploaded_by: string
  sha256: string
  size: number
  media_type: string
  filename: string
  created_at: number
  /** The case that holds it; null until a submission (or supplement) binds it. Never rebound. */
  case_id: string | null
  bound_at: number | null
}

/** An Open311 client's API key (only its SHA-256 is kept) and the region it files in. */
export interface Open311KeyTable {
  id: string
  name: string
  /** SHA-256 of the key, lowercase hex. */
  digest: string
  region_code: string
  created_by: string
  created_at: number
  revoked_by: string | null
  revoked_at: number | null
  /** Where `open311.key_issued` is. */
  ledger_log: string
  ledger_index: number
}

/** An appeal filed through Open311: the key that filed it and the client's token for it. */
export interface Open311RequestTable {
  appeal_id: string
  key_id: string
  token: string
  created_at: number
  /** The client's `media_url` (a photo it hosts), or null. */
  media_url: string | null
  /** Where `open311.request_received` is. */
  ledger_log: string
  ledger_index: number
}

/**
 * A durable consumer of the ledger's event tail: the cursor after the last event handed to it (text
 * form of ledger.cursor.ts; empty: the start of every log), moved in the transaction of its effects.
 */
export interface EventConsumerTable {
  name: string
  tail_cursor: string
  created_at: number
  updated_at: number
}

/** A rollup counter (analytics module): see migration 20261208000000_analytics. */
export interface AnalyticsRollupTable {
  measure: string
  unit_kind: string
  unit_id: string
  grain: string
  bucket: number
  dim: string
  n: number
  total: number
}

/** What the rollup consumer remembers of a case. */
export interface AnalyticsCaseTable {
  case_id: string
  region_code: string
  submitted_at: number
  ended: number
  /** `matter:<matter>@<version>` ('' when unknown): migration 20261209000000_analytics_appeals. */
  matter: string
  /** The rating as counted (JSON of the analytics model's RatingMemo), null before one. */
  rating: string | null
}

/** What the rollup consumer remembers of an appeal: migration 20261209000000_analytics_appeals. */
export interface AnalyticsAppealTable {
  appeal_id: string
  region_code: string
  department_id: string | null
  filed_at: number
  responded: number
  resolved: number
}

/** What the rollup consumer remembers of an open department step. */
export interface AnalyticsTaskTable {
  task_id: string
  case_id: string
  department_id: string
  created_at: number
  due_at: number | null
}

export interface DB {
  region: RegionTable
  department: DepartmentTable
  account: AccountTable
  staff: StaffTable
  citizen: CitizenTable
  session: SessionTable
  meta: MetaTable
  ledger_log: LedgerLogTable
  ledger_key: LedgerKeyTable
  ledger_leaf: LedgerLeafTable
  ledger_checkpoint: LedgerCheckpointTable
  ledger_cosignature: LedgerCosignatureTable
  matter: MatterTable
  matter_version: MatterVersionTable
  data_record: DataRecordTable
  case_file: CaseFileTable
  case_task: CaseTaskTable
  case_timer: CaseTimerTable
  case_event: CaseEventTable
  scheduler_job: SchedulerJobTable
  policy_version: PolicyVersionTable
  policy_override: PolicyOverrideTable
  org_evaluation: OrgEvaluationTable
  fact_contest: FactContestTable
  case_rating: CaseRatingTable
  rating_invitation: RatingInvitationTable
  rectification: RectificationTable
  appeal: AppealTable
  appeal_step: AppealStepTable
  appeal_escalation: AppealEscalationTable
  appeal_chain: AppealChainTable
  chain_contest: ChainContestTable
  rectification_step: RectificationStepTable
  rectification_chain: RectificationChainTable
  data_access: DataAccessTable
  attachment_blob: AttachmentBlobTable
  attachment: AttachmentTable
  open311_key: Open311KeyTable
  open311_request: Open311RequestTable
  event_consumer: EventConsumerTable
  analytics_rollup: AnalyticsRollupTable
  analytics_case: AnalyticsCaseTable
  analytics_task: AnalyticsTaskTable
  analytics_appeal: AnalyticsAppealTable
}
