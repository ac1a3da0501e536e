/**
 * The ledger tests' common parts: a book with members and their savings and
 * share capital accounts, a raw connection to its file, and the ledger's
 * invariants checked against the journal read raw (ledgerProblems).
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { DATABASE_FILE, ManualClock, type Core } from '../../src/core'
import { checkSummaries } from '../../src/core/ledger'
import { applyPragmas } from '../../src/core/platform/db/open'
import type { Account, AccountRole, MemberAccount, Statement, SummaryBucket, TrialBalance } from '../../src/shared/contract/ledger'
import type { Member } from '../../src/shared/contract'
import { PROFILE, tempCore, tempDir, value } from './temp-core'

/** The test clock's instant: 22 Nov 2026, noon in Nairobi, the book's time zone. */
export const NOW = '2026-11-22T09:00:00Z'
export const TODAY = '2026-11-22'

export interface BookMember {
  member: Member
  savings: MemberAccount
  shares: MemberAccount
}

export interface LedgerBook {
  core: Core
  dataDir: string
  clock: ManualClock
  /** The default chart's accounts, by role. */
  role: Record<AccountRole, Account>
  accounts: Account[]
  members: BookMember[]
}

/** A real core (signed in as Ada, profile saved) with `members` members, each with a savings and a share capital account. */
export async function ledgerBook(opts: { members?: number; dataDir?: string; now?: string } = {}): Promise<LedgerBook> {
  const { core, dataDir, clock } = tempCore({ dataDir: opts.dataDir, clock: new ManualClock(opts.now ?? NOW) })
  value(await core.invoke('profile.save', PROFILE))
  const members: BookMember[] = []
  for (let i = 1; i <= (opts.members ?? 2); i++) {
    const member = value<Member>(
      await core.invoke('members.create', { memberNo: `M-${String(i).padStart(3, '0')}`, fullName: `Member ${i}`, joinedOn: '2020-01-01' })
    )
    const savings = value<MemberAccount>(await core.invoke('ledger.openMemberAccount', { memberId: member.id, product: 'savings' }))
    const shares = value<MemberAccount>(await core.invoke('ledger.openMemberAccount', { memberId: member.id, product: 'shares' }))
    members.push({ member, savings, shares })
  }
  const accounts = value<{ accounts: Account[] }>(await core.invoke('ledger.accounts', {})).accounts
  const role = Object.fromEntries(accounts.filter((a) => a.role).map((a) => [a.role, a])) as Record<AccountRole, Account>
  return { core, dataDir, clock, role, accounts, members }
}

/**
 * A folder in memory (/dev/shm) where there is one, else a temporary folder:
 * for tests that post thousands of entries, each commit's fsync (synchronous
 * FULL) costs ~10 ms on a disk and nothing there. The kill test, which is
 * about what reaches the disk, does not use it.
 */
export function fastDir(prefix = 'coffer-ledger-'): string {
  try {
    return fs.mkdtempSync(path.join('/dev/shm', prefix))
  } catch {
    return tempDir(prefix)
  }
}

/** A second connection to the book's file (as the command line would open it), for reading the journal raw. */
export function rawDb(dataDir: string): Database.Database {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { timeout: 5000 })
  applyPragmas(db)
  return db
}

/** The Monday of a date's ISO week, by the calendar (not by core's code). */
export function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  const back = (d.getUTCDay() + 6) % 7
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10)
}

export function plusDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
}

/** Every date from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let d = from; d <= to; d = plusDays(d, 1)) out.push(d)
  return out
}

interface RawLine {
  id: number
  entry_id: number
  account_id: number
  member_account_id: number | null
  value_date: string
  debit_minor: number
  credit_minor: number
}

interface RawEntry {
  id: number
  value_date: string
  reverses_id: number | null
  /** posted, or (maker-checker) pending or rejected: those have no lines. */
  status?: string
}

/**
 * Every invariant of the ledger, checked against the journal read raw;
 * answers what is wrong (empty when the book is sound):
 * - every entry posted has at least two lines, on its value date, debits equal to credits
 *   (one pending or rejected, none);
 *   a reversal's lines are its original's with the sides swapped;
 * - the trial balance (ledger.trialBalance) balances as of each date in `dates`,
 *   and each of its rows is the account's journal lines up to that date, netted;
 * - each account's balance (ledger.accounts) is the sum of its lines;
 * - each member account's balance (ledger.memberAccounts) is the sum of its lines,
 *   which are all on its control account; a control account's lines all name a member
 *   account, and its balance is the sum of its member accounts';
 * - the kept summaries equal a rebuild from the journal (checkSummaries);
 * - ledger.summaries' daily, weekly and monthly buckets over the whole range equal the
 *   lines grouped by day, by the Monday of the ISO week and by the 1st of the month;
 * - each account's and member account's statement (ledger.statement), read in pages of
 *   `statementPage` lines, lists its lines newest first with the running balance after
 *   each, as the lines added up oldest first give it; cut at a date (`to`), it starts
 *   from the balance on that date.
 */
export async function ledgerProblems(core: Core, db: Database.Database, dates: readonly string[], statementPage = 7): Promise<string[]> {
  const problems: string[] = []
  const entries = db.prepare('SELECT * FROM journal_entries ORDER BY id').all() as RawEntry[]
  const lines = db.prepare('SELECT * FROM journal_lines ORDER BY id').all() as RawLine[]
  const byEntry = new Map<number, RawLine[]>()
  for (const l of lines) byEntry.set(l.entry_id, [...(byEntry.get(l.entry_id) ?? []), l])

  // Entries whole and balanced.
  for (const e of entries) {
    const ls = byEntry.get(e.id) ?? []
    if ((e.status ?? 'posted') !== 'posted') {
      if (ls.length > 0) problems.push(`entry #${e.id} is ${e.status} but has ${ls.length} line(s)`)
      continue
    }
    if (ls.length < 2) problems.push(`entry #${e.id} has ${ls.length} line(s)`)
    const d = ls.reduce((s, l) => s + l.debit_minor, 0)
    const c = ls.reduce((s, l) => s + l.credit_minor, 0)
    if (d !== c) problems.push(`entry #${e.id}: debits ${d} <> credits ${c}`)
    for (const l of ls) if (l.value_date !== e.value_date) problems.push(`line #${l.id} dated ${l.value_date}, its entry #${e.id} ${e.value_date}`)
    if (e.reverses_id !== null) {
      const shape = (x: RawLine[], swap: boolean) =>
        x.map((l) => `${l.account_id}/${l.member_account_id}/${swap ? l.credit_minor : l.debit_minor}/${swap ? l.debit_minor : l.credit_minor}`).sort()
      if (JSON.stringify(shape(ls, false)) !== JSON.stringify(shape(byEntry.get(e.reverses_id) ?? [], true))) {
        problems.push(`reversal #${e.id} does not mirror #${e.reverses_id}`)
      }
    }
  }
  const orphans = db.prepare('SELECT count(*) FROM journal_lines WHERE entry_id NOT IN (SELECT id FROM journal_entries)').pluck().get() as number
  if (orphans > 0) problems.push(`${orphans} line(s) without an entry`)

  // Accounts: balances from the summaries against the lines.
  const accounts = value<{ accounts: Account[] }>(await core.invoke('ledger.accounts', {})).accounts
  const debitNormal = (a: Account) => a.type === 'asset' || a.type === 'expense'
  const rawNet = new Map<number, number>()
  for (const l of lines) rawNet.set(l.account_id, (rawNet.get(l.account_id) ?? 0) + l.debit_minor - l.credit_minor)
  for (const a of accounts) {
    const net = rawNet.get(a.id) ?? 0
    const expected = debitNormal(a) ? net : -net
    if (a.balanceMinor !== expected) problems.push(`account ${a.code}: balance ${a.balanceMinor}, its lines ${expected}`)
    if (a.hasEntries !== lines.some((l) => l.account_id === a.id)) problems.push(`account ${a.code}: hasEntries ${a.hasEntries}`)
  }

  // Member accounts and their control accounts.
  const mas = db.prepare('SELECT id, member_id, control_account_id FROM member_accounts ORDER BY id').all() as {
    id: number
    member_id: number
    control_account_id: number
  }[]
  const apiBalance = new Map<number, number>()
  for (const memberId of new Set(mas.map((m) => m.member_id))) {
    for (const ma of value<{ accounts: MemberAccount[] }>(await core.invoke('ledger.memberAccounts', { memberId })).accounts) apiBalance.set(ma.id, ma.balanceMinor)
  }
  for (const ma of mas) {
    const own = lines.filter((l) => l.member_account_id === ma.id)
    const sum = own.reduce((s, l) => s + l.credit_minor - l.debit_minor, 0)
    if (apiBalance.get(ma.id) !== sum) problems.push(`member account #${ma.id}: balance ${apiBalance.get(ma.id)}, its lines ${sum}`)
    for (const l of own) if (l.account_id !== ma.control_account_id) problems.push(`line #${l.id} of member account #${ma.id} is on account #${l.account_id}`)
  }
  for (const a of accounts.filter((x) => x.controlOf)) {
    const underIt = mas.filter((m) => m.control_account_id === a.id).map((m) => m.id)
    const withoutMember = lines.filter((l) => l.account_id === a.id && l.member_account_id === null)
    if (withoutMember.length > 0) problems.push(`control account ${a.code} has ${withoutMember.length} line(s) without a member account`)
    const ofMembers = underIt.reduce((s, id) => s + (apiBalance.get(id) ?? 0), 0)
    if (a.balanceMinor !== ofMembers) problems.push(`control account ${a.code}: balance ${a.balanceMinor}, its member accounts ${ofMembers}`)
  }

  // Summaries equal a rebuild.
  const check = checkSummaries(db)
  for (const d of check.differences.slice(0, 10)) problems.push(`summary differs: ${JSON.stringify(d)}`)

  // Trial balance as of each date.
  const sorted = [...lines].sort((x, y) => (x.value_date < y.value_date ? -1 : x.value_date > y.value_date ? 1 : 0))
  for (const asOf of dates) {
    const tb = value<TrialBalance>(await core.invoke('ledger.trialBalance', { asOf }))
    if (tb.totalDebitMinor !== tb.totalCreditMinor) problems.push(`trial balance as of ${asOf}: debits ${tb.totalDebitMinor} <> credits ${tb.totalCreditMinor}`)
    const net = new Map<number, number>()
    for (const l of sorted) {
      if (l.value_date > asOf) break
      net.set(l.account_id, (net.get(l.account_id) ?? 0) + l.debit_minor - l.credit_minor)
    }
    const expected = [...net].filter(([, n]) => n !== 0).map(([id, n]) => `${id}:${n}`).sort()
    const got = tb.rows.map((r) => `${r.accountId}:${r.debitMinor - r.creditMinor}`).sort()
    if (JSON.stringify(got) !== JSON.stringify(expected)) problems.push(`trial balance as of ${asOf}: ${got.join(' ')}, the journal ${expected.join(' ')}`)
  }

  // The one read of the summaries, by day, ISO week and month, against the lines grouped here.
  if (lines.length > 0) {
    const from = sorted[0]!.value_date
    const to = sorted[sorted.length - 1]!.value_date
    const buckets: Record<'daily' | 'weekly' | 'monthly', (d: string) => string> = {
      daily: (d) => d,
      weekly: mondayOf,
      monthly: (d) => `${d.slice(0, 8)}01`
    }
    for (const [mode, bucketOf] of Object.entries(buckets)) {
      const expected = new Map<string, { d: number; c: number; n: number }>()
      const add = (k: string, l: RawLine) => {
        const e = expected.get(k) ?? { d: 0, c: 0, n: 0 }
        expected.set(k, { d: e.d + l.debit_minor, c: e.c + l.credit_minor, n: e.n + 1 })
      }
      for (const l of lines) add(`${bucketOf(l.value_date)}/${l.account_id}/-`, l)
      for (const l of lines) if (l.member_account_id !== null) add(`${bucketOf(l.value_date)}/${l.account_id}/${l.member_account_id}`, l)
      const got = new Map<string, { d: number; c: number; n: number }>()
      const read = async (q: Record<string, unknown>) => {
        for (const b of value<{ buckets: SummaryBucket[] }>(await core.invoke('ledger.summaries', { mode, from, to, ...q })).buckets) {
          if (mode === 'weekly' && mondayOf(b.bucket) !== b.bucket) problems.push(`weekly bucket ${b.bucket} is not a Monday`)
          if (b.netMinor !== b.debitMinor - b.creditMinor) problems.push(`${mode} bucket ${b.bucket}: net ${b.netMinor}`)
          got.set(`${b.bucket}/${b.accountId}/${b.memberAccountId ?? '-'}`, { d: b.debitMinor, c: b.creditMinor, n: b.count })
        }
      }
      await read({})
      if (mas.length > 0) await read({ memberAccountIds: mas.map((m) => m.id) })
      const show = (m: Map<string, { d: number; c: number; n: number }>) =>
        [...m].map(([k, v]) => `${k}=${v.d}/${v.c}/${v.n}`).sort()
      const g = show(got)
      const e = show(expected)
      if (JSON.stringify(g) !== JSON.stringify(e)) {
        const missing = e.filter((x) => !g.includes(x)).slice(0, 5)
        const extra = g.filter((x) => !e.includes(x)).slice(0, 5)
        problems.push(`${mode} summaries differ from the journal: expected ${missing.join(' ')}; read ${extra.join(' ')}`)
      }
    }
  }
  // Statements: paged newest first, running balances.
  const statements: { q: Record<string, number>; own: RawLine[]; debitNormal: boolean; name: string }[] = [
    ...accounts.map((a) => ({ q: { accountId: a.id }, own: lines.filter((l) => l.account_id === a.id), debitNormal: debitNormal(a), name: `account ${a.code}` })),
    ...mas.map((m) => ({ q: { memberAccountId: m.id }, own: lines.filter((l) => l.member_account_id === m.id), debitNormal: false, name: `member account #${m.id}` }))
  ]
  for (const { q, own, debitNormal: dn, name } of statements) {
    if (own.length === 0) continue
    const ordered = [...own].sort((x, y) => (x.value_date < y.value_date ? -1 : x.value_date > y.value_date ? 1 : x.id - y.id))
    let running = 0
    const expected = ordered.map((l) => {
      running += dn ? l.debit_minor - l.credit_minor : l.credit_minor - l.debit_minor
      return `${l.id}@${l.value_date}:${running}`
    })
    expected.reverse()
    const got: string[] = []
    let before: { valueDate: string; lineId: number } | undefined
    for (let page = 0; page < 1000; page++) {
      const st = value<Statement>(await core.invoke('ledger.statement', { ...q, limit: statementPage, ...(before ? { before } : {}) }))
      got.push(...st.lines.map((l) => `${l.lineId}@${l.valueDate}:${l.balanceMinor}`))
      const last = st.lines[st.lines.length - 1]
      if (st.lines.length > 0 && st.closingMinor !== st.lines[0]!.balanceMinor) problems.push(`${name} statement: closing ${st.closingMinor}, first line ${st.lines[0]!.balanceMinor}`)
      if (!st.more || !last) {
        if (st.openingMinor !== 0 && !st.more) problems.push(`${name} statement: opening ${st.openingMinor} on its last page`)
        break
      }
      before = { valueDate: last.valueDate, lineId: last.lineId }
    }
    if (JSON.stringify(got) !== JSON.stringify(expected)) problems.push(`${name} statement: ${got.slice(0, 6).join(' ')}…, the journal ${expected.slice(0, 6).join(' ')}…`)
    // Cut at the middle line's date: the statement ends with the balance on that date.
    const mid = ordered[Math.floor(ordered.length / 2)]!.value_date
    const upTo = ordered.filter((l) => l.value_date <= mid).reduce((s, l) => s + (dn ? l.debit_minor - l.credit_minor : l.credit_minor - l.debit_minor), 0)
    const cut = value<Statement>(await core.invoke('ledger.statement', { ...q, to: mid, limit: statementPage }))
    if (cut.closingMinor !== upTo) problems.push(`${name} statement to ${mid}: closing ${cut.closingMinor}, the journal ${upTo}`)
  }
  return problems
}
