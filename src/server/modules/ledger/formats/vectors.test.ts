import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { VECTORS_DIR } from './vectors.testutil.js'

/** Every vector file and the suite that covers it; a new file must be added here (and tested). */
const COVERED = {
  'rfc6962_reference_tree.json': 'merkle.test.ts',
  'merkle_inclusion_probes.json': 'merkle.test.ts',
  'merkle_consistency_probes.json': 'merkle.test.ts',
  'sm3_vectors.json': 'merkle.test.ts',
  'signed_note_vectors.json': 'note.test.ts',
  'checkpoint_vectors.json': 'checkpoint.test.ts',
  'rekor_vectors.json': 'rekor.test.ts',
  'tiles_vectors.json': 'tiles.test.ts',
  'tlog_proof_vectors.json': 'tlog-proof.test.ts',
}

describe('ledger test vectors', () => {
  it('are present, and every file is covered by a suite', () => {
    if (!fs.existsSync(VECTORS_DIR)) {
      throw new Error(
        `Ledger test vectors not found at ${VECTORS_DIR} (set XZT_LEDGER_VECTORS, or run vitest from the repository root)`,
      )
    }
    const files = fs.readdirSync(VECTORS_DIR).filter((f) => f.endsWith('.json'))
    expect(files.sort()).toEqual(Object.keys(COVERED).sort())
  })
})
