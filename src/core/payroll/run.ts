/**
 * What the payroll job does, and what its dry run shows (DESIGN.md, Jobs:
 * the data decides what is due). A run creates each calendar's periods that
 * have begun, finds the periods whose automation rule has made them due, and
 * drafts each: one payslip per (period, staff member), which the database's
 * unique key guarantees, written in short transactions of a batch of staff
 * so a run killed half-way loses at most one batch and the next run completes
 * only what is missing. A person whose pay cannot be worked out gets a failed
 * payslip with the reason; the others are kept.
 *
 * A forced run on one period recomputes it (a draft, in one transaction), or,
 * on a posted period, reverses its entry, recomputes and posts anew, in one
 * transaction, with the reason recorded.
 *
 * Used by the job (on the worker thread's connection), by `payroll.run` with
 * dryRun (inside a transaction that is rolled back), by posting and by tests.
 */
import { addDays, compareDates, diffDays } from '../../shared/dates'
import { formatMoney } from '../../shared/money'
import { countOf, formatDate } from '../../shared/words'
import type { AutomationRule, PayFrequency, PayPeriod, Payslip, PayrollRunReport, PayPeriodStatus } from '../../shared/contract/payroll'
import type { Sqlite } from '../platform/db/open'
import type { JobNotice } from '../platform/jobs/types'
import { throwIfAborted } from '../platform/jobs/types'
import { DomainError, conflict, invalid, notFound } from '../platform/errors'
import type { LedgerService, PostLine } from '../ledger'
import { Notices, payslipValues } from '../mail'
import { periodDto } from './setup'
import { computePay, prorationFor, CALENDAR_DAYS_RULE, type ComponentDef, type ComponentRule } from './calc'
import { isDue, periodDates, periodIndexOf, periodName } from './rules'

/** Staff drafted per transaction: a kill loses at most this many payslips' work, redone by the next run. */
export const DRAFT_BATCH = 250
/** A run creates at most this many periods of one calendar (a calendar years behind is caught up over several runs, each said). */
const MAX_NEW_PERIODS = 120

export interface Who {
  /** null: the system (a scheduled or catch-up run). */
  id: number | null
  name: string
}

export interface PayrollDeps {
  sqlite: Sqlite
  ledger: LedgerService
  today: string
  now: () => Date
  timeZone: string
  locale: string
  currency: string
  runId: number | null
  by: Who
  /** An IMMEDIATE transaction (the job's yields to the app first); inside an open one, just the function. */
  transaction: <T>(fn: () => T) => T
  signal?: AbortSignal
  notify?: (n: JobNotice) => void
  progress?: (done: number, total: number) => void
}

export interface RunRequest {
  periodId: number | null
  force: boolean
  reason: string | null
}

export interface PeriodRow {
  id: number
  calendar_id: number | null
  name: string
  frequency: PayFrequency
  start_date: string
  end_date: string
  pay_date: string
  rule: string
  automation: number
  status: PayPeriodStatus
  status_note: string | null
  drafted_by_id: number | null
  drafted_by: string | null
  approved_by_id: number | null
  approved_by: string | null
  entry_id: number | null
  postings: number
  version: number
}

interface StaffRow {
  id: number
  staff_no: string
  full_name: string
  hire_date: string
  leaving_date: string | null
}

interface ComponentRow {
  id: number
  code: string
  name: string
  kind: 'earning' | 'deduction' | 'employer'
  taxable: number
  pre_tax: number
  prorate: number
  statutory: number
  account_id: number
  payable_account_id: number | null
  sort_order: number
  active: number
}

interface RateRow {
  id: number
  component_id: number
  effective_from: string
  method: 'fixed' | 'percentage' | 'bands'
  amount_minor: number | null
  rate_percent: string | null
  base: string | null
  cap_minor: number | null
  floor_minor: number | null
  bands: string | null
  relief_minor: number | null
  rounding: 'half-up' | 'half-even' | 'down' | 'up'
}

interface ItemRow {
  staff_id: number
  structure_id: number
  component_id: number
  amount_minor: number | null
  rate_percent: string | null
}

type RunPeriod = PayrollRunReport['periods'][number]

/** A period row's rule, as stored (JSON written by core only). */
export function parseRule(text: string): AutomationRule {
  return JSON.parse(text) as AutomationRule
}

const KIND_ORDER = { earning: 0, deduction: 1, employer: 2 } as const

/** What a payslip is, worked out: lines to write or the reason it failed. */
interface Worked {
  staff: StaffRow
  structureId: number | null
  daysWorked: number
  daysInPeriod: number
  result:
    | {
        ok: true
        gross: number
        taxable: number
        deductions: number
        net: number
        employer: number
        lines: { componentId: number; rateId: number; code: string; name: string; kind: string; statutory: boolean; base: number | null; amount: number; rounding: string; workings: string }[]
      }
    | { ok: false; error: string }
}

/** Components, their rates and the staff's structures as they stand on one period's last day. */
class PayTables {
  private readonly components = new Map<number, ComponentRow>()
  private readonly rates = new Map<number, RateRow[]>()
  private readonly items = new Map<number, ItemRow[]>()

  constructor(
    sqlite: Sqlite,
    private readonly end: string,
    private readonly locale: string
  ) {
    for (const c of sqlite.prepare('SELECT * FROM payroll_components').all() as ComponentRow[]) this.components.set(c.id, c)
    for (const r of sqlite.prepare('SELECT * FROM payroll_component_rates WHERE effective_from <= ? ORDER BY component_id, effective_from').all(end) as RateRow[]) {
      const list = this.rates.get(r.component_id) ?? []
      list.push(r)
      this.rates.set(r.component_id, list)
    }
    const items = sqlite
      .prepare(
        `SELECT s.staff_id, s.id AS structure_id, i.component_id, i.amount_minor, i.rate_percent
           FROM payroll_structures s
           JOIN payroll_structure_items i ON i.structure_id = s.id
          WHERE s.effective_from = (SELECT MAX(s2.effective_from) FROM payroll_structures s2 WHERE s2.staff_id = s.staff_id AND s2.effective_from <= ?)
          ORDER BY s.staff_id, i.id`
      )
      .all(end) as ItemRow[]
    for (const i of items) {
      const list = this.items.get(i.staff_id) ?? []
      list.push(i)
      this.items.set(i.staff_id, list)
    }
  }

  private date(d: string): string {
    return formatDate(d, this.locale)
  }

  /** The component definitions of one person's structure in force on the period's last day, or why there are none. */
  defs(staffId: number): { structureId: number; defs: ComponentDef[]; meta: Map<string, { componentId: number; rateId: number; statutory: boolean; rounding: string }> } | string {
    const items = this.items.get(staffId)
    if (!items || items.length === 0) return `No pay structure is in force on ${this.date(this.end)}: add one on the staff member’s page.`
    const sorted = items
      .map((i) => ({ i, c: this.components.get(i.component_id) }))
      .sort((a, b) => {
        if (!a.c || !b.c) return 0
        return KIND_ORDER[a.c.kind] - KIND_ORDER[b.c.kind] || a.c.sort_order - b.c.sort_order || (a.c.code < b.c.code ? -1 : a.c.code > b.c.code ? 1 : 0)
      })
    const defs: ComponentDef[] = []
    const meta = new Map<string, { componentId: number; rateId: number; statutory: boolean; rounding: string }>()
    for (const { i, c } of sorted) {
      if (!c) return `Component #${i.component_id} of the pay structure no longer exists.`
      if (c.active !== 1) return `${c.name} (${c.code}) is switched off but is in the pay structure: take it out of the structure or switch it on.`
      const rate = this.rates.get(c.id)?.at(-1)
      if (!rate) return `${c.name} (${c.code}) has no rate in force on ${this.date(this.end)}.`
      let rule: ComponentRule
      if (rate.method === 'fixed') {
        const amount = i.amount_minor ?? rate.amount_minor
        if (amount === null) return `${c.name} (${c.code}) is a fixed amount, but the pay structure gives none.`
        rule = { method: 'fixed', amountMinor: amount }
      } else if (rate.method === 'percentage') {
        const pct = i.rate_percent ?? rate.rate_percent
        if (pct === null || rate.base === null) return `${c.name} (${c.code}) has no rate or base in force on ${this.date(this.end)}.`
        rule = { method: 'percentage', ratePercent: pct, base: rate.base, capMinor: rate.cap_minor, floorMinor: rate.floor_minor }
      } else {
        if (rate.bands === null || rate.base === null) return `${c.name} (${c.code}) has no bands or base in force on ${this.date(this.end)}.`
        rule = { method: 'bands', bands: JSON.parse(rate.bands) as { upToMinor: number | null; ratePercent: string }[], base: rate.base, reliefMinor: rate.relief_minor ?? 0 }
      }
      defs.push({
        code: c.code,
        name: c.name,
        kind: c.kind,
        taxable: c.taxable === 1,
        preTax: c.pre_tax === 1,
        prorate: c.prorate === 1,
        rule,
        rounding: rate.rounding
      })
      meta.set(c.code, { componentId: c.id, rateId: rate.id, statutory: c.statutory === 1, rounding: rate.rounding })
    }
    return { structureId: items[0]?.structure_id ?? 0, defs, meta }
  }
}

/** The staff a period pays: employed on at least one of its days, not suspended, and not marked left without a leaving date. */
const STAFF_OF_PERIOD = `SELECT id, staff_no, full_name, hire_date, leaving_date FROM payroll_staff
  WHERE hire_date <= @end AND (leaving_date IS NULL OR leaving_date >= @start)
    AND status <> 'suspended' AND NOT (status = 'left' AND leaving_date IS NULL)
  ORDER BY staff_no COLLATE NOCASE, id`

export class PayrollRunner {
  constructor(private readonly d: PayrollDeps) {}

  private money(minor: number): string {
    return formatMoney(minor, this.d.currency, this.d.locale)
  }

  private date(d: string): string {
    return formatDate(d, this.d.locale)
  }

  period(id: number): PeriodRow {
    const p = this.d.sqlite.prepare('SELECT * FROM payroll_periods WHERE id = ?').get(id) as PeriodRow | undefined
    if (!p) throw notFound(`Payroll period #${id}`)
    return p
  }

  private event(periodId: number, action: string, reason: string | null, entryId: number | null = null): void {
    this.d.sqlite
      .prepare('INSERT INTO payroll_period_events (period_id, at, action, operator_id, by, reason, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(periodId, this.d.now().toISOString(), action, this.d.by.id, this.d.by.name, reason, entryId)
  }

  private setStatus(p: PeriodRow, status: PayPeriodStatus, note: string | null, extra: Record<string, unknown> = {}): void {
    const cols = Object.keys(extra)
    this.d.sqlite
      .prepare(
        `UPDATE payroll_periods SET status = ?, status_note = ?, updated_at = ?, version = version + 1${cols.map((c) => `, ${c} = @${c}`).join('')} WHERE id = @id`
      )
      .run(status, note, this.d.now().toISOString(), { ...extra, id: p.id })
  }

  // ---------------------------------------------------------------------------
  // The run
  // ---------------------------------------------------------------------------

  /** The job's work: the periods that are due (or the one asked for), each drafted, recomputed or reposted. */
  run(req: RunRequest): PayrollRunReport {
    if (req.force && req.periodId === null) {
      throw invalid('A forced run is for one period: choose the period to recompute or re-post.', { periodId: 'Choose a period to force' })
    }
    let created = 0
    let targets: PeriodRow[]
    if (req.periodId !== null) {
      targets = [this.period(req.periodId)]
    } else {
      created = this.createCalendarPeriods()
      const now = this.d.now()
      targets = (
        this.d.sqlite
          .prepare("SELECT * FROM payroll_periods WHERE status IN ('active', 'failed') AND automation = 1 ORDER BY end_date, id")
          .all() as PeriodRow[]
      ).filter((p) => isDue(parseRule(p.rule), { startDate: p.start_date, endDate: p.end_date }, this.d.timeZone, now))
    }
    const periods: RunPeriod[] = []
    for (const p of targets) {
      if (this.d.signal) throwIfAborted(this.d.signal)
      periods.push(this.runPeriod(p.id, req))
    }
    return { dryRun: false, today: this.d.today, periods, created }
  }

  /** Each active calendar's periods that have begun by today, made once (unique per calendar and start). */
  createCalendarPeriods(): number {
    const calendars = this.d.sqlite.prepare('SELECT * FROM payroll_calendars WHERE active = 1 ORDER BY id').all() as {
      id: number
      name: string
      frequency: PayFrequency
      first_start: string
      pay_day_offset: number
      rule: string
      automation: number
    }[]
    let made = 0
    for (const c of calendars) {
      const latest = this.d.sqlite.prepare('SELECT MAX(start_date) FROM payroll_periods WHERE calendar_id = ?').pluck().get(c.id) as string | null
      let index = latest === null ? 0 : (periodIndexOf(c.frequency, c.first_start, latest) ?? -1) + 1
      if (index === 0 && latest !== null) continue // a period off the calendar's grid: its next ones are added by hand
      let count = 0
      this.d.transaction(() => {
        for (;;) {
          const { start, end } = periodDates(c.frequency, c.first_start, index)
          if (compareDates(start, this.d.today) > 0 || count >= MAX_NEW_PERIODS) break
          const at = this.d.now().toISOString()
          const r = this.d.sqlite
            .prepare(
              `INSERT INTO payroll_periods (calendar_id, name, frequency, start_date, end_date, pay_date, rule, automation, status, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?) ON CONFLICT DO NOTHING RETURNING id`
            )
            .get(c.id, periodName(c.frequency, start, end, this.d.locale), c.frequency, start, end, addDays(end, c.pay_day_offset), c.rule, c.automation, at, at) as { id: number } | undefined
          if (r) {
            this.event(r.id, 'created', `From the calendar ${c.name}`)
            count++
          }
          index++
        }
      })
      made += count
    }
    return made
  }

  /** One period: drafted (missing and failed payslips), recomputed (forced draft), or reversed and posted anew (forced, posted). */
  runPeriod(periodId: number, req: RunRequest): RunPeriod {
    const p = this.period(periodId)
    const base = { periodId: p.id, name: p.name, made: 0, failed: 0, kept: 0, reason: null, register: [] }
    if (p.status === 'posted') {
      if (!req.force) return { ...base, outcome: 'unchanged', reason: `${p.name} is posted. Re-running it needs force and a reason: it reverses the entry and posts anew.` }
      if (req.reason === null) throw invalid('Say why the posted period is re-run: the reason is kept with its reversal.', { reason: 'A reason is required to re-run a posted period' })
      return this.repost(p, req.reason)
    }
    if (!req.force && (p.status === 'draft' || p.status === 'approved')) {
      return { ...base, outcome: 'unchanged', reason: `${p.name} is already ${p.status === 'draft' ? 'drafted' : 'approved'}; a forced run recomputes it.` }
    }
    if (req.force) return this.recompute(p, req.reason)
    return this.draft(p)
  }

  // ---------------------------------------------------------------------------
  // Drafting
  // ---------------------------------------------------------------------------

  private work(p: PeriodRow, staff: StaffRow[], tables: PayTables): Worked[] {
    return staff.map((s): Worked => {
      const part = prorationFor({ start: p.start_date, end: p.end_date }, s.hire_date, s.leaving_date)
      const daysInPeriod = part?.daysInPeriod ?? diffDays(p.start_date, p.end_date) + 1
      const daysWorked = part?.daysWorked ?? daysInPeriod
      const defs = tables.defs(s.id)
      if (typeof defs === 'string') return { staff: s, structureId: null, daysWorked, daysInPeriod, result: { ok: false, error: defs } }
      try {
        const r = computePay({ currency: this.d.currency, components: defs.defs, proration: part })
        return {
          staff: s,
          structureId: defs.structureId,
          daysWorked,
          daysInPeriod,
          result: {
            ok: true,
            gross: r.grossMinor,
            taxable: r.taxableMinor,
            deductions: r.deductionsMinor,
            net: r.netMinor,
            employer: r.employerMinor,
            lines: r.lines.map((l) => {
              const m = defs.meta.get(l.code)
              if (!m) throw new RangeError(`${l.code} was worked out but is not in the structure`)
              return { componentId: m.componentId, rateId: m.rateId, code: l.code, name: l.name, kind: l.kind, statutory: m.statutory, base: l.baseMinor, amount: l.amountMinor, rounding: m.rounding, workings: l.workings }
            })
          }
        }
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e)
        return { staff: s, structureId: defs.structureId, daysWorked, daysInPeriod, result: { ok: false, error: message.endsWith('.') ? message : `${message}.` } }
      }
    })
  }

  private statements() {
    const db = this.d.sqlite
    return {
      insert: db.prepare(
        `INSERT INTO payroll_payslips (period_id, staff_id, status, error, structure_id, days_worked, days_in_period, gross_minor, taxable_minor, deductions_minor, net_minor, employer_minor, computed_at, run_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (period_id, staff_id) DO NOTHING RETURNING id`
      ),
      line: db.prepare(
        `INSERT INTO payroll_payslip_lines (payslip_id, line_no, component_id, rate_id, code, name, kind, statutory, base_minor, amount_minor, rounding, workings)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      ),
      removeFailed: db.prepare("DELETE FROM payroll_payslips WHERE period_id = ? AND staff_id = ? AND status = 'failed'")
    }
  }

  /** Writes one worked payslip (replacing a failed one); false when a payslip for the person is already there. */
  private write(st: ReturnType<PayrollRunner['statements']>, periodId: number, w: Worked, at: string): boolean {
    st.removeFailed.run(periodId, w.staff.id)
    const r = w.result
    const row = st.insert.get(
      periodId,
      w.staff.id,
      r.ok ? 'ok' : 'failed',
      r.ok ? null : r.error,
      w.structureId,
      w.daysWorked,
      w.daysInPeriod,
      r.ok ? r.gross : 0,
      r.ok ? r.taxable : 0,
      r.ok ? r.deductions : 0,
      r.ok ? r.net : 0,
      r.ok ? r.employer : 0,
      at,
      this.d.runId
    ) as { id: number } | undefined
    if (!row) return false
    if (r.ok) r.lines.forEach((l, i) => st.line.run(row.id, i + 1, l.componentId, l.rateId, l.code, l.name, l.kind, l.statutory ? 1 : 0, l.base, l.amount, l.rounding, l.workings))
    return true
  }

  /** Missing and failed payslips made, in batches; the period then draft (all made) or failed (some could not be). */
  private draft(p: PeriodRow): RunPeriod {
    const db = this.d.sqlite
    const staff = db.prepare(STAFF_OF_PERIOD).all({ start: p.start_date, end: p.end_date }) as StaffRow[]
    const done = new Set(db.prepare("SELECT staff_id FROM payroll_payslips WHERE period_id = ? AND status = 'ok'").pluck().all(p.id) as number[])
    const todo = staff.filter((s) => !done.has(s.id))
    const tables = new PayTables(db, p.end_date, this.d.locale)
    const st = this.statements()
    let made = 0
    let failed = 0
    const failures: string[] = []
    for (let i = 0; i < todo.length; i += DRAFT_BATCH) {
      if (this.d.signal) throwIfAborted(this.d.signal)
      const worked = this.work(p, todo.slice(i, i + DRAFT_BATCH), tables)
      this.d.transaction(() => {
        const now = this.period(p.id)
        if (now.status !== 'active' && now.status !== 'failed') throw conflict(`${p.name} became ${now.status} while it was being drafted; nothing more was drafted.`)
        const at = this.d.now().toISOString()
        for (const w of worked) {
          // One person's write failing (it never should) is recorded as theirs and never stops the others.
          try {
            db.transaction(() => this.write(st, p.id, w, at))()
          } catch (e) {
            w.result = { ok: false, error: `Coffer could not save this payslip: ${e instanceof DomainError ? e.message : 'the data file refused it'}.` }
            db.transaction(() => this.write(st, p.id, w, at))()
          }
          if (w.result.ok) made++
          else {
            failed++
            if (failures.length < 3) failures.push(`${w.staff.staff_no} ${w.staff.full_name}: ${w.result.error}`)
          }
        }
      })
      this.d.progress?.(Math.min(i + DRAFT_BATCH, todo.length), todo.length)
    }
    return this.settleDraft(p, made, failed, staff.length - todo.length, failures, 'drafted')
  }

  /** After drafting: the period's status from its payslips, an event, and the staff told. */
  private settleDraft(p: PeriodRow, made: number, failed: number, kept: number, failures: string[], action: 'drafted' | 'recomputed', why: string | null = null): RunPeriod {
    const db = this.d.sqlite
    const counts = db
      .prepare("SELECT COUNT(*) AS n, COALESCE(SUM(status = 'failed'), 0) AS bad FROM payroll_payslips WHERE period_id = ?")
      .get(p.id) as { n: number; bad: number }
    const register = this.registerOf(p.id)
    const result = { periodId: p.id, name: p.name, made, failed, kept, register }
    if (counts.n === 0) {
      const reason = `Nobody is employed in ${p.name} (${this.date(p.start_date)} to ${this.date(p.end_date)}): add staff, then run it again.`
      this.d.transaction(() => {
        this.setStatus(this.period(p.id), 'failed', reason)
        this.event(p.id, 'failed', reason)
      })
      this.tellFailed(p, reason, 0)
      return { ...result, outcome: 'failed', reason }
    }
    if (counts.bad > 0) {
      const first = (db.prepare("SELECT s.staff_no || ' ' || s.full_name || ': ' || p.error FROM payroll_payslips p JOIN payroll_staff s ON s.id = p.staff_id WHERE p.period_id = ? AND p.status = 'failed' ORDER BY s.staff_no LIMIT 1").pluck().get(p.id) as string | undefined) ?? failures[0] ?? ''
      const reason = `${countOf(counts.bad, { one: 'payslip', other: 'payslips' }, this.d.locale)} could not be worked out; the first: ${first} The others are kept, and the next run completes only these.`
      this.d.transaction(() => {
        this.setStatus(this.period(p.id), 'failed', reason, this.draftedBy())
        this.event(p.id, 'failed', reason)
      })
      this.tellFailed(p, first, counts.bad)
      return { ...result, outcome: 'partial', reason }
    }
    this.d.transaction(() => {
      this.setStatus(this.period(p.id), 'draft', null, this.draftedBy())
      this.event(p.id, action, why)
    })
    this.d.notify?.({
      kind: 'info',
      title: `Payroll ${p.name} is ready for review`,
      body: `${countOf(counts.n, { one: 'payslip was', other: 'payslips were' }, this.d.locale)} drafted for ${p.name}. Review the register, then another operator approves it before it is posted.`,
      subject: { type: 'payroll-period', id: String(p.id) },
      dedupeKey: `payroll-ready:${p.id}:${p.version}`
    })
    return { ...result, outcome: action === 'recomputed' ? 'recomputed' : 'drafted', reason: null }
  }

  private draftedBy(): Record<string, unknown> {
    return { drafted_by_id: this.d.by.id, drafted_by: this.d.by.name, drafted_at: this.d.now().toISOString(), approved_by_id: null, approved_by: null, approved_at: null }
  }

  private tellFailed(p: PeriodRow, reason: string, count: number): void {
    this.d.notify?.({
      kind: 'error',
      title: count === 0 ? `Payroll ${p.name} failed` : `Payroll ${p.name} failed for ${countOf(count, { one: 'person', other: 'people' }, this.d.locale)}`,
      body: `${reason} Open Payroll → ${p.name} to see why; the next run completes what is missing.`,
      subject: { type: 'payroll-period', id: String(p.id) },
      dedupeKey: `payroll-failed:${p.id}:${this.d.runId ?? 'now'}`
    })
  }

  /** Every payslip worked out anew (structures and rates as they stand now), in one transaction; approval cleared. */
  private recompute(p: PeriodRow, reason: string | null): RunPeriod {
    const db = this.d.sqlite
    const staff = db.prepare(STAFF_OF_PERIOD).all({ start: p.start_date, end: p.end_date }) as StaffRow[]
    const worked = this.work(p, staff, new PayTables(db, p.end_date, this.d.locale))
    let made = 0
    let failed = 0
    const failures: string[] = []
    this.d.transaction(() => {
      const now = this.period(p.id)
      if (now.version !== p.version) throw conflict(`${p.name} changed while it was being recomputed; run it again.`)
      if (now.status === 'posted') throw conflict(`${p.name} is posted: re-running it reverses and posts anew.`)
      this.recomputeIn(p, worked)
      for (const w of worked) {
        if (w.result.ok) made++
        else {
          failed++
          if (failures.length < 3) failures.push(`${w.staff.staff_no} ${w.staff.full_name}: ${w.result.error}`)
        }
      }
      this.setStatus(this.period(p.id), 'active', null)
    })
    return this.settleDraft(p, made, failed, 0, failures, 'recomputed', reason)
  }

  private recomputeIn(p: PeriodRow, worked: Worked[]): void {
    const db = this.d.sqlite
    db.prepare('DELETE FROM payroll_payslips WHERE period_id = ?').run(p.id)
    const st = this.statements()
    const at = this.d.now().toISOString()
    for (const w of worked) this.write(st, p.id, w, at)
  }

  /** Forced on a posted period: its entry reversed, every payslip worked out anew, posted anew; all or nothing. */
  private repost(p: PeriodRow, reason: string): RunPeriod {
    const db = this.d.sqlite
    const staff = db.prepare(STAFF_OF_PERIOD).all({ start: p.start_date, end: p.end_date }) as StaffRow[]
    const worked = this.work(p, staff, new PayTables(db, p.end_date, this.d.locale))
    const bad = worked.filter((w) => !w.result.ok)
    if (bad.length > 0) {
      const first = bad[0] as Worked
      const why = first.result.ok ? '' : first.result.error
      return {
        periodId: p.id,
        name: p.name,
        outcome: 'failed',
        made: 0,
        failed: bad.length,
        kept: staff.length,
        reason: `${p.name} was not re-posted: ${countOf(bad.length, { one: 'payslip', other: 'payslips' }, this.d.locale)} could not be worked out (the first: ${first.staff.staff_no} ${first.staff.full_name}: ${why}). The posted payroll stands as it was.`,
        register: []
      }
    }
    this.d.transaction(() => {
      const now = this.period(p.id)
      if (now.status !== 'posted' || now.version !== p.version || now.entry_id === null) throw conflict(`${p.name} changed while it was being re-run; nothing was changed.`)
      // Dated today: a posted period's pay date is never after the day it was posted (postIn).
      const reversal = this.d.ledger.reverse(now.entry_id, this.d.today, `payroll ${p.name} re-run: ${reason}`, {
        owner: true,
        whenClosed: 'next-open-day'
      })
      this.event(p.id, 'reversed', reason, reversal.id)
      this.recomputeIn(p, worked)
      this.postIn(this.period(p.id), 'next-open-day', reason)
    })
    return {
      periodId: p.id,
      name: p.name,
      outcome: 'reposted',
      made: worked.length,
      failed: 0,
      kept: 0,
      reason,
      register: this.registerOf(p.id)
    }
  }

  // ---------------------------------------------------------------------------
  // Posting
  // ---------------------------------------------------------------------------

  /** The period's journal lines: each earning's and employer contribution's expense Dr, each deduction's account Cr, each contribution's payable Cr, the bank Cr with the net pay. */
  entryLines(periodId: number): PostLine[] {
    const sums = this.d.sqlite
      .prepare(
        `SELECT l.component_id, l.kind, SUM(l.amount_minor) AS amount, c.account_id, c.payable_account_id
           FROM payroll_payslip_lines l
           JOIN payroll_payslips s ON s.id = l.payslip_id
           JOIN payroll_components c ON c.id = l.component_id
          WHERE s.period_id = ? AND s.status = 'ok'
          GROUP BY l.component_id`
      )
      .all(periodId) as { component_id: number; kind: 'earning' | 'deduction' | 'employer'; amount: number; account_id: number; payable_account_id: number | null }[]
    const net = this.d.sqlite.prepare("SELECT COALESCE(SUM(net_minor), 0) FROM payroll_payslips WHERE period_id = ? AND status = 'ok'").pluck().get(periodId) as number
    const debit = new Map<number, bigint>()
    const credit = new Map<number, bigint>()
    const add = (m: Map<number, bigint>, account: number, amount: number): void => {
      m.set(account, (m.get(account) ?? 0n) + BigInt(amount))
    }
    for (const s of sums) {
      if (s.kind === 'earning') add(debit, s.account_id, s.amount)
      else if (s.kind === 'deduction') add(credit, s.account_id, s.amount)
      else {
        add(debit, s.account_id, s.amount)
        if (s.payable_account_id === null) throw conflict(`An employer contribution has no account it is owed to; set one on its component.`)
        add(credit, s.payable_account_id, s.amount)
      }
    }
    if (net > 0) add(credit, this.d.ledger.accountFor('bank').id, net)
    const lines: PostLine[] = []
    const safe = (n: bigint): number => {
      if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw conflict('The payroll totals are beyond the largest amount Coffer counts exactly.')
      return Number(n)
    }
    for (const [accountId, amount] of debit) if (amount > 0n) lines.push({ accountId, memberAccountId: null, debitMinor: safe(amount), creditMinor: 0 })
    for (const [accountId, amount] of credit) if (amount > 0n) lines.push({ accountId, memberAccountId: null, debitMinor: 0, creditMinor: safe(amount) })
    return lines
  }

  /** Posts an approved (or re-run) period's entry inside the caller's transaction. */
  postIn(p: PeriodRow, whenClosed: 'refuse' | 'next-open-day', reason: string | null = null): { entryId: number; valueDate: string; note: string | null } {
    const failed = this.d.sqlite.prepare("SELECT COUNT(*) FROM payroll_payslips WHERE period_id = ? AND status = 'failed'").pluck().get(p.id) as number
    if (failed > 0) throw conflict(`${p.name} has ${countOf(failed, { one: 'failed payslip', other: 'failed payslips' }, this.d.locale)}; it cannot be posted until every payslip is worked out.`)
    if (compareDates(p.pay_date, this.d.today) > 0) {
      throw invalid(`${p.name} is paid on ${this.date(p.pay_date)}: post it on or after that day (its entry is dated the pay date, when the net pay leaves the bank).`, {
        payDate: 'After today'
      })
    }
    const lines = this.entryLines(p.id)
    if (lines.length < 2) throw conflict(`${p.name} has no pay to post.`)
    const posted = this.d.ledger.post({
      valueDate: p.pay_date,
      description: `Payroll ${p.name}`,
      source: 'payroll',
      sourceRef: `payroll_periods:${p.id}:${p.postings + 1}`,
      reference: null,
      lines,
      whenClosed,
      dateField: 'payDate'
    })
    this.setStatus(p, 'posted', posted.note, {
      entry_id: posted.id,
      postings: p.postings + 1,
      posted_by_id: this.d.by.id,
      posted_by: this.d.by.name,
      posted_at: this.d.now().toISOString()
    })
    this.event(p.id, 'posted', [reason, posted.note].filter((x) => x !== null).join(' ') || null, posted.id)
    this.queuePayslips(p.id, p.postings + 1)
    return { entryId: posted.id, valueDate: posted.valueDate, note: posted.note }
  }

  /**
   * Each staff member's payslip email, in the posting transaction, with what
   * the payslip shows frozen now (the mail job makes the PDF from it once).
   * Once per posting: a re-post sends the new payslip
   * ('payroll:<periodId>:<posting>:staff:<staffId>').
   */
  private queuePayslips(periodId: number, posting: number): void {
    const { sqlite } = this.d
    const profile = sqlite
      .prepare('SELECT name, address, phone, email, registration_no AS registrationNo, currency, locale, time_zone AS timeZone FROM cooperative_profile LIMIT 1')
      .get() as PayslipSnapshot['profile'] | undefined
    if (!profile) throw conflict("Set up the cooperative's profile first: payslips show its name.")
    const period = periodDto(sqlite, { locale: this.d.locale, timeZone: this.d.timeZone }, periodId)
    const cards = readStaffCards(sqlite, periodId)
    const notices = new Notices(sqlite, this.d.now)
    for (const slip of readPayslips(sqlite, periodId, null)) {
      const staff = cards.get(slip.staffId)
      if (slip.status !== 'ok' || !staff) continue
      const data: PayslipSnapshot = { profile, period, payslip: slip, staff }
      notices.notify(
        'payslip',
        { staffId: slip.staffId },
        payslipValues({ periodName: period.name, payDate: period.payDate, grossMinor: slip.grossMinor, deductionsMinor: slip.deductionsMinor, netMinor: slip.netMinor }),
        `payroll:${periodId}:${posting}:staff:${slip.staffId}`,
        [{ filename: `payslip-${fileSafe(period.name)}-${fileSafe(slip.staffNo)}.pdf`, contentType: 'application/pdf', source: { kind: 'payslip', data } }]
      )
    }
  }

  /** The register lines a run report shows (staff no order). */
  registerOf(periodId: number): RunPeriod['register'] {
    return (
      this.d.sqlite
        .prepare(
          `SELECT s.staff_no AS staffNo, s.full_name AS fullName, p.status, p.gross_minor AS grossMinor, p.deductions_minor AS deductionsMinor, p.net_minor AS netMinor, p.error
             FROM payroll_payslips p JOIN payroll_staff s ON s.id = p.staff_id WHERE p.period_id = ? ORDER BY s.staff_no COLLATE NOCASE, s.id`
        )
        .all(periodId) as RunPeriod['register']
    )
  }

  /** "KES 1,234.00": for messages. */
  words(minor: number): string {
    return this.money(minor)
  }
}

/** Payslips of a period (one person's when staffId is given), with their lines: what the payslip shows, on any connection. */
export function readPayslips(sqlite: Sqlite, periodId: number, staffId: number | null): Payslip[] {
  const slips = sqlite
    .prepare(
      `SELECT p.*, s.staff_no, s.full_name, st.effective_from AS structure_from
         FROM payroll_payslips p JOIN payroll_staff s ON s.id = p.staff_id LEFT JOIN payroll_structures st ON st.id = p.structure_id
        WHERE p.period_id = @period AND (@staff IS NULL OR p.staff_id = @staff)
        ORDER BY s.staff_no COLLATE NOCASE, s.id`
    )
    .all({ period: periodId, staff: staffId }) as {
    id: number
    period_id: number
    staff_id: number
    staff_no: string
    full_name: string
    status: 'ok' | 'failed'
    error: string | null
    days_worked: number
    days_in_period: number
    structure_from: string | null
    gross_minor: number
    taxable_minor: number
    deductions_minor: number
    net_minor: number
    employer_minor: number
    computed_at: string
  }[]
  const lines = sqlite.prepare(
    'SELECT code, name, kind, statutory, base_minor, amount_minor, rounding, workings FROM payroll_payslip_lines WHERE payslip_id = ? ORDER BY line_no'
  )
  return slips.map((s) => ({
    id: s.id,
    periodId: s.period_id,
    staffId: s.staff_id,
    staffNo: s.staff_no,
    fullName: s.full_name,
    status: s.status,
    error: s.error,
    daysWorked: s.days_worked,
    daysInPeriod: s.days_in_period,
    proration: s.days_worked < s.days_in_period ? CALENDAR_DAYS_RULE : null,
    structureFrom: s.structure_from,
    grossMinor: s.gross_minor,
    taxableMinor: s.taxable_minor,
    deductionsMinor: s.deductions_minor,
    netMinor: s.net_minor,
    employerMinor: s.employer_minor,
    lines: (
      lines.all(s.id) as {
        code: string
        name: string
        kind: 'earning' | 'deduction' | 'employer'
        statutory: number
        base_minor: number | null
        amount_minor: number
        rounding: 'half-up' | 'half-even' | 'down' | 'up'
        workings: string
      }[]
    ).map((l) => ({
      code: l.code,
      name: l.name,
      kind: l.kind,
      statutory: l.statutory === 1,
      baseMinor: l.base_minor,
      amountMinor: l.amount_minor,
      rounding: l.rounding,
      workings: l.workings
    })),
    computedAt: s.computed_at
  }))
}

/** What a payslip prints of its staff member. */
export interface PayslipStaffCard {
  staffNo: string
  fullName: string
  taxPin: string | null
  nationalId: string | null
  bankName: string | null
  bankAccount: string | null
}

/** The particulars printed on the payslips of a period. */
export function readStaffCards(sqlite: Sqlite, periodId: number): Map<number, PayslipStaffCard> {
  const rows = sqlite
    .prepare(
      `SELECT s.id, s.staff_no AS staffNo, s.full_name AS fullName, s.tax_pin AS taxPin, s.national_id AS nationalId, s.bank_name AS bankName, s.bank_account AS bankAccount
         FROM payroll_staff s WHERE s.id IN (SELECT staff_id FROM payroll_payslips WHERE period_id = ?)`
    )
    .all(periodId) as { id: number; staffNo: string; fullName: string; taxPin: string | null; nationalId: string | null; bankName: string | null; bankAccount: string | null }[]
  return new Map(rows.map(({ id, ...card }) => [id, card]))
}

/** What a payslip email's attachment shows, frozen when payroll posts (the 'payslip' renderer makes the PDF from it). */
export interface PayslipSnapshot {
  profile: { name: string; address: string | null; phone: string | null; email: string | null; registrationNo: string | null; currency: string; locale: string; timeZone: string }
  period: PayPeriod
  payslip: Payslip
  staff: PayslipStaffCard
}

/** A name as part of a file name: letters, digits, dots, dashes. */
const fileSafe = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'payslip'

export { CALENDAR_DAYS_RULE }
