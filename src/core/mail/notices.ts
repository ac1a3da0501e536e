import type { Sqlite } from '../platform/db/open'
import { conflict, invalid, notFound } from '../platform/errors'
import { nowIso, type ServiceContext } from '../platform/context'
import { readSetting } from '../platform/settings'
import { NoticeKind, type MemberPrefs, type NoticeTemplate } from '../../shared/contract/mail'
import type { ParsedInput } from '../../shared/contract'
import { addDays, diffDays, calendarDateInZone } from '../../shared/dates'
import { Outbox, type NewAttachment } from './outbox'
import type { DeliveryHook } from '../notifications'
import {
  AUDIENCE,
  DEFAULT_TEMPLATES,
  PLACEHOLDERS,
  formatValues,
  placeholderDescriptions,
  placeholderProblems,
  render,
  type NoticeValues,
  type TemplateWording,
  type ValueFormat
} from './templates'

/**
 * Who gets what (DESIGN.md, Notifications; issue #14): the notices Coffer
 * sends to members, staff and the staff's alert address, their templates,
 * and members' channel preferences.
 *
 * `Notices` queues a notice: synchronous, on any connection (the app's, or a
 * job's on a worker thread), inside the caller's transaction, so the message
 * exists exactly when the event does. `NoticesService` answers the
 * mail.templates … mail.saveMemberPrefs channels.
 */

/** Whom a notice goes to: a member, a staff member (payroll_staff.id), or the staff's alert address and phone. */
export type NoticeTarget = { memberId: number } | { staffId: number } | 'alerts'

export interface QueuedNotice {
  id: number
  channel: 'email' | 'sms'
  to: string
}

interface TemplateRow {
  kind: NoticeKind
  email: number
  sms: number
  subject: string
  body: string
  smsBody: string
  daysBefore: number | null
  version: number
}

interface Recipient {
  name: string
  email: string | null
  phone: string | null
  memberId: number | null
  staffId: number | null
  /** The recipient's own placeholders ({member_name}, {member_no} or {staff_name}, {staff_no}). */
  values: NoticeValues
  allowEmail: boolean
  allowSms: boolean
}

const TEMPLATE_COLUMNS = 'kind, email, sms, subject, body, sms_body AS smsBody, days_before AS daysBefore, version'

/** The wording a kind goes out with: the treasurer's saved one, else Coffer's. */
export function effectiveTemplate(sqlite: Sqlite, kind: NoticeKind): TemplateWording & { version: number; saved: boolean } {
  const row = sqlite.prepare(`SELECT ${TEMPLATE_COLUMNS} FROM notice_templates WHERE kind = ?`).get(kind) as TemplateRow | undefined
  if (!row) return { ...DEFAULT_TEMPLATES[kind], version: 1, saved: false }
  return { email: row.email === 1, sms: row.sms === 1, subject: row.subject, body: row.body, smsBody: row.smsBody, daysBefore: row.daysBefore, version: row.version, saved: true }
}

/** The maturity notice's lead time (the template's days before). */
export function maturityDaysBefore(sqlite: Sqlite): number {
  return effectiveTemplate(sqlite, 'maturity').daysBefore ?? (DEFAULT_TEMPLATES.maturity.daysBefore as number)
}

/** Whether the SMS gateway is switched on (mail.sms). A stored value that is not JSON with `enabled` is an error, never a guess. */
export function smsEnabled(sqlite: Sqlite): boolean {
  const raw = readSetting(sqlite, 'mail.sms')
  if (raw === null) return false
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw new Error('The SMS settings kept in the data file are damaged; save them again under Settings, Email and SMS.')
  }
  const enabled = (parsed as { enabled?: unknown } | null)?.enabled
  if (typeof enabled !== 'boolean') throw new Error('The SMS settings kept in the data file are damaged; save them again under Settings, Email and SMS.')
  return enabled
}

interface ProfileRow {
  name: string
  currency: string
  locale: string
}

/** The cooperative's name, currency and locale for a notice; a notice about money needs the profile. */
function profileFormat(sqlite: Sqlite): { name: string; format: ValueFormat } {
  const p = sqlite.prepare('SELECT name, currency, locale FROM cooperative_profile LIMIT 1').get() as ProfileRow | undefined
  if (!p) throw new Error("Set up the cooperative's profile first: notices are written in its name, currency and language.")
  return { name: p.name, format: { locale: p.locale, currency: p.currency } }
}

/**
 * Queues notices on one connection. Cheap to make; one per connection (its
 * statements are prepared on it).
 */
export class Notices {
  private readonly outbox: Outbox

  constructor(
    private readonly sqlite: Sqlite,
    now: () => Date
  ) {
    this.outbox = new Outbox(sqlite, now, () => readSetting(sqlite, 'mail.fromAddress'))
  }

  /**
   * Queues `kind` for `target` once per event (`eventKey`, with the channel):
   * nothing for an opted-out member; email when the template's email is on,
   * the member allows email and there is an address; SMS likewise (and when
   * the SMS gateway is switched on). `values` are the kind's own placeholders
   * (the recipient's name and number and the cooperative's are added here).
   * Returns the ids of the messages queued now (none when queued before).
   */
  notify(kind: NoticeKind, target: NoticeTarget, values: NoticeValues, eventKey: string, attachments?: NewAttachment[]): number[] {
    return this.queue(kind, target, values, eventKey, { attachments }).map((q) => q.id)
  }

  /** notify, answering each message's channel and address (a notification links its delivery rows to them). */
  queue(kind: NoticeKind, target: NoticeTarget, values: NoticeValues, eventKey: string, opts: { attachments?: NewAttachment[]; notificationId?: number | null } = {}): QueuedNotice[] {
    const template = effectiveTemplate(this.sqlite, kind)
    if (!template.email && !template.sms) return []
    const who = this.recipient(kind, target)
    if (!who) return []
    const wantEmail = template.email && who.allowEmail && who.email !== null && who.email.trim() !== ''
    const wantSms = template.sms && who.allowSms && who.phone !== null && who.phone.trim() !== '' && smsEnabled(this.sqlite)
    if (!wantEmail && !wantSms) return []
    const { name, format } = profileFormat(this.sqlite)
    const vars = formatValues(kind, { ...values, ...who.values, cooperative: name }, format)
    const queued: QueuedNotice[] = []
    const base = { kind, eventKey, toName: who.name, memberId: who.memberId, staffId: who.staffId, notificationId: opts.notificationId ?? null }
    if (wantEmail) {
      const to = who.email as string
      const id = this.outbox.enqueue({ ...base, channel: 'email', to, subject: render(template.subject, vars), body: render(template.body, vars), attachments: opts.attachments })
      if (id !== null) queued.push({ id, channel: 'email', to })
    }
    if (wantSms) {
      const to = who.phone as string
      const id = this.outbox.enqueue({ ...base, channel: 'sms', to, subject: null, body: render(template.smsBody, vars) })
      if (id !== null) queued.push({ id, channel: 'sms', to })
    }
    return queued
  }

  private recipient(kind: NoticeKind, target: NoticeTarget): Recipient | null {
    const audience = AUDIENCE[kind]
    if (target === 'alerts') {
      if (audience !== 'alerts') throw new RangeError(`The ${kind} notice goes to ${audience === 'member' ? 'a member' : 'a staff member'}, not the alert address`)
      return {
        name: 'Coffer alerts',
        email: readSetting(this.sqlite, 'mail.alertAddress'),
        phone: readSetting(this.sqlite, 'mail.alertPhone'),
        memberId: null,
        staffId: null,
        values: {},
        allowEmail: true,
        allowSms: true
      }
    }
    if ('memberId' in target) {
      if (audience !== 'member') throw new RangeError(`The ${kind} notice does not go to a member`)
      const m = memberContact(this.sqlite, target.memberId)
      if (!m) throw new RangeError(`Member ${target.memberId} does not exist`)
      const prefs = readPrefs(this.sqlite, target.memberId)
      if (prefs.optedOut) return null
      return {
        name: m.fullName,
        email: m.email,
        phone: m.phone,
        memberId: m.id,
        staffId: null,
        values: { member_name: m.fullName, member_no: m.memberNo },
        allowEmail: prefs.email,
        allowSms: prefs.sms
      }
    }
    if (audience !== 'staff') throw new RangeError(`The ${kind} notice does not go to a staff member`)
    const s = staffContact(this.sqlite, target.staffId)
    if (!s) throw new RangeError(`Staff member ${target.staffId} does not exist`)
    return {
      name: s.fullName,
      email: s.email,
      phone: s.phone,
      memberId: null,
      staffId: s.id,
      values: { staff_name: s.fullName, staff_no: s.staffNo },
      allowEmail: true,
      allowSms: true
    }
  }
}

interface MemberContact {
  id: number
  memberNo: string
  fullName: string
  email: string | null
  phone: string | null
  address: string | null
}

function memberContact(sqlite: Sqlite, id: number): MemberContact | undefined {
  return sqlite.prepare('SELECT id, member_no AS memberNo, full_name AS fullName, email, phone, address FROM members WHERE id = ?').get(id) as MemberContact | undefined
}

interface StaffContact {
  id: number
  staffNo: string
  fullName: string
  email: string | null
  phone: string | null
}

function staffContact(sqlite: Sqlite, id: number): StaffContact | undefined {
  return sqlite.prepare('SELECT id, staff_no AS staffNo, full_name AS fullName, email, phone FROM payroll_staff WHERE id = ?').get(id) as StaffContact | undefined
}

interface PrefsRow {
  email: boolean
  sms: boolean
  optedOut: boolean
  version: number
}

/** A member's channels; no row: both allowed, version 0. */
function readPrefs(sqlite: Sqlite, memberId: number): PrefsRow {
  const r = sqlite.prepare('SELECT email, sms, opted_out AS optedOut, version FROM member_contact_prefs WHERE member_id = ?').get(memberId) as
    | { email: number; sms: number; optedOut: number; version: number }
    | undefined
  if (!r) return { email: true, sms: true, optedOut: false, version: 0 }
  return { email: r.email === 1, sms: r.sms === 1, optedOut: r.optedOut === 1, version: r.version }
}

// ---------------------------------------------------------------------------
// Values per kind, from the records the notices are about (the hooks and the preview share them)
// ---------------------------------------------------------------------------

/** What a voucher notice needs of the voucher (a subset of payments' VoucherData). */
export interface VoucherFacts {
  number: string
  date: string
  description: string
  gross: number
  tax: number
  net: number
  reference: string | null
}

export function voucherValues(v: VoucherFacts): NoticeValues {
  return { voucher_no: v.number, amount: v.net, gross: v.gross, tax: v.tax, date: v.date, description: v.description, reference: v.reference ?? 'none' }
}

interface PaymentFacts {
  grossMinor: number
  taxMinor: number
  netMinor: number
  dueDate: string
  periodStart: string
  periodEnd: string
  seriesCode: string | null
  seriesName: string | null
}

const seriesText = (code: string | null, name: string | null): string => (code === null ? '' : name ? `${code} ${name}` : code)

/** A coupon payment's values (coupon-ready). */
export function couponValues(sqlite: Sqlite, paymentId: number): NoticeValues {
  const p = sqlite
    .prepare(
      `SELECT p.gross_minor AS grossMinor, p.tax_minor AS taxMinor, p.net_minor AS netMinor, p.due_date AS dueDate, p.period_start AS periodStart, p.period_end AS periodEnd,
              s.code AS seriesCode, s.name AS seriesName
         FROM bond_payments p LEFT JOIN bond_holdings h ON h.id = p.holding_id LEFT JOIN bond_series s ON s.id = h.series_id WHERE p.id = ?`
    )
    .get(paymentId) as PaymentFacts | undefined
  if (!p) throw new RangeError(`Payment ${paymentId} does not exist`)
  return { amount: p.netMinor, gross: p.grossMinor, tax: p.taxMinor, date: p.dueDate, series: seriesText(p.seriesCode, p.seriesName), period: `${p.periodStart}/${p.periodEnd}` }
}

/** A holding's values (maturity), `today` in the cooperative's calendar. */
export function maturityValues(sqlite: Sqlite, holdingId: number, today: string): NoticeValues {
  const h = sqlite
    .prepare(
      `SELECT h.units, s.face_value_minor AS faceValueMinor, s.maturity_date AS maturityDate, s.code AS seriesCode, s.name AS seriesName
         FROM bond_holdings h JOIN bond_series s ON s.id = h.series_id WHERE h.id = ?`
    )
    .get(holdingId) as { units: number; faceValueMinor: number; maturityDate: string; seriesCode: string; seriesName: string } | undefined
  if (!h) throw new RangeError(`Holding ${holdingId} does not exist`)
  const amount = h.units * h.faceValueMinor
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Holding ${holdingId}'s face value is too large`)
  return { series: seriesText(h.seriesCode, h.seriesName), units: h.units, amount, date: h.maturityDate, days: Math.max(0, diffDays(today, h.maturityDate)) }
}

/** A failed standing-order occurrence's values. */
export function standingOrderValues(sqlite: Sqlite, occurrenceId: number, error: string): { memberId: number; values: NoticeValues } {
  const o = sqlite
    .prepare(
      `SELECT so.member_id AS memberId, so.description, so.payee_name AS payeeName, o.amount_minor AS amountMinor, o.due_date AS dueDate
         FROM recurring_occurrences o JOIN standing_orders so ON so.id = o.standing_order_id WHERE o.id = ?`
    )
    .get(occurrenceId) as { memberId: number; description: string | null; payeeName: string | null; amountMinor: number; dueDate: string } | undefined
  if (!o) throw new RangeError(`Occurrence ${occurrenceId} is not a standing order's`)
  return { memberId: o.memberId, values: { order: o.description ?? (o.payeeName ? `to ${o.payeeName}` : 'standing order'), amount: o.amountMinor, date: o.dueDate, error } }
}

/** A payslip's values from its figures and period. */
export function payslipValues(p: { periodName: string; payDate: string; grossMinor: number; deductionsMinor: number; netMinor: number }): NoticeValues {
  return { period: p.periodName, date: p.payDate, gross: p.grossMinor, deductions: p.deductionsMinor, net_pay: p.netMinor }
}

/**
 * The staff's job-failure alert: when the job engine announces a failed run
 * (an error notification about a job run), its email to the alert address
 * and SMS to the alert phone are queued in the notification's transaction,
 * once per notification ('notification:<id>'), and the notification gets a
 * delivery row per channel linked to its outbox message. Registered with the
 * notifications area by the mail module.
 */
export function jobFailureAlerts(sqlite: Sqlite, now: () => Date, timeZone: () => string): DeliveryHook {
  let notices: Notices | null = null
  return (n, notificationId) => {
    if (n.kind !== 'error' || n.subject?.type !== 'job-run') return []
    notices ??= new Notices(sqlite, now)
    // The engine titles it "<job title> failed".
    const job = n.title.endsWith(' failed') ? n.title.slice(0, -' failed'.length) : n.title
    const values = { job, error: n.body, date: calendarDateInZone(now(), timeZone()) }
    return notices
      .queue('job-failure', 'alerts', values, `notification:${notificationId}`, { notificationId })
      .map((q) => ({ channel: q.channel, recipient: q.to, outboxMessageId: q.id }))
  }
}

// ---------------------------------------------------------------------------
// The service: templates, preview, members' preferences
// ---------------------------------------------------------------------------

export interface NoticesEnv {
  locale(): string
  timeZone(): string
  currency(): string
  profileName(): string
}

/** Example figures for a preview when the member (or staff member) has no record of the kind yet. */
function exampleValues(kind: NoticeKind, today: string): NoticeValues {
  switch (kind) {
    case 'voucher':
      return { voucher_no: 'PV-2026-0001', amount: 425_000, gross: 500_000, tax: 75_000, date: today, description: 'Coupon on EXAMPLE for six months', reference: 'none' }
    case 'coupon-ready':
      return { amount: 425_000, gross: 500_000, tax: 75_000, date: addDays(today, 14), series: 'EXAMPLE Example bond', period: `${addDays(today, -168)}/${addDays(today, 14)}` }
    case 'maturity':
      return { series: 'EXAMPLE Example bond', units: 10, amount: 1_000_000, date: addDays(today, 30), days: 30 }
    case 'standing-order-failed':
      return { order: 'Monthly savings', amount: 50_000, date: today, error: 'the account did not have enough money.' }
    case 'payslip':
      return { period: 'Example month', date: today, gross: 6_000_000, deductions: 1_250_000, net_pay: 4_750_000 }
    case 'job-failure':
      return { job: 'Backup', error: 'The backups folder could not be written to.', date: today }
  }
}

export class NoticesService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly env: NoticesEnv
  ) {}

  templates(): { templates: NoticeTemplate[] } {
    return { templates: NoticeKind.options.map((k) => this.templateDto(k)) }
  }

  /** Saves a kind's wording and channels; an unknown placeholder is refused next to its field. */
  saveTemplate(v: ParsedInput<'mail.saveTemplate'>): NoticeTemplate {
    const problems: Record<string, string> = placeholderProblems(v.kind, v)
    if (v.kind === 'maturity' && v.daysBefore === null) problems.daysBefore = 'Days before is required: how many days before a holding matures the notice goes out'
    if (v.kind !== 'maturity' && v.daysBefore !== null) problems.daysBefore = 'Days before is only for the maturity notice'
    const keys = Object.keys(problems)
    if (keys.length > 0) throw invalid(problems[keys[0] as string] as string, problems)
    const { sqlite } = this.ctx
    sqlite
      .transaction(() => {
        const current = effectiveTemplate(sqlite, v.kind)
        this.expectVersion('notice template', current.version, v.expectedVersion)
        const row = { kind: v.kind, email: v.email ? 1 : 0, sms: v.sms ? 1 : 0, subject: v.subject, body: v.body, smsBody: v.smsBody, daysBefore: v.daysBefore, at: nowIso(this.ctx) }
        if (current.saved) {
          sqlite
            .prepare('UPDATE notice_templates SET email = @email, sms = @sms, subject = @subject, body = @body, sms_body = @smsBody, days_before = @daysBefore, updated_at = @at, version = version + 1 WHERE kind = @kind')
            .run(row)
        } else {
          // Coffer's own wording is version 1: the first save is version 2.
          sqlite
            .prepare('INSERT INTO notice_templates (kind, email, sms, subject, body, sms_body, days_before, updated_at, version) VALUES (@kind, @email, @sms, @subject, @body, @smsBody, @daysBefore, @at, 2)')
            .run(row)
        }
      })
      .immediate()
    return this.templateDto(v.kind)
  }

  /** Coffer's own wording and channels back (a new version, so an editor open elsewhere notices). */
  resetTemplate(kind: NoticeKind, expectedVersion: number): NoticeTemplate {
    const { sqlite } = this.ctx
    sqlite
      .transaction(() => {
        const current = effectiveTemplate(sqlite, kind)
        this.expectVersion('notice template', current.version, expectedVersion)
        if (!current.saved) return
        const d = DEFAULT_TEMPLATES[kind]
        sqlite
          .prepare('UPDATE notice_templates SET email = ?, sms = ?, subject = ?, body = ?, sms_body = ?, days_before = ?, updated_at = ?, version = version + 1 WHERE kind = ?')
          .run(d.email ? 1 : 0, d.sms ? 1 : 0, d.subject, d.body, d.smsBody, d.daysBefore, nowIso(this.ctx), kind)
      })
      .immediate()
    return this.templateDto(kind)
  }

  /**
   * The texts rendered as they would go out, with a real member's (or staff
   * member's) name and number and their latest record of the kind (a paid
   * payment, a coupon, a holding, a standing order, a payslip); example
   * figures, and a note saying so, where there is none.
   */
  previewTemplate(v: ParsedInput<'mail.previewTemplate'>): { subject: string; body: string; sms: string; to: string | null; smsTo: string | null; note: string | null } {
    const problems = placeholderProblems(v.kind, v)
    const keys = Object.keys(problems)
    if (keys.length > 0) throw invalid(problems[keys[0] as string] as string, problems)
    const { sqlite } = this.ctx
    const today = calendarDateInZone(this.ctx.clock.now(), this.env.timeZone())
    const notes: string[] = []
    let values: NoticeValues
    let who: NoticeValues = {}
    let to: string | null = null
    let smsTo: string | null = null
    const audience = AUDIENCE[v.kind]
    if (audience === 'member') {
      const memberId = v.memberId ?? (sqlite.prepare('SELECT id FROM members WHERE active = 1 ORDER BY member_no LIMIT 1').pluck().get() as number | undefined) ?? null
      const m = memberId === null ? undefined : memberContact(sqlite, memberId)
      if (v.memberId !== null && !m) throw notFound('The member')
      if (!m) {
        who = { member_name: 'Jane Example', member_no: 'M-0001' }
        values = exampleValues(v.kind, today)
        notes.push('There is no member yet: the name, number and figures are examples.')
      } else {
        who = { member_name: m.fullName, member_no: m.memberNo }
        to = m.email
        smsTo = m.phone
        const found = this.memberRecord(v.kind, m.id, today)
        values = found ?? exampleValues(v.kind, today)
        if (!found) notes.push(`${m.fullName} has no ${recordWords[v.kind]} yet: the figures are examples.`)
        const prefs = readPrefs(sqlite, m.id)
        if (prefs.optedOut) notes.push(`${m.fullName} has opted out: nothing is sent to them.`)
        else {
          if (!prefs.email) to = null
          if (!prefs.sms) smsTo = null
        }
        if (m.email === null) notes.push(`${m.fullName} has no email address.`)
      }
    } else if (audience === 'staff') {
      const staffId = v.staffId ?? (sqlite.prepare('SELECT id FROM payroll_staff ORDER BY staff_no LIMIT 1').pluck().get() as number | undefined) ?? null
      const s = staffId === null ? undefined : staffContact(sqlite, staffId)
      if (v.staffId !== null && !s) throw notFound('The staff member')
      if (!s) {
        who = { staff_name: 'Sam Example', staff_no: 'S-001' }
        values = exampleValues(v.kind, today)
        notes.push('There is no staff member yet: the name, number and figures are examples.')
      } else {
        who = { staff_name: s.fullName, staff_no: s.staffNo }
        to = s.email
        smsTo = s.phone
        const found = this.latestPayslip(s.id)
        values = found ?? exampleValues(v.kind, today)
        if (!found) notes.push(`${s.fullName} has no posted payslip yet: the figures are examples.`)
        if (s.email === null) notes.push(`${s.fullName} has no email address.`)
      }
    } else {
      values = exampleValues(v.kind, today)
      to = readSetting(sqlite, 'mail.alertAddress')
      smsTo = readSetting(sqlite, 'mail.alertPhone')
      notes.push('The job and the error are examples.')
    }
    const vars = formatValues(v.kind, { ...values, ...who, cooperative: this.env.profileName() }, { locale: this.env.locale(), currency: this.env.currency() })
    return { subject: render(v.subject, vars), body: render(v.body, vars), sms: render(v.smsBody, vars), to, smsTo, note: notes.length > 0 ? notes.join(' ') : null }
  }

  memberPrefs(memberId: number): MemberPrefs {
    const m = memberContact(this.ctx.sqlite, memberId)
    if (!m) throw notFound('The member')
    const p = readPrefs(this.ctx.sqlite, memberId)
    return { memberId, email: p.email, sms: p.sms, optedOut: p.optedOut, emailAddress: m.email, phone: m.phone, version: p.version }
  }

  saveMemberPrefs(v: ParsedInput<'mail.saveMemberPrefs'>): MemberPrefs {
    const { sqlite } = this.ctx
    sqlite
      .transaction(() => {
        if (!memberContact(sqlite, v.memberId)) throw notFound('The member')
        const current = readPrefs(sqlite, v.memberId)
        if (current.version !== v.expectedVersion) throw conflict("This member's channels were changed meanwhile (by someone else); look at them again and redo your change.")
        sqlite
          .prepare(
            `INSERT INTO member_contact_prefs (member_id, email, sms, opted_out, updated_at, version) VALUES (@memberId, @email, @sms, @optedOut, @at, 1)
             ON CONFLICT (member_id) DO UPDATE SET email = excluded.email, sms = excluded.sms, opted_out = excluded.opted_out, updated_at = excluded.updated_at, version = member_contact_prefs.version + 1`
          )
          .run({ memberId: v.memberId, email: v.email ? 1 : 0, sms: v.sms ? 1 : 0, optedOut: v.optedOut ? 1 : 0, at: nowIso(this.ctx) })
      })
      .immediate()
    return this.memberPrefs(v.memberId)
  }

  private templateDto(kind: NoticeKind): NoticeTemplate {
    const t = effectiveTemplate(this.ctx.sqlite, kind)
    const d = DEFAULT_TEMPLATES[kind]
    const edited = t.saved && (t.email !== d.email || t.sms !== d.sms || t.subject !== d.subject || t.body !== d.body || t.smsBody !== d.smsBody || t.daysBefore !== d.daysBefore)
    return {
      kind,
      audience: AUDIENCE[kind],
      email: t.email,
      sms: t.sms,
      subject: t.subject,
      body: t.body,
      smsBody: t.smsBody,
      placeholders: placeholderDescriptions(kind),
      daysBefore: kind === 'maturity' ? t.daysBefore : null,
      edited,
      version: t.version
    }
  }

  private expectVersion(what: string, actual: number, expected: number): void {
    if (actual !== expected) throw conflict(`This ${what} was changed meanwhile (by someone else); look at it again and redo your change.`)
  }

  /** The member's latest record the kind is about, as the notice's values; null when they have none. */
  private memberRecord(kind: NoticeKind, memberId: number, today: string): NoticeValues | null {
    const { sqlite } = this.ctx
    switch (kind) {
      case 'voucher': {
        const r = sqlite
          .prepare(
            `SELECT v.number, p.paid_on AS date, p.kind, p.gross_minor AS gross, p.tax_minor AS tax, p.net_minor AS net, p.reference, p.period_start AS periodStart, p.period_end AS periodEnd, s.code AS seriesCode
               FROM bond_payments p JOIN vouchers v ON v.payment_id = p.id LEFT JOIN bond_holdings h ON h.id = p.holding_id LEFT JOIN bond_series s ON s.id = h.series_id
              WHERE p.member_id = ? AND p.status = 'paid' ORDER BY p.paid_at DESC, p.id DESC LIMIT 1`
          )
          .get(memberId) as (VoucherFacts & { kind: string; periodStart: string; periodEnd: string; seriesCode: string | null }) | undefined
        if (!r) return null
        const what = r.kind === 'coupon' ? `coupon on ${r.seriesCode ?? ''}` : r.kind === 'principal' ? `redemption of ${r.seriesCode ?? ''} principal` : r.kind === 'interest' ? `interest on ${r.seriesCode ?? ''}` : 'standing order'
        return voucherValues({ ...r, description: what.charAt(0).toUpperCase() + what.slice(1) })
      }
      case 'coupon-ready': {
        const id = sqlite.prepare(`SELECT id FROM bond_payments WHERE member_id = ? AND kind = 'coupon' AND status <> 'cancelled' ORDER BY due_date DESC, id DESC LIMIT 1`).pluck().get(memberId) as number | undefined
        return id === undefined ? null : couponValues(sqlite, id)
      }
      case 'maturity': {
        const id = sqlite
          .prepare(`SELECT h.id FROM bond_holdings h JOIN bond_series s ON s.id = h.series_id WHERE h.member_id = ? AND h.status = 'active' ORDER BY s.maturity_date, h.id LIMIT 1`)
          .pluck()
          .get(memberId) as number | undefined
        return id === undefined ? null : maturityValues(sqlite, id, today)
      }
      case 'standing-order-failed': {
        const o = sqlite
          .prepare(`SELECT description, payee_name AS payeeName, amount_minor AS amountMinor FROM standing_orders WHERE member_id = ? ORDER BY id DESC LIMIT 1`)
          .get(memberId) as { description: string | null; payeeName: string | null; amountMinor: number } | undefined
        if (!o) return null
        return { order: o.description ?? (o.payeeName ? `to ${o.payeeName}` : 'standing order'), amount: o.amountMinor, date: today, error: 'the account did not have enough money (an example).' }
      }
      default:
        return null
    }
  }

  private latestPayslip(staffId: number): NoticeValues | null {
    const r = this.ctx.sqlite
      .prepare(
        `SELECT pe.name AS periodName, pe.pay_date AS payDate, ps.gross_minor AS grossMinor, ps.deductions_minor AS deductionsMinor, ps.net_minor AS netMinor
           FROM payroll_payslips ps JOIN payroll_periods pe ON pe.id = ps.period_id
          WHERE ps.staff_id = ? AND ps.status = 'ok' AND pe.status = 'posted' ORDER BY pe.pay_date DESC, ps.id DESC LIMIT 1`
      )
      .get(staffId) as { periodName: string; payDate: string; grossMinor: number; deductionsMinor: number; netMinor: number } | undefined
    return r ? payslipValues(r) : null
  }
}

const recordWords: Record<NoticeKind, string> = {
  voucher: 'paid payment',
  'coupon-ready': 'coupon payment',
  maturity: 'bond holding',
  'standing-order-failed': 'standing order',
  payslip: 'posted payslip',
  'job-failure': 'job'
}

/** The placeholders every kind knows (for tests and the screens' help). */
export { PLACEHOLDERS }
