import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

/**
 * Password hashes: scrypt (node:crypto) with a random 16-byte salt per hash
 * and the parameters kept in the hash, so a later Coffer can raise the cost
 * and still check old hashes. Stored as `scrypt$<log2 N>$<r>$<p>$<salt>$<key>`
 * (base64). Hashing runs on libuv's thread pool: the window never waits on it.
 */

/** OWASP's scrypt setting: N = 2^17, r = 8, p = 1 (128 MiB, about a third of a second). */
export const DEFAULT_COST = 17
const R = 8
const P = 1
const KEY_BYTES = 32

export interface HashOptions {
  /** log2 of scrypt's N. Tests lower it to keep hundreds of sign-ins fast; the app never does. */
  cost?: number
}

function derive(password: string, salt: Buffer, cost: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** cost
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (e, key) => (e ? reject(e) : resolve(key)))
  )
}

export async function hashPassword(password: string, opts: HashOptions = {}): Promise<string> {
  const cost = opts.cost ?? DEFAULT_COST
  const salt = randomBytes(16)
  const key = await derive(password, salt, cost, R, P)
  return ['scrypt', cost, R, P, salt.toString('base64'), key.toString('base64')].join('$')
}

/** Whether the password matches the stored hash; a hash in another format never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [cost, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  if (![cost, r, p].every((n) => Number.isInteger(n) && n > 0) || cost > 22) return false
  const salt = Buffer.from(parts[4] as string, 'base64')
  const expected = Buffer.from(parts[5] as string, 'base64')
  if (expected.length !== KEY_BYTES) return false
  const key = await derive(password, salt, cost, r, p)
  return timingSafeEqual(key, expected)
}

/** A hash no password matches, checked for unknown usernames so both take the same time. */
let decoy: Promise<string> | null = null
export function decoyHash(opts: HashOptions = {}): Promise<string> {
  decoy ??= hashPassword(randomBytes(24).toString('base64'), opts)
  return decoy
}
