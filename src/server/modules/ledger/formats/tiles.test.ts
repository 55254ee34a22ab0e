import { describe, expect, it } from 'vitest'
import { LedgerFormatError } from './errors.js'
import { completedNodes, storageRowOf } from './merkle.js'
import {
  decodeEntryBundle,
  encodeEntryBundle,
  entriesPath,
  formatTileIndex,
  nodeTile,
  parseSumdbTilePath,
  parseTilePath,
  sumdbTilePath,
  tileHashNode,
  tileLayout,
  tilePath,
} from './tiles.js'
import { loadVectors, named } from './vectors.testutil.js'

const v = loadVectors('tiles_vectors.json')

describe('Go sumdb tile paths', () => {
  it.each(named<any>(v.sumdb_tile_paths, (t) => t.path))('%s', (_p, t: any) => {
    if (!t.valid) {
      expect(() => parseSumdbTilePath(t.path)).toThrow(LedgerFormatError)
      return
    }
    expect(parseSumdbTilePath(t.path)).toEqual({ height: t.H, level: t.L, index: t.N, width: t.W })
    expect(sumdbTilePath({ height: t.H, level: t.L, index: t.N, width: t.W })).toBe(t.path)
  })
})

describe('C2SP tile paths', () => {
  it.each((v.c2sp_index_encoding as any[]).map((c) => [c.index, c.encoded] as [number, string]))(
    'encodes index %i as %s',
    (index, encoded) => {
      expect(formatTileIndex(index)).toBe(encoded)
      expect(parseTilePath(`tile/0/${encoded}`)).toEqual({
        kind: 'hashes',
        level: 0,
        index,
        width: 256,
      })
      expect(parseTilePath(`tile/entries/${encoded}.p/7`)).toEqual({
        kind: 'entries',
        index,
        width: 7,
      })
    },
  )

  it('formats and parses full and partial tiles', () => {
    expect(tilePath(0, 1234067)).toBe('tile/0/x001/x234/067')
    expect(tilePath(2, 0, 17)).toBe('tile/2/000.p/17')
    expect(tilePath(1, 0, 256)).toBe('tile/1/000')
    expect(entriesPath(273, 112)).toBe('tile/entries/273.p/112')
    expect(tilePath(63, 2 ** 53 - 1)).toBe('tile/63/x009/x007/x199/x254/x740/991')
    expect(parseTilePath('tile/63/x009/x007/x199/x254/x740/991')).toEqual({
      kind: 'hashes',
      level: 63,
      index: 2 ** 53 - 1,
      width: 256,
    })
    expect(() => tilePath(64, 0)).toThrow(LedgerFormatError)
    expect(() => tilePath(0, 0, 0)).toThrow(LedgerFormatError)
    expect(() => tilePath(0, -1)).toThrow(LedgerFormatError)
  })

  it('rejects malformed paths', () => {
    const bad = [
      'tile/0/1',
      'tile/0/01',
      'tile/0/0001',
      'tile/00/001',
      'tile/64/001',
      'tile/-1/001',
      'tile/0/123/456',
      'tile/0/x123',
      'tile/0/x000/001',
      'tile/0/001.p/0',
      'tile/0/001.p/256',
      'tile/0/001.p/07',
      'tile/0/001.p/',
      'tile/entries/001.p/256',
      'tile/data/001',
      'tiles/0/001',
      '/tile/0/001',
      'tile/0/001/',
      'tile/0/x010/x000/x000/x000/x000/x000/000',
    ]
    for (const p of bad) expect(() => parseTilePath(p), p).toThrow(LedgerFormatError)
  })

  it('maps tile hashes to tree nodes and back', () => {
    expect(tileHashNode(0, 3, 5)).toEqual({ level: 0, index: 3 * 256 + 5 })
    expect(tileHashNode(2, 1, 255)).toEqual({ level: 16, index: 511 })
    expect(nodeTile({ level: 16, index: 511 })).toEqual({ level: 2, index: 1, position: 255 })
    expect(nodeTile({ level: 3, index: 0 })).toBeUndefined()
    // Hash i of tile (L, N) is the MTH of leaves [(256N+i)·256^L, +256^L): the last one is completed by leaf
    // (256N+i+1)·256^L − 1, i.e. it sits in that leaf's storage row at level 8L.
    const node = tileHashNode(1, 2, 3)
    const row = storageRowOf(node)
    expect(row).toBe((256 * 2 + 3 + 1) * 256 - 1)
    expect(completedNodes(row)).toContainEqual(node)
  })

  it('lays out the C2SP example trees', () => {
    const t = v.c2sp_tree_size_example
    expect(tileLayout(t.tree_size)).toEqual([
      { level: 0, fullTiles: t.full_level0_tiles, partialWidth: t.partial_level0_width },
      { level: 1, fullTiles: t.full_level1_tiles, partialWidth: t.partial_level1_width },
      { level: 2, fullTiles: 0, partialWidth: t.partial_level2_width },
    ])
    const u = v.c2sp_tree_size_example_256
    expect(tileLayout(u.tree_size)).toEqual([
      { level: 0, fullTiles: u.full_level0_tiles, partialWidth: u.partial_level0_width },
      { level: 1, fullTiles: u.full_level1_tiles, partialWidth: u.partial_level1_width },
    ])
    expect(tileLayout(0)).toEqual([])
  })
})

describe('entry bundles', () => {
  it('round-trips entries with uint16 big-endian length prefixes', () => {
    const entries = [Buffer.from(''), Buffer.from('a'), Buffer.alloc(300, 7), Buffer.alloc(65535, 1)]
    const bundle = encodeEntryBundle(entries)
    expect(Buffer.from(bundle.subarray(0, 5)).toString('hex')).toBe('0000000161')
    expect(bundle.length).toBe(4 * 2 + 0 + 1 + 300 + 65535)
    expect(decodeEntryBundle(bundle).map((e) => Buffer.from(e).toString('hex'))).toEqual(
      entries.map((e) => e.toString('hex')),
    )
    expect(decodeEntryBundle(new Uint8Array(0))).toEqual([])
  })

  it('rejects oversized entries and malformed bundles', () => {
    expect(() => encodeEntryBundle([Buffer.alloc(65536)])).toThrow(/65535/)
    expect(() => encodeEntryBundle(Array.from({ length: 257 }, () => Buffer.alloc(0)))).toThrow(
      LedgerFormatError,
    )
    expect(() => decodeEntryBundle(Buffer.from([0]))).toThrow(/truncated/)
    expect(() => decodeEntryBundle(Buffer.from([0, 2, 1]))).toThrow(/truncated/)
    expect(() => decodeEntryBundle(new Uint8Array(2 * 257))).toThrow(/more than 256/)
  })
})
