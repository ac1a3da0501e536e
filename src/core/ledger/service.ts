import type { ServiceContext } from '../platform/context'
import { nowIso } from '../platform/context'
import { DomainError, conflict, invalid, notFound } from '../platform/errors'
import { currentActor } from '../platform/actor'
import {
  addDays,
  calendarDateInZone,
  compareDates,
  formatCalendarDate,
  startOfMonth,
  toCalendarDate,
  parseCalendarDate
} from '../../shared/dates'
import { formatMoney } from '../../shared/money'
import {
  DEBIT_NORMAL,
  PRODUCT_CONTROL_ROLE,
  type Account,
  type AccountRole,
  type AccountType,
  type CashOrBank,
  type Dashboard,
  type EntrySource,
  type JournalEntry,
  type JournalLine,
  type MemberAccount,
  type MemberProduct,
  type Periods,
  type Statement,
  type StatementLine,
  type SummaryBucket,
  type TrialBalance
} from '../../shared/contract/ledger'
import type { ParsedInput } from '../../shared/contract'
import { SummaryWriter, MODE_CODES, checkSummaries, rebuildSummaries, type CheckResult, type RebuildResult } from './summaries'

/** What an area (or the manual forms) posts: balanced lines on a value date. */
export interface PostLine {
  accountId: number
  memberAccountId?: number | null
  debitMinor: number
  creditMinor: number
}

export interface PostRequest {
  valueDate: string
  description: string
  source: EntrySource
  /** What it is posted for (bond_payments:12): at most one entry per thing, not counting reversals. */
  sourceRef?: string | null
  reference?: string | null
  reversesId?: number | null
  lines: readonly PostLine[]
  /**
   * A value date in a closed month: refused (what an operator does), or
   * posted on the first open day after it with a note saying so (what a job
   * catching up does).
   */
  whenClosed?: 'refuse' | 'next-open-day'
  /** The field a closed-month or date problem is reported on (paidOn, purchaseDate…). */
  dateField?: string
}

export interface Posted {
  id: number
  valueDate: string
  /** Set when the value date moved out of a closed month. */
  note: string | null
}

interface AccountRow {
  id: number
  code: string
  name: string
  type: AccountType
  role: AccountRole | null
  control_of: MemberProduct | null
  active: number
  version: number
}

interface MemberAccountRow {
  id: number
  member_id: number
  member_no: string
  full_name: string
  member_active: number
  product: MemberProduct
  control_account_id: number
  opened_on: string
}

interface EntryRow {
  id: number
  value_date: string
  description: string
  source: EntrySource
  source_ref: string | null
  reference: string | null
  reverses_id: number | null
  reversed_by_id: number | null
  entered_by_id: number | null
  entered_by: string
  entered_at: string
  note: string | null
  status: 'posted' | 'pending' | 'rejected'
  pending_lines: string | null
  decided_by: string | null
  decided_at: string | null
  reject_reason: string | null
}

const PRODUCT_SUFFIX: Record<MemberProduct, string> = { savings: 'SAV', shares: 'SHR' }
const PRODUCT_WORDS: Record<MemberProduct, string> = { savings: 'savings', shares: 'share capital' }
/** Sources an area owns: their entries are corrected there (voiding the payment), not reversed by hand. */
const OWNED_SOURCES: readonly EntrySource[] = ['bond-payment', 'bond-purchase', 'payroll', 'standing-order', 'recurring']
const OWNED_WORDS: Partial<Record<EntrySource, string>> = {
  'bond-payment': 'is a bond payment: void the payment on the Payments page, and its entry is reversed with it.',
  'bond-purchase': 'is a bond purchase, part of the holding it recorded; it is not reversed by hand.',
  payroll: 'was posted by payroll; correct it there.',
  'standing-order': 'was posted by a standing order; correct it there.',
  recurring: 'was posted by a recurring entry; correct it there.'
}

export const monthOf = (date: string): string => date.slice(0, 7)

/** SQL conditions joined by AND, each added only when its value is given. */
class Conditions {
  readonly where: string[] = []
  readonly params: unknown[] = []
  add(sql: string, value: unknown): this {
    if (value !== undefined && value !== null) {
      this.where.push(sql)
      this.params.push(value)
    }
    return this
  }
}

/**
 * The ledger: the one door every money movement goes through (DESIGN.md,
 * Ledger). `post` checks an entry (balanced, accounts active, member
 * accounts under their control accounts, the month open) and writes it, its
 * lines and its summary buckets in the caller's transaction, or writes
 * nothing.
 */
export class LedgerService {
  private writer: SummaryWriter | null = null
  private statements: ReturnType<LedgerService['prepareStatements']> | null = null

  constructor(
    private readonly ctx: ServiceContext,
    private readonly env: {
      timeZone: () => string
      locale: () => string
      currency: () => string
      /** Whether a manual journal entry (over the threshold) or reopening a month needs a second operator (the app: Settings, Security; unset: no). */
      makerChecker?: (kind: 'journal' | 'reopen') => boolean
      journalThresholdMinor?: () => number
    }
  ) {}

  today(): string {
    return calendarDateInZone(this.ctx.clock.now(), this.env.timeZone())
  }

  private money(minor: number | bigint): string {
    return formatMoney(minor, this.env.currency(), this.env.locale())
  }

  private date(d: string): string {
    return formatCalendarDate(d, this.env.locale())
  }

  private monthWords(month: string): string {
    const [y, m] = month.split('-').map(Number) as [number, number]
    return new Intl.DateTimeFormat(this.env.locale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)))
  }

  // ---------------------------------------------------------------------------
  // Accounts
  // ---------------------------------------------------------------------------

  private accountRow(id: number): AccountRow {
    const r = this.st().account.get(id)
    if (!r) throw notFound(`Account #${id}`)
    return r
  }

  /** The account holding a role (cash, bank…): every book has one from its first migration. */
  accountFor(role: AccountRole): AccountRow {
    const r = this.ctx.sqlite.prepare('SELECT * FROM ledger_accounts WHERE role = ?').get(role) as AccountRow | undefined
    if (!r) throw conflict(`The chart of accounts has no ${role} account. Add one in Accounts before posting.`)
    return r
  }

  cashOrBank(via: CashOrBank | 'cash' | 'bank-transfer' | 'cheque'): AccountRow {
    return this.accountFor(via === 'cash' ? 'cash' : 'bank')
  }

  /** Balance of each account in its normal direction, from the monthly buckets. */
  private balances(): Map<number, { debit: number; credit: number }> {
    const rows = this.ctx.sqlite
      .prepare(
        "SELECT account_id AS id, sum(debit_minor) AS d, sum(credit_minor) AS c FROM ledger_summaries WHERE mode = 'm' AND member_account_id = 0 GROUP BY account_id"
      )
      .all() as { id: number; d: number; c: number }[]
    return new Map(rows.map((r) => [r.id, { debit: r.d, credit: r.c }]))
  }

  private toAccount(r: AccountRow, bal: { debit: number; credit: number } | undefined, hasEntries: boolean): Account {
    const d = bal?.debit ?? 0
    const c = bal?.credit ?? 0
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      type: r.type,
      role: r.role,
      controlOf: r.control_of,
      active: r.active === 1,
      hasEntries,
      balanceMinor: DEBIT_NORMAL[r.type] ? d - c : c - d,
      version: r.version
    }
  }

  accounts(includeInactive = true): Account[] {
    const rows = this.ctx.sqlite
      .prepare(`SELECT * FROM ledger_accounts ${includeInactive ? '' : 'WHERE active = 1'} ORDER BY code COLLATE NOCASE, id`)
      .all() as AccountRow[]
    const bal = this.balances()
    const used = new Set(
      this.ctx.sqlite.prepare("SELECT DISTINCT account_id FROM ledger_summaries WHERE mode = 'm' AND member_account_id = 0").pluck().all() as number[]
    )
    return rows.map((r) => this.toAccount(r, bal.get(r.id), used.has(r.id)))
  }

  account(id: number): Account {
    const r = this.accountRow(id)
    const b = this.ctx.sqlite
      .prepare("SELECT sum(debit_minor) AS d, sum(credit_minor) AS c, count(*) AS n FROM ledger_summaries WHERE mode = 'm' AND member_account_id = 0 AND account_id = ?")
      .get(id) as { d: number | null; c: number | null; n: number }
    return this.toAccount(r, { debit: b.d ?? 0, credit: b.c ?? 0 }, b.n > 0)
  }

  private codeTaken(code: string, exceptId: number): void {
    const taken = this.ctx.sqlite.prepare('SELECT name FROM ledger_accounts WHERE code = ? COLLATE NOCASE AND id <> ?').get(code, exceptId) as
      | { name: string }
      | undefined
    if (taken) throw conflict(`Code ${code} is already used by ${taken.name}.`, { code: `Already used by ${taken.name}` })
  }

  createAccount(v: { code: string; name: string; type: AccountType }): Account {
    this.codeTaken(v.code, 0)
    const at = nowIso(this.ctx)
    const id = this.ctx.sqlite
      .prepare('INSERT INTO ledger_accounts (code, name, type, active, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)')
      .run(v.code, v.name, v.type, at, at).lastInsertRowid
    return this.account(Number(id))
  }

  updateAccount(id: number, expectedVersion: number, code: string, name: string): Account {
    const r = this.accountRow(id)
    if (r.version !== expectedVersion) throw conflict('This account was changed since you opened it. Reload, then edit again.')
    this.codeTaken(code, id)
    if (r.code === code && r.name === name) return this.account(id)
    this.ctx.sqlite
      .prepare('UPDATE ledger_accounts SET code = ?, name = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?')
      .run(code, name, nowIso(this.ctx), id, expectedVersion)
    return this.account(id)
  }

  setAccountActive(id: number, expectedVersion: number, active: boolean): Account {
    const r = this.accountRow(id)
    if (r.version !== expectedVersion) throw conflict('This account was changed since you opened it. Reload, then try again.')
    if ((r.active === 1) === active) return this.account(id)
    if (!active && r.role) {
      throw conflict(`${r.name} is where Coffer posts ${r.role.replaceAll('-', ' ')}; it cannot be deactivated. Rename it instead.`)
    }
    if (!active) {
      const a = this.account(id)
      if (a.balanceMinor !== 0) {
        throw conflict(`${r.name} has a balance of ${this.money(a.balanceMinor)}. Move the balance to another account before deactivating it.`)
      }
    }
    this.ctx.sqlite
      .prepare('UPDATE ledger_accounts SET active = ?, updated_at = ?, version = version + 1 WHERE id = ?')
      .run(active ? 1 : 0, nowIso(this.ctx), id)
    return this.account(id)
  }

  // ---------------------------------------------------------------------------
  // Member accounts
  // ---------------------------------------------------------------------------

  private memberAccountRow(id: number): MemberAccountRow {
    const r = this.ctx.sqlite
      .prepare(
        `SELECT ma.*, m.member_no, m.full_name, m.active AS member_active FROM member_accounts ma JOIN members m ON m.id = ma.member_id WHERE ma.id = ?`
      )
      .get(id) as MemberAccountRow | undefined
    if (!r) throw notFound(`Member account #${id}`)
    return r
  }

  private toMemberAccount(r: MemberAccountRow): MemberAccount {
    const b = this.ctx.sqlite
      .prepare(
        "SELECT coalesce(sum(credit_minor), 0) - coalesce(sum(debit_minor), 0) FROM ledger_summaries WHERE mode = 'm' AND account_id = ? AND member_account_id = ?"
      )
      .pluck()
      .get(r.control_account_id, r.id) as number
    return {
      id: r.id,
      memberId: r.member_id,
      memberNo: r.member_no,
      memberName: r.full_name,
      product: r.product,
      number: `${r.member_no}-${PRODUCT_SUFFIX[r.product]}`,
      controlAccountId: r.control_account_id,
      openedOn: r.opened_on,
      // Member accounts are the cooperative's liabilities or equity: credit-normal.
      balanceMinor: b
    }
  }

  /** A member account's balance (credit-normal), from the monthly summaries; read inside the caller's transaction. */
  memberBalance(id: number): number {
    return this.st().memberBalance.get(id) ?? 0
  }

  /** Every member account's balance (credit-normal) by id, from the monthly summaries (one read, for forecasts). */
  memberBalances(): Map<number, number> {
    const rows = this.ctx.sqlite
      .prepare(
        "SELECT member_account_id AS id, sum(credit_minor) - sum(debit_minor) AS b FROM ledger_summaries WHERE mode = 'm' AND member_account_id <> 0 GROUP BY member_account_id"
      )
      .all() as { id: number; b: number }[]
    return new Map(rows.map((r) => [r.id, r.b]))
  }

  /** Every account's balance in its normal direction, by id (one read, for forecasts). */
  accountBalances(): Map<number, number> {
    const bal = this.balances()
    const out = new Map<number, number>()
    for (const a of this.ctx.sqlite.prepare('SELECT id, type FROM ledger_accounts').all() as { id: number; type: AccountType }[]) {
      const b = bal.get(a.id)
      const d = b?.debit ?? 0
      const c = b?.credit ?? 0
      out.set(a.id, DEBIT_NORMAL[a.type] ? d - c : c - d)
    }
    return out
  }

  /**
   * Checks lines as a posting would (balanced, whole minor units, accounts
   * active, member accounts under their control accounts) and writes
   * nothing: a template's entry is checked when it is saved, not first on
   * its date.
   */
  checkLines(lines: readonly PostLine[]): void {
    this.check({ lines, valueDate: this.today(), whenClosed: 'next-open-day' })
  }

  memberAccount(id: number): MemberAccount {
    return this.toMemberAccount(this.memberAccountRow(id))
  }

  memberAccounts(memberId: number): MemberAccount[] {
    const rows = this.ctx.sqlite
      .prepare(
        `SELECT ma.*, m.member_no, m.full_name, m.active AS member_active FROM member_accounts ma JOIN members m ON m.id = ma.member_id
         WHERE ma.member_id = ? ORDER BY ma.product`
      )
      .all(memberId) as MemberAccountRow[]
    return rows.map((r) => this.toMemberAccount(r))
  }

  openMemberAccount(memberId: number, product: MemberProduct): MemberAccount {
    const m = this.ctx.sqlite.prepare('SELECT id, full_name, active FROM members WHERE id = ?').get(memberId) as
      | { id: number; full_name: string; active: number }
      | undefined
    if (!m) throw notFound(`Member #${memberId}`)
    if (m.active !== 1) throw conflict(`${m.full_name} is inactive; reactivate the member before opening an account.`)
    const control = this.accountFor(PRODUCT_CONTROL_ROLE[product])
    if (control.active !== 1) throw conflict(`${control.name} is inactive; no ${PRODUCT_WORDS[product]} account can be opened under it.`)
    const existing = this.ctx.sqlite.prepare('SELECT id FROM member_accounts WHERE member_id = ? AND product = ?').pluck().get(memberId, product) as
      | number
      | undefined
    if (existing !== undefined) throw conflict(`${m.full_name} already has a ${PRODUCT_WORDS[product]} account.`)
    const id = this.ctx.sqlite
      .prepare('INSERT INTO member_accounts (member_id, product, control_account_id, opened_on, opened_at) VALUES (?, ?, ?, ?, ?)')
      .run(memberId, product, control.id, this.today(), nowIso(this.ctx)).lastInsertRowid
    return this.memberAccount(Number(id))
  }

  // ---------------------------------------------------------------------------
  // Periods
  // ---------------------------------------------------------------------------

  isClosed(month: string): boolean {
    return this.st().closed.get(month) === 1
  }

  /** The first day on or after `date` in an open month. */
  firstOpenDay(date: string): string {
    let d = date
    while (this.isClosed(monthOf(d))) {
      const { year, month } = parseCalendarDate(d)
      d = month === 12 ? toCalendarDate(year + 1, 1, 1) : toCalendarDate(year, month + 1, 1)
    }
    return d
  }

  periods(): Periods {
    const periods = (
      this.ctx.sqlite
        .prepare(
          'SELECT month, closed_at, closed_by, reopen_requested_by_id, reopen_requested_by, reopen_requested_at, reopen_reason FROM ledger_periods ORDER BY month DESC'
        )
        .all() as {
        month: string
        closed_at: string
        closed_by: string
        reopen_requested_by_id: number | null
        reopen_requested_by: string | null
        reopen_requested_at: string | null
        reopen_reason: string | null
      }[]
    ).map((r) => ({
      month: r.month,
      closed: true,
      closedAt: r.closed_at,
      closedBy: r.closed_by,
      reopenRequest:
        r.reopen_requested_at && r.reopen_requested_by
          ? { by: r.reopen_requested_by, byId: r.reopen_requested_by_id, at: r.reopen_requested_at, reason: r.reopen_reason ?? '' }
          : null
    }))
    const events = (
      this.ctx.sqlite.prepare('SELECT month, action, reason, at, by FROM ledger_period_events ORDER BY id DESC LIMIT 200').all() as {
        month: string
        action: 'closed' | 'reopen-requested' | 'reopened'
        reason: string | null
        at: string
        by: string
      }[]
    ).map((e) => ({ month: e.month, action: e.action, reason: e.reason, at: e.at, by: e.by }))
    return { periods, events }
  }

  private person(): { id: number | null; name: string } {
    const a = currentActor()
    return { id: a.operatorId, name: a.name }
  }

  closePeriod(month: string): Periods {
    const today = this.today()
    if (month >= monthOf(today)) {
      throw invalid(`${this.monthWords(month)} has not ended yet; a month is closed after its last day.`, { month: `${this.monthWords(month)} has not ended yet` })
    }
    if (this.isClosed(month)) throw conflict(`${this.monthWords(month)} is already closed.`, { month: 'Already closed' })
    const who = this.person()
    const at = nowIso(this.ctx)
    this.ctx.sqlite.transaction(() => {
      this.ctx.sqlite.prepare('INSERT INTO ledger_periods (month, closed_at, closed_by_id, closed_by) VALUES (?, ?, ?, ?)').run(month, at, who.id, who.name)
      this.ctx.sqlite
        .prepare("INSERT INTO ledger_period_events (month, action, reason, at, by_id, by) VALUES (?, 'closed', NULL, ?, ?, ?)")
        .run(month, at, who.id, who.name)
    }).immediate()
    return this.periods()
  }

  /**
   * Reopens a closed month, with a reason. With maker-checker on for
   * reopening, the first operator's call asks for it (recorded, the month
   * stays closed) and another operator's call reopens it; the one who asked
   * cannot.
   */
  reopenPeriod(month: string, reason: string): Periods {
    const who = this.person()
    const at = nowIso(this.ctx)
    const event = this.ctx.sqlite.prepare('INSERT INTO ledger_period_events (month, action, reason, at, by_id, by) VALUES (?, ?, ?, ?, ?, ?)')
    this.ctx.sqlite.transaction(() => {
      const row = this.ctx.sqlite.prepare('SELECT reopen_requested_by_id, reopen_requested_by, reopen_requested_at FROM ledger_periods WHERE month = ?').get(month) as
        | { reopen_requested_by_id: number | null; reopen_requested_by: string | null; reopen_requested_at: string | null }
        | undefined
      if (!row) throw conflict(`${this.monthWords(month)} is not closed.`, { month: 'Not closed' })
      if (this.env.makerChecker?.('reopen') === true) {
        if (who.id === null) throw new DomainError('UNAUTHENTICATED', 'A month is reopened by signed-in operators.')
        if (row.reopen_requested_at === null) {
          this.ctx.sqlite
            .prepare('UPDATE ledger_periods SET reopen_requested_by_id = ?, reopen_requested_by = ?, reopen_requested_at = ?, reopen_reason = ? WHERE month = ?')
            .run(who.id, who.name, at, reason, month)
          event.run(month, 'reopen-requested', reason, at, who.id, who.name)
          return
        }
        if (row.reopen_requested_by_id === who.id) {
          throw new DomainError('FORBIDDEN', `You asked to reopen ${this.monthWords(month)}; another operator must confirm it.`)
        }
      }
      this.ctx.sqlite.prepare('DELETE FROM ledger_periods WHERE month = ?').run(month)
      event.run(month, 'reopened', reason, at, who.id, who.name)
    }).immediate()
    return this.periods()
  }

  // ---------------------------------------------------------------------------
  // Posting
  // ---------------------------------------------------------------------------

  /**
   * Checks and writes an entry, its lines and its summary buckets. Runs in
   * the caller's transaction when there is one (a payment paid and its
   * entry are one write), else in its own.
   */
  post(req: PostRequest): Posted {
    const run = () => this.postNow(req)
    return this.ctx.sqlite.inTransaction ? run() : this.ctx.sqlite.transaction(run).immediate()
  }

  private postNow(req: PostRequest): Posted {
    const { valueDate, note } = this.check(req)
    const entryId = this.insertEntry(req, valueDate, note, null)
    this.writeLines(entryId, req.lines, valueDate)
    return { id: entryId, valueDate, note }
  }

  /** Everything that must hold before an entry is written; the value date it is posted on. Writes nothing. */
  private check(req: Pick<PostRequest, 'lines' | 'valueDate' | 'whenClosed' | 'dateField'>): { valueDate: string; note: string | null } {
    const dateField = req.dateField ?? 'valueDate'
    const problems: Record<string, string> = {}
    if (req.lines.length < 2) throw invalid('An entry needs at least two lines.', { lines: 'At least two lines' })
    let debit = 0n
    let credit = 0n
    const accounts = new Map<number, AccountRow>()
    req.lines.forEach((l, i) => {
      const where = `lines.${i}`
      if (!Number.isSafeInteger(l.debitMinor) || !Number.isSafeInteger(l.creditMinor) || l.debitMinor < 0 || l.creditMinor < 0) {
        problems[where] = 'Amounts must be whole minor units, not negative'
        return
      }
      if ((l.debitMinor === 0) === (l.creditMinor === 0)) {
        problems[where] = l.debitMinor === 0 ? 'Enter a debit or a credit' : 'A line is a debit or a credit, not both'
        return
      }
      debit += BigInt(l.debitMinor)
      credit += BigInt(l.creditMinor)
      let a = accounts.get(l.accountId)
      if (!a) {
        a = this.st().account.get(l.accountId)
        if (!a) {
          problems[`${where}.accountId`] = 'No such account'
          return
        }
        accounts.set(l.accountId, a)
      }
      if (a.active !== 1) problems[`${where}.accountId`] = `${a.name} is inactive`
      if (l.memberAccountId != null) {
        const ma = this.st().controlOf.get(l.memberAccountId)
        if (ma === undefined) problems[`${where}.memberAccountId`] = 'No such member account'
        else if (ma !== a.id) problems[`${where}.memberAccountId`] = `This member account is not under ${a.name}`
      } else if (a.control_of) {
        problems[`${where}.memberAccountId`] = `${a.name} is a control account: choose the member’s account`
      }
    })
    if (Object.keys(problems).length > 0) {
      const first = Object.values(problems)[0] as string
      throw invalid(`The entry was not posted: ${first.charAt(0).toLowerCase()}${first.slice(1)}.`, problems)
    }
    if (debit !== credit) {
      const diff = debit > credit ? debit - credit : credit - debit
      throw invalid(
        `Debits (${this.money(debit)}) and credits (${this.money(credit)}) differ by ${this.money(diff)}; nothing was posted.`,
        { lines: `Unbalanced by ${this.money(diff)}` }
      )
    }
    if (debit > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid('The entry is too large to post.', { lines: 'Too large' })

    let valueDate = req.valueDate
    let note: string | null = null
    const month = monthOf(valueDate)
    if (this.isClosed(month)) {
      if (req.whenClosed !== 'next-open-day') {
        throw conflict(`${this.monthWords(month)} is closed; nothing can be posted on ${this.date(valueDate)}. Reopen the month in Settings, or choose a later date.`, {
          [dateField]: `${this.monthWords(month)} is closed: reopen it in Settings, or choose a later date`
        })
      }
      valueDate = this.firstOpenDay(valueDate)
      note = `Due ${this.date(req.valueDate)}, in ${this.monthWords(month)}, which is closed: posted on ${this.date(valueDate)}.`
    }
    return { valueDate, note }
  }

  /** The entry's row: posted, or pending with its lines kept aside (pendingLines). */
  private insertEntry(req: PostRequest, valueDate: string, note: string | null, pendingLines: readonly PostLine[] | null): number {
    const who = this.person()
    const at = nowIso(this.ctx)
    try {
      return Number(
        this.st().insertEntry.run(
            valueDate,
            req.description,
            req.source,
            req.sourceRef ?? null,
            req.reference ?? null,
            req.reversesId ?? null,
            who.id,
            who.name,
            at,
            note,
            pendingLines ? 'pending' : 'posted',
            pendingLines
              ? JSON.stringify(
                  pendingLines.map((l) => ({ accountId: l.accountId, memberAccountId: l.memberAccountId ?? null, debitMinor: l.debitMinor, creditMinor: l.creditMinor }))
                )
              : null
          ).lastInsertRowid
      )
    } catch (e) {
      if (e instanceof Error && /UNIQUE constraint failed: journal_entries\.source_ref/.test(e.message)) {
        throw conflict(`This was already posted (${req.sourceRef}); nothing was posted twice.`)
      }
      if (e instanceof Error && /UNIQUE constraint failed: journal_entries\.reverses_id/.test(e.message)) {
        throw conflict(`Entry #${req.reversesId} was already reversed.`)
      }
      throw e
    }
  }

  /** The lines and their summary buckets. */
  private writeLines(entryId: number, lines: readonly PostLine[], valueDate: string): void {
    const insertLine = this.st().insertLine
    for (const l of lines) insertLine.run(entryId, l.accountId, l.memberAccountId ?? null, valueDate, l.debitMinor, l.creditMinor)
    this.summaryWriter().add(
      lines.map((l) => ({
        accountId: l.accountId,
        memberAccountId: l.memberAccountId ?? null,
        valueDate,
        debitMinor: l.debitMinor,
        creditMinor: l.creditMinor,
        count: 1
      }))
    )
  }

  /**
   * The posting path's statements, prepared once per connection: a write's
   * statement has the audit triggers compiled into it, which is the cost of
   * preparing it again on every posting.
   */
  private prepareStatements() {
    const q = this.ctx.sqlite
    return {
      account: q.prepare<[number], AccountRow>('SELECT * FROM ledger_accounts WHERE id = ?'),
      controlOf: q.prepare<[number], number>('SELECT control_account_id FROM member_accounts WHERE id = ?').pluck(),
      memberBalance: q
        .prepare<[number], number>(
          "SELECT coalesce(sum(s.credit_minor), 0) - coalesce(sum(s.debit_minor), 0) FROM member_accounts ma JOIN ledger_summaries s ON s.mode = 'm' AND s.account_id = ma.control_account_id AND s.member_account_id = ma.id WHERE ma.id = ?"
        )
        .pluck(),
      closed: q.prepare<[string], number>('SELECT 1 FROM ledger_periods WHERE month = ?').pluck(),
      insertEntry: q.prepare(
        `INSERT INTO journal_entries (value_date, description, source, source_ref, reference, reverses_id, entered_by_id, entered_by, entered_at, note, status, pending_lines)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      ),
      insertLine: q.prepare(
        'INSERT INTO journal_lines (entry_id, account_id, member_account_id, value_date, debit_minor, credit_minor) VALUES (?, ?, ?, ?, ?, ?)'
      )
    }
  }

  private st(): ReturnType<LedgerService['prepareStatements']> {
    this.statements ??= this.prepareStatements()
    return this.statements
  }

  private summaryWriter(): SummaryWriter {
    this.writer ??= new SummaryWriter(this.ctx.sqlite)
    return this.writer
  }

  /** The manual journal entry form. */
  /**
   * The manual journal entry form. With maker-checker on for journal entries,
   * one whose total reaches the threshold is checked now and kept pending:
   * no line is written and no balance moves until another operator approves.
   */
  postManual(v: ParsedInput<'ledger.post'>): JournalEntry {
    if (compareDates(v.valueDate, this.today()) > 0) throw invalid('The value date cannot be in the future.', { valueDate: 'Cannot be in the future' })
    const req: PostRequest = { valueDate: v.valueDate, description: v.description, reference: v.reference, source: 'manual', lines: v.lines }
    const total = v.lines.reduce((s, l) => s + l.debitMinor, 0)
    if (this.env.makerChecker?.('journal') === true && total >= (this.env.journalThresholdMinor?.() ?? 0)) {
      if (this.person().id === null) throw new DomainError('UNAUTHENTICATED', 'A manual entry is entered by a signed-in operator.')
      const id = this.ctx.sqlite.transaction(() => {
        const { valueDate, note } = this.check(req)
        return this.insertEntry(req, valueDate, note, req.lines)
      }).immediate()
      return this.entry(id)
    }
    return this.entry(this.post(req).id)
  }

  /** A pending entry approved by an operator other than the one who entered it: checked again and posted now. */
  approveEntry(id: number): JournalEntry {
    const who = this.person()
    if (who.id === null) throw new DomainError('UNAUTHENTICATED', 'Entries are approved by a signed-in operator.')
    this.ctx.sqlite.transaction(() => {
      const e = this.entryRow(id)
      if (e.status !== 'pending') throw conflict(`Entry #${id} is ${e.status}; only a pending entry is approved.`)
      if (e.entered_by_id === who.id) {
        throw new DomainError('FORBIDDEN', `You entered entry #${id}; another operator must approve it.`)
      }
      const lines = JSON.parse(e.pending_lines ?? '[]') as PostLine[]
      const { valueDate } = this.check({ lines, valueDate: e.value_date })
      this.writeLines(id, lines, valueDate)
      const changed = this.ctx.sqlite
        .prepare("UPDATE journal_entries SET status = 'posted', decided_by_id = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'")
        .run(who.id, who.name, nowIso(this.ctx), id).changes
      if (changed !== 1) throw conflict(`Entry #${id} changed meanwhile; nothing was posted.`)
    }).immediate()
    return this.entry(id)
  }

  /** A pending entry rejected: it is never posted, and stays in the journal as rejected, with the reason. */
  rejectEntry(id: number, reason: string): JournalEntry {
    const who = this.person()
    if (who.id === null) throw new DomainError('UNAUTHENTICATED', 'Entries are rejected by a signed-in operator.')
    const changed = this.ctx.sqlite
      .prepare(
        "UPDATE journal_entries SET status = 'rejected', decided_by_id = ?, decided_by = ?, decided_at = ?, reject_reason = ? WHERE id = ? AND status = 'pending'"
      )
      .run(who.id, who.name, nowIso(this.ctx), reason, id).changes
    if (changed !== 1) {
      const e = this.entryRow(id)
      throw conflict(`Entry #${id} is ${e.status}; only a pending entry is rejected.`)
    }
    return this.entry(id)
  }

  private memberMoney(
    v: ParsedInput<'ledger.deposit'>,
    product: MemberProduct,
    verb: string
  ): { ma: MemberAccountRow; cash: AccountRow } {
    const ma = this.memberAccountRow(v.memberAccountId)
    if (ma.product !== product) {
      throw invalid(`${ma.member_no}-${PRODUCT_SUFFIX[ma.product]} is a ${PRODUCT_WORDS[ma.product]} account; choose the member’s ${PRODUCT_WORDS[product]} account to ${verb}.`, {
        memberAccountId: `Not a ${PRODUCT_WORDS[product]} account`
      })
    }
    if (ma.member_active !== 1) throw conflict(`${ma.full_name} is inactive; reactivate the member first.`)
    if (compareDates(v.valueDate, this.today()) > 0) throw invalid('The value date cannot be in the future.', { valueDate: 'Cannot be in the future' })
    return { ma, cash: this.cashOrBank(v.via) }
  }

  deposit(v: ParsedInput<'ledger.deposit'>): JournalEntry {
    const { ma, cash } = this.memberMoney(v, 'savings', 'deposit')
    const posted = this.post({
      valueDate: v.valueDate,
      description: v.description ?? `Deposit: ${ma.member_no} ${ma.full_name}`,
      reference: v.reference,
      source: 'deposit',
      lines: [
        { accountId: cash.id, debitMinor: v.amountMinor, creditMinor: 0 },
        { accountId: ma.control_account_id, memberAccountId: ma.id, debitMinor: 0, creditMinor: v.amountMinor }
      ]
    })
    return this.entry(posted.id)
  }

  buyShares(v: ParsedInput<'ledger.buyShares'>): JournalEntry {
    const { ma, cash } = this.memberMoney(v, 'shares', 'buy shares')
    const posted = this.post({
      valueDate: v.valueDate,
      description: v.description ?? `Share purchase: ${ma.member_no} ${ma.full_name}`,
      reference: v.reference,
      source: 'share-purchase',
      lines: [
        { accountId: cash.id, debitMinor: v.amountMinor, creditMinor: 0 },
        { accountId: ma.control_account_id, memberAccountId: ma.id, debitMinor: 0, creditMinor: v.amountMinor }
      ]
    })
    return this.entry(posted.id)
  }

  /** A withdrawal from savings, never past the balance (checked inside the posting transaction). */
  withdraw(v: ParsedInput<'ledger.withdraw'>): JournalEntry {
    const { ma, cash } = this.memberMoney(v, 'savings', 'withdraw')
    const id = this.ctx.sqlite.transaction(() => {
      const available = this.toMemberAccount(ma).balanceMinor
      if (v.amountMinor > available) {
        throw invalid(`${ma.full_name}’s savings balance is ${this.money(available)}; ${this.money(v.amountMinor)} cannot be withdrawn.`, {
          amountMinor: `More than the available ${this.money(available)}`
        })
      }
      return this.post({
        valueDate: v.valueDate,
        description: v.description ?? `Withdrawal: ${ma.member_no} ${ma.full_name}`,
        reference: v.reference,
        source: 'withdrawal',
        lines: [
          { accountId: ma.control_account_id, memberAccountId: ma.id, debitMinor: v.amountMinor, creditMinor: 0 },
          { accountId: cash.id, debitMinor: 0, creditMinor: v.amountMinor }
        ]
      }).id
    }).immediate()
    return this.entry(id)
  }

  /** Reverses an entry: the same lines, sides swapped, linked to it. An area's own entries are corrected in that area. */
  reverse(id: number, valueDate: string, reason: string, opts: { owner?: boolean; whenClosed?: 'refuse' | 'next-open-day' } = {}): JournalEntry {
    const run = (): number => {
      const e = this.entryRow(id)
      if (e.status !== 'posted') throw conflict(`Entry #${id} is ${e.status}, not posted: there is nothing to reverse.`)
      if (e.reverses_id !== null) throw conflict(`Entry #${id} is itself a reversal (of #${e.reverses_id}); post a new entry instead.`)
      if (e.reversed_by_id !== null) throw conflict(`Entry #${id} was already reversed by #${e.reversed_by_id}.`)
      if (!opts.owner && OWNED_SOURCES.includes(e.source)) {
        throw conflict(`Entry #${id} ${OWNED_WORDS[e.source] ?? 'was posted by another area of Coffer; correct it there.'}`)
      }
      if (compareDates(valueDate, e.value_date) < 0) {
        throw invalid(`A reversal cannot be dated before the entry it reverses (${this.date(e.value_date)}).`, { valueDate: 'Before the entry' })
      }
      if (compareDates(valueDate, this.today()) > 0) throw invalid('The value date cannot be in the future.', { valueDate: 'Cannot be in the future' })
      const lines = this.ctx.sqlite.prepare('SELECT account_id, member_account_id, debit_minor, credit_minor FROM journal_lines WHERE entry_id = ? ORDER BY id').all(id) as {
        account_id: number
        member_account_id: number | null
        debit_minor: number
        credit_minor: number
      }[]
      return this.post({
        valueDate,
        description: `Reversal of #${id}: ${reason}`,
        reference: e.reference,
        source: 'reversal',
        sourceRef: e.source_ref,
        reversesId: id,
        whenClosed: opts.whenClosed ?? 'refuse',
        lines: lines.map((l) => ({ accountId: l.account_id, memberAccountId: l.member_account_id, debitMinor: l.credit_minor, creditMinor: l.debit_minor }))
      }).id
    }
    const newId = this.ctx.sqlite.inTransaction ? run() : this.ctx.sqlite.transaction(run).immediate()
    return this.entry(newId)
  }

  /** The entry posted for a thing (bond_payments:12), not counting reversals. */
  entryFor(sourceRef: string): { id: number; reversed: boolean } | null {
    const r = this.ctx.sqlite
      .prepare(
        'SELECT e.id, (SELECT r.id FROM journal_entries r WHERE r.reverses_id = e.id) AS rev FROM journal_entries e WHERE e.source_ref = ? AND e.reverses_id IS NULL AND e.status = \'posted\''
      )
      .get(sourceRef) as { id: number; rev: number | null } | undefined
    return r ? { id: r.id, reversed: r.rev !== null } : null
  }

  // ---------------------------------------------------------------------------
  // Reading
  // ---------------------------------------------------------------------------

  private entryRow(id: number): EntryRow {
    const r = this.ctx.sqlite
      .prepare('SELECT e.*, (SELECT r.id FROM journal_entries r WHERE r.reverses_id = e.id) AS reversed_by_id FROM journal_entries e WHERE e.id = ?')
      .get(id) as EntryRow | undefined
    if (!r) throw notFound(`Entry #${id}`)
    return r
  }

  private linesOf(entryIds: number[]): Map<number, JournalLine[]> {
    const out = new Map<number, JournalLine[]>()
    if (entryIds.length === 0) return out
    const rows = this.ctx.sqlite
      .prepare(
        `SELECT l.id, l.entry_id, l.account_id, a.code, a.name, l.member_account_id, ma.product, m.member_no, m.full_name, l.debit_minor, l.credit_minor
         FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id
         LEFT JOIN member_accounts ma ON ma.id = l.member_account_id LEFT JOIN members m ON m.id = ma.member_id
         WHERE l.entry_id IN (SELECT value FROM json_each(?)) ORDER BY l.entry_id, l.id`
      )
      .all(JSON.stringify(entryIds)) as {
      id: number
      entry_id: number
      account_id: number
      code: string
      name: string
      member_account_id: number | null
      product: MemberProduct | null
      member_no: string | null
      full_name: string | null
      debit_minor: number
      credit_minor: number
    }[]
    for (const r of rows) {
      const list = out.get(r.entry_id) ?? []
      list.push({
        id: r.id,
        accountId: r.account_id,
        accountCode: r.code,
        accountName: r.name,
        memberAccountId: r.member_account_id,
        memberAccountNumber: r.member_no && r.product ? `${r.member_no}-${PRODUCT_SUFFIX[r.product]}` : null,
        memberName: r.full_name,
        debitMinor: r.debit_minor,
        creditMinor: r.credit_minor
      })
      out.set(r.entry_id, list)
    }
    return out
  }

  private toEntry(r: EntryRow, lines: JournalLine[]): JournalEntry {
    return {
      id: r.id,
      valueDate: r.value_date,
      description: r.description,
      source: r.source,
      sourceRef: r.source_ref,
      reference: r.reference,
      reversesId: r.reverses_id,
      reversedById: r.reversed_by_id,
      enteredBy: r.entered_by,
      enteredById: r.entered_by_id,
      enteredAt: r.entered_at,
      note: r.note,
      status: r.status,
      decidedBy: r.decided_by,
      decidedAt: r.decided_at,
      rejectReason: r.reject_reason,
      totalMinor: lines.reduce((s, l) => s + l.debitMinor, 0),
      lines
    }
  }

  /** A pending or rejected entry's lines, as entered (they are in no balance). */
  private pendingLinesOf(r: EntryRow): JournalLine[] {
    const lines = JSON.parse(r.pending_lines ?? '[]') as { accountId: number; memberAccountId: number | null; debitMinor: number; creditMinor: number }[]
    const account = this.ctx.sqlite.prepare('SELECT code, name FROM ledger_accounts WHERE id = ?')
    const memberAccount = this.ctx.sqlite.prepare(
      'SELECT ma.product, m.member_no, m.full_name FROM member_accounts ma JOIN members m ON m.id = ma.member_id WHERE ma.id = ?'
    )
    return lines.map((l, i) => {
      const a = account.get(l.accountId) as { code: string; name: string } | undefined
      const ma = l.memberAccountId === null ? undefined : (memberAccount.get(l.memberAccountId) as { product: MemberProduct; member_no: string; full_name: string } | undefined)
      return {
        // Not written yet: no line id of their own.
      id: -(i + 1),
        accountId: l.accountId,
        accountCode: a?.code ?? '?',
        accountName: a?.name ?? `Account #${l.accountId}`,
        memberAccountId: l.memberAccountId,
        memberAccountNumber: ma ? `${ma.member_no}-${PRODUCT_SUFFIX[ma.product]}` : null,
        memberName: ma?.full_name ?? null,
        debitMinor: l.debitMinor,
        creditMinor: l.creditMinor
      }
    })
  }

  entry(id: number): JournalEntry {
    const r = this.entryRow(id)
    return this.toEntry(r, r.status === 'posted' ? (this.linesOf([id]).get(id) ?? []) : this.pendingLinesOf(r))
  }

  journal(q: ParsedInput<'ledger.journal'>): { entries: JournalEntry[]; more: boolean } {
    const w = new Conditions()
      .add('e.value_date >= ?', q.from)
      .add('e.value_date <= ?', q.to)
      .add('e.source = ?', q.source)
      .add('e.status = ?', q.status)
      .add('e.id < ?', q.beforeId)
      .add('e.id IN (SELECT entry_id FROM journal_lines WHERE account_id = ?)', q.accountId)
      .add('e.id IN (SELECT entry_id FROM journal_lines WHERE member_account_id IN (SELECT id FROM member_accounts WHERE member_id = ?))', q.memberId)
    const { where, params } = w
    const rows = this.ctx.sqlite
      .prepare(
        `SELECT e.*, (SELECT r.id FROM journal_entries r WHERE r.reverses_id = e.id) AS reversed_by_id FROM journal_entries e
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY e.id DESC LIMIT ?`
      )
      .all(...params, q.limit + 1) as EntryRow[]
    const page = rows.slice(0, q.limit)
    const lines = this.linesOf(page.filter((r) => r.status === 'posted').map((r) => r.id))
    return {
      entries: page.map((r) => this.toEntry(r, r.status === 'posted' ? (lines.get(r.id) ?? []) : this.pendingLinesOf(r))),
      more: rows.length > q.limit
    }
  }

  /**
   * Debits and credits of an account (member account 0) or a member account
   * on value dates before `date`, from the summaries: whole months from the
   * monthly buckets, then the days of `date`'s month from the daily ones.
   */
  private totalsBefore(accountId: number, memberAccountId: number, date: string): { d: number; c: number } {
    const monthStart = startOfMonth(date)
    const r = this.ctx.sqlite
      .prepare(
        `SELECT coalesce(sum(debit_minor), 0) AS d, coalesce(sum(credit_minor), 0) AS c FROM (
           SELECT debit_minor, credit_minor FROM ledger_summaries WHERE mode = 'm' AND account_id = ? AND member_account_id = ? AND bucket < ?
           UNION ALL
           SELECT debit_minor, credit_minor FROM ledger_summaries WHERE mode = 'd' AND account_id = ? AND member_account_id = ? AND bucket >= ? AND bucket < ?)`
      )
      .get(accountId, memberAccountId, monthStart, accountId, memberAccountId, monthStart, date) as { d: number; c: number }
    return r
  }

  /** An account's or a member account's lines, newest first, with the balance after each. */
  statement(q: ParsedInput<'ledger.statement'>): Statement {
    let accountId: number
    let memberAccountId = 0
    let title: string
    let memberId: number | null = null
    let debitNormal: boolean
    if (q.memberAccountId !== undefined) {
      const ma = this.memberAccountRow(q.memberAccountId)
      accountId = ma.control_account_id
      memberAccountId = ma.id
      memberId = ma.member_id
      debitNormal = false
      title = `${ma.member_no}-${PRODUCT_SUFFIX[ma.product]} ${ma.full_name} (${PRODUCT_WORDS[ma.product]})`
    } else {
      const a = this.accountRow(q.accountId as number)
      accountId = a.id
      debitNormal = DEBIT_NORMAL[a.type]
      title = `${a.code} ${a.name}`
    }
    const col = memberAccountId ? 'l.member_account_id' : 'l.account_id'
    const key = memberAccountId || accountId
    const w = new Conditions().add(`${col} = ?`, key).add('l.value_date >= ?', q.from).add('l.value_date <= ?', q.to)
    // A row value, so SQLite seeks straight to the key in (account, value_date, id); the OR form walked back from the newest line.
    if (q.before) {
      w.where.push('(l.value_date, l.id) < (?, ?)')
      w.params.push(q.before.valueDate, q.before.lineId)
    }
    const { where, params } = w
    const rows = this.ctx.sqlite
      .prepare(
        `SELECT l.id, l.entry_id, l.value_date, l.debit_minor, l.credit_minor, e.description, e.reference, e.source
         FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
         WHERE ${where.join(' AND ')} ORDER BY l.value_date DESC, l.id DESC LIMIT ?`
      )
      .all(...params, q.limit + 1) as {
      id: number
      entry_id: number
      value_date: string
      debit_minor: number
      credit_minor: number
      description: string
      reference: string | null
      source: JournalEntry['source']
    }[]
    const page = rows.slice(0, q.limit)
    const sign = (d: number, c: number): number => (debitNormal ? d - c : c - d)
    let closing: number
    const newest = page[0]
    if (newest) {
      // Everything up to and including the newest line on the page: days before its date from the summaries, its own day's lines up to it.
      const before = this.totalsBefore(accountId, memberAccountId, newest.value_date)
      const sameDay = this.ctx.sqlite
        .prepare(
          `SELECT coalesce(sum(debit_minor), 0) AS d, coalesce(sum(credit_minor), 0) AS c FROM journal_lines l WHERE ${col} = ? AND l.value_date = ? AND l.id <= ?`
        )
        .get(key, newest.value_date, newest.id) as { d: number; c: number }
      closing = sign(before.d + sameDay.d, before.c + sameDay.c)
    } else {
      const end = q.before ? q.before.valueDate : q.to ? addDays(q.to, 1) : addDays(this.maxDate(), 1)
      const t = this.totalsBefore(accountId, memberAccountId, end)
      closing = sign(t.d, t.c)
    }
    let balance = closing
    const lines: StatementLine[] = page.map((r) => {
      const line: StatementLine = {
        lineId: r.id,
        entryId: r.entry_id,
        valueDate: r.value_date,
        description: r.description,
        reference: r.reference,
        source: r.source,
        debitMinor: r.debit_minor,
        creditMinor: r.credit_minor,
        balanceMinor: balance
      }
      balance -= sign(r.debit_minor, r.credit_minor)
      return line
    })
    return { title, memberId, normal: debitNormal ? 'debit' : 'credit', lines, more: rows.length > q.limit, openingMinor: balance, closingMinor: closing }
  }

  private maxDate(): string {
    const d = this.ctx.sqlite.prepare("SELECT max(bucket) FROM ledger_summaries WHERE mode = 'd'").pluck().get() as string | null
    return d && d > this.today() ? d : this.today()
  }

  /** Each account's debits and credits up to and including `asOf`, netted to one side. Totals are equal in a sound book. */
  trialBalance(asOf?: string): TrialBalance {
    const date = asOf ?? this.today()
    const next = addDays(date, 1)
    const rows = this.ctx.sqlite
      .prepare(
        `SELECT a.id, a.code, a.name, a.type, coalesce(sum(s.debit_minor), 0) AS d, coalesce(sum(s.credit_minor), 0) AS c
         FROM ledger_accounts a JOIN (
           SELECT account_id, debit_minor, credit_minor FROM ledger_summaries WHERE mode = 'm' AND member_account_id = 0 AND bucket < ?
           UNION ALL
           SELECT account_id, debit_minor, credit_minor FROM ledger_summaries WHERE mode = 'd' AND member_account_id = 0 AND bucket >= ? AND bucket < ?
         ) s ON s.account_id = a.id
         GROUP BY a.id ORDER BY a.code COLLATE NOCASE, a.id`
      )
      .all(startOfMonth(next), startOfMonth(next), next) as { id: number; code: string; name: string; type: AccountType; d: number; c: number }[]
    let td = 0
    let tc = 0
    const out = rows
      .filter((r) => r.d !== r.c)
      .map((r) => {
        const net = r.d - r.c
        const debitMinor = net > 0 ? net : 0
        const creditMinor = net < 0 ? -net : 0
        td += debitMinor
        tc += creditMinor
        return { accountId: r.id, code: r.code, name: r.name, type: r.type, debitMinor, creditMinor }
      })
    return { asOf: date, rows: out, totalDebitMinor: td, totalCreditMinor: tc }
  }

  /** The one read of the summaries. */
  summaries(q: ParsedInput<'ledger.summaries'>): SummaryBucket[] {
    if (compareDates(q.from, q.to) > 0) throw invalid('From must be on or before To.', { from: 'After To' })
    const mode = MODE_CODES[q.mode]
    const where = ['s.mode = ?', 's.bucket >= ?', 's.bucket <= ?']
    // A bucket is named by its first day: a week or month that began before `from` but reaches into it counts.
    const from = q.mode === 'daily' ? q.from : q.mode === 'weekly' ? addDays(q.from, -6) : startOfMonth(q.from)
    const params: unknown[] = [mode, from, q.to]
    const members = q.memberAccountIds !== undefined || q.memberId !== undefined
    if (q.accountIds) {
      where.push('s.account_id IN (SELECT value FROM json_each(?))')
      params.push(JSON.stringify(q.accountIds))
    }
    if (q.memberAccountIds) {
      where.push('s.member_account_id IN (SELECT value FROM json_each(?))')
      params.push(JSON.stringify(q.memberAccountIds))
    }
    if (q.memberId) {
      where.push('s.member_account_id IN (SELECT id FROM member_accounts WHERE member_id = ?)')
      params.push(q.memberId)
    }
    if (!members) where.push('s.member_account_id = 0')
    const rows = this.ctx.sqlite
      .prepare(
        `SELECT s.bucket, s.account_id, s.member_account_id, s.debit_minor, s.credit_minor, s.count FROM ledger_summaries s
         WHERE ${where.join(' AND ')} ORDER BY s.bucket, s.account_id, s.member_account_id`
      )
      .all(...params) as { bucket: string; account_id: number; member_account_id: number; debit_minor: number; credit_minor: number; count: number }[]
    return rows
      .filter((r) => q.mode !== 'weekly' || addDays(r.bucket, 6) >= q.from)
      .map((r) => ({
        bucket: r.bucket,
        accountId: r.account_id,
        memberAccountId: r.member_account_id === 0 ? null : r.member_account_id,
        debitMinor: q.measure === 'count' ? 0 : r.debit_minor,
        creditMinor: q.measure === 'count' ? 0 : r.credit_minor,
        netMinor: q.measure === 'count' ? 0 : r.debit_minor - r.credit_minor,
        count: r.count
      }))
  }

  /** The dashboard: every figure from the summaries (never the journal). */
  dashboard(): Dashboard {
    const today = this.today()
    const next = addDays(today, 1)
    const role = (r: AccountRole): AccountRow | undefined =>
      this.ctx.sqlite.prepare('SELECT * FROM ledger_accounts WHERE role = ?').get(r) as AccountRow | undefined
    const balance = (a: AccountRow | undefined): number => {
      if (!a) return 0
      const t = this.totalsBefore(a.id, 0, next)
      return DEBIT_NORMAL[a.type] ? t.d - t.c : t.c - t.d
    }
    const yearStart = `${today.slice(0, 4)}-01-01`
    const yearTotals = (a: AccountRow | undefined): { d: number; c: number } => {
      if (!a) return { d: 0, c: 0 }
      const upTo = this.totalsBefore(a.id, 0, next)
      const before = this.totalsBefore(a.id, 0, yearStart)
      return { d: upTo.d - before.d, c: upTo.c - before.c }
    }
    const cash = role('cash')
    const bank = role('bank')
    const coupon = yearTotals(role('coupon-expense'))
    const tax = yearTotals(role('withholding-tax'))
    const firstMonth = startOfMonth(addDays(startOfMonth(today), -330))
    const months: string[] = []
    for (let m = firstMonth; m <= today; ) {
      months.push(m.slice(0, 7))
      const { year, month } = parseCalendarDate(m)
      m = month === 12 ? toCalendarDate(year + 1, 1, 1) : toCalendarDate(year, month + 1, 1)
    }
    const ids = [cash?.id, bank?.id].filter((x): x is number => x !== undefined)
    const flowRows = this.ctx.sqlite
      .prepare(
        `SELECT substr(bucket, 1, 7) AS month, sum(debit_minor) AS d, sum(credit_minor) AS c FROM ledger_summaries
         WHERE mode = 'm' AND member_account_id = 0 AND account_id IN (SELECT value FROM json_each(?)) AND bucket >= ? AND bucket <= ?
         GROUP BY bucket`
      )
      .all(JSON.stringify(ids), firstMonth, today) as { month: string; d: number; c: number }[]
    const flows = new Map(flowRows.map((r) => [r.month, r]))
    return {
      asOf: today,
      currency: this.env.currency(),
      cashMinor: balance(cash),
      bankMinor: balance(bank),
      savingsMinor: balance(role('member-savings')),
      shareCapitalMinor: balance(role('share-capital')),
      bondsPayableMinor: balance(role('bonds-payable')),
      couponInterestYearMinor: coupon.d - coupon.c,
      taxWithheldYearMinor: tax.c - tax.d,
      flows: months.map((month) => ({ month, inMinor: flows.get(month)?.d ?? 0, outMinor: flows.get(month)?.c ?? 0 }))
    }
  }

  // ---------------------------------------------------------------------------
  // Check and rebuild
  // ---------------------------------------------------------------------------

  checkSummaries(): CheckResult {
    return checkSummaries(this.ctx.sqlite)
  }

  rebuildSummaries(truncate: boolean): RebuildResult {
    return rebuildSummaries(this.ctx.sqlite, truncate)
  }
}

export { DomainError }
