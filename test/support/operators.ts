import type { Core } from '../../src/core'

/**
 * The operators every test core has (test/support/temp-core.ts): Ada, the
 * administrator, is signed in; Tom, a treasurer, approves what Ada prepares
 * (payments need two people: maker-checker).
 */
export const ADMIN = { name: 'Ada Admin', username: 'ada', password: 'correct horse battery' }
export const TREASURER = { name: 'Tom Treasurer', username: 'tom', password: 'staple gun paperclip' }
/** Password hashing cost for test cores: scrypt N = 2^10 (the app uses 2^17). */
export const TEST_PASSWORD_COST = 10

type Invoke = Core['invoke']

async function must(invoke: Invoke, channel: string, input?: unknown): Promise<unknown> {
  const r = await invoke(channel, input)
  if (!r.ok) throw new Error(`${channel} failed: ${JSON.stringify(r.error)}`)
  return r.value
}

/**
 * Signs this core's session in as Ada, creating her on a new book. A core
 * that could not open its file (a start-up failure) is left as it is.
 */
export async function signInAdmin(invoke: Invoke): Promise<void> {
  const st = await invoke('auth.status')
  if (!st.ok) return
  const status = st.value as { setupNeeded: boolean }
  if (status.setupNeeded) await must(invoke, 'auth.createAdministrator', ADMIN)
  else await must(invoke, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password })
}

/** Runs `fn` signed in as `who` (created as a treasurer if missing), then signs Ada back in. */
export async function asOperator<T>(core: Pick<Core, 'invoke'>, who: { name: string; username: string; password: string; role?: string }, fn: () => Promise<T>): Promise<T> {
  const list = (await must(core.invoke, 'operators.list')) as { operators: { username: string; mustChangePassword: boolean }[] }
  const found = list.operators.find((o) => o.username === who.username)
  if (!found) {
    await must(core.invoke, 'operators.create', { name: who.name, username: who.username, role: who.role ?? 'treasurer', password: `${who.password} temp` })
    await must(core.invoke, 'auth.signIn', { username: who.username, password: `${who.password} temp` })
    await must(core.invoke, 'auth.changePassword', { current: `${who.password} temp`, next: who.password })
  } else {
    await must(core.invoke, 'auth.signIn', { username: who.username, password: who.password })
  }
  try {
    return await fn()
  } finally {
    await must(core.invoke, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password })
  }
}

/** Maker-checker the way the office does it: Ada prepares the payments, Tom approves them. */
export async function prepareAndApprove(core: Pick<Core, 'invoke'>, ids: number[]): Promise<void> {
  await must(core.invoke, 'payments.prepare', { ids })
  await asOperator(core, TREASURER, () => must(core.invoke, 'payments.approve', { ids }))
}

/**
 * Makes `core.invoke` wait for Ada's sign-in first (test cores opened
 * elsewhere than tempCore). Tests move the clock by hours and days, which
 * locks the screen (the idle lock): like Ada coming back to the PC, the call
 * is made again after she unlocks it with her password.
 */
export function signedIn<C extends Pick<Core, 'invoke'>>(core: C): C & { rawInvoke: Core['invoke'] } {
  const raw = core.invoke.bind(core)
  const ready = signInAdmin(raw)
  // A test that closes its core before any call would leave this rejection unhandled; the first call still sees it.
  ready.catch(() => undefined)
  /** The core's own invoke (after the sign-in), for tests of the lock itself. */
  const rawInvoke: Core['invoke'] = async (channel, input) => {
    await ready
    return raw(channel, input)
  }
  Object.assign(core, { rawInvoke })
  core.invoke = async (channel, input) => {
    await ready
    const first = await raw(channel, input)
    if (first.ok || first.error.code !== 'LOCKED') return first
    const status = (await raw('auth.status')) as { ok: true; value: { operator: { username: string } | null } }
    const who = status.value.operator?.username === TREASURER.username ? TREASURER : ADMIN
    await must(raw, 'auth.unlock', { password: who.password })
    return raw(channel, input)
  }
  return core as C & { rawInvoke: Core['invoke'] }
}
