/**
 * Words for the payroll contract's period codes (src/shared/contract/payroll.ts):
 * statuses, frequencies, the history's actions, a run's outcomes, the
 * register's highlights, and the automation rule as a form edits it. Keyed
 * by string so a value the contract gains later still shows, as itself.
 */
import type { AutomationRule, PayPeriodStatus } from '../../../../shared/contract'

const humanise = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1).replace(/-/g, ' ') : s)
const label = (table: Readonly<Record<string, string>>) => (v: string | null | undefined) => (v ? (table[v] ?? humanise(v)) : '')

export const PERIOD_STATUS_OPTIONS: ReadonlyArray<{ value: PayPeriodStatus; label: string }> = [
  { value: 'active', label: 'Not drafted yet' },
  { value: 'draft', label: 'Draft, to review' },
  { value: 'failed', label: 'Failed' },
  { value: 'approved', label: 'Approved' },
  { value: 'posted', label: 'Posted' }
]

export const FREQUENCY_OPTIONS = [
  { value: 'monthly', label: 'Monthly' },
  { value: 'biweekly', label: 'Every two weeks' },
  { value: 'weekly', label: 'Weekly' }
] as const

export const periodStatusLabel = label(Object.fromEntries(PERIOD_STATUS_OPTIONS.map((o) => [o.value, o.label])))
export const frequencyLabel = label(Object.fromEntries(FREQUENCY_OPTIONS.map((o) => [o.value, o.label])))

export const eventActionLabel = label({
  created: 'Created',
  drafted: 'Drafted',
  recomputed: 'Recomputed',
  failed: 'Failed',
  approved: 'Approved',
  posted: 'Posted',
  reversed: 'Reversed',
  changed: 'Changed'
})

export const runOutcomeLabel = label({
  drafted: 'Drafted',
  partial: 'Partly drafted',
  recomputed: 'Recomputed',
  reposted: 'Reversed and posted again',
  unchanged: 'Nothing to do',
  failed: 'Failed'
})

export const changeLabel = label({ new: 'New', left: 'Left', 'net-changed': 'Net changed', failed: 'Failed' })

const STATUS_TONES: Record<string, string> = {
  active: 'badge badge-inactive',
  draft: 'badge badge-info',
  failed: 'badge badge-warn',
  approved: 'badge badge-active',
  posted: 'badge badge-active'
}

export const periodBadgeClass = (status: string) => STATUS_TONES[status] ?? 'badge badge-inactive'

/** The automation rule as a form holds it: every kind's value as typed, so switching kinds loses nothing. */
export interface RuleDraft {
  kind: AutomationRule['kind']
  days: string
  cron: string
  date: string
}

export function ruleDraftOf(rule: AutomationRule | null | undefined): RuleDraft {
  const d: RuleDraft = { kind: 'days-before-end', days: '0', cron: '0 9 25 * *', date: '' }
  if (!rule) return d
  if (rule.kind === 'days-before-end') return { ...d, kind: rule.kind, days: String(rule.days) }
  if (rule.kind === 'cron') return { ...d, kind: rule.kind, cron: rule.cron }
  return { ...d, kind: rule.kind, date: rule.date }
}

/** The rule the draft is, or the message for its field (days, cron or date). */
export function ruleOfDraft(d: RuleDraft): { ok: true; rule: AutomationRule } | { ok: false; field: string; message: string } {
  if (d.kind === 'days-before-end') {
    const t = d.days.trim()
    if (!/^\d{1,2}$/.test(t) || Number(t) > 60) return { ok: false, field: 'rule.days', message: 'Enter a whole number of days from 0 to 60' }
    return { ok: true, rule: { kind: 'days-before-end', days: Number(t) } }
  }
  if (d.kind === 'cron') {
    const t = d.cron.trim()
    if (!t) return { ok: false, field: 'rule.cron', message: 'Enter the cron expression' }
    return { ok: true, rule: { kind: 'cron', cron: t } }
  }
  if (!d.date) return { ok: false, field: 'rule.date', message: 'Choose the day it runs' }
  return { ok: true, rule: { kind: 'on-date', date: d.date } }
}

export const RULE_KIND_OPTIONS = [
  { value: 'days-before-end', label: 'Days before the period ends' },
  { value: 'cron', label: 'A cron expression' },
  { value: 'on-date', label: 'On a date' }
] as const
