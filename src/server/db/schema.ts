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

export interface DB {
  region: RegionTable
  department: DepartmentTable
  account: AccountTable
  staff: StaffTable
  citizen: CitizenTable
  session: SessionTable
  meta: MetaTable
}
