import type { ServiceContext } from '../platform/context'
import { nowIso } from '../platform/context'
import { currentActor } from '../platform/actor'
import { DomainError, conflict, invalid, notFound } from '../platform/errors'
import { readSetting, writeSettings } from '../platform/settings'
import type { Sqlite } from '../platform/db/open'
import { loadHolidays } from '../calendar'
import type { LedgerService, PostLine } from '../ledger'
import { addDays, calendarDateInZone, compareDates } from '../../shared/dates'
import { formatMoney } from '../../shared/money'
import { formatDate } from '../../shared/words'
import { checkRule, describeRule, firstIndexOnOrAfter, occurrence, occurrencesBetween, type RepeatRule } from '../../shared/recurrence'
import {
  DEBIT_NORMAL,
  type AccountType,
  type DecideResult,
  type Forecast,
  type Occurrence,
  type RecurringSettings,
  type ReviewItem,
  type RunReport,
  type StandingOrder,
  type StandingOrderDetail,
  type Template,
  type TemplateDetail
} from '../../shared/contract'
import type { ParsedInput } from '../../shared/contract'
import {
  ORDER_SELECT,
  RecurringRunner,
  linesTotal,
  memberAccountNumber,
  orderName,
  orderRule,
  toNumber,
  templateLines,
  templateRule,
  type OccurrenceRow,
  type OrderPayments,
  type OrderRow,
  type RunDeps,
  type TemplateRow
} from './run'

export const CATCH_UP_COUNT_KEY = 'recurring.catchUpMaxCount'
export const CATCH_UP_AMOUNT_KEY = 'recurring.catchUpMaxAmountMinor'
/** Unless the treasurer sets otherwise: a catch-up of more than one missed occurrence of one template or order waits for review; no amount limit. */
export const DEFAULT_RECURRING_SETTINGS: RecurringSettings = { catchUpMaxCount: 1, catchUpMaxAmountMinor: null }

/** The treasurer's catch-up thresholds; a stored value that is not one is an error, never replaced by the default. */
export function readRecurringSettings(sqlite: Sqlite): RecurringSettings {
  const count = readSetting(sqlite, CATCH_UP_COUNT_KEY)
  const amount = readSetting(sqlite, CATCH_UP_AMOUNT_KEY)
  const whole = (key: string, v: string): number => {
    const n = Number(v)
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) throw conflict(`The stored setting ${key} is not a whole number (“${v}”). Save the recurring settings again.`)
    return n
  }
  return {
    catchUpMaxCount: count === null ? DEFAULT_RECURRING_SETTINGS.catchUpMaxCount : whole(CATCH_UP_COUNT_KEY, count),
    catchUpMaxAmountMinor: amount === null || amount === '' ? null : whole(CATCH_UP_AMOUNT_KEY, amount)
  }
}

interface Env {
  timeZone: () => string
  locale: () => string
  currency: () => string
  ledger: () => LedgerService
  payments: () => OrderPayments
  /** Whether an order paying out to a bank needs a second operator (Settings, Security: payments). */
  makerChecker: () => boolean
}

/** What the forecast reads of an order. */
type ForecastOrder = Pick<
  OrderRow,
  | 'id'
  | 'from_member_account_id'
  | 'target_kind'
  | 'to_member_account_id'
  | 'to_account_id'
  | 'amount_minor'
  | 'carried_minor'
  | 'frequency'
  | 'start_date'
  | 'month_end'
  | 'end_date'
  | 'holiday_rule'
  | 'priority'
  | 'insufficient_funds'
  | 'next_n'
  | 'full_name'
> & { from_number: string; name: string }

type TemplateInput = ParsedInput<'recurring.createTemplate'>

/**
 * An order's own columns from the form, in the order both its INSERT and its
 * UPDATE list them: from_member_account_id, target_kind, to_member_account_id,
 * to_account_id, payee_name, payee_bank, payee_account, payee_reference,
 * amount_minor, description, frequency, start_date, month_end, end_date,
 * holiday_rule, priority, insufficient_funds, retry_days.
 */
function orderValues(v: OrderInput): unknown[] {
  const t = v.target
  return [
    v.fromMemberAccountId,
    t.kind,
    t.kind === 'member-account' ? t.memberAccountId : null,
    t.kind === 'account' ? t.accountId : null,
    t.kind === 'bank' ? t.payeeName : null,
    t.kind === 'bank' ? t.payeeBank : null,
    t.kind === 'bank' ? t.payeeAccount : null,
    t.kind === 'bank' ? t.payeeReference : null,
    v.amountMinor,
    v.description,
    v.frequency,
    v.startDate,
    v.monthEnd ? 1 : 0,
    v.endDate,
    v.holidayRule,
    v.priority,
    v.insufficientFunds,
    v.retryDays
  ]
}

type OwnerKind = 'template' | 'order'
/** What owns occurrences: its table, its column on recurring_occurrences, and what people call it. */
const OWNERS = {
  template: { table: 'recurring_templates', column: 'template_id', words: 'recurring entry' },
  order: { table: 'standing_orders', column: 'standing_order_id', words: 'standing order' }
} as const
type OrderInput = ParsedInput<'recurring.createOrder'>

const SCHEDULE_WORDS: Record<string, string> = {
  frequency: 'how often it repeats',
  startDate: 'the start date',
  monthEnd: 'whether it falls on the month’s last day'
}

/** Recurring entries and standing orders: set up, paused, reviewed, forecast; the jobs' work is in run.ts. */
export class RecurringService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly env: Env
  ) {}

  today(): string {
    return calendarDateInZone(this.ctx.clock.now(), this.env.timeZone())
  }

  private money(minor: number): string {
    return formatMoney(minor, this.env.currency(), this.env.locale())
  }

  private date(d: string): string {
    return formatDate(d, this.env.locale())
  }

  /** A person does this (jobs run as the system and never call these). */
  private operator(): { id: number | null; name: string } {
    const a = currentActor()
    return { id: a.operatorId, name: a.name }
  }

  private tx<T>(fn: () => T): T {
    return this.ctx.sqlite.inTransaction ? fn() : this.ctx.sqlite.transaction(fn).immediate()
  }

  /** A rule's problems as field errors, or nothing. */
  private checkSchedule(rule: RepeatRule): void {
    const problems = checkRule(rule)
    const keys = Object.keys(problems)
    if (keys.length > 0) throw invalid(`The schedule is not right: ${(problems[keys[0] as string] as string).replace(/\.$/, '')}.`, problems)
  }

  runner(overrides: Partial<RunDeps> = {}): RecurringRunner {
    return new RecurringRunner({
      sqlite: this.ctx.sqlite,
      ledger: this.env.ledger(),
      payments: this.env.payments,
      today: this.today(),
      now: () => nowIso(this.ctx),
      runId: null,
      holidays: loadHolidays(this.ctx.sqlite),
      settings: readRecurringSettings(this.ctx.sqlite),
      locale: this.env.locale(),
      currency: this.env.currency(),
      transaction: (fn) => this.tx(fn),
      ...overrides
    })
  }

  // ---------------------------------------------------------------------------
  // Templates
  // ---------------------------------------------------------------------------

  private templateRow(id: number): TemplateRow {
    const r = this.ctx.sqlite.prepare('SELECT * FROM recurring_templates WHERE id = ?').get(id) as TemplateRow | undefined
    if (!r) throw notFound(`Recurring entry #${id}`)
    return r
  }

  /** A template as the contract gives it; a list passes the holidays it read once. */
  private toTemplate(t: TemplateRow, holidays: ReadonlySet<string> = loadHolidays(this.ctx.sqlite)): Template {
    const lines = this.ctx.sqlite
      .prepare(
        `SELECT l.account_id, a.code, a.name, l.member_account_id, m.member_no, ma.product, l.debit_minor, l.credit_minor
         FROM recurring_template_lines l JOIN ledger_accounts a ON a.id = l.account_id
         LEFT JOIN member_accounts ma ON ma.id = l.member_account_id LEFT JOIN members m ON m.id = ma.member_id
         WHERE l.template_id = ? ORDER BY l.line_no`
      )
      .all(t.id) as {
      account_id: number
      code: string
      name: string
      member_account_id: number | null
      member_no: string | null
      product: 'savings' | 'shares' | null
      debit_minor: number
      credit_minor: number
    }[]
    const counts = this.ctx.sqlite
      .prepare(
        `SELECT sum(status = 'posted') AS posted, sum(status = 'generated') AS waiting, sum(status = 'failed') AS failed, sum(status = 'skipped') AS skipped,
           max(CASE WHEN status = 'posted' THEN value_date END) AS last
         FROM recurring_occurrences WHERE template_id = ?`
      )
      .get(t.id) as { posted: number | null; waiting: number | null; failed: number | null; skipped: number | null; last: string | null }
    const rule = templateRule(t)
    const next = t.status === 'active' || t.status === 'paused' ? occurrence(rule, t.next_n, holidays) : null
    return {
      id: t.id,
      name: t.name,
      description: t.description,
      amountKind: t.amount_kind,
      lines: lines.map((l) => ({
        accountId: l.account_id,
        accountCode: l.code,
        accountName: l.name,
        memberAccountId: l.member_account_id,
        memberAccountNumber: l.member_no && l.product ? memberAccountNumber(l.member_no, l.product) : null,
        debitMinor: l.debit_minor,
        creditMinor: l.credit_minor
      })),
      totalMinor: lines.reduce((s, l) => s + l.debit_minor, 0),
      frequency: t.frequency,
      startDate: t.start_date,
      monthEnd: t.month_end === 1,
      endDate: t.end_date,
      maxOccurrences: t.max_occurrences,
      daysAhead: t.days_ahead,
      holidayRule: t.holiday_rule,
      postMode: t.post_mode,
      status: t.status,
      statusNote: t.status_note,
      schedule: describeRule(rule, this.env.locale()),
      nextDueDate: next?.due ?? null,
      lastPostedOn: counts.last,
      counts: { posted: counts.posted ?? 0, waiting: counts.waiting ?? 0, failed: counts.failed ?? 0, skipped: counts.skipped ?? 0 },
      createdBy: t.created_by,
      createdAt: t.created_at,
      version: t.version
    }
  }

  templates(status?: Template['status']): Template[] {
    const rows = this.ctx.sqlite
      .prepare(`SELECT * FROM recurring_templates ${status ? 'WHERE status = ?' : ''} ORDER BY name COLLATE NOCASE, id`)
      .all(...(status ? [status] : [])) as TemplateRow[]
    const holidays = loadHolidays(this.ctx.sqlite)
    return rows.map((r) => this.toTemplate(r, holidays))
  }

  template(id: number): TemplateDetail {
    const t = this.templateRow(id)
    const occ = this.ctx.sqlite.prepare('SELECT * FROM recurring_occurrences WHERE template_id = ? ORDER BY scheduled_date DESC, id DESC').all(id) as OccurrenceRow[]
    return { template: this.toTemplate(t), occurrences: occ.map((o) => this.toOccurrence(o, t.name)) }
  }

  private ruleOf(v: Pick<TemplateInput, 'frequency' | 'startDate' | 'monthEnd' | 'endDate' | 'holidayRule'> & { maxOccurrences?: number | null }): RepeatRule {
    return { frequency: v.frequency, startDate: v.startDate, monthEnd: v.monthEnd, endDate: v.endDate, maxOccurrences: v.maxOccurrences ?? null, holidayRule: v.holidayRule }
  }

  /** The lines checked as a posting would check them, with the field names of the form. */
  private checkTemplateLines(lines: readonly PostLine[]): void {
    try {
      this.env.ledger().checkLines(lines)
    } catch (e) {
      if (e instanceof DomainError) throw new DomainError(e.code, e.message.replace('The entry was not posted: ', 'The entry is not right: ').replace('; nothing was posted.', '.'), e.fields)
      throw e
    }
  }

  private nameTaken(name: string, exceptId: number | null): void {
    const other = this.ctx.sqlite.prepare('SELECT id FROM recurring_templates WHERE name = ? COLLATE NOCASE AND id IS NOT ?').get(name, exceptId)
    if (other) throw conflict(`A recurring entry called “${name}” exists already; give this one another name.`, { name: 'Already used by another recurring entry' })
  }

  /** An estimated amount is confirmed when it posts, as one figure: only a two-line entry can take it. */
  private checkEstimated(v: Pick<TemplateInput, 'amountKind' | 'lines'>): void {
    if (v.amountKind === 'estimated' && v.lines.length !== 2) {
      throw invalid('An estimated amount is confirmed as one figure when it posts, so the entry must have exactly two lines.', {
        amountKind: 'Estimated needs a two-line entry',
        lines: 'Exactly two lines for an estimated amount'
      })
    }
  }

  createTemplate(v: TemplateInput): Template {
    this.checkSchedule(this.ruleOf(v))
    this.checkTemplateLines(v.lines)
    this.checkEstimated(v)
    this.nameTaken(v.name, null)
    const who = this.operator()
    const at = nowIso(this.ctx)
    const id = this.tx(() => {
      const id = Number(
        this.ctx.sqlite
          .prepare(
            `INSERT INTO recurring_templates (name, description, amount_kind, frequency, start_date, month_end, end_date, max_occurrences, days_ahead, holiday_rule, post_mode,
               status, created_by_id, created_by, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)`
          )
          .run(v.name, v.description, v.amountKind, v.frequency, v.startDate, v.monthEnd ? 1 : 0, v.endDate, v.maxOccurrences, v.daysAhead, v.holidayRule, v.postMode, who.id, who.name, at, at)
          .lastInsertRowid
      )
      this.writeLines(id, v.lines)
      return id
    })
    return this.toTemplate(this.templateRow(id))
  }

  private writeLines(templateId: number, lines: readonly PostLine[]): void {
    this.ctx.sqlite.prepare('DELETE FROM recurring_template_lines WHERE template_id = ?').run(templateId)
    const put = this.ctx.sqlite.prepare(
      'INSERT INTO recurring_template_lines (template_id, line_no, account_id, member_account_id, debit_minor, credit_minor) VALUES (?, ?, ?, ?, ?, ?)'
    )
    lines.forEach((l, i) => put.run(templateId, i + 1, l.accountId, l.memberAccountId ?? null, l.debitMinor, l.creditMinor))
  }

  private expectVersion(kind: string, row: { version: number }, expected: number): void {
    if (row.version !== expected) throw conflict(`This ${kind} was changed meanwhile (by someone else or by a run); look at it again and redo your change.`)
  }

  private generatedCount(column: 'template_id' | 'standing_order_id', id: number): number {
    return this.ctx.sqlite.prepare(`SELECT count(*) FROM recurring_occurrences WHERE ${column} = ?`).pluck().get(id) as number
  }

  /** What changed of the schedule's fixed fields once occurrences exist: refused, naming them. */
  private scheduleLocked(kind: string, before: { frequency: string; start_date: string; month_end: number }, v: { frequency: string; startDate: string; monthEnd: boolean }, generated: number): void {
    if (generated === 0) return
    const changed = [
      before.frequency !== v.frequency ? 'frequency' : null,
      before.start_date !== v.startDate ? 'startDate' : null,
      (before.month_end === 1) !== v.monthEnd ? 'monthEnd' : null
    ].filter((x): x is string => x !== null)
    if (changed.length === 0) return
    throw conflict(
      `This ${kind} already has ${generated} occurrence${generated === 1 ? '' : 's'}, so ${changed.map((c) => SCHEDULE_WORDS[c]).join(' and ')} cannot change (the dates already used would move). Cancel it and set up a new one instead.`,
      Object.fromEntries(changed.map((c) => [c, 'Fixed once occurrences exist']))
    )
  }

  updateTemplate(v: ParsedInput<'recurring.updateTemplate'>): Template {
    const rule = this.ruleOf(v)
    this.checkSchedule(rule)
    this.checkTemplateLines(v.lines)
    this.checkEstimated(v)
    this.nameTaken(v.name, v.id)
    this.tx(() => {
      const t = this.templateRow(v.id)
      this.expectVersion('recurring entry', t, v.expectedVersion)
      if (t.status === 'cancelled') throw conflict('A cancelled recurring entry cannot be changed; set up a new one.')
      this.scheduleLocked('recurring entry', t, v, this.generatedCount('template_id', t.id))
      if (v.maxOccurrences !== null && v.maxOccurrences < t.next_n - 1) {
        throw conflict(`${t.next_n - 1} occurrences were generated already; the number of occurrences cannot be less.`, { maxOccurrences: `At least ${t.next_n - 1}` })
      }
      // Completed, and the new end gives it more occurrences: active again.
      const more = occurrence(rule, t.next_n, loadHolidays(this.ctx.sqlite)) !== null
      const status = t.status === 'completed' && more ? 'active' : t.status === 'active' && !more ? 'completed' : t.status
      this.ctx.sqlite
        .prepare(
          `UPDATE recurring_templates SET name = ?, description = ?, amount_kind = ?, frequency = ?, start_date = ?, month_end = ?, end_date = ?, max_occurrences = ?,
             days_ahead = ?, holiday_rule = ?, post_mode = ?, status = ?, status_note = ?, updated_at = ?, version = version + 1 WHERE id = ?`
        )
        .run(
          v.name,
          v.description,
          v.amountKind,
          v.frequency,
          v.startDate,
          v.monthEnd ? 1 : 0,
          v.endDate,
          v.maxOccurrences,
          v.daysAhead,
          v.holidayRule,
          v.postMode,
          status,
          status === t.status ? t.status_note : status === 'completed' ? 'Nothing remains to generate under the new end.' : null,
          nowIso(this.ctx),
          t.id
        )
      this.writeLines(t.id, v.lines)
    })
    return this.toTemplate(this.templateRow(v.id))
  }

  pauseTemplate(id: number, expectedVersion: number, reason: string | null): Template {
    this.changeStatus('template', id, expectedVersion, 'pause', reason)
    return this.toTemplate(this.templateRow(id))
  }

  resumeTemplate(id: number, expectedVersion: number, reason: string | null): Template {
    this.changeStatus('template', id, expectedVersion, 'resume', reason)
    return this.toTemplate(this.templateRow(id))
  }

  cancelTemplate(id: number, expectedVersion: number, reason: string | null): Template {
    this.changeStatus('template', id, expectedVersion, 'cancel', reason)
    return this.toTemplate(this.templateRow(id))
  }

  /**
   * Pause, resume or cancel a template or an order, in one transaction, from
   * the version the operator saw. Pausing stops it from today. Resuming
   * carries on from today: the occurrences that fell while it was paused are
   * recorded skipped (each with its date), so none of them posts later and
   * none is lost from the history. Cancelling skips what still waits (and an
   * order's carried rest goes with it).
   */
  private changeStatus(kind: OwnerKind, id: number, expectedVersion: number, action: 'pause' | 'resume' | 'cancel', reason: string | null): void {
    const { table, words } = OWNERS[kind]
    this.tx(() => {
      const row = kind === 'template' ? this.templateRow(id) : this.orderRow(id)
      this.expectVersion(words, row, expectedVersion)
      const by = `${this.date(this.today())} by ${this.operator().name}${reason ? `: ${reason}` : ''}.`
      const update = (set: string, ...args: unknown[]) =>
        this.ctx.sqlite.prepare(`UPDATE ${table} SET ${set}, updated_at = ?, version = version + 1 WHERE id = ?`).run(...args, nowIso(this.ctx), id)
      if (action === 'pause') {
        if (row.status !== 'active') throw conflict(`Only an active ${words} can be paused; this one is ${row.status}.`)
        update("status = 'paused', paused_on = ?, status_note = ?", this.today(), `Paused on ${by}`)
      } else if (action === 'resume') {
        if (row.status !== 'paused') throw conflict(`Only a paused ${words} can be resumed; this one is ${row.status}.`)
        const rule = kind === 'template' ? templateRule(row as TemplateRow) : orderRule(row as OrderRow)
        const next = this.skipPaused(kind, id, rule, row.next_n, row.paused_on, reason)
        update('status = ?, status_note = ?, paused_on = NULL, next_n = ?', next.status, next.note, next.nextN)
      } else {
        if (row.status === 'cancelled') throw conflict(`This ${words} is cancelled already.`)
        this.cancelWaiting(kind, id, reason)
        update(`status = 'cancelled', status_note = ?${kind === 'order' ? ', carried_minor = 0' : ''}`, `Cancelled on ${by}`)
      }
    })
  }

  /** Skipped rows for the occurrences scheduled while paused (before today); where to carry on. */
  private skipPaused(
    kind: OwnerKind,
    ownerId: number,
    rule: RepeatRule,
    nextN: number,
    pausedOn: string | null,
    reason: string | null
  ): { nextN: number; status: 'active' | 'completed'; note: string | null } {
    const today = this.today()
    const upTo = firstIndexOnOrAfter(rule, today)
    const holidays = loadHolidays(this.ctx.sqlite)
    const at = nowIso(this.ctx)
    const who = this.operator()
    const words = `Not posted: paused${pausedOn ? ` from ${this.date(pausedOn)}` : ''} until ${this.date(today)}${reason ? ` (${reason})` : ''}.`
    const put = this.ctx.sqlite.prepare(
      `INSERT INTO recurring_occurrences (template_id, standing_order_id, n, scheduled_date, due_date, amount_minor, status, reason, decided_by_id, decided_by, decided_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'skipped', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
    )
    const amount = kind === 'template' ? linesTotal(templateLines(this.ctx.sqlite, ownerId)) : this.orderRow(ownerId).amount_minor
    // Generated before the pause (days ahead) and due while it was paused: skipped too, never posted late by the next run.
    this.ctx.sqlite
      .prepare(
        `UPDATE recurring_occurrences SET status = 'skipped', reason = ?, decided_by_id = ?, decided_by = ?, decided_at = ?, version = version + 1
         WHERE ${OWNERS[kind].column} = ? AND status = 'generated' AND review IS NULL AND due_date >= ? AND due_date < ?`
      )
      .run(words, who.id, who.name, at, ownerId, pausedOn ?? '', today)
    let n = nextN
    for (; upTo === null || n < upTo; n++) {
      const occ = occurrence(rule, n, holidays)
      if (occ === null || occ.scheduled >= today) break
      put.run(kind === 'template' ? ownerId : null, kind === 'order' ? ownerId : null, n, occ.scheduled, occ.due, amount, words, who.id, who.name, at, at)
    }
    if (occurrence(rule, n, holidays) === null) return { nextN: n, status: 'completed', note: 'Nothing remained to run after the pause.' }
    return { nextN: n, status: 'active', note: null }
  }

  /** Occurrences still waiting (generated, failed) of a cancelled owner: skipped, with why. */
  private cancelWaiting(kind: OwnerKind, id: number, reason: string | null): void {
    const who = this.operator()
    this.ctx.sqlite
      .prepare(
        `UPDATE recurring_occurrences SET status = 'skipped', reason = ?, retry_until = NULL, decided_by_id = ?, decided_by = ?, decided_at = ?, version = version + 1
         WHERE ${OWNERS[kind].column} = ? AND status IN ('generated', 'failed')`
      )
      .run(`Not posted: cancelled${reason ? ` (${reason})` : ''}.`, who.id, who.name, nowIso(this.ctx), id)
  }

  preview(v: ParsedInput<'recurring.preview'>): { schedule: string; dates: { n: number; scheduled: string; due: string }[] } {
    const rule = this.ruleOf(v)
    this.checkSchedule(rule)
    const holidays = loadHolidays(this.ctx.sqlite)
    const dates: { n: number; scheduled: string; due: string }[] = []
    // From today's occurrence on (or from the start, when it lies ahead).
    let n = firstIndexOnOrAfter(rule, this.today() > rule.startDate ? this.today() : rule.startDate)
    while (n !== null && dates.length < v.count) {
      const occ = occurrence(rule, n, holidays)
      if (!occ) break
      dates.push(occ)
      n++
    }
    return { schedule: describeRule(rule, this.env.locale()), dates }
  }

  // ---------------------------------------------------------------------------
  // Standing orders
  // ---------------------------------------------------------------------------

  private orderRow(id: number): OrderRow {
    const r = this.ctx.sqlite.prepare(`${ORDER_SELECT} WHERE o.id = ?`).get(id) as OrderRow | undefined
    if (!r) throw notFound(`Standing order #${id}`)
    return r
  }

  /** An order as the contract gives it; a list passes the holidays it read once. */
  private toOrder(o: OrderRow, holidays: ReadonlySet<string> = loadHolidays(this.ctx.sqlite)): StandingOrder {
    const rule = orderRule(o)
    const next = o.status === 'active' || o.status === 'paused' || o.status === 'pending-approval' ? occurrence(rule, o.next_n, holidays) : null
    const account = o.to_account_id ? (this.ctx.sqlite.prepare('SELECT code, name FROM ledger_accounts WHERE id = ?').get(o.to_account_id) as { code: string; name: string }) : null
    const target: StandingOrder['target'] =
      o.target_kind === 'member-account'
        ? { kind: 'member-account', memberAccountId: o.to_member_account_id as number, number: toNumber(o) }
        : o.target_kind === 'account'
          ? { kind: 'account', accountId: o.to_account_id as number, code: account?.code ?? '', name: account?.name ?? '' }
          : { kind: 'bank', payeeName: o.payee_name ?? '', payeeBank: o.payee_bank ?? '', payeeAccount: o.payee_account ?? '', payeeReference: o.payee_reference }
    const targetWords =
      target.kind === 'member-account'
        ? `to ${target.number}`
        : target.kind === 'account'
          ? `to the society’s ${target.name} (${target.code})`
          : `out to ${target.payeeName}, account ${target.payeeAccount} at ${target.payeeBank}`
    return {
      id: o.id,
      memberId: o.member_id,
      memberNo: o.member_no,
      memberName: o.full_name,
      fromMemberAccountId: o.from_member_account_id,
      fromNumber: memberAccountNumber(o.member_no, o.from_product),
      target,
      targetWords,
      amountMinor: o.amount_minor,
      carriedMinor: o.carried_minor,
      description: o.description,
      frequency: o.frequency,
      startDate: o.start_date,
      monthEnd: o.month_end === 1,
      endDate: o.end_date,
      holidayRule: o.holiday_rule,
      priority: o.priority,
      insufficientFunds: o.insufficient_funds,
      retryDays: o.retry_days,
      status: o.status,
      statusNote: o.status_note,
      schedule: describeRule(rule, this.env.locale()),
      nextDueDate: next?.due ?? null,
      lastPaidOn: o.last_paid_on,
      failuresInRow: o.failures_in_row,
      createdBy: o.created_by,
      createdById: o.created_by_id,
      createdAt: o.created_at,
      approvedBy: o.approved_by,
      version: o.version
    }
  }

  orders(q: { memberId?: number; status?: StandingOrder['status'] }): StandingOrder[] {
    const where: string[] = []
    const args: unknown[] = []
    if (q.memberId !== undefined) {
      where.push('o.member_id = ?')
      args.push(q.memberId)
    }
    if (q.status !== undefined) {
      where.push('o.status = ?')
      args.push(q.status)
    }
    const rows = this.ctx.sqlite.prepare(`${ORDER_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY m.sort_name, o.priority, o.id`).all(...args) as OrderRow[]
    const holidays = loadHolidays(this.ctx.sqlite)
    return rows.map((r) => this.toOrder(r, holidays))
  }

  order(id: number): StandingOrderDetail {
    const o = this.orderRow(id)
    const occ = this.ctx.sqlite.prepare('SELECT * FROM recurring_occurrences WHERE standing_order_id = ? ORDER BY scheduled_date DESC, id DESC').all(id) as OccurrenceRow[]
    return { order: this.toOrder(o), occurrences: occ.map((r) => this.toOccurrence(r, orderName(o))) }
  }

  /** The member, their accounts and the target, checked; field errors name the form's fields. */
  private checkOrder(v: OrderInput): void {
    this.checkSchedule({ ...this.ruleOf(v), maxOccurrences: null })
    const m = this.ctx.sqlite.prepare('SELECT full_name, active FROM members WHERE id = ?').get(v.memberId) as { full_name: string; active: number } | undefined
    if (!m) throw notFound(`Member #${v.memberId}`)
    if (m.active !== 1) throw conflict(`${m.full_name} is inactive; reactivate the member before setting up a standing order.`)
    const from = this.ctx.sqlite.prepare('SELECT member_id FROM member_accounts WHERE id = ?').get(v.fromMemberAccountId) as { member_id: number } | undefined
    if (!from || from.member_id !== v.memberId) throw invalid(`The account to pay from is not one of ${m.full_name}’s.`, { fromMemberAccountId: 'Not this member’s account' })
    if (v.target.kind === 'member-account') {
      const to = this.ctx.sqlite.prepare('SELECT member_id FROM member_accounts WHERE id = ?').get(v.target.memberAccountId) as { member_id: number } | undefined
      if (!to || to.member_id !== v.memberId) throw invalid(`The account to pay into is not one of ${m.full_name}’s.`, { 'target.memberAccountId': 'Not this member’s account' })
      if (v.target.memberAccountId === v.fromMemberAccountId) throw invalid('The order pays from and into the same account.', { 'target.memberAccountId': 'The same as the account it pays from' })
    }
    if (v.target.kind === 'account') {
      const a = this.ctx.sqlite.prepare('SELECT name, active, control_of FROM ledger_accounts WHERE id = ?').get(v.target.accountId) as
        | { name: string; active: number; control_of: string | null }
        | undefined
      if (!a) throw invalid('No such account.', { 'target.accountId': 'No such account' })
      if (a.active !== 1) throw invalid(`${a.name} is inactive.`, { 'target.accountId': `${a.name} is inactive` })
      if (a.control_of) throw invalid(`${a.name} holds members’ accounts; choose the member’s account instead.`, { 'target.accountId': 'A control account: choose a member account' })
    }
  }

  createOrder(v: OrderInput): StandingOrder {
    this.checkOrder(v)
    const who = this.operator()
    const at = nowIso(this.ctx)
    const pending = v.target.kind === 'bank' && this.env.makerChecker()
    const id = this.tx(() =>
      Number(
        this.ctx.sqlite
          .prepare(
            `INSERT INTO standing_orders (member_id, from_member_account_id, target_kind, to_member_account_id, to_account_id, payee_name, payee_bank, payee_account, payee_reference,
               amount_minor, description, frequency, start_date, month_end, end_date, holiday_rule, priority, insufficient_funds, retry_days, status, status_note,
               created_by_id, created_by, created_at, approved_by_id, approved_by, approved_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
          )
          .run(
            v.memberId,
            ...orderValues(v),
            pending ? 'pending-approval' : 'active',
            pending ? 'Pays out of the society: waits for another operator’s approval.' : null,
            who.id,
            who.name,
            at,
            null,
            null,
            null,
            at
          ).lastInsertRowid
      )
    )
    return this.toOrder(this.orderRow(id))
  }

  updateOrder(v: ParsedInput<'recurring.updateOrder'>): StandingOrder {
    this.checkOrder(v)
    this.tx(() => {
      const o = this.orderRow(v.id)
      this.expectVersion('standing order', o, v.expectedVersion)
      if (o.member_id !== v.memberId) throw invalid('A standing order stays with its member.', { memberId: 'Cannot change' })
      if (o.status === 'cancelled' || o.status === 'completed') throw conflict(`A ${o.status} standing order cannot be changed; set up a new one.`)
      this.scheduleLocked('standing order', o, v, this.generatedCount('standing_order_id', o.id))
      const t = v.target
      // A bank order whose payee or amount changed is approved again (a second pair of eyes on where money goes).
      const payoutChanged =
        t.kind === 'bank' &&
        (o.target_kind !== 'bank' || o.payee_name !== t.payeeName || o.payee_bank !== t.payeeBank || o.payee_account !== t.payeeAccount || o.amount_minor !== v.amountMinor)
      const reapprove = payoutChanged && this.env.makerChecker()
      const status = reapprove && o.status === 'active' ? 'pending-approval' : o.status
      this.ctx.sqlite
        .prepare(
          `UPDATE standing_orders SET from_member_account_id = ?, target_kind = ?, to_member_account_id = ?, to_account_id = ?, payee_name = ?, payee_bank = ?, payee_account = ?,
             payee_reference = ?, amount_minor = ?, description = ?, frequency = ?, start_date = ?, month_end = ?, end_date = ?, holiday_rule = ?, priority = ?,
             insufficient_funds = ?, retry_days = ?, status = ?, status_note = ?, approved_by_id = ?, approved_by = ?, approved_at = ?, updated_at = ?, version = version + 1
           WHERE id = ?`
        )
        .run(
          ...orderValues(v),
          status,
          reapprove ? 'Its payout changed: waits for another operator’s approval.' : o.status_note,
          reapprove ? null : o.approved_by_id,
          reapprove ? null : o.approved_by,
          reapprove ? null : o.approved_at,
          nowIso(this.ctx),
          o.id
        )
    })
    return this.toOrder(this.orderRow(v.id))
  }

  approveOrder(id: number, expectedVersion: number): StandingOrder {
    this.tx(() => {
      const o = this.orderRow(id)
      this.expectVersion('standing order', o, expectedVersion)
      if (o.status !== 'pending-approval') throw conflict(`Only a standing order waiting for approval can be approved; this one is ${o.status}.`)
      const who = this.operator()
      const createdById = this.ctx.sqlite.prepare('SELECT created_by_id FROM standing_orders WHERE id = ?').pluck().get(id) as number | null
      if (who.id === null || who.id === createdById) {
        throw new DomainError('FORBIDDEN', 'A standing order that pays out of the society is approved by another operator than the one who set it up.')
      }
      this.ctx.sqlite
        .prepare(
          "UPDATE standing_orders SET status = 'active', status_note = NULL, approved_by_id = ?, approved_by = ?, approved_at = ?, updated_at = ?, version = version + 1 WHERE id = ?"
        )
        .run(who.id, who.name, nowIso(this.ctx), nowIso(this.ctx), id)
    })
    return this.toOrder(this.orderRow(id))
  }

  pauseOrder(id: number, expectedVersion: number, reason: string | null): StandingOrder {
    this.changeStatus('order', id, expectedVersion, 'pause', reason)
    return this.toOrder(this.orderRow(id))
  }

  resumeOrder(id: number, expectedVersion: number, reason: string | null): StandingOrder {
    this.changeStatus('order', id, expectedVersion, 'resume', reason)
    return this.toOrder(this.orderRow(id))
  }

  cancelOrder(id: number, expectedVersion: number, reason: string | null): StandingOrder {
    this.changeStatus('order', id, expectedVersion, 'cancel', reason)
    return this.toOrder(this.orderRow(id))
  }

  // ---------------------------------------------------------------------------
  // Occurrences, review
  // ---------------------------------------------------------------------------

  private toOccurrence(o: OccurrenceRow, name: string): Occurrence {
    return {
      id: o.id,
      kind: o.template_id !== null ? 'template' : 'order',
      templateId: o.template_id,
      standingOrderId: o.standing_order_id,
      name,
      n: o.n,
      scheduledDate: o.scheduled_date,
      dueDate: o.due_date,
      amountMinor: o.amount_minor,
      carriedMinor: o.carried_minor,
      status: o.status,
      review: o.review,
      postponedUntil: o.postponed_until,
      entryId: o.entry_id,
      valueDate: o.value_date,
      paymentId: o.payment_id,
      reason: o.reason,
      attempts: o.attempts,
      retryUntil: o.retry_until,
      reversalEntryId: o.reversal_entry_id,
      decidedBy: o.decided_by,
      decidedAt: o.decided_at,
      createdAt: o.created_at
    }
  }

  private occurrenceRow(id: number): OccurrenceRow {
    const r = this.ctx.sqlite.prepare('SELECT * FROM recurring_occurrences WHERE id = ?').get(id) as OccurrenceRow | undefined
    if (!r) throw notFound(`Occurrence #${id}`)
    return r
  }

  private nameOf(o: OccurrenceRow): string {
    return o.template_id !== null ? this.templateRow(o.template_id).name : orderName(this.orderRow(o.standing_order_id as number))
  }

  /**
   * What waits for the treasurer: occurrences held for review (templates
   * that wait, estimated amounts, large catch-ups) not postponed past today,
   * and those that failed for good. Each with the balance it would leave on
   * the account it moves, taking the items before it in date order.
   */
  review(): ReviewItem[] {
    const today = this.today()
    const rows = this.ctx.sqlite
      .prepare(
        `SELECT * FROM recurring_occurrences
         WHERE (status = 'generated' AND review IS NOT NULL AND (postponed_until IS NULL OR postponed_until <= ?))
            OR (status = 'failed' AND retry_until IS NULL)
         ORDER BY due_date, id`
      )
      .all(today) as OccurrenceRow[]
    const ledger = this.env.ledger()
    const accountBalances = rows.length ? ledger.accountBalances() : new Map<number, number>()
    const types = new Map(
      (this.ctx.sqlite.prepare('SELECT id, code, name, type FROM ledger_accounts').all() as { id: number; code: string; name: string; type: AccountType }[]).map((a) => [a.id, a])
    )
    const running = new Map<string, number>()
    const templates = new Map<number, { t: TemplateRow; lines: PostLine[] }>()
    const orders = new Map<number, OrderRow>()
    return rows.map((r) => {
      let key: string
      let label: string
      let effect: number
      let name: string
      if (r.template_id !== null) {
        let entry = templates.get(r.template_id)
        if (!entry) {
          entry = { t: this.templateRow(r.template_id), lines: templateLines(this.ctx.sqlite, r.template_id) }
          templates.set(r.template_id, entry)
        }
        name = entry.t.name
        // The account it moves: the first asset credited (money going out), else the first line's.
        const line = entry.lines.find((l) => l.creditMinor > 0 && types.get(l.accountId)?.type === 'asset') ?? (entry.lines[0] as PostLine)
        const a = types.get(line.accountId) as { id: number; code: string; name: string; type: AccountType }
        key = `a${a.id}`
        label = `${a.name} (${a.code})`
        const scale = (m: number) => (entry.lines.length === 2 && r.amount_minor !== linesTotal(entry.lines) ? r.amount_minor : m)
        effect = entry.lines
          .filter((l) => l.accountId === a.id && (l.memberAccountId ?? null) === null)
          .reduce((s, l) => s + (DEBIT_NORMAL[a.type] ? scale(l.debitMinor) - scale(l.creditMinor) : scale(l.creditMinor) - scale(l.debitMinor)), 0)
        if (!running.has(key)) running.set(key, accountBalances.get(a.id) ?? 0)
      } else {
        let o = orders.get(r.standing_order_id as number)
        if (!o) {
          o = this.orderRow(r.standing_order_id as number)
          orders.set(o.id, o)
        }
        name = orderName(o)
        key = `m${o.from_member_account_id}`
        label = memberAccountNumber(o.member_no, o.from_product)
        effect = -r.amount_minor
        if (!running.has(key)) running.set(key, ledger.memberBalance(o.from_member_account_id))
      }
      const after = (running.get(key) as number) + effect
      running.set(key, after)
      return { ...this.toOccurrence(r, name), balanceAccount: label, balanceAfterMinor: after }
    })
  }

  /**
   * The treasurer's decision on occurrences, each in its own transaction (a
   * bad one is reported and never stops the others): post with its own date,
   * post as of today, skip, or postpone until a date.
   */
  decide(v: ParsedInput<'recurring.decide'>): DecideResult {
    const today = this.today()
    if (v.action === 'postpone') {
      if (!v.until) throw invalid('Say until when to postpone.', { until: 'Required to postpone' })
      if (compareDates(v.until, today) <= 0) throw invalid('Postpone until a later day than today.', { until: 'After today' })
    }
    if (v.amountMinor !== undefined && (v.ids.length !== 1 || (v.action !== 'post' && v.action !== 'post-today'))) {
      throw invalid('An amount is given for posting one occurrence at a time.', { amountMinor: 'Only when posting one occurrence' })
    }
    const who = this.operator()
    const runner = this.runner()
    const failed: { id: number; reason: string }[] = []
    let done = 0
    for (const id of v.ids) {
      try {
        this.tx(() => {
          const o = this.occurrenceRow(id)
          if (o.status === 'posted' || o.status === 'skipped') throw conflict(`Occurrence #${id} is ${o.status} already.`)
          const mark = this.ctx.sqlite.prepare('UPDATE recurring_occurrences SET decided_by_id = ?, decided_by = ?, decided_at = ?, review = NULL WHERE id = ?')
          if (v.action === 'skip') {
            this.ctx.sqlite
              .prepare("UPDATE recurring_occurrences SET status = 'skipped', reason = ?, retry_until = NULL, version = version + 1 WHERE id = ?")
              .run(`Skipped by ${who.name}${v.reason ? `: ${v.reason}` : ''}.`, id)
            mark.run(who.id, who.name, nowIso(this.ctx), id)
            return
          }
          if (v.action === 'postpone') {
            if (o.status !== 'generated') throw conflict(`Occurrence #${id} failed; post it or skip it.`)
            this.ctx.sqlite.prepare('UPDATE recurring_occurrences SET postponed_until = ?, version = version + 1 WHERE id = ?').run(v.until, id)
            return
          }
          const valueDate = v.action === 'post-today' ? today : o.due_date
          if (compareDates(valueDate, today) > 0) throw conflict(`It is due on ${this.date(o.due_date)}; post it as of today, or wait for its date.`)
          let problem: string | null
          if (o.template_id !== null) {
            const t = this.templateRow(o.template_id)
            let lines: PostLine[] | undefined
            if (v.amountMinor !== undefined) {
              const base = templateLines(this.ctx.sqlite, t.id)
              if (base.length !== 2) throw invalid('The amount can be changed here only for a two-line entry.', { amountMinor: 'Only for two-line entries' })
              lines = base.map((l) => ({ ...l, debitMinor: l.debitMinor > 0 ? (v.amountMinor as number) : 0, creditMinor: l.creditMinor > 0 ? (v.amountMinor as number) : 0 }))
            } else if (t.amount_kind === 'estimated') {
              throw invalid('The amount is an estimate: enter the real amount to post it.', { amountMinor: 'Enter the real amount' })
            }
            const r = runner.postTemplateOccurrence(t, id, valueDate, null, { lines })
            problem = r.ok ? null : r.reason
          } else {
            const ord = this.orderRow(o.standing_order_id as number)
            if (ord.status === 'cancelled') throw conflict('Its standing order was cancelled.')
            problem = runner.attemptOrder(ord, o, valueDate, null, { fromReview: true })
          }
          if (problem) throw conflict(problem)
          mark.run(who.id, who.name, nowIso(this.ctx), id)
        })
        done++
      } catch (e) {
        failed.push({ id, reason: e instanceof DomainError ? e.message : `Coffer could not do it (${e instanceof Error ? e.message : String(e)}).` })
      }
    }
    return { done, failed }
  }

  /** Reverses a posted occurrence's entry (as of today); it stays posted-and-reversed and never falls due again. */
  reverseOccurrence(id: number, reason: string): Occurrence {
    this.tx(() => {
      const o = this.occurrenceRow(id)
      if (o.status !== 'posted' || o.entry_id === null) throw conflict(`Occurrence #${id} was not posted; there is nothing to reverse.`)
      if (o.reversal_entry_id !== null) throw conflict(`Occurrence #${id} was reversed already (entry #${o.reversal_entry_id}).`)
      if (o.payment_id !== null) throw conflict(`Occurrence #${id} created payment #${o.payment_id}: cancel or void that payment on the Payments page instead.`)
      const rev = this.env.ledger().reverse(o.entry_id, this.today(), reason, { owner: true })
      this.ctx.sqlite.prepare('UPDATE recurring_occurrences SET reversal_entry_id = ?, version = version + 1 WHERE id = ?').run(rev.id, id)
    })
    const o = this.occurrenceRow(id)
    return this.toOccurrence(o, this.nameOf(o))
  }

  // ---------------------------------------------------------------------------
  // Forecast
  // ---------------------------------------------------------------------------

  /**
   * The next `days` days: every occurrence waiting or still to come, in date
   * order (orders by priority within a day), with the society's accounts'
   * projected balances and the orders their members' balances cannot cover.
   */
  /**
   * The active orders as the forecast needs them, read as arrays (better-sqlite3
   * makes an object per row and a property per column, which for 10,000 orders
   * costs more than the forecast's own work), with each order's name and
   * account number made once.
   */
  private forecastOrders(): ForecastOrder[] {
    const rows = this.ctx.sqlite
      .prepare(
        `SELECT o.id, o.from_member_account_id, o.target_kind, o.to_member_account_id, o.to_account_id, o.amount_minor, o.carried_minor,
           o.frequency, o.start_date, o.month_end, o.end_date, o.holiday_rule, o.priority, o.insufficient_funds, o.next_n,
           m.member_no, m.full_name, fa.product, ta.product, o.payee_name, o.payee_bank
         FROM standing_orders o JOIN members m ON m.id = o.member_id JOIN member_accounts fa ON fa.id = o.from_member_account_id
         LEFT JOIN member_accounts ta ON ta.id = o.to_member_account_id WHERE o.status = 'active'`
      )
      .raw()
      .all() as [
      number, number, OrderRow['target_kind'], number | null, number | null, number, number,
      OrderRow['frequency'], string, number, string | null, OrderRow['holiday_rule'], number, OrderRow['insufficient_funds'], number,
      string, string, 'savings' | 'shares', 'savings' | 'shares' | null, string | null, string | null
    ][]
    return rows.map((r) => {
      const o: ForecastOrder = {
        id: r[0],
        from_member_account_id: r[1],
        target_kind: r[2],
        to_member_account_id: r[3],
        to_account_id: r[4],
        amount_minor: r[5],
        carried_minor: r[6],
        frequency: r[7],
        start_date: r[8],
        month_end: r[9],
        end_date: r[10],
        holiday_rule: r[11],
        priority: r[12],
        insufficient_funds: r[13],
        next_n: r[14],
        full_name: r[16],
        from_number: memberAccountNumber(r[15], r[17]),
        name: ''
      }
      o.name = orderName({ id: r[0], member_no: r[15], full_name: r[16], from_product: r[17], target_kind: r[2], to_product: r[18], to_member_account_id: r[3], payee_name: r[19], payee_bank: r[20] } as OrderRow)
      return o
    })
  }

  forecast(days: 30 | 60 | 90): Forecast {
    const from = this.today()
    const to = addDays(from, days - 1)
    const ledger = this.env.ledger()
    const holidays = loadHolidays(this.ctx.sqlite)
    const accounts = new Map(
      (this.ctx.sqlite.prepare('SELECT id, code, name, type, control_of FROM ledger_accounts').all() as {
        id: number
        code: string
        name: string
        type: AccountType
        control_of: string | null
      }[]).map((a) => [a.id, a])
    )
    const balances = ledger.accountBalances()
    const memberBalances = ledger.memberBalances()
    const ordersPayable = (this.ctx.sqlite.prepare("SELECT id FROM ledger_accounts WHERE role = 'orders-payable'").pluck().get() as number | undefined) ?? null
    type Ev = { date: string; priority: number; kind: 'template' | 'order'; ownerId: number; n: number; amount: number; generated: boolean }
    const events: Ev[] = []
    const tRows = this.ctx.sqlite.prepare("SELECT * FROM recurring_templates WHERE status IN ('active', 'completed')").all() as TemplateRow[]
    const tLines = new Map<number, PostLine[]>()
    const tById = new Map<number, TemplateRow>()
    for (const t of tRows) {
      tById.set(t.id, t)
      const lines = templateLines(this.ctx.sqlite, t.id)
      tLines.set(t.id, lines)
      if (t.status !== 'active') continue
      for (const occ of occurrencesBetween(templateRule(t), from, to, holidays)) {
        if (occ.n >= t.next_n) events.push({ date: occ.due, priority: 0, kind: 'template', ownerId: t.id, n: occ.n, amount: linesTotal(lines), generated: false })
      }
    }
    const oRows = this.forecastOrders()
    const oById = new Map(oRows.map((o) => [o.id, o]))
    // Orders on the same schedule share its dates (most fall on a few days of the month): worked out once per schedule.
    const dates = new Map<string, ReturnType<typeof occurrencesBetween>>()
    for (const o of oRows) {
      const key = `${o.frequency}|${o.start_date}|${o.month_end}|${o.end_date ?? ''}|${o.holiday_rule}`
      let list = dates.get(key)
      if (!list) {
        list = occurrencesBetween(orderRule(o), from, to, holidays)
        dates.set(key, list)
      }
      let first = true
      for (const occ of list) {
        if (occ.n < o.next_n) continue
        events.push({ date: occ.due, priority: o.priority, kind: 'order', ownerId: o.id, n: occ.n, amount: o.amount_minor + (first ? o.carried_minor : 0), generated: false })
        first = false
      }
    }
    // Waiting already (generated, failed): on their date, or today when it has passed.
    const waiting = this.ctx.sqlite
      .prepare("SELECT * FROM recurring_occurrences WHERE status IN ('generated', 'failed') AND due_date <= ?")
      .all(to) as OccurrenceRow[]
    for (const w of waiting) {
      // On its date; today when that has passed; the day it comes back when postponed.
      let date = w.due_date < from ? from : w.due_date
      if (w.postponed_until !== null && w.postponed_until > date) date = w.postponed_until
      if (date > to) continue
      if (w.template_id !== null && tById.has(w.template_id)) {
        events.push({ date, priority: 0, kind: 'template', ownerId: w.template_id, n: w.n, amount: w.amount_minor, generated: true })
      } else if (w.standing_order_id !== null && oById.has(w.standing_order_id)) {
        const o = oById.get(w.standing_order_id) as ForecastOrder
        events.push({ date, priority: o.priority, kind: 'order', ownerId: o.id, n: w.n, amount: w.amount_minor, generated: true })
      }
    }
    events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.priority - b.priority || (a.kind === b.kind ? 0 : a.kind === 'template' ? -1 : 1) || a.ownerId - b.ownerId || a.n - b.n))

    const touched = new Map<number, { opening: number; lowest: number; lowestOn: string | null; points: Map<string, number> }>()
    // The balances a treasurer watches: the society's assets (cash, bank) and what it owes out (standing orders payable).
    const move = (accountId: number, delta: number, date: string) => {
      const a = accounts.get(accountId)
      if (!a || a.control_of || (a.type !== 'asset' && a.id !== ordersPayable)) {
        if (a && !a.control_of) balances.set(accountId, (balances.get(accountId) ?? 0) + delta)
        return
      }
      let t = touched.get(accountId)
      if (!t) {
        const opening = balances.get(accountId) ?? 0
        t = { opening, lowest: opening, lowestOn: null, points: new Map() }
        touched.set(accountId, t)
      }
      const now = (balances.get(accountId) ?? 0) + delta
      balances.set(accountId, now)
      if (now < t.lowest) {
        t.lowest = now
        t.lowestOn = date
      }
    }
    const normal = (accountId: number, debit: number, credit: number) => {
      const a = accounts.get(accountId)
      return a && DEBIT_NORMAL[a.type] ? debit - credit : credit - debit
    }
    const out: Forecast['events'] = []
    const failing: Forecast['failing'] = []
    for (const e of events) {
      if (e.kind === 'template') {
        const t = tById.get(e.ownerId) as TemplateRow
        const lines = tLines.get(e.ownerId) as PostLine[]
        const total = linesTotal(lines)
        // A waiting occurrence with a confirmed amount different from its lines (a two-line entry): scaled.
        const scale = (m: number) => (lines.length === 2 && e.amount !== total && m > 0 ? e.amount : m)
        for (const l of lines) move(l.accountId, normal(l.accountId, scale(l.debitMinor), scale(l.creditMinor)), e.date)
        const shown = lines.find((l) => l.creditMinor > 0 && accounts.get(l.accountId)?.type === 'asset') ?? (lines[0] as PostLine)
        const a = accounts.get(shown.accountId) as { code: string; name: string }
        out.push({
          date: e.date,
          kind: 'template',
          ownerId: t.id,
          name: t.name,
          amountMinor: e.amount,
          generated: e.generated,
          balanceAccount: `${a.name} (${a.code})`,
          balanceAfterMinor: balances.get(shown.accountId) ?? 0,
          willFail: false,
          shortByMinor: 0
        })
      } else {
        const o = oById.get(e.ownerId) as ForecastOrder
        const available = memberBalances.get(o.from_member_account_id) ?? 0
        let pay = e.amount
        let short = 0
        if (available < e.amount) {
          short = e.amount - Math.max(available, 0)
          pay = o.insufficient_funds === 'partial' ? Math.max(available, 0) : 0
          failing.push({ orderId: o.id, memberName: o.full_name, fromNumber: o.from_number, date: e.date, amountMinor: e.amount, shortByMinor: short })
        }
        if (pay > 0) {
          memberBalances.set(o.from_member_account_id, available - pay)
          if (o.target_kind === 'member-account') {
            memberBalances.set(o.to_member_account_id as number, (memberBalances.get(o.to_member_account_id as number) ?? 0) + pay)
          } else if (o.target_kind === 'account') {
            move(o.to_account_id as number, normal(o.to_account_id as number, 0, pay), e.date)
          } else if (ordersPayable !== null) {
            move(ordersPayable, normal(ordersPayable, 0, pay), e.date)
          }
        }
        out.push({
          date: e.date,
          kind: 'order',
          ownerId: o.id,
          name: o.name,
          amountMinor: e.amount,
          generated: e.generated,
          balanceAccount: o.from_number,
          balanceAfterMinor: memberBalances.get(o.from_member_account_id) ?? 0,
          willFail: short > 0,
          shortByMinor: short
        })
      }
    }
    // Weekly closing balances for each account moved: walk the events again by week.
    const weekEnds: string[] = []
    for (let d = addDays(from, 6); d < to; d = addDays(d, 7)) weekEnds.push(d)
    weekEnds.push(to)
    const accountsOut: Forecast['accounts'] = [...touched.entries()].map(([id, t]) => {
      const a = accounts.get(id) as { code: string; name: string }
      return { accountId: id, code: a.code, name: a.name, openingMinor: t.opening, closingMinor: balances.get(id) ?? 0, lowestMinor: t.lowest, lowestOn: t.lowestOn, weekly: [] }
    })
    if (accountsOut.length) {
      const byAccount = new Map(accountsOut.map((a) => [a.accountId, a]))
      const running = new Map(accountsOut.map((a) => [a.accountId, a.openingMinor]))
      // Replay per account from the events' moves (kept small: only touched accounts).
      const moves: { date: string; accountId: number; delta: number }[] = []
      for (const e of events) {
        if (e.kind === 'template') {
          const lines = tLines.get(e.ownerId) as PostLine[]
          const total = linesTotal(lines)
          const scale = (m: number) => (lines.length === 2 && e.amount !== total && m > 0 ? e.amount : m)
          for (const l of lines) if (byAccount.has(l.accountId)) moves.push({ date: e.date, accountId: l.accountId, delta: normal(l.accountId, scale(l.debitMinor), scale(l.creditMinor)) })
        }
      }
      // Orders' society legs: from the output (what was paid).
      for (const [i, e] of events.entries()) {
        if (e.kind !== 'order') continue
        const o = oById.get(e.ownerId) as ForecastOrder
        const ev = out[i] as Forecast['events'][number]
        const paid = ev.willFail ? (o.insufficient_funds === 'partial' ? ev.amountMinor - ev.shortByMinor : 0) : ev.amountMinor
        if (paid <= 0) continue
        const target = o.target_kind === 'account' ? o.to_account_id : o.target_kind === 'bank' ? ordersPayable : null
        if (target !== null && byAccount.has(target)) moves.push({ date: e.date, accountId: target, delta: normal(target, 0, paid) })
      }
      moves.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
      let m = 0
      for (const end of weekEnds) {
        for (; m < moves.length && (moves[m] as { date: string }).date <= end; m++) {
          const mv = moves[m] as { accountId: number; delta: number }
          running.set(mv.accountId, (running.get(mv.accountId) as number) + mv.delta)
        }
        for (const a of accountsOut) a.weekly.push({ date: end, balanceMinor: running.get(a.accountId) as number })
      }
    }
    accountsOut.sort((a, b) => a.code.localeCompare(b.code))
    return { from, to, days, events: out, accounts: accountsOut, failing }
  }

  // ---------------------------------------------------------------------------
  // Settings, runs
  // ---------------------------------------------------------------------------

  settings(): RecurringSettings {
    return readRecurringSettings(this.ctx.sqlite)
  }

  saveSettings(v: RecurringSettings): RecurringSettings {
    writeSettings(this.ctx.sqlite, { [CATCH_UP_COUNT_KEY]: String(v.catchUpMaxCount), [CATCH_UP_AMOUNT_KEY]: v.catchUpMaxAmountMinor === null ? '' : String(v.catchUpMaxAmountMinor) })
    return this.settings()
  }

  /** What a run would do now, computed by doing it inside a transaction that is then rolled back: nothing is written. */
  dryRun(kind: 'templates' | 'orders'): RunReport {
    let report: RunReport | null = null
    const rollback = new Error('dry run')
    try {
      this.ctx.sqlite
        .transaction(() => {
          const runner = this.runner({ transaction: (fn) => this.ctx.sqlite.transaction(fn)() })
          report = kind === 'templates' ? runner.runTemplates(true) : runner.runOrders(true)
          throw rollback
        })
        .immediate()
    } catch (e) {
      if (e !== rollback) throw e
    }
    return report as unknown as RunReport
  }

  /** The lines of what a finished run did (its occurrences), for `coffer recurring run`. */
  runReport(kind: 'templates' | 'orders', runId: number, today: string): RunReport {
    const rows = this.ctx.sqlite
      .prepare(`SELECT * FROM recurring_occurrences WHERE last_run_id = ? AND ${kind === 'templates' ? 'template_id' : 'standing_order_id'} IS NOT NULL ORDER BY due_date, id`)
      .all(runId) as OccurrenceRow[]
    const lines = rows.map((r) => {
      const outcome: RunReport['lines'][number]['outcome'] =
        r.status === 'posted' ? 'posted' : r.status === 'skipped' ? 'skipped' : r.status === 'failed' ? 'failed' : r.review !== null ? 'review' : 'generated'
      return {
        occurrenceId: r.id,
        kind: r.template_id !== null ? ('template' as const) : ('order' as const),
        name: this.nameOf(r),
        scheduledDate: r.scheduled_date,
        dueDate: r.due_date,
        amountMinor: r.amount_minor,
        outcome,
        entryId: r.entry_id,
        valueDate: r.value_date,
        reason: r.reason
      }
    })
    const count = (o: string) => lines.filter((l) => l.outcome === o).length
    return { today, dryRun: false, lines, posted: count('posted'), review: count('review'), failed: count('failed'), skipped: count('skipped'), generated: count('generated') }
  }

  /** Money words for a job's summary. */
  moneyText(minor: number): string {
    return this.money(minor)
  }
}
