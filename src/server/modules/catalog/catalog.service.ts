/**
 * The service catalogue (事项): matters with their one form, materials, committed time limits and
 * BPMN process, deployed as immutable versions. A new version never changes a case already running
 * (cases keep the version they started on). Deployments are administrator actions in the ledger.
 * @module
 */
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import type { Kysely } from 'kysely'
import { SYSTEM, type Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { DB } from '../../db/schema.js'
import type { MatterDetail, MatterSummary, PrefillResult } from '../../../shared/api.js'
import { AppError, notFound } from '../../../shared/errors.js'
import { assertCan } from '../../../shared/permissions.js'
import type { DataPlatformService } from '../dataplatform/dataplatform.service.js'
import { actorOf, subjectOf, type Replayer } from '../ledger/index.js'
import { catalogReplayer, digest } from './catalog.replayer.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { RegionService } from '../regions/regions.service.js'
import { DeployError, definitionKey, definitionToJSON, parseProcess } from '../workflow/engine/index.js'
import {
  parseMatterDefinition,
  prefillForm,
  toDetail,
  toSummary,
  type MatterVersionRecord,
} from './catalog.model.js'
import { FORM_FORMATS, type FormSchema } from './forms.model.js'
import * as store from './catalog.store.js'

export interface DeployInput {
  /** matter.json of the version. */
  matter: unknown
  formSchema: unknown
  processXml: string
}

export class CatalogService {
  private readonly ajv = addFormats.default(new Ajv({ strict: false, allErrors: true }))
  private readonly versions = new Map<string, MatterVersionRecord>()

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly regions: RegionService,
    private readonly dataPlatform: DataPlatformService,
  ) {
    for (const [name, re] of Object.entries(FORM_FORMATS)) this.ajv.addFormat(name, re)
  }

  async listMatters(): Promise<MatterSummary[]> {
    return (await store.listCurrent(this.db)).map(toSummary)
  }

  /** The current version of a matter (or `version`), with its form. @throws NOT_FOUND */
  async getMatter(code: string, version?: number): Promise<MatterDetail> {
    const v = await this.getVersion(code, version)
    return toDetail(v, await store.listVersionNumbers(this.db, code))
  }

  /**
   * A deployed version, for the case module. Versions never change once deployed, so each is read and
   * compiled (process definition, FEEL conditions) once per process and kept.
   * @throws NOT_FOUND
   */
  async getVersion(code: string, version?: number): Promise<MatterVersionRecord> {
    const number = version ?? (await store.findCurrentVersionNumber(this.db, code))
    const cached = number === undefined ? undefined : this.versions.get(`${code}@${number}`)
    if (cached) return cached
    const v = number === undefined ? undefined : await store.findVersion(this.db, code, number)
    if (!v) throw notFound('matter', version === undefined ? code : `${code}@${version}`)
    this.versions.set(`${code}@${v.version}`, v)
    return v
  }

  /** The BPMN XML of a version (for the process designer). @throws NOT_FOUND */
  async processXml(code: string, version?: number): Promise<string> {
    return (await this.getVersion(code, version)).processXml
  }

  /**
   * The form of a matter prefilled from what the government holds about the calling citizen, with the
   * source of every value (`matter.prefill`: one's own records only). A window clerk never gets it:
   * at the window the applicant's documents are the source, and the submission is compared with the
   * records instead (a recorded data access).
   * @throws FORBIDDEN (not a citizen), NOT_FOUND
   */
  async prefill(principal: Principal, code: string): Promise<PrefillResult> {
    assertCan(principal, 'matter.prefill', { ownerId: principal.accountId })
    const v = await this.getVersion(code)
    return prefillForm(v.formSchema, await this.dataPlatform.recordsOf(principal.accountId))
  }

  /**
   * Deploys a matter version: the definition, the form (must compile) and the process (must deploy on
   * the engine, for this matter and version). Deploying the same version again with the same content
   * does nothing; with other content it is refused, versions being immutable.
   * The catalogue is province-wide (every matter is offered in every region and recorded in the
   * province log), so deploying needs a `matter.deploy` grant that reaches the province root: a city
   * administrator is refused.
   * @throws FORBIDDEN, INVALID_INPUT (with `details.problems` for the process), CONFLICT
   */
  async deploy(principal: Principal, input: DeployInput): Promise<MatterSummary> {
    assertCan(principal, 'matter.deploy')
    let definition
    try {
      definition = parseMatterDefinition(input.matter, 'matter')
    } catch (err) {
      throw new AppError('INVALID_INPUT', (err as Error).message)
    }
    try {
      this.ajv.compile(input.formSchema as object)
    } catch (err) {
      throw new AppError('INVALID_INPUT', `the form schema does not compile: ${(err as Error).message}`)
    }
    let process
    try {
      process = await parseProcess(input.processXml)
    } catch (err) {
      if (err instanceof DeployError) {
        throw new AppError(
          'INVALID_INPUT',
          `the process cannot be deployed: ${err.problems[0]?.elementId}: ${err.problems[0]?.message}`,
          {
            details: { problems: err.problems },
          },
        )
      }
      throw err
    }
    if (process.matter !== definition.code || process.version !== definition.version) {
      throw new AppError(
        'INVALID_INPUT',
        `the process is for ${definitionKey(process.matter, process.version)}, the matter is ${definition.code}@${definition.version}`,
      )
    }
    const existing = await store.findVersion(this.db, definition.code, definition.version)
    const formText = JSON.stringify(input.formSchema)
    if (existing) {
      if (
        existing.processXml === input.processXml &&
        JSON.stringify(existing.formSchema) === formText &&
        JSON.stringify(existing.definition) === JSON.stringify(definition)
      ) {
        return toSummary(existing)
      }
      throw new AppError(
        'CONFLICT',
        `${definition.code} version ${definition.version} is deployed already; versions are immutable, deploy version ${definition.version + 1}`,
      )
    }
    const province = await this.regions.provinceCode()
    assertCan(principal, 'matter.deploy', { regionCode: province })
    const now = this.clock.now()
    // The system (seeding, imports) publishes for nobody; a person publishes for their unit.
    const publishedBy = principal.accountId === SYSTEM.accountId ? null : principal.accountId
    const teamId = publishedBy === null ? null : principal.departmentId
    const record: MatterVersionRecord = {
      code: definition.code,
      version: definition.version,
      definition,
      formSchema: input.formSchema as FormSchema,
      processXml: input.processXml,
      process,
      deployedAt: now,
      publishedBy,
      teamId,
    }
    await this.db.transaction().execute(async (trx) => {
      await store.upsertMatter(trx, definition.code, definition.name, definition.version, now)
      await store.insertVersion(trx, {
        matter_code: definition.code,
        version: definition.version,
        definition: JSON.stringify(definition),
        form_schema: formText,
        process_xml: input.processXml,
        process: JSON.stringify(definitionToJSON(process)),
        deployed_at: now,
        published_by: publishedBy,
        team_id: teamId,
      })
      await this.ledger.append(trx, {
        type: 'matter.deployed',
        subject: subjectOf('matter', `${definition.code}@${definition.version}`),
        regionCode: province,
        actor: actorOf(principal),
        data: {
          code: definition.code,
          version: definition.version,
          slaDays: definition.slaDays,
          definition: digest(JSON.stringify(definition)),
          form: digest(formText),
          process: digest(input.processXml),
          team: teamId,
        },
      })
    })
    return toSummary(record)
  }

  /** The audit's replay of deployed versions. */
  replayer(): Replayer {
    return catalogReplayer(this.db)
  }

  async isEmpty(): Promise<boolean> {
    return (await store.countMatters(this.db)) === 0
  }
}
