/**
 * The ledger's commands, as `coffer` runs them (the built command line in a
 * child process): summaries check and rebuild, the trial balance, and the
 * weekly integrity job's summaries check, on a book with real postings made
 * through the contract. Summaries are corrupted the way someone with the file
 * could: a raw UPDATE, DELETE or INSERT on ledger_summaries (derived data,
 * not append-only).
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import type { JobRun, SummariesCheck, TrialBalance } from '../../src/shared/contract'
import { buildCli, coffer, cofferWith } from '../support/cli'
import { asOperator } from '../support/operators'
import { PROFILE, tempCore, tempDir, value } from '../support/temp-core'

/** Writes to the data file directly, as the sqlite3 shell would (no Coffer triggers on this connection). */
function raw(dataDir: string, sql: string, ...params: unknown[]): number {
  const db = new Database(path.join(dataDir, 'coffer.sqlite'))
  try {
    return db.prepare(sql).run(...params).changes
  } finally {
    db.close()
  }
}

function read<T>(dataDir: string, sql: string, ...params: unknown[]): T {
  const db = new Database(path.join(dataDir, 'coffer.sqlite'), { readonly: true })
  try {
    return db.prepare(sql).get(...params) as T
  } finally {
    db.close()
  }
}

const AUDITOR = { name: 'Audrey Auditor', username: 'audrey', password: 'ledger lamp quiet', role: 'auditor' }
const CLERK = { name: 'Carl Clerk', username: 'carl', password: 'pencil sharpener tray', role: 'clerk' }

interface Book {
  dir: string
  cash: number
  bank: number
  savings: number
  /** Wanjiru's savings account. */
  wanjiru: number
}

/**
 * Nairobi, KES. Two members with savings, one with shares; deposits in March
 * and October 2026 (cash and bank), a withdrawal, a share purchase, a manual
 * entry (bank charges against fee income). Auditor Audrey and clerk Carl.
 */
async function book(): Promise<Book> {
  const { core, dataDir } = tempCore()
  value(await core.invoke('profile.save', PROFILE))
  const accounts = value<{ accounts: { id: number; role: string | null }[] }>(await core.invoke('ledger.accounts', {})).accounts
  const role = (r: string) => (accounts.find((a) => a.role === r) as { id: number }).id
  const m1 = value<{ id: number }>(await core.invoke('members.create', { memberNo: 'M-001', fullName: 'Wanjiru Kamau', joinedOn: '2025-01-01' }))
  const m2 = value<{ id: number }>(await core.invoke('members.create', { memberNo: 'M-002', fullName: 'Otieno Ochieng', joinedOn: '2025-02-01' }))
  const s1 = value<{ id: number }>(await core.invoke('ledger.openMemberAccount', { memberId: m1.id, product: 'savings' }))
  const s2 = value<{ id: number }>(await core.invoke('ledger.openMemberAccount', { memberId: m2.id, product: 'savings' }))
  const sh2 = value<{ id: number }>(await core.invoke('ledger.openMemberAccount', { memberId: m2.id, product: 'shares' }))
  value(await core.invoke('ledger.deposit', { memberAccountId: s1.id, amountMinor: 150_000, valueDate: '2026-03-04', via: 'cash' }))
  value(await core.invoke('ledger.deposit', { memberAccountId: s2.id, amountMinor: 80_000, valueDate: '2026-03-09', via: 'bank' }))
  value(await core.invoke('ledger.deposit', { memberAccountId: s1.id, amountMinor: 25_000, valueDate: '2026-10-14', via: 'bank' }))
  value(await core.invoke('ledger.withdraw', { memberAccountId: s1.id, amountMinor: 40_000, valueDate: '2026-10-20', via: 'cash' }))
  value(await core.invoke('ledger.buyShares', { memberAccountId: sh2.id, amountMinor: 100_000, valueDate: '2026-11-02', via: 'bank' }))
  value(
    await core.invoke('ledger.post', {
      valueDate: '2026-11-10',
      description: 'Account fee charged to the bank account',
      lines: [
        { accountId: role('bank'), debitMinor: 5_000, creditMinor: 0 },
        { accountId: role('fee-income'), debitMinor: 0, creditMinor: 5_000 }
      ]
    })
  )
  await asOperator(core, AUDITOR, async () => undefined)
  await asOperator(core, CLERK, async () => undefined)
  await core.shutdown()
  return { dir: dataDir, cash: role('cash'), bank: role('bank'), savings: role('member-savings'), wanjiru: s1.id }
}

const lines = (text: string): string[] => text.trimEnd().split('\n')

beforeAll(() => buildCli())

describe('coffer summaries and ledger commands', () => {
  it('check passes on a sound book; a corrupted bucket is named and exits 5; rebuild (and --truncate) puts it right', async () => {
    const b = await book()
    const ok = coffer(b.dir, 'summaries', 'check')
    expect(ok).toMatchObject({ code: 0, err: '' })
    expect(ok.out).toMatch(/^The ledger summaries match the journal: \d+ buckets checked\.\n$/)
    const fresh = JSON.parse(coffer(b.dir, 'summaries', 'check', '--json').out) as SummariesCheck
    expect(fresh).toMatchObject({ differing: 0, differences: [] })
    expect(fresh.buckets).toBeGreaterThan(30)

    // Cash's March 2026 month gains 1.00 of debits; Wanjiru's 14 Oct 2026 day goes missing; a week of Bank appears from nowhere.
    expect(raw(b.dir, "UPDATE ledger_summaries SET debit_minor = debit_minor + 100 WHERE mode = 'm' AND account_id = ? AND member_account_id = 0 AND bucket = '2026-03-01'", b.cash)).toBe(1)
    expect(raw(b.dir, "DELETE FROM ledger_summaries WHERE mode = 'd' AND member_account_id = ? AND bucket = '2026-10-14'", b.wanjiru)).toBe(1)
    raw(b.dir, "INSERT INTO ledger_summaries VALUES ('w', ?, 0, '2025-01-06', 500, 0, 1)", b.bank)

    const bad = coffer(b.dir, 'summaries', 'check')
    expect(bad.code).toBe(5)
    expect(bad.err).toBe(
      `coffer: The ledger summaries differ from the journal in 3 of ${fresh.buckets} buckets. The journal is the record and is not affected: coffer summaries rebuild recomputes the summaries from it.\n`
    )
    const out = lines(bad.out)
    expect(out[0]).toMatch(/^Mode +Bucket +Account +Member account +Kept debit \(KES\) +Kept credit +Kept lines +Journal debit +Journal credit +Journal lines$/)
    // Daily, then weekly, then monthly; amounts in KES the Kenyan way; — for a side that is missing.
    expect(out[1]).toMatch(/^Daily +14 Oct 2026 +2000 Members' savings +M-001-SAV Wanjiru Kamau +— +— +— +0\.00 +250\.00 +1$/)
    expect(out[2]).toMatch(/^Weekly +6 Jan 2025 +1010 Bank +5\.00 +0\.00 +1 +— +— +—$/)
    expect(out[3]).toMatch(/^Monthly +1 Mar 2026 +1000 Cash +1,501\.00 +0\.00 +1 +1,500\.00 +0\.00 +1$/)
    expect(out).toHaveLength(5)

    const asJson = coffer(b.dir, 'summaries', 'check', '--json')
    expect(asJson.code).toBe(5)
    const check = JSON.parse(asJson.out) as SummariesCheck
    expect(check.differing).toBe(3)
    expect(check.differences[2]).toEqual({
      mode: 'monthly',
      bucket: '2026-03-01',
      accountId: b.cash,
      accountCode: '1000',
      accountName: 'Cash',
      memberAccountId: null,
      memberAccountNumber: null,
      memberName: null,
      kept: { debitMinor: 150_100, creditMinor: 0, count: 1 },
      journal: { debitMinor: 150_000, creditMinor: 0, count: 1 }
    })
    expect(check.differences[0]).toMatchObject({ mode: 'daily', memberAccountId: b.wanjiru, memberAccountNumber: 'M-001-SAV', kept: null })

    // The trial balance reads the summaries: March's is off by the 1.00, and says so (exit 5), the table still printed.
    const tb = coffer(b.dir, 'ledger', 'trial-balance', '--as-of', '2026-03-31')
    expect(tb.code).toBe(5)
    expect(lines(tb.out)).toContain('      Total                2,301.00      2,300.00')
    expect(tb.err).toBe('coffer: Debits and credits differ by Ksh\u00a01.00: the summaries do not match the journal. Run coffer summaries check.\n')

    // Rebuild writes the two wrong or missing buckets and removes the stray one.
    const rebuilt = coffer(b.dir, 'summaries', 'rebuild')
    expect(rebuilt).toMatchObject({ code: 0, err: '' })
    expect(rebuilt.out).toMatch(
      new RegExp(`^Rebuilt the ledger summaries from 12 journal lines in [\\d.,]+ (ms|s), [\\d,]+ lines a second: ${fresh.buckets} buckets: 2 written \\(missing or wrong\\), 1 removed \\(no journal line in them\\)\\.\\n$`)
    )
    expect(coffer(b.dir, 'summaries', 'check')).toMatchObject({ code: 0 })
    expect(coffer(b.dir, 'summaries', 'rebuild').out).toMatch(/all \d+ buckets already matched; nothing was written\.\n$/)

    // --truncate: emptied and every bucket written anew, in one transaction.
    raw(b.dir, "UPDATE ledger_summaries SET count = count + 1 WHERE mode = 'w' AND account_id = ?", b.savings)
    expect(coffer(b.dir, 'summaries', 'check').code).toBe(5)
    const truncated = coffer(b.dir, 'summaries', 'rebuild', '--truncate', '--json')
    expect(truncated.code).toBe(0)
    expect(JSON.parse(truncated.out)).toMatchObject({ buckets: fresh.buckets, written: fresh.buckets, removed: fresh.buckets, lines: 12, truncate: true })
    expect(JSON.parse(coffer(b.dir, 'summaries', 'check', '--json').out)).toEqual(fresh)
    expect(read<{ n: number }>(b.dir, 'SELECT count(*) AS n FROM ledger_summaries').n).toBe(fresh.buckets)
  })

  it('the weekly integrity job checks the summaries too, and its failure names the buckets', async () => {
    const b = await book()
    const passed = coffer(b.dir, 'jobs', 'run', 'integrity', '--json')
    expect(passed.code).toBe(0)
    const run = JSON.parse(passed.out) as JobRun
    expect(run.result?.details).toMatchObject({ ledgerSummaries: expect.stringMatching(/^\d+ buckets match the journal$/) })

    raw(b.dir, "UPDATE ledger_summaries SET credit_minor = credit_minor + 1 WHERE mode = 'd' AND member_account_id = ? AND bucket = '2026-03-04'", b.wanjiru)
    const failed = coffer(b.dir, 'jobs', 'run', 'integrity')
    expect(failed.code).toBe(1)
    expect(failed.err).toBe(
      "coffer: Integrity check failed: The ledger summaries differ from the journal in 1 bucket: 2000 Members' savings M-001-SAV (Wanjiru Kamau), 4 Mar 2026: credits differ. " +
        'The dashboard and balances read these totals; the journal itself is the record. Run coffer summaries check to see the amounts, then coffer summaries rebuild to recompute them from the journal.\n'
    )
    expect(coffer(b.dir, 'summaries', 'rebuild').code).toBe(0)
    expect(coffer(b.dir, 'jobs', 'run', 'integrity')).toMatchObject({ code: 0, out: 'Integrity check: No problems found.\n' })
  })

  it('trial balance: a table in the book\'s currency, JSON whose totals are equal, a bad date refused before the data is opened', async () => {
    const b = await book()
    const tb = coffer(b.dir, 'ledger', 'trial-balance', '--as-of', '2026-11-30')
    expect(tb).toMatchObject({ code: 0, err: '' })
    expect(lines(tb.out)).toEqual([
      'Trial balance as of 30 Nov 2026',
      'Code  Account           Debit (KES)  Credit (KES)',
      '1000  Cash                 1,100.00',
      '1010  Bank                 2,100.00',
      "2000  Members' savings                   2,150.00",
      '3000  Share capital                      1,000.00',
      '4100  Fee income                            50.00',
      '      Total                3,200.00      3,200.00',
      'Debits equal credits. Amounts in KES.'
    ])
    const json = JSON.parse(coffer(b.dir, 'ledger', 'trial-balance', '--json', '--as-of=2026-11-30').out) as TrialBalance
    expect(json.asOf).toBe('2026-11-30')
    expect(json.totalDebitMinor).toBe(320_000)
    expect(json.totalCreditMinor).toBe(json.totalDebitMinor)
    expect(json.rows.reduce((s, r) => s + r.debitMinor, 0)).toBe(json.totalDebitMinor)
    expect(json.rows.reduce((s, r) => s + r.creditMinor, 0)).toBe(json.totalCreditMinor)
    // Without --as-of: today in Nairobi (everything posted is before it).
    const today = JSON.parse(coffer(b.dir, 'ledger', 'trial-balance', '--json').out) as TrialBalance
    expect(today.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(today.totalDebitMinor).toBe(320_000)
    // As of a day in March: only March's deposits.
    const march = JSON.parse(coffer(b.dir, 'ledger', 'trial-balance', '--as-of', '2026-03-31', '--json').out) as TrialBalance
    expect([march.totalDebitMinor, march.totalCreditMinor]).toEqual([230_000, 230_000])
    expect(coffer(b.dir, 'ledger', 'trial-balance', '--as-of', '2025-12-31').out).toBe(
      'Trial balance as of 31 Dec 2025: no account has a balance (nothing is posted on or before that day).\n'
    )

    const never = path.join(tempDir(), 'never-created')
    const refused = (args: string[], err: string) => expect(coffer(never, ...args), args.join(' ')).toEqual({ code: 2, out: '', err })
    refused(['ledger', 'trial-balance', '--as-of', '2026-02-30'], 'coffer: --as-of 2026-02-30 is not a date on the calendar: give a real day, such as 2026-03-31.\n')
    refused(['ledger', 'trial-balance', '--as-of', '31/03/2026'], 'coffer: --as-of takes a date as YYYY-MM-DD, such as 2026-03-31, not "31/03/2026".\n')
    refused(['ledger', 'trial-balance', '--as-of=yesterday', '--json'], 'coffer: --as-of takes a date as YYYY-MM-DD, such as 2026-03-31, not "yesterday".\n')
    refused(['ledger', 'trial-balance', '--as-of'], 'coffer: --as-of needs a value.\n')
    refused(['ledger', 'trial-balance', '--asof', '2026-03-31'], 'coffer: Unknown option --asof for coffer ledger trial-balance. It takes --json, --as-of.\n')
    refused(['summaries', 'rebuild', '--truncat'], 'coffer: Unknown option --truncat for coffer summaries rebuild. It takes --truncate, --json.\n')
    refused(['summaries', 'check', '--truncate'], 'coffer: Unknown option --truncate for coffer summaries check. It takes --json.\n')
    refused(['summaries', 'check', 'all'], 'coffer: Unexpected argument "all" for coffer summaries check.\n')
    refused(['summaries'], 'coffer: Say what to do with the ledger summaries: coffer summaries check or rebuild.\n')
    refused(['summaries', 'verify'], 'coffer: Unknown command: coffer summaries verify. Try coffer help.\n')
    refused(['ledger'], 'coffer: Say what to do with the ledger: coffer ledger trial-balance.\n')
    refused(['ledger', 'trial-balanse'], 'coffer: Unknown command: coffer ledger trial-balanse. Try coffer help.\n')
    expect(fs.existsSync(never)).toBe(false)

    const help = coffer(never, 'help')
    expect(help.code).toBe(0)
    expect(help.out).toContain('  coffer summaries check [--json]\n  coffer summaries rebuild [--truncate] [--json]\n  coffer ledger trial-balance [--as-of DATE] [--json]\n')
    expect(help.out.replace(/\s+/g, " ")).toMatch(/5 the ledger summaries differ from the journal \(summaries check; a trial balance whose totals differ\)/)
    expect(coffer(never, 'summaries', '--help')).toMatchObject({ code: 0, out: help.out })
    expect(coffer(never, 'ledger', 'trial-balance', '--help').out).toMatch(/^Usage: coffer ledger trial-balance \[--as-of DATE\] \[--json\]\n/)
    expect(fs.existsSync(never)).toBe(false)
  })

  it('runs as the system without --user; with it, an auditor may check and read but not rebuild', async () => {
    const b = await book()
    expect(cofferWith(b.dir, AUDITOR.password, '--user', AUDITOR.username, 'summaries', 'check')).toMatchObject({ code: 0 })
    expect(cofferWith(b.dir, AUDITOR.password, '--user', AUDITOR.username, 'ledger', 'trial-balance')).toMatchObject({ code: 0 })
    const before = read<{ n: number }>(b.dir, 'SELECT count(*) AS n FROM ledger_summaries').n
    raw(b.dir, "DELETE FROM ledger_summaries WHERE mode = 'm' AND account_id = ? AND member_account_id = 0", b.cash)
    const refused = cofferWith(b.dir, AUDITOR.password, '--user', AUDITOR.username, 'summaries', 'rebuild')
    expect(refused.code).toBe(3)
    expect(refused.err).toMatch(/^coffer: Auditors may not manage the chart of accounts, reverse entries or close months\./)
    expect(cofferWith(b.dir, CLERK.password, '--user', CLERK.username, 'summaries', 'rebuild', '--truncate').code).toBe(3)
    expect(read<{ n: number }>(b.dir, 'SELECT count(*) AS n FROM ledger_summaries').n).toBeLessThan(before)
    // The system (unattended, no --user) may.
    expect(coffer(b.dir, 'summaries', 'rebuild')).toMatchObject({ code: 0 })
    expect(read<{ n: number }>(b.dir, 'SELECT count(*) AS n FROM ledger_summaries').n).toBe(before)
  })
})
