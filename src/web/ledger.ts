/**
 * Browser-side helpers for the transparency ledger: decode leaves, split C2SP signed notes, and
 * re-check an RFC 6962 / RFC 9162 inclusion proof locally with WebCrypto (so the auditor does not
 * have to trust the server's word that a proof is valid), and check a checkpoint's Ed25519 signature
 * against the log's verifier key where the browser's WebCrypto has Ed25519 (receipts are also checked
 * by the server, `/api/ledger/verify-receipt`).
 */
import type { LedgerLeaf } from './api.js'

export function base64ToBytes(b64: string): Uint8Array {
  const binary = atob(b64.trim())
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary)
}

/** Decodes a leaf as `/entries` returns it (base64 of canonical UTF-8 JSON); null if it is not JSON. */
export function decodeLeaf(b64: string): LedgerLeaf | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(base64ToBytes(b64))
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === 'object' && parsed !== null ? (parsed as LedgerLeaf) : null
  } catch {
    return null
  }
}

/** A C2SP signed note split into its parts (no signature checking). */
export interface ParsedNote {
  /** The checkpoint body lines: origin, tree size, base64 root hash, then any extension lines. */
  body: string[]
  origin: string
  size: number | null
  root: string
  signatures: { name: string; signature: string }[]
}

export function parseNote(note: string): ParsedNote {
  const text = note.replace(/\r\n/g, '\n')
  const split = text.indexOf('\n\n')
  const bodyText = split >= 0 ? text.slice(0, split) : text
  const sigText = split >= 0 ? text.slice(split + 2) : ''
  const body = bodyText.split('\n')
  const signatures: ParsedNote['signatures'] = []
  for (const line of sigText.split('\n')) {
    const match = /^\u2014 (\S+) (\S+)$/.exec(line)
    if (match?.[1] && match[2]) signatures.push({ name: match[1], signature: match[2] })
  }
  const size = Number(body[1])
  return {
    body,
    origin: body[0] ?? '',
    size: body[1] !== undefined && /^\d+$/.test(body[1]) && Number.isSafeInteger(size) ? size : null,
    root: body[2] ?? '',
    signatures,
  }
}

/** The name part of a signed-note verifier key (`<name>+<hash>+<key>`). */
export function keyName(vkey: string): string {
  const plus = vkey.indexOf('+')
  return plus >= 0 ? vkey.slice(0, plus) : vkey
}

/** Whether WebCrypto SHA-256 is available (secure contexts only: https or localhost). */
export function canHashLocally(): boolean {
  return typeof crypto !== 'undefined' && typeof crypto.subtle?.digest === 'function'
}

async function sha256(parts: Uint8Array[]): Promise<Uint8Array> {
  const length = parts.reduce((n, p) => n + p.length, 0)
  const buffer = new Uint8Array(length)
  let offset = 0
  for (const p of parts) {
    buffer.set(p, offset)
    offset += p.length
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buffer))
}

const LEAF_PREFIX = new Uint8Array([0])
const NODE_PREFIX = new Uint8Array([1])

/** RFC 6962 leaf hash `SHA-256(0x00 ‖ data)` of a leaf given as base64, returned as base64. */
export async function leafHashOf(leafBase64: string): Promise<string> {
  return bytesToBase64(await sha256([LEAF_PREFIX, base64ToBytes(leafBase64)]))
}

/**
 * RFC 9162 §2.1.3.2: verifies that `leafHash` is at `index` in the tree of `size` leaves whose root
 * is `root`, given the audit path `proof` (all hashes base64).
 */
export async function verifyInclusion(
  leafHash: string,
  index: number,
  size: number,
  proof: readonly string[],
  root: string,
): Promise<boolean> {
  if (index < 0 || index >= size) return false
  let fn = index
  let sn = size - 1
  let r = base64ToBytes(leafHash)
  for (const p of proof) {
    const sibling = base64ToBytes(p)
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256([NODE_PREFIX, sibling, r])
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2)
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      r = await sha256([NODE_PREFIX, r, sibling])
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && bytesToBase64(r) === bytesToBase64(base64ToBytes(root))
}

/** A C2SP signed-note verifier key `<name>+<key id, 8 hex>+<base64(type byte ‖ public key)>`, decoded. */
export interface VerifierKey {
  name: string
  /** The key ID as written (lower-case hex). */
  keyId: string
  /** The signature type byte (0x01: Ed25519). */
  type: number
  key: Uint8Array
}

/** Decodes a verifier key; null when it is malformed. */
export function parseVerifierKey(vkey: string): VerifierKey | null {
  // Names have no "+", the key ID is hex; the base64 key may hold "+" itself.
  const first = vkey.indexOf('+')
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1)
  if (second < 0) return null
  const name = vkey.slice(0, first)
  const keyId = vkey.slice(first + 1, second)
  const b64 = vkey.slice(second + 1)
  if (!name || !/^[0-9a-f]{8}$/i.test(keyId) || !/^[A-Za-z0-9+/]+=*$/.test(b64)) return null
  let bytes: Uint8Array
  try {
    bytes = base64ToBytes(b64)
  } catch {
    return null
  }
  if (bytes.length < 2) return null
  return { name, keyId: keyId.toLowerCase(), type: bytes[0]!, key: bytes.slice(1) }
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * How a checkpoint's signature by a log's key fared: `ok`; `bad` (the key's signature does not verify,
 * or the key is not what it claims); `missing` (the note carries no signature by that key); `unsupported`
 * (this browser's WebCrypto has no Ed25519, or the key is of another type: not checked here).
 */
export type SignatureCheck = 'ok' | 'bad' | 'missing' | 'unsupported'

/**
 * Checks the signature of `note` (a C2SP signed note: text, blank line, `— <name> base64(key ID ‖
 * signature)` lines) by the Ed25519 key `vkey`, as the C2SP spec says: the key ID must be the first four
 * bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ key), and the signature covers the text up to and including its
 * final newline.
 */
export async function verifyNoteSignature(note: string, vkey: string): Promise<SignatureCheck> {
  const key = parseVerifierKey(vkey)
  if (!key || !canHashLocally()) return 'unsupported'
  if (key.type !== 0x01 || key.key.length !== 32) return 'unsupported'
  const encoder = new TextEncoder()
  const expectedId = (
    await sha256([encoder.encode(`${key.name}\n`), new Uint8Array([key.type]), key.key])
  ).slice(0, 4)
  if (hex(expectedId) !== key.keyId) return 'bad'
  const split = note.lastIndexOf('\n\n')
  if (split < 0) return 'missing'
  const text = encoder.encode(note.slice(0, split + 1))
  const lines = note
    .slice(split + 2)
    .split('\n')
    .filter((line) => line.startsWith(`\u2014 ${key.name} `))
  const signatures: Uint8Array[] = []
  for (const line of lines) {
    try {
      const bytes = base64ToBytes(line.slice(`\u2014 ${key.name} `.length))
      if (bytes.length === 68 && hex(bytes.slice(0, 4)) === key.keyId) signatures.push(bytes.slice(4))
    } catch {
      return 'bad'
    }
  }
  if (signatures.length === 0) return 'missing'
  let publicKey: CryptoKey
  try {
    publicKey = await crypto.subtle.importKey('raw', new Uint8Array(key.key), { name: 'Ed25519' }, false, [
      'verify',
    ])
  } catch {
    return 'unsupported'
  }
  for (const signature of signatures) {
    if (!(await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, new Uint8Array(signature), text)))
      return 'bad'
  }
  return 'ok'
}
