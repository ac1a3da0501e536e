/**
 * A process that posts to the ledger in a loop until it is killed (the
 * ledger's kill test, test/integration/ledger-kill.test.ts): general entries
 * of 2 to 120 lines across accounts and member accounts, deposits,
 * withdrawals and reversals, through core.invoke as Ada. Each entry's
 * description says how many lines it has (`lines=N`), so a partial entry
 * would show. Prints `READY`, then `BEGIN <n>` before each posting and
 * `DONE <n> <entry id>` after it.
 *
 *   ledger-child.ts <dataDir> <seed>
 */
import path from 'node:path'
import { ManualClock, openCore } from '../../src/core'
import type { Account, MemberAccount } from '../../src/shared/contract/ledger'
import { TEST_PASSWORD_COST, signedIn } from './operators'

const say = (line: string) => process.stdout.write(`${line}\n`)

/** mulberry32: the same seed, the same postings. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function main() {
  const [dataDir, seedText] = process.argv.slice(2)
  if (!dataDir || !seedText) throw new Error('usage: ledger-child <dataDir> <seed>')
  const rnd = random(Number(seedText))
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1))
  const core = signedIn(
    openCore({
      dataDir,
      migrationsFolder: path.resolve(__dirname, '../../drizzle'),
      version: 'child',
      processKind: 'test',
      clock: new ManualClock('2026-11-22T09:00:00Z'),
      log: { error: () => undefined, warn: () => undefined, info: () => undefined },
      inlineJobs: true,
      systemDefaults: () => ({ timeZone: 'Africa/Nairobi', locale: 'en-KE', currency: 'KES' }),
      passwordCost: TEST_PASSWORD_COST
    })
  )
  const must = async <T>(channel: string, input: unknown): Promise<T> => {
    const r = await core.invoke(channel, input)
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`)
    return r.value as T
  }
  const accounts = (await must<{ accounts: Account[] }>('ledger.accounts', {})).accounts.filter((a) => !a.controlOf)
  const memberIds = (await must<{ rows: { id: number }[] }>('members.list', {})).rows.map((m) => m.id)
  const memberAccounts: MemberAccount[] = []
  for (const memberId of memberIds) memberAccounts.push(...(await must<{ accounts: MemberAccount[] }>('ledger.memberAccounts', { memberId })).accounts)
  const savings = memberAccounts.filter((m) => m.product === 'savings')
  const date = () => `2026-${String(int(1, 11)).padStart(2, '0')}-${String(int(1, 20)).padStart(2, '0')}`
  const lineTo = () => {
    if (rnd() < 0.3) {
      const ma = memberAccounts[int(0, memberAccounts.length - 1)]!
      return { accountId: ma.controlAccountId, memberAccountId: ma.id }
    }
    return { accountId: accounts[int(0, accounts.length - 1)]!.id }
  }
  const manual: number[] = []
  say('READY')
  for (let n = 1; ; n++) {
    const kind = rnd()
    say(`BEGIN ${n}`)
    let id: number
    if (kind < 0.6) {
      // Pairs of lines: a debit and a credit of the same amount, on random accounts.
      const pairs = int(1, 60)
      const lines = []
      for (let i = 0; i < pairs; i++) {
        const amount = int(1, 10_000_000)
        lines.push({ ...lineTo(), debitMinor: amount }, { ...lineTo(), creditMinor: amount })
      }
      id = (await must<{ id: number }>('ledger.post', { valueDate: date(), description: `kill test ${n} lines=${lines.length}`, lines })).id
      manual.push(id)
    } else if (kind < 0.75) {
      const ma = savings[int(0, savings.length - 1)]!
      id = (await must<{ id: number }>('ledger.deposit', { memberAccountId: ma.id, amountMinor: int(100, 1_000_000), valueDate: date(), via: 'cash', description: `kill test ${n} lines=2` })).id
    } else if (kind < 0.85) {
      const ma = savings[int(0, savings.length - 1)]!
      const r = await core.invoke('ledger.withdraw', { memberAccountId: ma.id, amountMinor: int(1, 50_000), valueDate: date(), via: 'bank', description: `kill test ${n} lines=2` })
      // Past the balance: refused, nothing written; the loop goes on.
      id = r.ok ? (r.value as { id: number }).id : 0
    } else if (manual.length > 0) {
      const target = manual.splice(int(0, manual.length - 1), 1)[0]!
      const r = await must<{ id: number; lines: unknown[] }>('ledger.reverse', { id: target, valueDate: '2026-11-21', reason: `kill test ${n}` })
      id = r.id
    } else id = 0
    say(`DONE ${n} ${id}`)
  }
}

main().catch((e: unknown) => {
  say(`ERROR ${e instanceof Error ? e.stack : String(e)}`)
  process.exit(2)
})
