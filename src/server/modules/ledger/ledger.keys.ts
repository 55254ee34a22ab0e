/**
 * Signing keys of the ledger. They never live in the database: the log key and the province witness
 * key are Ed25519 private keys in PKCS#8 PEM files (created on first start in `<dataDir>/keys`, or
 * given by path in server mode), readable by `openssl pkey`. Rotation moves the current file aside and
 * creates a new one; every verifier key ever used stays published from the `ledger_key` table.
 * @module
 */
import crypto, { type KeyObject } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../../../shared/errors.js'

export interface KeyPaths {
  logKeyFile: string
  witnessKeyFile: string
}

export interface LedgerKeyPair {
  privateKey: KeyObject
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Buffer
}

function rawPublicKey(privateKey: KeyObject): Buffer {
  const spki = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  return spki.subarray(spki.length - 32)
}

function readKey(file: string): LedgerKeyPair {
  let privateKey: KeyObject
  try {
    privateKey = crypto.createPrivateKey(fs.readFileSync(file))
  } catch (err) {
    throw new AppError('INVALID_INPUT', `cannot read the ledger key ${file}: ${(err as Error).message}`, {
      cause: err,
    })
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new AppError(
      'INVALID_INPUT',
      `the ledger key ${file} is ${privateKey.asymmetricKeyType}, not Ed25519`,
    )
  }
  return { privateKey, publicKey: rawPublicKey(privateKey) }
}

function createKey(file: string): LedgerKeyPair {
  const { privateKey } = crypto.generateKeyPairSync('ed25519')
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  // wx: never overwrite a key another process created in the meantime.
  fs.writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' })
  return { privateKey, publicKey: rawPublicKey(privateKey) }
}

/** Loads a key, creating it when the file does not exist yet. */
export function loadOrCreateKey(file: string): LedgerKeyPair {
  if (fs.existsSync(file)) return readKey(file)
  try {
    return createKey(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readKey(file)
    throw err
  }
}

/**
 * Replaces the key in `file` by a new one; the old file is kept as `<file>.<timestamp>.retired` so
 * old signatures can still be re-verified from it.
 */
export function rotateKey(file: string, now: number): LedgerKeyPair {
  if (fs.existsSync(file)) fs.renameSync(file, `${file}.${now}.retired`)
  return createKey(file)
}
