/**
 * The recurring tests' common parts (issue #12): a real core on a SQLite
 * file in memory (/dev/shm) with members, their savings and share capital
 * accounts and the profile in a chosen time zone; jobs run by the engine on
 * the calling thread (a worker thread costs ~1.5 s a run: the tests run
 * hundreds; one test runs both jobs on a worker to show they work there);
 * raw reads of the occurrences; the recurring area's own invariants
 * (recurringProblems) next to the ledger's (ledgerProblems).
 */
import fs from 'node:fs'
import Database from 'better-sqlite3'
import { ManualClock, openCore, type Core } from '../../src/core'
import type { Account, AccountRole, MemberAccount } from '../../src/shared/contract/ledger'
import type { Member } from '../../src/shared/contract'
import type { RunReport, StandingOrder, StandingOrderInput, Template, TemplateInput } from '../../src/shared/contract/recurring'
import { fastDir, ledgerProblems, rawDb, type BookMember } from './ledger'
import { TEST_PASSWORD_COST, signedIn } from './operators'
import { MIGRATIONS, PROFILE, quietLogger, value } from './temp-core'

export interface RecurringBook {
  core: Core
  dataDir: string
  clock: ManualClock
  timeZone: string
  role: Record<AccountRole, Account>
  members: BookMember[]
  /** A second connection to the file, for raw reads. */
  db: Database.Database
  close(): Promise<void>
}

export interface RecurringBookOptions {
  members?: number
  timeZone?: string
  /** The clock's first instant (default 22 Nov 2026 09:00Z: noon in Nairobi). */
  now?: string
  /** Jobs on a worker thread, as in the app (slow: ~1.5 s a run). */
  worker?: boolean
  dataDir?: string
}

/** Opens a core on `dataDir` the way these tests do (inline jobs unless `worker`), signed in as Ada. */
export function openRecurringCore(dataDir: string, clock: ManualClock, worker = false): Core {
  return signedIn(
    openCore({
      dataDir,
      migrationsFolder: MIGRATIONS,
      version: 'test',
      clock,
      log: quietLogger,
      processKind: 'test',
      inlineJobs: !worker,
      systemDefaults: () => ({ timeZone: PROFILE.timeZone, locale: PROFILE.locale, currency: PROFILE.currency }),
      passwordCost: TEST_PASSWORD_COST
    })
  )
}

/** A book: profile (in `timeZone`), `members` members each with savings and shares, Ada signed in. */
export async function recurringBook(o: RecurringBookOptions = {}): Promise<RecurringBook> {
  const dataDir = o.dataDir ?? fastDir('coffer-recurring-')
  const clock = new ManualClock(o.now ?? '2026-11-22T09:00:00Z')
  const timeZone = o.timeZone ?? PROFILE.timeZone
  const core = openRecurringCore(dataDir, clock, o.worker)
  value(await core.invoke('profile.save', { ...PROFILE, timeZone }))
  const members: BookMember[] = []
  for (let i = 1; i <= (o.members ?? 2); i++) {
    const member = value<Member>(await core.invoke('members.create', { memberNo: `M-${String(i).padStart(3, '0')}`, fullName: `Member ${i}`, joinedOn: '2020-01-01' }))
    const savings = value<MemberAccount>(await core.invoke('ledger.openMemberAccount', { memberId: member.id, product: 'savings' }))
    const shares = value<MemberAccount>(await core.invoke('ledger.openMemberAccount', { memberId: member.id, product: 'shares' }))
    members.push({ member, savings, shares })
  }
  const accounts = value<{ accounts: Account[] }>(await core.invoke('ledger.accounts', {})).accounts
  const role = Object.fromEntries(accounts.filter((a) => a.role).map((a) => [a.role, a])) as Record<AccountRole, Account>
  const db = rawDb(dataDir)
  return {
    core,
    dataDir,
    clock,
    timeZone,
    role,
    members,
    db,
    close: async () => {
      db.close()
      await core.shutdown()
      // A folder made here (in /dev/shm, usually) goes with the book; one the caller gave is the caller's.
      if (o.dataDir === undefined) fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

/** The clock at `time` UTC on `date` (default 09:00Z: noon in Nairobi, 09:00 or 10:00 in London: the same calendar day in both). */
export function setDay(b: Pick<RecurringBook, 'clock'>, date: string, time = '09:00:00'): void {
  b.clock.set(`${date}T${time}Z`)
}

export async function deposit(b: RecurringBook, ma: MemberAccount, amountMinor: number, valueDate: string): Promise<void> {
  value(await b.core.invoke('ledger.deposit', { memberAccountId: ma.id, amountMinor, valueDate, via: 'bank' }))
}

/** A template paying `amountMinor` of salaries from the bank (debit Salaries expense, credit Bank), monthly by default. */
export async function salaryTemplate(b: RecurringBook, over: Partial<TemplateInput> & { amountMinor?: number } = {}): Promise<Template> {
  const { amountMinor = 50_000, ...rest } = over
  return value<Template>(
    await b.core.invoke('recurring.createTemplate', {
      name: 'Salaries',
      description: 'Staff salaries',
      lines: [
        { accountId: b.role['salary-expense'].id, debitMinor: amountMinor },
        { accountId: b.role.bank.id, creditMinor: amountMinor }
      ],
      frequency: 'monthly',
      startDate: '2026-01-31',
      ...rest
    })
  )
}

/** A standing order of member `i` (0-based) from savings to their shares, daily by default. */
export async function savingsToShares(b: RecurringBook, i: number, over: Partial<StandingOrderInput> = {}): Promise<StandingOrder> {
  const m = b.members[i] as BookMember
  return value<StandingOrder>(
    await b.core.invoke('recurring.createOrder', {
      memberId: m.member.id,
      fromMemberAccountId: m.savings.id,
      target: { kind: 'member-account', memberAccountId: m.shares.id },
      amountMinor: 1_000,
      frequency: 'daily',
      startDate: '2026-11-22',
      ...over
    })
  )
}

export const runTemplates = async (b: RecurringBook, dryRun = false): Promise<RunReport> => value<RunReport>(await b.core.invoke('recurring.run', { dryRun }))
export const runOrders = async (b: RecurringBook, dryRun = false): Promise<RunReport> => value<RunReport>(await b.core.invoke('recurring.runOrders', { dryRun }))

export interface RawOccurrence {
  id: number
  template_id: number | null
  standing_order_id: number | null
  n: number
  scheduled_date: string
  due_date: string
  amount_minor: number
  carried_minor: number
  status: 'generated' | 'posted' | 'skipped' | 'failed'
  review: string | null
  postponed_until: string | null
  entry_id: number | null
  value_date: string | null
  payment_id: number | null
  reason: string | null
  attempts: number
  retry_until: string | null
  reversal_entry_id: number | null
}

/** One owner's occurrences read raw, in scheduled order. */
export function occurrencesOf(db: Database.Database, owner: { templateId: number } | { orderId: number }): RawOccurrence[] {
  return 'templateId' in owner
    ? (db.prepare('SELECT * FROM recurring_occurrences WHERE template_id = ? ORDER BY scheduled_date').all(owner.templateId) as RawOccurrence[])
    : (db.prepare('SELECT * FROM recurring_occurrences WHERE standing_order_id = ? ORDER BY scheduled_date').all(owner.orderId) as RawOccurrence[])
}

/** Posted occurrences as `scheduled→valueDate` (the one mapping the regressions are about). */
export const postedDates = (rows: readonly RawOccurrence[]): string[] => rows.filter((r) => r.status === 'posted').map((r) => `${r.scheduled_date}→${r.value_date}`)

/** Raw row counts of what a dry run must not write. */
export function rowCounts(db: Database.Database): Record<string, number> {
  const out: Record<string, number> = {}
  for (const t of ['journal_entries', 'journal_lines', 'recurring_occurrences', 'audit_log', 'standing_orders', 'recurring_templates', 'bond_payments', 'notifications']) {
    out[t] = db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number
  }
  out.versions = db.prepare('SELECT coalesce(sum(version), 0) FROM standing_orders').pluck().get() as number
  out.templateNext = db.prepare('SELECT coalesce(sum(next_n), 0) FROM recurring_templates').pluck().get() as number
  return out
}

/** The member account's balance from its lines (credits less debits), read raw. */
export function memberBalanceRaw(db: Database.Database, memberAccountId: number): number {
  return db.prepare('SELECT coalesce(sum(credit_minor - debit_minor), 0) FROM journal_lines WHERE member_account_id = ?').pluck().get(memberAccountId) as number
}

/**
 * The recurring area's invariants, read raw (empty when sound):
 * - one row per (owner, scheduled date), and the owner's n values distinct;
 * - a posted occurrence has its entry: source recurring / standing-order, its
 *   sourceRef, its value date, its amount (the debit total), not pending;
 * - every entry of those sources belongs to exactly one posted occurrence
 *   (reversals aside), and a reversed occurrence's reversal mirrors its entry;
 * - an occurrence not posted has no entry; a bank order's posted occurrence has exactly one payment.
 */
export function recurringProblems(db: Database.Database): string[] {
  const problems: string[] = []
  const rows = db.prepare('SELECT * FROM recurring_occurrences ORDER BY id').all() as RawOccurrence[]
  const keys = new Set<string>()
  const ns = new Set<string>()
  for (const r of rows) {
    const owner = r.template_id !== null ? `t${r.template_id}` : `o${r.standing_order_id}`
    const k = `${owner}@${r.scheduled_date}`
    if (keys.has(k)) problems.push(`two occurrences of ${k}`)
    keys.add(k)
    if (ns.has(`${owner}#${r.n}`)) problems.push(`two occurrences numbered ${r.n} of ${owner}`)
    ns.add(`${owner}#${r.n}`)
  }
  const entry = db.prepare('SELECT id, value_date, source, source_ref, reverses_id, status FROM journal_entries WHERE id = ?')
  const debit = db.prepare('SELECT coalesce(sum(debit_minor), 0) FROM journal_lines WHERE entry_id = ?').pluck()
  for (const r of rows) {
    if (r.status !== 'posted') {
      if (r.entry_id !== null) problems.push(`occurrence #${r.id} is ${r.status} with entry #${r.entry_id}`)
      continue
    }
    const e = entry.get(r.entry_id) as { id: number; value_date: string; source: string; source_ref: string | null; reverses_id: number | null; status: string } | undefined
    if (!e) {
      problems.push(`occurrence #${r.id} posted without an entry`)
      continue
    }
    const source = r.template_id !== null ? 'recurring' : 'standing-order'
    if (e.source !== source || e.source_ref !== `recurring_occurrences:${r.id}`) problems.push(`occurrence #${r.id}: entry #${e.id} is ${e.source} ${e.source_ref}`)
    if (e.value_date !== r.value_date) problems.push(`occurrence #${r.id}: value date ${r.value_date}, its entry ${e.value_date}`)
    if (debit.get(e.id) !== r.amount_minor) problems.push(`occurrence #${r.id}: amount ${r.amount_minor}, its entry ${debit.get(e.id)}`)
    if ((e.status ?? 'posted') !== 'posted') problems.push(`occurrence #${r.id}: entry #${e.id} is ${e.status}`)
    if (r.reversal_entry_id !== null) {
      const rev = entry.get(r.reversal_entry_id) as { reverses_id: number | null } | undefined
      if (!rev || rev.reverses_id !== e.id) problems.push(`occurrence #${r.id}: reversal #${r.reversal_entry_id} does not reverse #${e.id}`)
    }
  }
  const entries = db
    .prepare("SELECT id, source_ref FROM journal_entries WHERE source IN ('recurring', 'standing-order') AND reverses_id IS NULL")
    .all() as { id: number; source_ref: string }[]
  const posted = new Map(rows.filter((r) => r.status === 'posted').map((r) => [r.entry_id, r]))
  for (const e of entries) if (!posted.has(e.id)) problems.push(`entry #${e.id} (${e.source_ref}) belongs to no posted occurrence`)
  const payments = db.prepare("SELECT count(*) FROM bond_payments WHERE source_ref = ? AND status NOT IN ('voided', 'cancelled')").pluck()
  for (const r of rows) {
    if (r.standing_order_id === null || r.status !== 'posted') continue
    const bank = db.prepare("SELECT target_kind = 'bank' FROM standing_orders WHERE id = ?").pluck().get(r.standing_order_id) === 1
    if (!bank) continue
    const n = payments.get(`recurring_occurrences:${r.id}`) as number
    if (n !== 1 || r.payment_id === null) problems.push(`bank order occurrence #${r.id}: ${n} payment(s), payment_id ${r.payment_id}`)
  }
  return problems
}

/** Both sets of invariants: the ledger's (trial balance as of each posting date) and the recurring area's. */
export async function bookProblems(b: RecurringBook): Promise<string[]> {
  const dates = b.db.prepare('SELECT DISTINCT value_date FROM journal_entries ORDER BY 1').pluck().all() as string[]
  // The trial balance on a handful of dates (first, last and a few between): every date costs a call.
  const pick = dates.length <= 6 ? dates : [0, 1, 2, 3, 4, 5].map((i) => dates[Math.round((i * (dates.length - 1)) / 5)] as string)
  return [...recurringProblems(b.db), ...(await ledgerProblems(b.core, b.db, pick, 50))]
}

/** Notifications' titles (newest first). */
export async function notificationTitles(b: RecurringBook): Promise<string[]> {
  return value<{ rows: { title: string }[] }>(await b.core.invoke('notifications.list', { limit: 200 })).rows.map((n) => n.title)
}
