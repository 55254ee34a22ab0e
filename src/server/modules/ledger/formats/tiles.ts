/**
 * tlog-tiles (c2sp.org/tlog-tiles): the static layout a log serves beside its checkpoint. A tile at level L
 * holds up to 256 consecutive node hashes of tree level 8L; hash i of tile (L, N) is node (8L, 256N + i),
 * the MTH of leaves [(256N + i)·256^L, (256N + i + 1)·256^L). Entry bundles hold the leaf data of level-0
 * tiles, each entry prefixed with its big-endian uint16 length.
 *
 * Paths: `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, N written in 3-digit groups where all but
 * the last start with "x" (1234067 → x001/x234/067), W (1..255) only for partial tiles. The older Go sumdb
 * layout `tile/<H>/<L>/<N>[.p/<W>]` (explicit height, "data" for entries) is supported for interop tests.
 * @module
 */
import { LedgerFormatError } from './errors.js'
import type { NodeId } from './merkle.js'

/** Levels of the Merkle tree per tile level. */
export const TILE_HEIGHT = 8
/** Hashes (or entries) in a full tile (or bundle). */
export const TILE_WIDTH = 256
/** Largest entry an entry bundle can hold (uint16 length prefix). */
export const MAX_ENTRY_SIZE = 0xffff

/** A parsed C2SP tile path. */
export type TilePath =
  | { kind: 'hashes'; level: number; index: number; width: number }
  | { kind: 'entries'; index: number; width: number }

/** A Go sumdb tile (height H explicit; level −1 means the data tile). */
export interface SumdbTile {
  /** Tile height: log2 of the full width (1..30). */
  height: number
  /** Tile level, or −1 for data ("data" in paths). */
  level: number
  /** Tile index within its level. */
  index: number
  /** Number of hashes (1..2^height). */
  width: number
}

function badPath(path: string, why: string): LedgerFormatError {
  return new LedgerFormatError('malformed-tile-path', `bad tile path ${JSON.stringify(path)}: ${why}`)
}

function checkIndex(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new LedgerFormatError('invalid-argument', `${what} ${String(n)} is not an integer in [0, 2^53 − 1]`)
  }
}

/** Writes a tile index in 3-digit groups, all but the last prefixed with "x" (1234067 → x001/x234/067). */
export function formatTileIndex(index: number): string {
  checkIndex(index, 'tile index')
  let n = index
  let out = String(n % 1000).padStart(3, '0')
  while (n >= 1000) {
    n = Math.floor(n / 1000)
    out = `x${String(n % 1000).padStart(3, '0')}/${out}`
  }
  return out
}

function widthSuffix(width: number | undefined, full: number): string {
  if (width === undefined || width === full) return ''
  if (!Number.isInteger(width) || width < 1 || width > full) {
    throw new LedgerFormatError('invalid-argument', `tile width ${String(width)} is not in 1..${full}`)
  }
  return `.p/${width}`
}

/** The path of hash tile (level, index); a width below 256 makes it a partial tile. */
export function tilePath(level: number, index: number, width?: number): string {
  if (!Number.isInteger(level) || level < 0 || level > 63) {
    throw new LedgerFormatError('invalid-argument', `tile level ${String(level)} is not in 0..63`)
  }
  return `tile/${level}/${formatTileIndex(index)}${widthSuffix(width, TILE_WIDTH)}`
}

/** The path of entry bundle `index`; a width below 256 makes it a partial bundle. */
export function entriesPath(index: number, width?: number): string {
  return `tile/entries/${formatTileIndex(index)}${widthSuffix(width, TILE_WIDTH)}`
}

const INDEX_RE = /^((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([0-9]+))?$/

/** Reads "x001/x234/067[.p/W]"; returns undefined unless each group is 3 digits. */
function parseIndexAndWidth(rest: string): { index: number; width: string | undefined } | undefined {
  const m = INDEX_RE.exec(rest)
  if (m === null) return undefined
  let index = 0
  for (const group of m[1]!.split('/')) index = index * 1000 + Number(group.replace('x', ''))
  if (!Number.isSafeInteger(index)) return undefined
  return { index, width: m[2] }
}

/**
 * Parses a C2SP tile or entry-bundle path, rejecting anything that is not in canonical form (leading
 * zeros, a missing "x", a full width written as .p/256, a level above 63, an index beyond 2^53 − 1).
 */
export function parseTilePath(path: string): TilePath {
  if (typeof path !== 'string' || !path.startsWith('tile/'))
    throw badPath(String(path), 'it does not start with tile/')
  const slash = path.indexOf('/', 5)
  if (slash < 0) throw badPath(path, 'no tile index')
  const head = path.slice(5, slash)
  const parsed = parseIndexAndWidth(path.slice(slash + 1))
  if (parsed === undefined)
    throw badPath(path, 'the index must be 3-digit groups, all but the last starting with x')
  let width = TILE_WIDTH
  if (parsed.width !== undefined) {
    width = Number(parsed.width)
    if (!/^[1-9][0-9]*$/.test(parsed.width) || width > TILE_WIDTH - 1)
      throw badPath(path, 'a partial width must be 1..255')
  }
  let result: TilePath
  if (head === 'entries') {
    result = { kind: 'entries', index: parsed.index, width }
  } else {
    if (!/^(?:0|[1-9][0-9]?)$/.test(head) || Number(head) > 63) throw badPath(path, 'the level must be 0..63')
    result = { kind: 'hashes', level: Number(head), index: parsed.index, width }
  }
  // Canonical form: formatting the parsed value must give the same text (rejects e.g. "x000/001").
  const again =
    result.kind === 'entries'
      ? entriesPath(result.index, result.width)
      : tilePath(result.level, result.index, result.width)
  if (again !== path) throw badPath(path, 'not in canonical form')
  return result
}

/** The tree node stored as hash `i` of tile (level, index): node (8·level, 256·index + i). */
export function tileHashNode(level: number, index: number, i: number): NodeId {
  checkIndex(index, 'tile index')
  if (!Number.isInteger(level) || level < 0 || level > 6)
    throw new LedgerFormatError('invalid-argument', `tile level ${String(level)} is not in 0..6`)
  if (!Number.isInteger(i) || i < 0 || i >= TILE_WIDTH)
    throw new LedgerFormatError('invalid-argument', `tile hash position ${String(i)} is not in 0..255`)
  return { level: TILE_HEIGHT * level, index: TILE_WIDTH * index + i }
}

/** Where node `node` is stored in the tiles: (tile level, tile index, position), or undefined if its level is not a multiple of 8. */
export function nodeTile(node: NodeId): { level: number; index: number; position: number } | undefined {
  if (node.level % TILE_HEIGHT !== 0) return undefined
  return {
    level: node.level / TILE_HEIGHT,
    index: Math.floor(node.index / TILE_WIDTH),
    position: node.index % TILE_WIDTH,
  }
}

/** How many tiles of each level a tree has: full tiles, and the width of the partial one (0 if none). */
export interface TileLevelLayout {
  /** Tile level. */
  level: number
  /** Number of full (256-wide) tiles at this level. */
  fullTiles: number
  /** Width of the trailing partial tile, or 0 when there is none. */
  partialWidth: number
}

/**
 * The tiles a tree of `treeSize` leaves is served as: level L holds floor(size / 256^L) hashes, in full tiles
 * of 256 and one partial tile of the remainder. Levels with no hash are omitted.
 */
export function tileLayout(treeSize: number): TileLevelLayout[] {
  checkIndex(treeSize, 'tree size')
  const levels: TileLevelLayout[] = []
  for (let level = 0; ; level++) {
    const count = Math.floor(treeSize / TILE_WIDTH ** level)
    if (count === 0) break
    levels.push({ level, fullTiles: Math.floor(count / TILE_WIDTH), partialWidth: count % TILE_WIDTH })
  }
  return levels
}

/** Concatenates entries into an entry bundle, each prefixed by its big-endian uint16 length. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length > TILE_WIDTH) {
    throw new LedgerFormatError(
      'malformed-bundle',
      `an entry bundle holds at most ${TILE_WIDTH} entries, not ${entries.length}`,
    )
  }
  let total = 0
  for (const [i, e] of entries.entries()) {
    if (e.length > MAX_ENTRY_SIZE) {
      throw new LedgerFormatError(
        'malformed-bundle',
        `entry ${i} is ${e.length} bytes; an entry bundle allows at most ${MAX_ENTRY_SIZE}`,
      )
    }
    total += 2 + e.length
  }
  const out = Buffer.alloc(total)
  let offset = 0
  for (const e of entries) {
    out.writeUInt16BE(e.length, offset)
    out.set(e, offset + 2)
    offset += 2 + e.length
  }
  return out
}

/** Splits an entry bundle into its entries (views into `bundle`); rejects truncation and more than 256 entries. */
export function decodeEntryBundle(bundle: Uint8Array): Uint8Array[] {
  const entries: Uint8Array[] = []
  let offset = 0
  while (offset < bundle.length) {
    if (entries.length === TILE_WIDTH)
      throw new LedgerFormatError('malformed-bundle', `the bundle has more than ${TILE_WIDTH} entries`)
    if (offset + 2 > bundle.length)
      throw new LedgerFormatError('malformed-bundle', `truncated length prefix at byte ${offset}`)
    const length = (bundle[offset]! << 8) | bundle[offset + 1]!
    const start = offset + 2
    if (start + length > bundle.length)
      throw new LedgerFormatError('malformed-bundle', `entry ${entries.length} is truncated`)
    entries.push(bundle.subarray(start, start + length))
    offset = start + length
  }
  return entries
}

// ---------------------------------------------------------------------------------------------------------
// Go sumdb layout (golang.org/x/mod/sumdb/tlog): tile/<H>/<L>/<N>[.p/<W>], "data" for level −1.

/** The Go sumdb path of a tile. */
export function sumdbTilePath(tile: SumdbTile): string {
  const { height, level, index, width } = tile
  if (!Number.isInteger(height) || height < 1 || height > 30)
    throw new LedgerFormatError('invalid-argument', `tile height ${String(height)} is not in 1..30`)
  if (!Number.isInteger(level) || level < -1)
    throw new LedgerFormatError('invalid-argument', `tile level ${String(level)} is below −1`)
  return `tile/${height}/${level === -1 ? 'data' : level}/${formatTileIndex(index)}${widthSuffix(width, 2 ** height)}`
}

/** Parses a Go sumdb tile path (canonical form only, as Go's ParseTilePath). */
export function parseSumdbTilePath(path: string): SumdbTile {
  const m = typeof path === 'string' ? /^tile\/([0-9]+)\/(data|[0-9]+)\/(.+)$/.exec(path) : null
  if (m === null) throw badPath(String(path), 'expected tile/<H>/<L>/<N>')
  const height = Number(m[1])
  const level = m[2] === 'data' ? -1 : Number(m[2])
  const parsed = parseIndexAndWidth(m[3]!)
  if (parsed === undefined || height < 1 || height > 30 || !Number.isSafeInteger(level))
    throw badPath(path, 'malformed height, level or index')
  const full = 2 ** height
  let width = full
  if (parsed.width !== undefined) {
    width = Number(parsed.width)
    if (width < 1 || width >= full) throw badPath(path, `a partial width must be 1..${full - 1}`)
  }
  const tile = { height, level, index: parsed.index, width }
  if (sumdbTilePath(tile) !== path) throw badPath(path, 'not in canonical form')
  return tile
}
