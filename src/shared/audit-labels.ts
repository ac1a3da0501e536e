/**
 * Words for the audit trail, for the Audit page and its workbook: the codes
 * (area, action), the records (tables) and their fields (columns), and the
 * change an audit row records, as "Full name: Amina Odhiambo → Amina Achieng".
 *
 * Pure module: no Node built-ins, no Electron.
 */
import type { AuditAction, AuditArea, AuditEntry } from './contract/operators'
import { ROLE_WORDS } from './contract/permissions'
import { formatMoney } from './money'
import { formatCalendarDate, isCalendarDate } from './dates'
import { formatInstant } from './words'
import {
  FREQUENCY_WORDS,
  HOLDING_STATUS_WORDS,
  PAYMENT_KIND_WORDS,
  PAYMENT_METHOD_WORDS,
  PAYMENT_STATUS_WORDS,
  SERIES_STATUS_WORDS
} from './bond-labels'
import {
  AMOUNT_KIND_OPTIONS,
  FREQUENCY_OPTIONS as REPEAT_FREQUENCY_OPTIONS,
  FUNDS_POLICY_OPTIONS,
  HOLIDAY_RULE_OPTIONS,
  OCCURRENCE_STATUS_WORDS,
  ORDER_STATUS_OPTIONS,
  POST_MODE_OPTIONS,
  REVIEW_REASON_WORDS,
  TARGET_KIND_WORDS,
  TEMPLATE_STATUS_OPTIONS,
  optionWords
} from './recurring-labels'

export const AUDIT_AREA_WORDS: Record<AuditArea, string> = {
  operators: 'Operators',
  profile: 'Profile',
  members: 'Members',
  bonds: 'Bonds',
  payments: 'Payments',
  ledger: 'Ledger',
  recurring: 'Recurring',
  payroll: 'Payroll',
  reports: 'Reports',
  mail: 'Email and SMS',
  calendar: 'Holidays',
  notifications: 'Notifications',
  jobs: 'Jobs',
  settings: 'Settings',
  other: 'Other'
}

export const AUDIT_ACTION_WORDS: Record<AuditAction, string> = {
  insert: 'Added',
  update: 'Changed',
  delete: 'Removed'
}

/** Who wrote a row, as people read it: the operator's name then, or the system (jobs, start-up). */
export const SYSTEM_ACTOR_WORDS = 'System'

/**
 * The records (tables) the trail names, in words, in the order the Audit
 * page offers them. A table not listed (a newer one) is named by its table
 * name in words (`auditEntityWords`).
 */
export const AUDIT_ENTITY_WORDS: Readonly<Record<string, string>> = {
  members: 'Member',
  member_events: 'Member history',
  bond_series: 'Bond series',
  bond_holdings: 'Holding',
  bond_payments: 'Payment',
  vouchers: 'Voucher',
  voucher_sequences: 'Voucher numbering',
  ledger_accounts: 'Account',
  member_accounts: 'Member account',
  journal_entries: 'Journal entry',
  journal_lines: 'Journal line',
  ledger_periods: 'Closed month',
  ledger_period_events: 'Month closed or reopened',
  recurring_templates: 'Recurring entry',
  recurring_template_lines: 'Recurring entry line',
  standing_orders: 'Standing order',
  recurring_occurrences: 'Occurrence',
  payroll_staff: 'Staff member',
  payroll_components: 'Pay component',
  payroll_component_rates: 'Pay component rate',
  payroll_structures: 'Pay structure',
  payroll_structure_items: 'Pay structure item',
  payroll_calendars: 'Payroll calendar',
  payroll_periods: 'Payroll period',
  payroll_period_events: 'Payroll period history',
  payroll_payslips: 'Payslip',
  payroll_payslip_lines: 'Payslip line',
  generated_reports: 'Generated report',
  outbox_messages: 'Outbox message',
  outbox_attachments: 'Outbox attachment',
  outbox_attempts: 'Sending attempt',
  notice_templates: 'Notice template',
  member_contact_prefs: 'Member’s channels',
  holidays: 'Holiday',
  operators: 'Operator',
  cooperative_profile: 'Cooperative profile',
  notifications: 'Notification',
  notification_deliveries: 'Notification delivery',
  job_schedules: 'Job schedule',
  settings: 'Setting'
}

/** "bond_payments" → "Payment"; a table without words → "Some table". */
export function auditEntityWords(entity: string): string {
  return AUDIT_ENTITY_WORDS[entity] ?? sentenceCase(entity)
}

/** Fields whose own words are not their column's name in words. */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  member_no: 'Member no.',
  national_id: 'National ID',
  id: 'ID',
  prepared_by: 'Prepared by',
  approved_by: 'Approved by',
  replaces_payment_id: 'Replaces payment',
  created_by_run: 'Created by run',
  coupon_rate_percent: 'Coupon rate (%)',
  withholding_tax_percent: 'Withholding tax (%)',
  cron: 'Schedule',
  version: 'Version'
}

/**
 * Fields every write changes as a matter of course (the edit counter, the
 * time of the change): shown after the real changes,
 * never in a one-line summary.
 */
const BOOKKEEPING_FIELDS = new Set(['version', 'updated_at'])

/** Fields derived from another one (the name's sort key, a binary string): never shown, the stored row keeps them. */
const DERIVED_FIELDS = new Set(['sort_name'])

/** Codes stored in a field, in words: "pending" → "Pending". */
const CODE_WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'bond_payments.status': PAYMENT_STATUS_WORDS,
  'bond_payments.kind': PAYMENT_KIND_WORDS,
  'bond_payments.method': PAYMENT_METHOD_WORDS,
  'bond_holdings.status': HOLDING_STATUS_WORDS,
  'bond_series.status': SERIES_STATUS_WORDS,
  'bond_series.frequency': FREQUENCY_WORDS,
  'operators.role': ROLE_WORDS,
  'recurring_templates.status': optionWords(TEMPLATE_STATUS_OPTIONS),
  'recurring_templates.frequency': optionWords(REPEAT_FREQUENCY_OPTIONS),
  'recurring_templates.holiday_rule': optionWords(HOLIDAY_RULE_OPTIONS),
  'recurring_templates.post_mode': optionWords(POST_MODE_OPTIONS),
  'recurring_templates.amount_kind': optionWords(AMOUNT_KIND_OPTIONS),
  'standing_orders.status': optionWords(ORDER_STATUS_OPTIONS),
  'standing_orders.frequency': optionWords(REPEAT_FREQUENCY_OPTIONS),
  'standing_orders.holiday_rule': optionWords(HOLIDAY_RULE_OPTIONS),
  'standing_orders.insufficient_funds': optionWords(FUNDS_POLICY_OPTIONS),
  'standing_orders.target_kind': TARGET_KIND_WORDS,
  'recurring_occurrences.status': OCCURRENCE_STATUS_WORDS,
  'recurring_occurrences.review': REVIEW_REASON_WORDS
}

/** Fields stored as 0 or 1 that mean no or yes. */
const YES_NO_FIELD = /^(active|enabled|end_of_month|read|(is|has|must)_.+)$/

function sentenceCase(name: string): string {
  const words = name.replace(/_/g, ' ').trim()
  return words ? words[0]!.toUpperCase() + words.slice(1) : name
}

/** "full_name" → "Full name", "gross_minor" → "Gross", "holding_id" → "Holding ID". */
export function auditFieldWords(field: string): string {
  const own = FIELD_WORDS[field]
  if (own) return own
  if (field.endsWith('_minor')) return sentenceCase(field.slice(0, -'_minor'.length))
  if (field.endsWith('_id')) return `${sentenceCase(field.slice(0, -'_id'.length))} ID`
  return sentenceCase(field)
}

/** What a value is shown in: the cooperative's locale, time zone and currency. */
export interface AuditWordsContext {
  locale: string
  timeZone: string
  currency: string
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

/**
 * One stored value in words: money in the currency, dates and instants in
 * the cooperative's locale and zone, codes and yes/no in words; null is
 * "(none)". Anything it cannot read as such is shown as it is stored.
 */
export function auditValueWords(entity: string, field: string, value: unknown, ctx: AuditWordsContext): string {
  if (value === null || value === undefined || value === '') return '(none)'
  try {
    if (typeof value === 'number') {
      if (field.endsWith('_minor') && Number.isSafeInteger(value)) return formatMoney(value, ctx.currency, ctx.locale)
      if (YES_NO_FIELD.test(field) && (value === 0 || value === 1)) return value === 1 ? 'Yes' : 'No'
      return String(value)
    }
    if (typeof value === 'string') {
      const codes = CODE_WORDS[`${entity}.${field}`]
      if (codes && Object.prototype.hasOwnProperty.call(codes, value)) return codes[value]!
      if (isCalendarDate(value)) return formatCalendarDate(value, ctx.locale, 'medium')
      if (ISO_INSTANT.test(value) && Number.isFinite(Date.parse(value))) return formatInstant(value, ctx.locale, ctx.timeZone, { seconds: true })
      return value
    }
    if (typeof value === 'boolean') return value ? 'Yes' : 'No'
    return JSON.stringify(value)
  } catch {
    return typeof value === 'string' ? value : JSON.stringify(value)
  }
}

/** One field of an audit row: its value before and after, in words (null where the row did not exist). */
export interface AuditChange {
  field: string
  label: string
  before: string | null
  after: string | null
  /** Changed by every write (version, time of change): shown after the real changes. */
  bookkeeping: boolean
}

function parseRow(json: string | null): Record<string, unknown> | null | 'unreadable' {
  if (json === null) return null
  try {
    const v: unknown = JSON.parse(json)
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : 'unreadable'
  } catch {
    return 'unreadable'
  }
}

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b)

/**
 * What an audit row changed, field by field: for a change, only the fields
 * whose value differs; for an addition, every field with a value; for a
 * removal, every field it had; never the record's key (the row's record
 * id already) nor a derived field (the name's sort key). Real changes first, bookkeeping last, each
 * group in the row's column order. Null when the row's JSON cannot be read
 * (a trail edited outside the app): show the stored text instead.
 */
export function auditChanges(entry: Pick<AuditEntry, 'entity' | 'entityId' | 'before' | 'after'>, ctx: AuditWordsContext): AuditChange[] | null {
  const before = parseRow(entry.before)
  const after = parseRow(entry.after)
  if (before === 'unreadable' || after === 'unreadable') return null
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])]
  const changes: AuditChange[] = []
  for (const field of fields) {
    const b = before?.[field]
    const a = after?.[field]
    if (DERIVED_FIELDS.has(field) || (before && after && same(a, b))) continue
    // The record's own key is the row's Record ID already.
    if (field === 'id' && String(a ?? b) === entry.entityId) continue
    if (!before && (a === null || a === undefined || a === '')) continue
    if (!after && (b === null || b === undefined || b === '')) continue
    changes.push({
      field,
      label: auditFieldWords(field),
      before: before ? auditValueWords(entry.entity, field, b, ctx) : null,
      after: after ? auditValueWords(entry.entity, field, a, ctx) : null,
      bookkeeping: BOOKKEEPING_FIELDS.has(field)
    })
  }
  return [...changes.filter((c) => !c.bookkeeping), ...changes.filter((c) => c.bookkeeping)]
}

/** One change as a line: "Full name: Amina Odhiambo → Amina Achieng", "Phone: 0722 000 000" (added), "Phone: was 0722 000 000" (removed). */
export function auditChangeLine(c: AuditChange): string {
  if (c.before === null) return `${c.label}: ${c.after ?? ''}`
  if (c.after === null) return `${c.label}: was ${c.before}`
  return `${c.label}: ${c.before} → ${c.after}`
}

/** The record an audit row is about: "Member 12", "Setting vouchers.pattern". */
export function auditRecordWords(entry: Pick<AuditEntry, 'entity' | 'entityId'>): string {
  return `${auditEntityWords(entry.entity)} ${entry.entityId}`
}
