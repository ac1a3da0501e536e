import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import type { Core } from '../../../src/core'
import { createDispatcher, MAX_FIELD_MESSAGES } from '../../../src/core/platform/ipc/dispatcher'
import { CHANNEL_PERMISSIONS, channels, contract, type Envelope } from '../../../src/shared/contract'
import { PROFILE, tempCore, value } from '../../support/temp-core'
import { ADMIN, signInAdmin } from '../../support/operators'

/** Words of zod, cron-parser and node that must never reach a person. */
const LIBRARY_WORDING =
  /expected|received|invalid_type|Invalid input|Invalid option|Too (big|small)|Unrecognized key|Invalid string|must match pattern|Invalid email|Invalid explicit|Validation error|EEXIST|ENOENT|SQLITE_|ZodError/i

/** The codes a signed-in administrator's call may answer. */
const CODES = ['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'UNKNOWN_CHANNEL', 'UNAVAILABLE', 'INTERNAL', 'CONFIRM_REQUIRED']
/** And a call made with nobody signed in, or at a locked screen. */
const UNSIGNED_CODES = [...CODES, 'UNAUTHENTICATED', 'LOCKED']

function expectEnvelope(r: unknown, codes: readonly string[] = CODES): asserts r is Envelope<unknown> {
  expect(r).toBeTypeOf('object')
  const e = r as Envelope<unknown>
  if (e.ok) {
    expect(Object.keys(e).sort()).toEqual(['ok', 'value'])
    return
  }
  expect(e.ok).toBe(false)
  expect(codes).toContain(e.error.code)
  expect(e.error.message).toBeTypeOf('string')
  expect(e.error.message.length).toBeLessThan(400)
  const fields = Object.entries(e.error.fields ?? {})
  expect(fields.length).toBeLessThanOrEqual(MAX_FIELD_MESSAGES)
  for (const [k, m] of fields) {
    expect(k.length).toBeLessThan(200)
    expect(m.length).toBeLessThan(400)
  }
}

let core: Core
beforeAll(async () => {
  core = tempCore().core
  value(await core.invoke('profile.save', PROFILE))
})
afterAll(() => core.close())

/**
 * Calls as Ada, the administrator, so that hostile input reaches validation
 * and the handlers. A call of auth.* (signing out, locking, a wrong password
 * counted against her) is undone by signing her in again before the next.
 */
async function call(channel: unknown, input: unknown): Promise<Envelope<unknown>> {
  const r = await core.invoke(channel as string, input)
  if (typeof channel === 'string' && channel.startsWith('auth.')) await signInAdmin(core.invoke)
  return r
}

describe('validation messages are capped', () => {
  it('repeats at most a few characters of an unknown key, once', async () => {
    const key = 'k'.repeat(1_000_000)
    const r = await core.invoke('members.get', { id: 1, [key]: 1 })
    expectEnvelope(r)
    expect(JSON.stringify(r).length).toBeLessThan(500)
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('repeats at most a few characters of an unknown channel', async () => {
    const r = await core.invoke(`members.${'x'.repeat(1_000_000)}`, {})
    expectEnvelope(r)
    expect(JSON.stringify(r).length).toBeLessThan(300)
    expect(await core.invoke('\u202eevil', {})).toMatchObject({ error: { message: 'There is no channel named “?evil”.' } })
  })

  it('answers at most a handful of field messages, however many fields are wrong', async () => {
    const r = await core.invoke('vouchers.pdf', { paymentIds: Array.from({ length: 100_000 }, (_, i) => `id ${i}`) })
    expectEnvelope(r)
    expect(r.ok).toBe(false)
    expect(JSON.stringify(r).length).toBeLessThan(5_000)
    const many = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`extra${i}`, i]))
    const r2 = await core.invoke('members.create', many)
    expectEnvelope(r2)
    expect(JSON.stringify(r2).length).toBeLessThan(5_000)
  })
})

/** Inputs no form sends: each must come back as an envelope. */
let made: unknown[] | null = null
function nasties(): unknown[] {
  made ??= makeNasties()
  return made
}
function makeNasties(): unknown[] {
  const cyclic: Record<string, unknown> = { id: 1 }
  cyclic.self = cyclic
  const cyclicArray: unknown[] = []
  cyclicArray.push(cyclicArray)
  const throwing = Object.defineProperty({}, 'id', {
    enumerable: true,
    get() {
      throw new Error('getter says no')
    }
  })
  const trap = () => {
    throw new Error('trap says no')
  }
  const hostile = new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap })
  const revocable = Proxy.revocable({}, {})
  revocable.revoke()
  const weirdToString = { toString: trap, valueOf: trap, [Symbol.toPrimitive]: trap }
  return [
    undefined,
    null,
    0,
    -0,
    NaN,
    Infinity,
    12n,
    'text',
    '',
    true,
    Symbol('s'),
    () => 1,
    class {},
    [],
    new Array(1_000_000).fill(0),
    Array.from({ length: 10_000 }, () => ({ id: 1 })),
    cyclic,
    cyclicArray,
    throwing,
    hostile,
    revocable.proxy,
    weirdToString,
    Object.create(null),
    { __proto__: { id: 1 } },
    JSON.parse('{"__proto__": {"id": 1}, "constructor": 1}'),
    { id: 1n },
    { id: Symbol('id') },
    { [Symbol('k')]: 1 },
    { id: 1, values: throwing },
    { id: Number.MAX_SAFE_INTEGER + 2 },
    { id: 1, expectedVersion: hostile },
    new Date(),
    new Map([['id', 1]]),
    new Set([1]),
    new Uint8Array(8),
    /re/,
    new Error('e'),
    Promise.resolve({ id: 1 })
  ]
}

describe('invoke answers an envelope for any input', () => {
  it('over every channel, for every nasty input', async () => {
    for (const c of channels) {
      for (const input of nasties()) {
        const r = await call(c, input)
        expectEnvelope(r)
      }
    }
    // Still Ada, signed in: the calls above reached past the permission check.
    expect(value<{ operator: { username: string } | null; locked: boolean }>(await core.invoke('auth.status', {}))).toMatchObject({
      operator: { username: ADMIN.username },
      locked: false
    })
    // About 9,000 calls (every channel × every nasty input, a million-element array among them): 17 s alone on a busy
    // 2-core machine, more beside other test files.
  }, 120_000)

  it('for any channel name, including not-strings', async () => {
    for (const name of [undefined, null, 1, 12n, Symbol('x'), {}, Object.create(null), new Proxy({}, { get: () => { throw new Error() } }), '__proto__', 'toString', 'constructor']) {
      const r = await core.invoke(name as string, {})
      expectEnvelope(r)
      expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } })
    }
  })

  it('property: any value, any channel', async () => {
    // fast-check inspects what it generates (and a hostile proxy throws at that),
    // so nasty values are generated as a marker and built inside the property.
    const NASTY = Symbol('nasty')
    type Recipe = { [NASTY]: number }
    const nasty = fc.integer({ min: 0, max: nasties().length - 1 }).map((i): Recipe => ({ [NASTY]: i }))
    const build = (v: unknown): unknown => {
      if (v !== null && typeof v === 'object' && NASTY in v) return nasties()[(v as Recipe)[NASTY]]
      if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, build(x)]))
      }
      return v
    }
    const anything = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true
    })
    const channelName = fc.oneof(fc.constantFrom(...channels), fc.string(), anything)
    const value = fc.oneof(
      anything,
      nasty,
      // a channel's own keys with anything in them
      fc.constantFrom(...channels).chain((c) => {
        const keys = Object.keys(shapeOf(contract[c].input) ?? {})
        return keys.length === 0
          ? fc.constant({})
          : fc.dictionary(fc.constantFrom(...keys), fc.oneof(fc.anything({ withBigInt: true }), nasty))
      })
    )
    await fc.assert(
      fc.asyncProperty(channelName, value, async (c, recipe) => {
        const r = await call(c, build(recipe))
        expectEnvelope(r)
      }),
      { numRuns: 600 }
    )
  }, 120_000)

  it('even when the logger itself throws', async () => {
    const invoke = createDispatcher(
      {
        'members.get': () => {
          throw new Error('boom')
        }
      },
      {
        error: () => {
          throw new Error('log broken')
        },
        warn: () => undefined,
        info: () => undefined
      }
    )
    expectEnvelope(await invoke('members.get', { id: 1 }))
  })
})

describe('signed out, or at a locked screen', () => {
  it('every channel answers an envelope; all but the open ones refuse before reading the input', async () => {
    const { core: raw } = tempCore({ signedOut: true })
    try {
      value(await raw.invoke('auth.createAdministrator', ADMIN))
      value(await raw.invoke('profile.save', PROFILE))
      const open = (c: string) => (CHANNEL_PERMISSIONS as Record<string, string>)[c] === 'open'

      value(await raw.invoke('auth.signOut', {}))
      for (const c of channels) {
        for (const input of nasties()) {
          const r = await raw.invoke(c, input)
          expectEnvelope(r, UNSIGNED_CODES)
          if (!open(c)) expect(r, c).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
        }
      }
      expect(value(await raw.invoke('auth.status', {}))).toMatchObject({ operator: null })

      value(await raw.invoke('auth.signIn', { username: ADMIN.username, password: ADMIN.password }))
      value(await raw.invoke('auth.lock', {}))
      // Signing out stays possible at a locked screen; called here it would end the session under test.
      for (const c of channels.filter((x) => x !== 'auth.signOut')) {
        for (const input of nasties()) {
          const r = await raw.invoke(c, input)
          expectEnvelope(r, UNSIGNED_CODES)
          if (!open(c)) expect(r, c).toMatchObject({ ok: false, error: { code: 'LOCKED' } })
        }
      }
      expect(value(await raw.invoke('auth.status', {}))).toMatchObject({ operator: { username: ADMIN.username }, locked: true })
    } finally {
      await raw.shutdown()
    }
  })
})

/** The object shape of a channel's input (under .default()), when it is an object. */
function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | null {
  let s = schema as unknown as { _zod: { def: { type: string; innerType?: unknown; shape?: Record<string, z.ZodType> } } }
  for (let i = 0; i < 5; i++) {
    const def = s._zod.def
    if (def.type === 'object') return def.shape ?? null
    if (!def.innerType) return null
    s = def.innerType as typeof s
  }
  return null
}

const WRONG: unknown[] = [undefined, null, 12.5, -1, 'text', '', true, {}, [], [1, 'x']]

describe("every message is in Coffer's words", () => {
  it('for wrong-typed and missing input on every channel', async () => {
    const seen: string[] = []
    for (const c of channels) {
      const inputs: unknown[] = [undefined, null, 42, 'x', [], {}, { unknownField: 1 }]
      const shape = shapeOf(contract[c].input)
      for (const [key, field] of Object.entries(shape ?? {})) {
        for (const w of WRONG) inputs.push({ [key]: w })
        const inner = shapeOf(field)
        for (const [k2] of Object.entries(inner ?? {})) for (const w of WRONG) inputs.push({ [key]: { [k2]: w } })
      }
      for (const input of inputs) {
        const r = await call(c, input)
        expectEnvelope(r)
        if (r.ok) continue
        for (const m of [r.error.message, ...Object.values(r.error.fields ?? {})]) {
          seen.push(m)
          expect(m, `${c} ${JSON.stringify(input)}`).not.toMatch(LIBRARY_WORDING)
        }
      }
    }
    expect(seen.length).toBeGreaterThan(500)
  })

  it('names the field', async () => {
    const r = await core.invoke('bonds.buyHolding', { memberId: 1, seriesId: 1, purchaseDate: '2026-01-01' })
    expect(r).toMatchObject({ ok: false, error: { fields: { units: expect.stringMatching(/^Units (is|are) required$/) } } })
    const r2 = await core.invoke('bonds.buyHolding', { memberId: 1, seriesId: 1, units: 2.5, purchaseDate: '2026-01-01' })
    expect(r2).toMatchObject({ ok: false, error: { fields: { units: 'Units must be a whole number' } } })
    const r3 = await core.invoke('members.list', { limit: 501 })
    expect(r3).toMatchObject({ ok: false, error: { fields: { limit: 'Page size must be at most 500' } } })
    const r4 = await core.invoke('members.update', { id: 1, expectedVersion: 1, values: { fullName: 3 } })
    expect(r4).toMatchObject({ ok: false, error: { fields: { 'values.fullName': 'Name must be text', 'values.memberNo': 'Member number is required' } } })
  })

  it('for schedules cron-parser refuses', async () => {
    for (const cron of ['0 0 31 2 *', '0 0 5-2 * *', '0 0 */0 * *', '0 0 L * L', '0 0 * jan-xyz *', '0 0 32 * *', 'a b c d e']) {
      const r = await core.invoke('jobs.describeSchedule', { cron })
      expect(r.ok, cron).toBe(false)
      if (r.ok) continue
      for (const m of [r.error.message, ...Object.values(r.error.fields ?? {})]) {
        expect(m, cron).not.toMatch(LIBRARY_WORDING)
        expect(m, cron).toMatch(/^The (day|month|minute|hour)/)
      }
    }
  })
})
