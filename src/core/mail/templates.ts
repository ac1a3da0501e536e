import type { NoticeKind } from '../../shared/contract/mail'
import { formatMoney } from '../../shared/money'
import { formatDate, formatPeriod } from '../../shared/words'
import { isCalendarDate } from '../../shared/dates'

/**
 * The notices' own wording (Coffer's default per kind), the placeholders each
 * kind knows, and rendering a template with a notice's values.
 *
 * A placeholder is a name in braces, {member_name}. Each kind knows its own
 * list; a template naming one it does not know is refused when saved (the
 * treasurer sees which, and the ones that exist), and never rendered. Values
 * are typed: money in minor units is written in the cooperative's currency and
 * locale, dates (YYYY-MM-DD) and periods in its locale.
 */

export type Audience = 'member' | 'staff' | 'alerts'

/** How a value is written: text as it is; money (minor units) in the currency; a date or a period (`start/end`) in the locale; a count as a number. */
export type ValueType = 'text' | 'money' | 'date' | 'period' | 'count'

export interface Placeholder {
  description: string
  type: ValueType
}

/** A notice's values by placeholder name (without braces): money in minor units, dates as YYYY-MM-DD, periods as YYYY-MM-DD/YYYY-MM-DD. */
export type NoticeValues = Record<string, string | number>

const member: Record<string, Placeholder> = {
  member_name: { description: "The member's full name", type: 'text' },
  member_no: { description: "The member's number", type: 'text' },
  cooperative: { description: "The cooperative's name", type: 'text' }
}

const staff: Record<string, Placeholder> = {
  staff_name: { description: "The staff member's full name", type: 'text' },
  staff_no: { description: "The staff member's number", type: 'text' },
  cooperative: { description: "The cooperative's name", type: 'text' }
}

export const PLACEHOLDERS: Readonly<Record<NoticeKind, Readonly<Record<string, Placeholder>>>> = {
  voucher: {
    ...member,
    voucher_no: { description: 'The payment voucher number', type: 'text' },
    amount: { description: 'The amount paid (after tax)', type: 'money' },
    gross: { description: 'The amount before tax', type: 'money' },
    tax: { description: 'The tax withheld', type: 'money' },
    date: { description: 'The day it was paid', type: 'date' },
    description: { description: 'What the payment is for, as the voucher says', type: 'text' },
    reference: { description: "The payment's reference (a cheque or transfer number), or \"none\"", type: 'text' }
  },
  'coupon-ready': {
    ...member,
    amount: { description: 'The coupon to be paid (after tax)', type: 'money' },
    gross: { description: 'The coupon before tax', type: 'money' },
    tax: { description: 'The tax to be withheld', type: 'money' },
    date: { description: 'The day it is due', type: 'date' },
    series: { description: 'The bond series (its code and name)', type: 'text' },
    period: { description: 'The interest period the coupon covers', type: 'period' }
  },
  maturity: {
    ...member,
    series: { description: 'The bond series (its code and name)', type: 'text' },
    units: { description: 'How many bonds the member holds', type: 'count' },
    amount: { description: 'The face value of the holding, repaid at maturity', type: 'money' },
    date: { description: 'The day the holding matures', type: 'date' },
    days: { description: 'How many days are left until then', type: 'count' }
  },
  'standing-order-failed': {
    ...member,
    order: { description: 'The standing order (its description)', type: 'text' },
    amount: { description: "The order's amount", type: 'money' },
    date: { description: 'The day it was due', type: 'date' },
    error: { description: 'Why it could not be carried out', type: 'text' }
  },
  payslip: {
    ...staff,
    period: { description: 'The pay period (its name)', type: 'text' },
    date: { description: 'The pay day', type: 'date' },
    gross: { description: 'Gross pay', type: 'money' },
    deductions: { description: 'Deductions in all', type: 'money' },
    net_pay: { description: 'Net pay', type: 'money' }
  },
  'job-failure': {
    cooperative: { description: "The cooperative's name", type: 'text' },
    job: { description: 'The job that failed', type: 'text' },
    error: { description: 'What went wrong', type: 'text' },
    date: { description: 'The day it failed', type: 'date' }
  }
}

export const AUDIENCE: Readonly<Record<NoticeKind, Audience>> = {
  voucher: 'member',
  'coupon-ready': 'member',
  maturity: 'member',
  'standing-order-failed': 'member',
  payslip: 'staff',
  'job-failure': 'alerts'
}

export interface TemplateWording {
  email: boolean
  sms: boolean
  subject: string
  body: string
  smsBody: string
  /** The maturity notice's lead time; null for every other kind. */
  daysBefore: number | null
}

/** Coffer's own wording: plain and friendly. */
export const DEFAULT_TEMPLATES: Readonly<Record<NoticeKind, TemplateWording>> = {
  voucher: {
    email: true,
    sms: false,
    subject: 'Your payment {voucher_no} from {cooperative}',
    body:
      'Dear {member_name},\n\n' +
      'We have paid {amount} on {date} (member {member_no}): {description}. ' +
      'That is {gross} before {tax} tax.\n\n' +
      'Your payment voucher {voucher_no} is attached. Please keep it for your records.\n\n' +
      'With kind regards,\n{cooperative}',
    smsBody: '{cooperative}: we paid {amount} on {date}, voucher {voucher_no}.',
    daysBefore: null
  },
  'coupon-ready': {
    email: true,
    sms: false,
    subject: 'Your {series} interest is ready: {amount}',
    body:
      'Dear {member_name},\n\n' +
      'The interest on your {series} bonds for {period} is ready to be paid: {amount} ({gross} before {tax} tax), due on {date}.\n\n' +
      'We will let you know when it has been paid.\n\n' +
      'With kind regards,\n{cooperative}',
    smsBody: '{cooperative}: your {series} interest of {amount} is due on {date}.',
    daysBefore: null
  },
  maturity: {
    email: true,
    sms: false,
    subject: 'Your {series} bonds mature on {date}',
    body:
      'Dear {member_name},\n\n' +
      'Your {units} {series} bonds (member {member_no}) mature on {date}, in {days} days. ' +
      'Their face value of {amount} will be repaid to you then.\n\n' +
      'If your bank details have changed, please tell us before that day.\n\n' +
      'With kind regards,\n{cooperative}',
    smsBody: '{cooperative}: your {series} bonds ({amount}) mature on {date}.',
    daysBefore: 30
  },
  'standing-order-failed': {
    email: true,
    sms: false,
    subject: 'Your standing order could not be carried out',
    body:
      'Dear {member_name},\n\n' +
      'Your standing order "{order}" of {amount}, due on {date}, could not be carried out: {error}\n\n' +
      'Please get in touch with us so that we can put it right.\n\n' +
      'With kind regards,\n{cooperative}',
    smsBody: '{cooperative}: your standing order "{order}" of {amount} due {date} could not be carried out. Please contact us.',
    daysBefore: null
  },
  payslip: {
    email: true,
    sms: false,
    subject: 'Your payslip for {period}',
    body:
      'Dear {staff_name},\n\n' +
      'Your payslip for {period} is attached. Net pay of {net_pay} ({gross} gross, less {deductions} deductions) is paid on {date}.\n\n' +
      'With kind regards,\n{cooperative}',
    smsBody: '{cooperative}: your payslip for {period} is ready; net pay {net_pay} on {date}.',
    daysBefore: null
  },
  'job-failure': {
    email: true,
    sms: true,
    subject: 'Coffer: the {job} job failed',
    body:
      'The {job} job failed on {date}:\n\n{error}\n\n' +
      'Open Coffer and look at the job\'s run history to see what happened and run it again.\n\n' +
      '{cooperative}',
    smsBody: 'Coffer ({cooperative}): the {job} job failed on {date}: {error}',
    daysBefore: null
  }
}

/** The placeholders a kind knows, with braces, as the contract lists them: { "{member_name}": "The member's full name" }. */
export function placeholderDescriptions(kind: NoticeKind): Record<string, string> {
  return Object.fromEntries(Object.entries(PLACEHOLDERS[kind]).map(([k, p]) => [`{${k}}`, p.description]))
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g

/** Every placeholder a text names, once each, in order. */
export function placeholdersIn(text: string): string[] {
  const seen = new Set<string>()
  for (const m of text.matchAll(PLACEHOLDER)) seen.add(m[1] as string)
  return [...seen]
}

/** The placeholders of `text` that `kind` does not know. */
export function unknownPlaceholders(kind: NoticeKind, text: string): string[] {
  const known = PLACEHOLDERS[kind]
  return placeholdersIn(text).filter((p) => !Object.hasOwn(known, p))
}

/**
 * Field messages for a template's texts naming an unknown placeholder:
 * `{ body: 'Body names {membr_name}, which this notice does not know; it knows {member_name}, …' }`.
 * Empty when every placeholder is known.
 */
export function placeholderProblems(kind: NoticeKind, texts: { subject: string; body: string; smsBody: string }): Record<string, string> {
  const known = Object.keys(PLACEHOLDERS[kind])
    .map((k) => `{${k}}`)
    .join(', ')
  const labels = { subject: 'Subject', body: 'Body', smsBody: 'SMS text' } as const
  const problems: Record<string, string> = {}
  for (const field of ['subject', 'body', 'smsBody'] as const) {
    const unknown = unknownPlaceholders(kind, texts[field])
    if (unknown.length === 0) continue
    const named = unknown.map((u) => `{${u}}`).join(', ')
    problems[field] =
      `${labels[field]} names ${named}, which ${unknown.length === 1 ? 'is not a placeholder' : 'are not placeholders'} of this notice. ` +
      `The placeholders it knows: ${known}.`
  }
  return problems
}

export interface ValueFormat {
  locale: string
  currency: string
}

/** One value written for people, by its placeholder's type. */
export function formatValue(type: ValueType, value: string | number, f: ValueFormat): string {
  switch (type) {
    case 'text':
      return String(value)
    case 'count':
      return typeof value === 'number' ? new Intl.NumberFormat(f.locale, { maximumFractionDigits: 0 }).format(value) : value
    case 'money':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new RangeError(`A money value must be whole minor units, not ${String(value)}`)
      return formatMoney(value, f.currency, f.locale)
    case 'date':
      if (typeof value !== 'string' || !isCalendarDate(value)) throw new RangeError(`A date value must be YYYY-MM-DD, not ${String(value)}`)
      return formatDate(value, f.locale)
    case 'period': {
      const [start, end] = String(value).split('/')
      if (start === undefined || end === undefined || !isCalendarDate(start) || !isCalendarDate(end)) throw new RangeError(`A period value must be YYYY-MM-DD/YYYY-MM-DD, not ${String(value)}`)
      return formatPeriod(start, end, f.locale)
    }
  }
}

/** A kind's values written for people: every placeholder it knows must have its value (a missing one is a mistake in Coffer, never an empty gap). */
export function formatValues(kind: NoticeKind, values: NoticeValues, f: ValueFormat): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, p] of Object.entries(PLACEHOLDERS[kind])) {
    const v = values[name]
    if (v === undefined) throw new RangeError(`The ${kind} notice was given no value for {${name}}`)
    out[name] = formatValue(p.type, v, f)
  }
  return out
}

/**
 * A template with its placeholders filled in. A placeholder with no value is
 * refused (RangeError): saved templates were checked, so this is a mistake.
 */
export function render(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (!Object.hasOwn(vars, name)) throw new RangeError(`The template names ${whole}, which has no value`)
    return vars[name] as string
  })
}
