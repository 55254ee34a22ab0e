/**
 * Window intake (窗口受理) of citizens: a clerk finds the citizen in front of them by identity number or
 * name, seeing masked results only, and each citizen shown is recorded as a data access (the citizen
 * sees it under "who looked at my data", the audit replays it); or the clerk registers them on the spot.
 * A use case over two modules, organisation (the accounts) and data access (the record of the look),
 * kept apart so neither depends on the other.
 * @module
 */
import type { Principal } from '../../access.js'
import type { CitizenMatch, RegisterCitizenInput } from '../../../shared/api.js'
import { assertCan } from '../../../shared/permissions.js'
import type { DataAccessService } from '../data-access/data-access.service.js'
import { maskIdNumber, maskName, maskPhone, type CitizenProfile } from '../org/index.js'
import type { OrgService } from '../org/org.service.js'
import type { RegionService } from '../regions/regions.service.js'
import { LOOKUP_LIMIT, parseCitizenQuery } from './intake.model.js'

export class IntakeService {
  constructor(
    private readonly org: OrgService,
    private readonly dataAccess: DataAccessService,
    private readonly regions: RegionService,
  ) {}

  /**
   * Citizens matching a full identity number or a full name, masked, at most {@link LOOKUP_LIMIT};
   * each one shown is recorded as a data access before the answer leaves.
   * @throws FORBIDDEN (no `citizen.lookup`), VALIDATION_FAILED (see `parseCitizenQuery`)
   */
  async lookup(principal: Principal, query: string): Promise<CitizenMatch[]> {
    assertCan(principal, 'citizen.lookup')
    const q = parseCitizenQuery(query)
    const found = await this.org.findCitizensBy(
      q.by === 'idNumber' ? { idNumber: q.idNumber } : { name: q.name },
      LOOKUP_LIMIT,
    )
    await this.dataAccess.recordLookup(principal, found, q.by)
    return this.toMatches(found)
  }

  /**
   * Registers the citizen at the window and answers them as a look-up would (masked).
   * @throws see `OrgService.registerCitizen`
   */
  async register(principal: Principal, input: RegisterCitizenInput): Promise<CitizenMatch> {
    const created = await this.org.registerCitizen(principal, input)
    const [match] = await this.toMatches([created])
    return match!
  }

  private async toMatches(citizens: readonly CitizenProfile[]): Promise<CitizenMatch[]> {
    const names = new Map<string, Promise<string>>()
    const regionName = (code: string): Promise<string> => {
      let name = names.get(code)
      if (!name) {
        name = this.regions.findRegion(code).then((r) => r?.name ?? code)
        names.set(code, name)
      }
      return name
    }
    return Promise.all(
      citizens.map(async (c) => ({
        id: c.id,
        nameMasked: maskName(c.name),
        idNumberMasked: maskIdNumber(c.idNumber),
        phoneMasked: maskPhone(c.phone),
        gender: c.gender,
        regionCode: c.regionCode,
        regionName: await regionName(c.regionCode),
      })),
    )
  }
}
