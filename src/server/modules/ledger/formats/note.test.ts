import { createHash, generateKeyPairSync, sign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { LedgerFormatError } from './errors.js'
import {
  MAX_NOTE_SIGNATURES,
  VerifierSet,
  appendSignatures,
  computeKeyId,
  ed25519KeyFromSeed,
  formatKeyId,
  formatSignatureLine,
  formatVerifierKey,
  generateKey,
  isValidKeyName,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  publicKeyVerifier,
  signNote,
  verifyNote,
} from './note.js'
import { loadVectors, named } from './vectors.testutil.js'

const v = loadVectors('signed_note_vectors.json')

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    if (e instanceof LedgerFormatError) return e.code
    throw e
  }
  return undefined
}

describe('verifier keys (vkeys)', () => {
  it.each(named<any>(v.vkeys_valid, (k) => k.vkey))('parses %s', (_s, k: any) => {
    const verifier = parseVerifierKey(k.vkey)
    expect(verifier.name).toBe(k.name)
    expect(formatKeyId(verifier.keyId)).toBe(k.key_id)
    expect(verifier.type).toBe('ed25519')
    expect(formatVerifierKey(verifier)).toBe(k.vkey)
  })

  it.each(named<any>(v.vkeys_invalid, (k) => k.why))('rejects a vkey with %s', (_why, k: any) => {
    expect(() => parseVerifierKey(k.vkey)).toThrow(LedgerFormatError)
  })

  it('gives precise error codes', () => {
    expect(codeOf(() => parseVerifierKey(v.vkeys_invalid[0].vkey))).toBe('malformed-key')
    expect(codeOf(() => parseVerifierKey(v.vkeys_invalid[1].vkey))).toBe('unsupported-algorithm')
    expect(
      codeOf(() => parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')),
    ).toBe('key-id-mismatch')
    expect(codeOf(() => parseVerifierKey('no plus signs'))).toBe('malformed-key')
  })

  it('rejects every proper substring and every one-byte increment of a vkey (Go TestNewVerifier)', () => {
    const vkey: string = v.vkeys_valid[0].vkey
    let checked = 0
    for (let i = 0; i < vkey.length; i++) {
      for (let j = i + 1; j <= vkey.length; j++) {
        if (i === 0 && j === vkey.length) continue
        expect(() => parseVerifierKey(vkey.slice(i, j)), vkey.slice(i, j)).toThrow(LedgerFormatError)
        checked++
      }
      const bumped = vkey.slice(0, i) + String.fromCharCode(vkey.charCodeAt(i) + 1) + vkey.slice(i + 1)
      expect(() => parseVerifierKey(bumped), bumped).toThrow(LedgerFormatError)
    }
    expect(checked).toBeGreaterThan(2000)
  })
})

describe('signer keys (skeys)', () => {
  it.each(named<any>(v.skeys, (k) => k.vkey))('derives %s', (_s, k: any) => {
    const signer = parseSignerKey(k.skey)
    expect(formatVerifierKey(signer.verifier())).toBe(k.vkey)
    expect(signer.keyId).toBe(parseVerifierKey(k.vkey).keyId)
  })

  it('rejects malformed signer keys without echoing them', () => {
    const skey: string = v.skeys[0].skey
    const bad = [
      skey.replace('PRIVATE+KEY+', 'PRIVATE+KEYS+'),
      skey.replace('PRIVATE+KEY+', ''),
      skey.replace('c74f20a3', 'c74f20a4'),
      skey.replace('+AYEK', '+AoEK'),
      `${skey}AAAA`,
      skey.slice(0, -1),
    ]
    for (const s of bad) {
      try {
        parseSignerKey(s)
        expect.unreachable(s)
      } catch (e) {
        expect(e).toBeInstanceOf(LedgerFormatError)
        expect((e as Error).message).not.toContain(skey.split('+').at(-1)!.slice(0, 12))
      }
    }
    expect(codeOf(() => parseSignerKey(skey.replace('c74f20a3', 'c74f20a4')))).toBe('key-id-mismatch')
  })

  it('signs deterministically like Go (TestSign)', () => {
    const signer = parseSignerKey(v.sign_expected.skey)
    expect(signNote(v.sign_expected.text, [signer])).toBe(v.sign_expected.signed_note)
  })

  it('generates keys that sign and verify, and derives them from a seed deterministically', () => {
    const { signerKey, verifierKey } = generateKey('ledger.example/city-4301')
    const note = signNote('hello\n', [parseSignerKey(signerKey)])
    expect(verifyNote(note, [parseVerifierKey(verifierKey)]).verified.map((s) => s.name)).toEqual([
      'ledger.example/city-4301',
    ])
    const seed = new Uint8Array(32).fill(7)
    expect(ed25519KeyFromSeed('a', seed)).toEqual(ed25519KeyFromSeed('a', seed))
    expect(() => generateKey('bad name')).toThrow(LedgerFormatError)
    expect(() => generateKey('bad+name')).toThrow(LedgerFormatError)
  })
})

describe('signed notes', () => {
  it.each(named<any>(v.notes_valid, (n) => n.desc))('accepts: %s', (_d, n: any) => {
    const result = verifyNote(n.note, n.vkeys.map(parseVerifierKey))
    expect(result.text).toBe(n.want_text)
    expect(result.verified.map((s) => s.name)).toEqual(n.want_verified)
    // Signatures by unknown keys are reported as unverified, not dropped silently.
    expect(result.verified.length + result.unverified.length).toBe(parseNote(n.note).signatures.length)
    // Also as UTF-8 bytes.
    expect(verifyNote(Buffer.from(n.note, 'utf8'), n.vkeys.map(parseVerifierKey)).text).toBe(n.want_text)
  })

  it.each(named<any>(v.notes_invalid, (n) => n.desc))('rejects: %s', (_d, n: any) => {
    expect(() => verifyNote(n.note, n.vkeys.map(parseVerifierKey))).toThrow(LedgerFormatError)
  })

  it('classifies the invalid notes', () => {
    const codes = Object.fromEntries(
      v.notes_invalid.map((n: any) => [
        n.desc,
        codeOf(() => verifyNote(n.note, n.vkeys.map(parseVerifierKey))),
      ]),
    )
    expect(codes).toEqual({
      'no known key -> reject': 'no-verified-signature',
      'corrupted signature from known key (Go: peterSig[:60]+"ABCD"+peterSig[60:], byte offsets)':
        'invalid-signature',
      'text only, no signatures': 'malformed-note',
      'text + blank line only': 'malformed-note',
      'missing final newline': 'malformed-note',
      'control character': 'malformed-note',
      'key name containing a space': 'malformed-note',
      'unexpected trailing line': 'malformed-note',
      '101 signatures (Go limit is 100)': 'too-many-signatures',
    })
  })

  const peter = parseSignerKey(v.skeys[0].skey)
  const known = parseSignerKey(v.skeys[1].skey)
  const text = 'a note\n\nwith an empty line\n'

  it('splits at the last blank line and keeps empty lines in the text', () => {
    const note = signNote(text, [peter])
    const parsed = parseNote(note)
    expect(parsed.text).toBe(text)
    expect(verifyNote(note, [peter.verifier()]).text).toBe(text)
  })

  it('accepts 16 and 100 signatures, rejects 101', () => {
    const line = signNote(text, [peter]).slice(text.length + 1)
    const many = (n: number) => `${text}\n${line.repeat(n)}`
    expect(verifyNote(many(16), [peter.verifier()]).verified.length).toBe(1)
    expect(verifyNote(many(MAX_NOTE_SIGNATURES), [peter.verifier()]).verified.length).toBe(1)
    expect(codeOf(() => verifyNote(many(101), [peter.verifier()]))).toBe('too-many-signatures')
    // 99 unknown signatures and one known one still verify.
    const other = generateKey('other')
    const unknownLine = signNote(text, [parseSignerKey(other.signerKey)]).slice(text.length + 1)
    const note = `${text}\n${unknownLine.repeat(99)}${line}`
    const result = verifyNote(note, [peter.verifier()])
    expect(result.verified.length).toBe(1)
    expect(result.unverified.length).toBe(1)
  })

  it('rejects the whole note when any signature of a known key fails, even a repeated one', () => {
    const good = signNote(text, [peter, known])
    expect(verifyNote(good, [peter.verifier(), known.verifier()]).verified.length).toBe(2)
    const badSig = formatSignatureLine({
      name: peter.name,
      keyId: peter.keyId,
      signature: new Uint8Array(64),
    })
    expect(codeOf(() => verifyNote(good + badSig, [peter.verifier()]))).toBe('invalid-signature')
    // A signature whose name matches but ID does not (or vice versa) is from an unknown key: ignored.
    const otherId = formatSignatureLine({
      name: peter.name,
      keyId: peter.keyId ^ 1,
      signature: new Uint8Array(64),
    })
    const otherName = formatSignatureLine({
      name: 'Peter',
      keyId: peter.keyId,
      signature: new Uint8Array(64),
    })
    expect(verifyNote(good + otherId + otherName, [peter.verifier()]).unverified.length).toBe(3)
  })

  it('enforces the note syntax', () => {
    const good = signNote(text, [peter])
    const sigPart = good.slice(text.length + 1)
    const cases: [string, string][] = [
      ['not UTF-8', ''],
      ['lone surrogate', `a\uD800\n\n${sigPart}`],
      ['CR', `a\r\n\n${sigPart}`],
      ['tab', `a\tb\n\n${sigPart}`],
      ['no dash', `a\n\n${sigPart.replace('\u2014 ', '- ')}`],
      ['no space after name', `a\n\n\u2014 PeterNeumann\n`],
      ['short signature', `a\n\n\u2014 PeterNeumann AAAA\n`],
      ['bad base64', `a\n\n\u2014 PeterNeumann x08go/ZJkuBS9UG/*\n`],
      [
        'two spaces',
        `a\n\n\u2014 PeterNeumann  x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      ],
      ['trailing blank line', `${good}\n`],
    ]
    for (const [why, note] of cases) {
      const input = why === 'not UTF-8' ? Buffer.from([0x61, 0xff, 0x0a, 0x0a]) : note
      expect(
        codeOf(() => parseNote(input)),
        why,
      ).toBe('malformed-note')
    }
  })

  it('refuses to sign malformed text and invalid names', () => {
    expect(() => signNote('no newline', [peter])).toThrow(LedgerFormatError)
    expect(() => signNote('bell\u0007\n', [peter])).toThrow(LedgerFormatError)
    expect(() => signNote('x\n', [])).toThrow(LedgerFormatError)
    expect(isValidKeyName('example.com/log')).toBe(true)
    for (const bad of ['', 'a b', 'a+b', 'a\u00a0b', 'a\u3000b', 'a\u2028b', 'a\uD800'])
      expect(isValidKeyName(bad)).toBe(false)
  })

  it('appends signatures to a signed note', () => {
    const note = signNote(text, [peter])
    const extra = signNote(text, [known]).slice(text.length + 1)
    const both = appendSignatures(note, [extra])
    expect(verifyNote(both, [peter.verifier(), known.verifier()]).verified.length).toBe(2)
    expect(() => appendSignatures(note, ['garbage\n'])).toThrow(LedgerFormatError)
  })

  it('refuses ambiguous verifier sets but tolerates duplicates', () => {
    const a = parseVerifierKey(v.vkeys_valid[0].vkey)
    expect(new VerifierSet([a, parseVerifierKey(v.vkeys_valid[0].vkey)]).values().length).toBe(1)
    const impostor = { ...a, publicKey: new Uint8Array(32) }
    expect(codeOf(() => new VerifierSet([a, impostor]))).toBe('ambiguous-verifier')
  })
})

describe('verifiers from PEM/DER public keys', () => {
  it('computes the C2SP key ID for Ed25519 SPKI keys', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519')
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const verifier = publicKeyVerifier('pem.example', pem)
    const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32)
    expect(verifier.keyId).toBe(computeKeyId('pem.example', Buffer.concat([Buffer.of(1), raw])))
    expect(publicKeyVerifier('pem.example', privateKey).keyId).toBe(verifier.keyId)
  })

  it('verifies ECDSA P-256 note signatures with the SPKI key ID', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const der = publicKey.export({ type: 'spki', format: 'der' })
    const verifier = publicKeyVerifier('ecdsa.example', der)
    expect(verifier.type).toBe('ecdsa')
    expect(verifier.keyId).toBe(createHash('sha256').update(der).digest().readUInt32BE(0))
    const body = 'ecdsa.example\n1\n' + Buffer.alloc(32).toString('base64') + '\n'
    const sig = sign('sha256', Buffer.from(body), privateKey)
    const note = `${body}\n${formatSignatureLine({ name: verifier.name, keyId: verifier.keyId, signature: sig })}`
    expect(verifyNote(note, [verifier]).verified[0]!.verifier.type).toBe('ecdsa')
    expect(() => verifyNote(note.replace('\n1\n', '\n2\n'), [verifier])).toThrow(LedgerFormatError)
    expect(() => formatVerifierKey(verifier)).toThrow(LedgerFormatError)
  })

  it('rejects unsupported keys', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' })
    expect(codeOf(() => publicKeyVerifier('x', publicKey))).toBe('unsupported-algorithm')
    expect(codeOf(() => publicKeyVerifier('x', new Uint8Array(10)))).toBe('malformed-key')
    expect(codeOf(() => publicKeyVerifier('bad name', publicKey))).toBe('malformed-key')
  })
})
