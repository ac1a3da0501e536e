/**
 * What the recurring job and the standing-orders job do, and what their dry
 * runs show: the data decides what is due (DESIGN.md, Jobs). Every due
 * occurrence is generated with its own scheduled date, once (the unique key
 * per owner and scheduled date), each in its own short transaction together
 * with its entry, its owner's next index and, for an order, its balances; a
 * bad item is recorded failed with its reason and never stops the others.
 *
 * Used by the jobs (on the worker thread's connection), by `recurring.run`
 * with dryRun (inside a transaction that is rolled back) and by the tests.
 */
import { addDays, compareDates } from '../../shared/dates'
import { formatMoney } from '../../shared/money'
import { formatDate } from '../../shared/words'
import { occurrence, occurrencesDueBy, type RepeatRule } from '../../shared/recurrence'
import type { RecurringSettings, RunLine, RunReport } from '../../shared/contract/recurring'
import type { Sqlite } from '../platform/db/open'
import type { JobNotice } from '../platform/jobs/types'
import { throwIfAborted } from '../platform/jobs/types'
import { DomainError } from '../platform/errors'
import type { LedgerService, PostLine } from '../ledger'
import type { PaymentsService } from '../payments'
import { Notices, standingOrderValues } from '../mail'

/** The payments area's door for an order paying out to a bank. */
export type OrderPayments = Pick<PaymentsService, 'createOrderPayment'>

export interface RunDeps {
  sqlite: Sqlite
  ledger: LedgerService
  payments: () => OrderPayments
  today: string
  now: () => string
  runId: number | null
  holidays: ReadonlySet<string>
  settings: RecurringSettings
  locale: string
  currency: string
  /** An IMMEDIATE transaction (the job's yields to the app first). */
  transaction: <T>(fn: () => T) => T
  signal?: AbortSignal
  notify?: (n: JobNotice) => void
  progress?: (done: number, total: number) => void
}

export interface TemplateRow {
  id: number
  name: string
  description: string
  amount_kind: 'fixed' | 'estimated'
  frequency: RepeatRule['frequency']
  start_date: string
  month_end: number
  end_date: string | null
  max_occurrences: number | null
  days_ahead: number
  holiday_rule: RepeatRule['holidayRule']
  post_mode: 'auto' | 'review'
  status: 'active' | 'paused' | 'completed' | 'cancelled'
  status_note: string | null
  paused_on: string | null
  next_n: number
  created_by: string
  created_at: string
  version: number
}

export interface OrderRow {
  id: number
  member_id: number
  member_no: string
  full_name: string
  from_member_account_id: number
  from_control_id: number
  from_product: 'savings' | 'shares'
  target_kind: 'member-account' | 'account' | 'bank'
  to_member_account_id: number | null
  to_control_id: number | null
  to_product: 'savings' | 'shares' | null
  to_account_id: number | null
  payee_name: string | null
  payee_bank: string | null
  payee_account: string | null
  payee_reference: string | null
  amount_minor: number
  carried_minor: number
  description: string | null
  frequency: RepeatRule['frequency']
  start_date: string
  month_end: number
  end_date: string | null
  holiday_rule: RepeatRule['holidayRule']
  priority: number
  insufficient_funds: 'skip' | 'retry' | 'partial'
  retry_days: number
  status: 'pending-approval' | 'active' | 'paused' | 'completed' | 'cancelled'
  status_note: string | null
  paused_on: string | null
  next_n: number
  last_paid_on: string | null
  failures_in_row: number
  created_by_id: number | null
  created_by: string
  created_at: string
  approved_by_id: number | null
  approved_by: string | null
  approved_at: string | null
  version: number
}

export interface OccurrenceRow {
  id: number
  template_id: number | null
  standing_order_id: number | null
  n: number
  scheduled_date: string
  due_date: string
  amount_minor: number
  carried_minor: number
  status: 'generated' | 'posted' | 'skipped' | 'failed'
  review: 'template' | 'estimated' | 'catch-up' | null
  postponed_until: string | null
  entry_id: number | null
  value_date: string | null
  payment_id: number | null
  reason: string | null
  attempts: number
  retry_until: string | null
  reversal_entry_id: number | null
  decided_by: string | null
  decided_at: string | null
  created_at: string
  last_run_id: number | null
  version: number
}

export const templateRule = (t: Pick<TemplateRow, 'frequency' | 'start_date' | 'month_end' | 'end_date' | 'max_occurrences' | 'holiday_rule'>): RepeatRule => ({
  frequency: t.frequency,
  startDate: t.start_date,
  monthEnd: t.month_end === 1,
  endDate: t.end_date,
  maxOccurrences: t.max_occurrences,
  holidayRule: t.holiday_rule
})

export const orderRule = (o: Pick<OrderRow, 'frequency' | 'start_date' | 'month_end' | 'end_date' | 'holiday_rule'>): RepeatRule => ({
  frequency: o.frequency,
  startDate: o.start_date,
  monthEnd: o.month_end === 1,
  endDate: o.end_date,
  maxOccurrences: null,
  holidayRule: o.holiday_rule
})

/** The SELECT every order read uses: the order with its member and both accounts' control accounts. */
export const ORDER_SELECT = `SELECT o.*, m.member_no, m.full_name,
    fa.control_account_id AS from_control_id, fa.product AS from_product,
    ta.control_account_id AS to_control_id, ta.product AS to_product
  FROM standing_orders o
  JOIN members m ON m.id = o.member_id
  JOIN member_accounts fa ON fa.id = o.from_member_account_id
  LEFT JOIN member_accounts ta ON ta.id = o.to_member_account_id`

const PRODUCT_SUFFIX = { savings: 'SAV', shares: 'SHR' } as const
export const memberAccountNumber = (memberNo: string, product: 'savings' | 'shares'): string => `${memberNo}-${PRODUCT_SUFFIX[product]}`

/** The account an order pays into, for an order to another of the member's accounts (the CHECK and the foreign key make it exist). */
export function toNumber(o: OrderRow): string {
  if (o.to_product === null) throw new Error(`Standing order #${o.id} pays into member account #${o.to_member_account_id ?? '?'}, which does not exist`)
  return memberAccountNumber(o.member_no, o.to_product)
}

/** "M-0001 Jane Doe: savings to M-0001-SHR" */
export function orderName(o: OrderRow): string {
  const to =
    o.target_kind === 'member-account'
      ? toNumber(o)
      : o.target_kind === 'bank'
        ? `${o.payee_name ?? ''} (${o.payee_bank ?? ''})`
        : 'the society'
  return `${o.member_no} ${o.full_name}: ${memberAccountNumber(o.member_no, o.from_product)} to ${to}`
}

/** A template's lines as postings. */
export function templateLines(sqlite: Sqlite, templateId: number): PostLine[] {
  return (
    sqlite
      .prepare('SELECT account_id, member_account_id, debit_minor, credit_minor FROM recurring_template_lines WHERE template_id = ? ORDER BY line_no')
      .all(templateId) as { account_id: number; member_account_id: number | null; debit_minor: number; credit_minor: number }[]
  ).map((l) => ({ accountId: l.account_id, memberAccountId: l.member_account_id, debitMinor: l.debit_minor, creditMinor: l.credit_minor }))
}

/** The debit total of lines: the entry's amount. */
export const linesTotal = (lines: readonly PostLine[]): number => lines.reduce((s, l) => s + l.debitMinor, 0)

/** An order's entry: from the member's account to where the order sends it. */
export function orderLines(ledger: LedgerService, o: OrderRow, amountMinor: number): PostLine[] {
  const credit: PostLine =
    o.target_kind === 'member-account'
      ? { accountId: o.to_control_id as number, memberAccountId: o.to_member_account_id, debitMinor: 0, creditMinor: amountMinor }
      : o.target_kind === 'account'
        ? { accountId: o.to_account_id as number, debitMinor: 0, creditMinor: amountMinor }
        : { accountId: ledger.accountFor('orders-payable').id, debitMinor: 0, creditMinor: amountMinor }
  return [{ accountId: o.from_control_id, memberAccountId: o.from_member_account_id, debitMinor: amountMinor, creditMinor: 0 }, credit]
}

/** A failure in people's words: a DomainError's own message, anything else named as unexpected (never a library's wording alone). */
export function failureWords(e: unknown): string {
  if (e instanceof DomainError) return e.message
  return `Coffer could not post it (${e instanceof Error ? e.message : String(e)}).`
}

/** Whether a run's missed occurrences of one owner are a catch-up the treasurer reviews first. */
export function isLargeCatchUp(settings: RecurringSettings, missedCount: number, missedMinor: number): boolean {
  if (missedCount === 0) return false
  if (missedCount > settings.catchUpMaxCount) return true
  return settings.catchUpMaxAmountMinor !== null && missedMinor > settings.catchUpMaxAmountMinor
}

class Report {
  readonly lines: RunLine[] = []
  constructor(
    private readonly today: string,
    private readonly dryRun: boolean
  ) {}
  add(l: RunLine): void {
    this.lines.push(l)
  }
  done(): RunReport {
    const count = (o: RunLine['outcome']) => this.lines.filter((l) => l.outcome === o).length
    return {
      today: this.today,
      dryRun: this.dryRun,
      lines: this.lines,
      posted: count('posted'),
      review: count('review'),
      failed: count('failed'),
      skipped: count('skipped'),
      generated: count('generated')
    }
  }
}

function statements(sqlite: Sqlite) {
  return {
    insertOccurrence: sqlite.prepare(
      `INSERT INTO recurring_occurrences (template_id, standing_order_id, n, scheduled_date, due_date, amount_minor, status, review, created_at, last_run_id)
       VALUES (?, ?, ?, ?, ?, ?, 'generated', ?, ?, ?)
       ON CONFLICT DO NOTHING`
    ),
    occurrenceByKeyT: sqlite.prepare<[number, string], OccurrenceRow>('SELECT * FROM recurring_occurrences WHERE template_id = ? AND scheduled_date = ?'),
    occurrenceByKeyO: sqlite.prepare<[number, string], OccurrenceRow>('SELECT * FROM recurring_occurrences WHERE standing_order_id = ? AND scheduled_date = ?'),
    occurrence: sqlite.prepare<[number], OccurrenceRow>('SELECT * FROM recurring_occurrences WHERE id = ?'),
    markPosted: sqlite.prepare(
      `UPDATE recurring_occurrences SET status = 'posted', entry_id = ?, value_date = ?, amount_minor = ?, carried_minor = ?, reason = ?, attempts = attempts + 1,
         retry_until = NULL, last_run_id = ?, version = version + 1 WHERE id = ? AND status IN ('generated', 'failed')`
    ),
    markFailed: sqlite.prepare(
      `UPDATE recurring_occurrences SET status = 'failed', reason = ?, attempts = attempts + 1, retry_until = ?, last_run_id = ?, version = version + 1
       WHERE id = ? AND status IN ('generated', 'failed')`
    ),
    markSkipped: sqlite.prepare(
      `UPDATE recurring_occurrences SET status = 'skipped', reason = ?, carried_minor = ?, attempts = attempts + 1, retry_until = NULL, last_run_id = ?, version = version + 1
       WHERE id = ? AND status IN ('generated', 'failed')`
    ),
    advanceTemplate: sqlite.prepare('UPDATE recurring_templates SET next_n = ? + 1, updated_at = ? WHERE id = ? AND next_n = ?'),
    completeTemplate: sqlite.prepare(
      "UPDATE recurring_templates SET status = 'completed', status_note = ?, updated_at = ?, version = version + 1 WHERE id = ? AND status = 'active'"
    ),
    advanceOrder: sqlite.prepare('UPDATE standing_orders SET next_n = ? + 1, updated_at = ? WHERE id = ? AND next_n = ?'),
    completeOrder: sqlite.prepare(
      "UPDATE standing_orders SET status = 'completed', status_note = ?, updated_at = ?, version = version + 1 WHERE id = ? AND status = 'active'"
    ),
    orderPaid: sqlite.prepare(
      "UPDATE standing_orders SET carried_minor = ?, last_paid_on = max(coalesce(last_paid_on, ''), ?), failures_in_row = 0, updated_at = ?, version = version + 1 WHERE id = ?"
    ),
    /** Posted from To review: an older occurrence; what is carried to the next payment stays as it is. */
    orderPaidFromReview: sqlite.prepare(
      "UPDATE standing_orders SET last_paid_on = max(coalesce(last_paid_on, ''), ?), failures_in_row = 0, updated_at = ?, version = version + 1 WHERE id = ?"
    ),
    orderShort: sqlite.prepare(
      'UPDATE standing_orders SET carried_minor = ?, failures_in_row = failures_in_row + 1, updated_at = ?, version = version + 1 WHERE id = ? RETURNING failures_in_row'
    ),
    orderFailed: sqlite.prepare(
      'UPDATE standing_orders SET failures_in_row = failures_in_row + 1, updated_at = ?, version = version + 1 WHERE id = ? RETURNING failures_in_row'
    ),
    setPayment: sqlite.prepare('UPDATE recurring_occurrences SET payment_id = ? WHERE id = ?'),
    order: sqlite.prepare<[number], OrderRow>(`${ORDER_SELECT} WHERE o.id = ?`),
    template: sqlite.prepare<[number], TemplateRow>('SELECT * FROM recurring_templates WHERE id = ?')
  }
}

type Statements = ReturnType<typeof statements>

/** Orders failing this many times in a row tell the staff. */
export const FAILURES_BEFORE_NOTICE = 2

export class RecurringRunner {
  private readonly st: Statements
  constructor(private readonly d: RunDeps) {
    this.st = statements(d.sqlite)
  }

  private money(minor: number): string {
    return formatMoney(minor, this.d.currency, this.d.locale)
  }

  private date(d: string): string {
    return formatDate(d, this.d.locale)
  }

  private check(): void {
    if (this.d.signal) throwIfAborted(this.d.signal)
  }

  // ---------------------------------------------------------------------------
  // Templates
  // ---------------------------------------------------------------------------

  /** The recurring job: every template's due occurrences generated (and posted when due and not for review), then every waiting one now due posted. */
  runTemplates(dryRun = false): RunReport {
    const report = new Report(this.d.today, dryRun)
    const templates = this.d.sqlite.prepare("SELECT * FROM recurring_templates WHERE status = 'active' ORDER BY id").all() as TemplateRow[]
    let done = 0
    const waiting = this.d.sqlite
      .prepare(
        `SELECT o.* FROM recurring_occurrences o JOIN recurring_templates t ON t.id = o.template_id
         WHERE o.status IN ('generated', 'failed') AND o.review IS NULL AND o.due_date <= ? AND t.status IN ('active', 'completed')
         ORDER BY o.due_date, o.template_id, o.n`
      )
      .all(this.d.today) as OccurrenceRow[]
    const total = templates.length + waiting.length
    for (const t of templates) {
      this.check()
      try {
        this.generateTemplate(t, report)
      } catch (e) {
        report.add({ occurrenceId: null, kind: 'template', name: t.name, scheduledDate: this.d.today, dueDate: this.d.today, amountMinor: 0, outcome: 'failed', entryId: null, valueDate: null, reason: failureWords(e) })
      }
      this.d.progress?.(++done, total)
    }
    // Generated ahead of their date (or failed before): post those now due.
    for (const o of waiting) {
      this.check()
      const t = this.st.template.get(o.template_id as number) as TemplateRow
      this.d.transaction(() => this.postTemplateOccurrence(t, o.id, o.due_date, report))
      this.d.progress?.(++done, total)
    }
    return report.done()
  }

  private generateTemplate(t: TemplateRow, report: Report): void {
    const rule = templateRule(t)
    const lines = templateLines(this.d.sqlite, t.id)
    const amount = linesTotal(lines)
    const due = occurrencesDueBy(rule, t.next_n, addDays(this.d.today, t.days_ahead), this.d.holidays)
    const missed = due.filter((o) => o.due < this.d.today)
    const catchUp = isLargeCatchUp(this.d.settings, missed.length, amount * missed.length)
    for (const occ of due) {
      this.check()
      this.d.transaction(() => {
        const review =
          // An estimate always needs its real amount, whatever else holds it.
          t.amount_kind === 'estimated' ? 'estimated' : t.post_mode === 'review' ? 'template' : catchUp && occ.due < this.d.today ? 'catch-up' : null
        this.st.insertOccurrence.run(t.id, null, occ.n, occ.scheduled, occ.due, amount, review, this.d.now(), this.d.runId)
        this.st.advanceTemplate.run(occ.n, this.d.now(), t.id, occ.n)
        const row = this.st.occurrenceByKeyT.get(t.id, occ.scheduled) as OccurrenceRow
        if (row.status !== 'generated') return // another run got there first
        if (row.review !== null) {
          report.add(this.line(row, 'template', t.name, 'review', null))
        } else if (row.due_date <= this.d.today) {
          this.postTemplateOccurrence(t, row.id, row.due_date, report)
        } else {
          report.add(this.line(row, 'template', t.name, 'generated', null))
        }
      })
    }
    if (occurrence(rule, Math.max(t.next_n, (due.at(-1)?.n ?? 0) + 1), this.d.holidays) === null) {
      const note = rule.maxOccurrences !== null ? `All ${rule.maxOccurrences} occurrences were generated.` : `Its end date (${this.date(rule.endDate as string)}) has passed.`
      this.d.transaction(() => this.st.completeTemplate.run(note, this.d.now(), t.id))
    }
  }

  /** Posts one template occurrence on a value date (its due date, or today's); a failure is recorded on it, never thrown. */
  postTemplateOccurrence(
    t: TemplateRow,
    occurrenceId: number,
    valueDate: string,
    report: Report | null,
    opts: { lines?: PostLine[]; note?: string | null } = {}
  ): { ok: true } | { ok: false; reason: string } {
    const o = this.st.occurrence.get(occurrenceId) as OccurrenceRow
    // Read inside the transaction: posted or skipped meanwhile (by the treasurer, or another run) is left alone.
    if (o.status !== 'generated' && o.status !== 'failed') return { ok: false, reason: `It is ${o.status} already.` }
    const lines = opts.lines ?? templateLines(this.d.sqlite, t.id)
    try {
      const posted = this.d.sqlite.transaction(() =>
        this.d.ledger.post({
          valueDate,
          description: t.description,
          source: 'recurring',
          sourceRef: `recurring_occurrences:${o.id}`,
          reference: `RT-${t.id}-${o.n}`,
          lines,
          whenClosed: 'next-open-day'
        })
      )()
      this.st.markPosted.run(posted.id, posted.valueDate, linesTotal(lines), 0, posted.note, this.d.runId, o.id)
      report?.add({ ...this.line(o, 'template', t.name, 'posted', null), entryId: posted.id, valueDate: posted.valueDate, reason: posted.note })
      return { ok: true }
    } catch (e) {
      const reason = failureWords(e)
      this.st.markFailed.run(reason, null, this.d.runId, o.id)
      report?.add(this.line(o, 'template', t.name, 'failed', reason))
      return { ok: false, reason }
    }
  }

  private line(o: OccurrenceRow, kind: 'template' | 'order', name: string, outcome: RunLine['outcome'], reason: string | null): RunLine {
    return { occurrenceId: o.id, kind, name, scheduledDate: o.scheduled_date, dueDate: o.due_date, amountMinor: o.amount_minor, outcome, entryId: null, valueDate: null, reason }
  }

  // ---------------------------------------------------------------------------
  // Standing orders
  // ---------------------------------------------------------------------------

  /**
   * The standing-orders job: every active order's occurrences due by today,
   * executed in date order and, on one day, by priority (so the orders
   * drawing on one account go in the order the member chose); failed ones
   * whose retry window is open tried again; a large catch-up sent to review.
   */
  runOrders(dryRun = false): RunReport {
    const report = new Report(this.d.today, dryRun)
    const orders = this.d.sqlite.prepare(`${ORDER_SELECT} WHERE o.status = 'active' ORDER BY o.id`).all() as OrderRow[]
    type Item = { order: OrderRow; n: number; scheduled: string; due: string; retryOf: number | null }
    const items: Item[] = []
    for (const o of orders) {
      try {
        const due = occurrencesDueBy(orderRule(o), o.next_n, this.d.today, this.d.holidays)
        const missed = due.filter((x) => x.due < this.d.today)
        if (isLargeCatchUp(this.d.settings, missed.length, (o.amount_minor + o.carried_minor) * missed.length)) {
          // Missed while the PC was off, more than the treasurer lets through: to review, each with its own date.
          for (const x of missed) {
            this.d.transaction(() => {
              this.st.insertOccurrence.run(null, o.id, x.n, x.scheduled, x.due, o.amount_minor, 'catch-up', this.d.now(), this.d.runId)
              this.st.advanceOrder.run(x.n, this.d.now(), o.id, x.n)
              const row = this.st.occurrenceByKeyO.get(o.id, x.scheduled) as OccurrenceRow
              if (row.status === 'generated' && row.last_run_id === this.d.runId) report.add(this.line(row, 'order', orderName(o), 'review', null))
            })
          }
          for (const x of due.filter((y) => y.due >= this.d.today)) items.push({ order: o, ...x, retryOf: null })
        } else {
          for (const x of due) items.push({ order: o, ...x, retryOf: null })
        }
      } catch (e) {
        report.add({ occurrenceId: null, kind: 'order', name: orderName(o), scheduledDate: this.d.today, dueDate: this.d.today, amountMinor: o.amount_minor, outcome: 'failed', entryId: null, valueDate: null, reason: failureWords(e) })
      }
    }
    // Failed ones still inside their retry window, and those whose window closed (given up, the staff told).
    const retries = this.d.sqlite
      .prepare(
        `SELECT o.* FROM recurring_occurrences o JOIN standing_orders s ON s.id = o.standing_order_id
         WHERE o.status = 'failed' AND o.retry_until IS NOT NULL AND s.status = 'active' ORDER BY o.due_date, o.id`
      )
      .all() as OccurrenceRow[]
    for (const r of retries) {
      const order = this.st.order.get(r.standing_order_id as number) as OrderRow
      if (r.retry_until !== null && r.retry_until < this.d.today) {
        this.d.transaction(() => this.giveUp(order, r, report))
      } else {
        items.push({ order, n: r.n, scheduled: r.scheduled_date, due: r.due_date, retryOf: r.id })
      }
    }
    items.sort((a, b) => compareDates(a.due, b.due) || a.order.priority - b.order.priority || a.order.id - b.order.id || a.n - b.n)
    let done = 0
    for (const it of items) {
      this.check()
      try {
        // A retry pays on the day the money is there (today), never back on its due date, when the account could not cover it.
        this.d.transaction(() => this.executeOrder(it.order.id, it.n, it.scheduled, it.due, it.retryOf === null ? it.due : this.d.today, report))
      } catch (e) {
        report.add({ occurrenceId: it.retryOf, kind: 'order', name: orderName(it.order), scheduledDate: it.scheduled, dueDate: it.due, amountMinor: it.order.amount_minor, outcome: 'failed', entryId: null, valueDate: null, reason: failureWords(e) })
      }
      this.d.progress?.(++done, items.length)
    }
    // Orders past their end date with nothing left to run complete.
    for (const o of orders) {
      const fresh = this.st.order.get(o.id) as OrderRow
      if (fresh.status === 'active' && occurrence(orderRule(fresh), fresh.next_n, this.d.holidays) === null) {
        this.d.transaction(() => this.st.completeOrder.run(`Its end date (${this.date(fresh.end_date as string)}) has passed.`, this.d.now(), o.id))
      }
    }
    return report.done()
  }

  /**
   * One execution, inside the caller's transaction: the occurrence row (new,
   * or the failed one retried), the balance read, the entry, the order's next
   * index, carry and failure count, and the payment for a bank order.
   */
  private executeOrder(orderId: number, n: number, scheduled: string, due: string, valueDate: string, report: Report): void {
    const o = this.st.order.get(orderId) as OrderRow
    if (o.status !== 'active') return
    const amount = o.amount_minor + o.carried_minor
    this.st.insertOccurrence.run(null, o.id, n, scheduled, due, amount, null, this.d.now(), this.d.runId)
    this.st.advanceOrder.run(n, this.d.now(), o.id, n)
    const row = this.st.occurrenceByKeyO.get(o.id, scheduled) as OccurrenceRow
    if (row.status === 'posted' || row.status === 'skipped' || row.review !== null) return // done before, or waiting for review
    this.attemptOrder(o, row, valueDate, report)
  }

  /** Pays an order's occurrence on a value date by its funds policy; records the outcome on the row. Returns why it did not pay, if it did not. */
  attemptOrder(o: OrderRow, row: OccurrenceRow, valueDate: string, report: Report | null, opts: { fromReview?: boolean } = {}): string | null {
    const name = orderName(o)
    const amount = row.amount_minor
    const available = this.d.ledger.memberBalance(o.from_member_account_id)
    const from = memberAccountNumber(o.member_no, o.from_product)
    let pay = amount
    let carried = 0
    if (available < amount) {
      const short = `Not enough in ${from}: the balance is ${this.money(Math.max(available, 0))}, the order needs ${this.money(amount)}.`
      // From To review, the treasurer decides: nothing on the row changes.
      if (opts.fromReview) return short
      if (o.insufficient_funds === 'partial' && available > 0) {
        pay = available
        carried = amount - available
      } else if (o.insufficient_funds === 'partial') {
        this.st.markSkipped.run(`${short} Nothing paid; ${this.money(amount)} carried to the next payment.`, amount, this.d.runId, row.id)
        const fails = this.st.orderShort.get(amount, this.d.now(), o.id) as { failures_in_row: number }
        this.tellIfRepeated(o, row, fails.failures_in_row, short)
        report?.add(this.line(row, 'order', name, 'skipped', short))
        return short
      } else if (o.insufficient_funds === 'retry') {
        const until = row.retry_until ?? addDays(row.due_date, o.retry_days)
        if (row.attempts === 0) {
          const fails = this.st.orderFailed.get(this.d.now(), o.id) as { failures_in_row: number }
          this.tellIfRepeated(o, row, fails.failures_in_row, short)
          this.tellMember(o, row, short)
        }
        if (until >= this.d.today) {
          this.st.markFailed.run(`${short} Tried again daily until ${this.date(until)}.`, until, this.d.runId, row.id)
          report?.add(this.line(row, 'order', name, 'failed', short))
        } else {
          this.giveUp(o, { ...row, reason: short }, report)
        }
        return short
      } else {
        this.st.markSkipped.run(`${short} Skipped.`, 0, this.d.runId, row.id)
        const fails = this.st.orderFailed.get(this.d.now(), o.id) as { failures_in_row: number }
        this.tellIfRepeated(o, row, fails.failures_in_row, short)
        report?.add(this.line(row, 'order', name, 'skipped', short))
        return short
      }
    }
    try {
      const posted = this.d.sqlite.transaction(() => {
        const p = this.d.ledger.post({
          valueDate,
          description: o.description ?? `Standing order: ${name}`,
          source: 'standing-order',
          sourceRef: `recurring_occurrences:${row.id}`,
          reference: `SO-${o.id}-${row.n}`,
          lines: orderLines(this.d.ledger, o, pay),
          whenClosed: 'next-open-day'
        })
        if (o.target_kind === 'bank') {
          const payment = this.d.payments().createOrderPayment({
            memberId: o.member_id,
            memberAccountId: o.from_member_account_id,
            dueDate: p.valueDate,
            amountMinor: pay,
            payeeName: o.payee_name as string,
            payeeBank: o.payee_bank as string,
            payeeAccount: o.payee_account as string,
            payeeReference: o.payee_reference,
            sourceRef: `recurring_occurrences:${row.id}`,
            runId: this.d.runId
          })
          this.st.setPayment.run(payment.id, row.id)
        }
        return p
      })()
      const note = carried > 0 ? `Paid what was available; ${this.money(carried)} carried to the next payment.` : posted.note
      this.st.markPosted.run(posted.id, posted.valueDate, pay, carried, note, this.d.runId, row.id)
      if (opts.fromReview) this.st.orderPaidFromReview.run(posted.valueDate, this.d.now(), o.id)
      else this.st.orderPaid.run(carried, posted.valueDate, this.d.now(), o.id)
      report?.add({ ...this.line({ ...row, amount_minor: pay }, 'order', name, 'posted', note), entryId: posted.id, valueDate: posted.valueDate })
      return null
    } catch (e) {
      const reason = failureWords(e)
      this.st.markFailed.run(reason, null, this.d.runId, row.id)
      const fails = this.st.orderFailed.get(this.d.now(), o.id) as { failures_in_row: number }
      this.tellIfRepeated(o, row, fails.failures_in_row, reason)
      this.tellMember(o, row, reason)
      report?.add(this.line(row, 'order', name, 'failed', reason))
      return reason
    }
  }

  /** A retry window closed with the money still not there: the occurrence fails for good and the staff are told. */
  private giveUp(o: OrderRow, r: OccurrenceRow, report: Report | null): void {
    const reason = `${r.reason ?? 'It could not be paid.'} Given up on ${this.date(this.d.today)}: post it from To review once the money is there, or skip it.`
    this.st.markFailed.run(reason, null, this.d.runId, r.id)
    this.d.notify?.({
      kind: 'warning',
      title: `Standing order not paid: ${o.full_name}`,
      body: `${orderName(o)}, due ${this.date(r.due_date)}, ${this.money(r.amount_minor)}: ${reason}`,
      subject: { type: 'standing-order', id: String(o.id) },
      dedupeKey: `standing-order-gave-up:${r.id}`
    })
    report?.add(this.line(r, 'order', orderName(o), 'failed', reason))
  }

  /**
   * The member's standing-order-failed notice (email, SMS), in the
   * transaction that records the failure: once per occurrence
   * ('occurrence:<id>:failed'), so its daily retries and a final giving up
   * tell them nothing twice.
   */
  private tellMember(_o: OrderRow, row: OccurrenceRow, reason: string): void {
    this.noticesOnce ??= new Notices(this.d.sqlite, () => new Date(this.d.now()))
    const { memberId, values } = standingOrderValues(this.d.sqlite, row.id, reason)
    this.noticesOnce.notify('standing-order-failed', { memberId }, values, `occurrence:${row.id}:failed`)
  }

  private noticesOnce: Notices | null = null

  private tellIfRepeated(o: OrderRow, row: OccurrenceRow, failuresInRow: number, reason: string): void {
    if (failuresInRow < FAILURES_BEFORE_NOTICE) return
    this.d.notify?.({
      kind: 'warning',
      title: `Standing order failed ${failuresInRow} times in a row: ${o.full_name}`,
      body: `${orderName(o)}, due ${this.date(row.due_date)}: ${reason} Check the member’s balance or the order.`,
      subject: { type: 'standing-order', id: String(o.id) },
      dedupeKey: `standing-order-failed:${o.id}:${row.scheduled_date}`
    })
  }
}
