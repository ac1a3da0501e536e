import { useState } from 'react'
import type { DecideResult, ReviewAction, ReviewItem } from '../../../../../shared/contract'
import { addDays } from '../../../../../shared/dates'
import { addMinor } from '../../../../../shared/money'
import { placeServerError, type FieldErrors } from '../../../platform/forms'
import { fmtCount, fmtDate } from '../../../platform/format'
import { fmtMoney, parseAmount } from '../../../platform/money'
import { useCallMutation } from '../../../platform/queries'
import { todayIn } from '../../../platform/today'
import { ConfirmModal } from '../../../ui/ConfirmModal'
import { DateField, TextAreaField, TextField } from '../../../ui/Field'
import { useProfile } from '../../profile/ProfileContext'
import { occurrencesWord } from './words'

/** No amount above this is sent (the contract's limit, 10^15 minor units). */
const MAX_MINOR = 1e15

/** What the treasurer chose, and on which occurrences (those the action applies to). */
export interface Decision {
  action: ReviewAction
  items: ReviewItem[]
  /** Selected occurrences the action leaves alone, and why (failed ones cannot be postponed). */
  leftOut: { count: number; why: string } | null
}

/** An estimated amount that must be confirmed before it posts (one decide call each, with its amount). */
export const needsAmount = (it: ReviewItem) => it.review === 'estimated'

const TITLES: Record<ReviewAction, (n: string, count: number) => string> = {
  post: (n, count) => `Post ${n} with ${count === 1 ? 'its own date' : 'their own dates'}?`,
  'post-today': (n) => `Post ${n} as of today?`,
  skip: (n) => `Skip ${n}?`,
  postpone: (n) => `Postpone ${n}?`
}

const CONFIRM: Record<ReviewAction, string> = { post: 'Post', 'post-today': 'Post as of today', skip: 'Skip', postpone: 'Postpone' }

/**
 * One decision on the occurrences chosen in To review: post them with their
 * own dates or as of today, skip them (a reason is optional) or postpone them
 * until a date. An estimated amount asks for the real one, each on its own
 * line (and is sent on its own: core takes an amount for one occurrence at a
 * time). Every occurrence is done in its own transaction; what could not be
 * done comes back with its reason, for the page to show next to its row.
 */
export function DecideModal({
  decision,
  onClose,
  onDone
}: {
  decision: Decision
  onClose: () => void
  onDone: (result: DecideResult, action: ReviewAction, detail: { until?: string }) => void
}) {
  const { profile } = useProfile()
  const { action, items, leftOut } = decision
  const [today] = useState(() => todayIn(profile.timeZone))
  const [reason, setReason] = useState('')
  const [until, setUntil] = useState(() => (today ? addDays(today, 7) : ''))
  const [amounts, setAmounts] = useState<Record<number, string>>({})
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const decide = useCallMutation('recurring.decide')
  const money = (m: number) => fmtMoney(m, profile.currency, profile.locale)
  const posting = action === 'post' || action === 'post-today'
  const estimated = posting ? items.filter(needsAmount) : []
  const plain = posting ? items.filter((it) => !needsAmount(it)) : items
  const n = occurrencesWord(items.length, profile.locale)
  let total: number | null
  try {
    total = addMinor(...items.map((it) => it.amountMinor))
  } catch {
    total = null
  }
  const dates = items.map((it) => it.dueDate).sort()
  const first = dates[0]
  const last = dates[dates.length - 1]

  async function save() {
    if (saving) return
    setBanner(null)
    const found: FieldErrors = {}
    const confirmed = new Map<number, number>()
    for (const it of estimated) {
      const text = amounts[it.id]?.trim() ?? ''
      const typed = text ? parseAmount(text, profile.currency, profile.locale) : null
      if (!typed) found[`amount-${it.id}`] = 'Enter the real amount'
      else if (!typed.ok) found[`amount-${it.id}`] = typed.error
      else if (typed.minor <= 0) found[`amount-${it.id}`] = 'Enter an amount above zero'
      else if (typed.minor > MAX_MINOR) found[`amount-${it.id}`] = `Amount must be at most ${money(MAX_MINOR)}`
      else confirmed.set(it.id, typed.minor)
    }
    if (action === 'postpone') {
      if (!until) found.until = 'Choose the day it comes back'
      else if (today && until <= today) found.until = 'Choose a day after today'
    }
    if (Object.keys(found).length > 0) {
      setErrors(found)
      return
    }
    setErrors({})
    setSaving(true)
    const result: DecideResult = { done: 0, failed: [] }
    // The ones without an amount together; core does each in its own transaction.
    if (plain.length > 0) {
      const r = await decide.mutateAsync({
        ids: plain.map((it) => it.id),
        action,
        until: action === 'postpone' ? until : undefined,
        reason: action === 'skip' && reason.trim() ? reason.trim() : undefined
      })
      if (!r.ok) {
        // Refused as a whole (nothing was done): the message by its field, or above.
        setSaving(false)
        const placed = placeServerError(r.error, ['until', 'reason'])
        setErrors(placed.fields)
        setBanner(placed.banner)
        return
      }
      result.done += r.value.done
      result.failed.push(...r.value.failed)
    }
    // Each estimated one with its real amount, one call each.
    for (const it of estimated) {
      const r = await decide.mutateAsync({ ids: [it.id], action, amountMinor: confirmed.get(it.id) as number })
      if (r.ok) {
        result.done += r.value.done
        result.failed.push(...r.value.failed)
      } else {
        const placed = placeServerError(r.error, ['amountMinor'])
        result.failed.push({ id: it.id, reason: placed.fields.amountMinor ? `${placed.fields.amountMinor}.` : r.error.message })
      }
    }
    setSaving(false)
    onDone(result, action, { until: action === 'postpone' ? until : undefined })
  }

  const explain = {
    post:
      first && last
        ? `Each is posted on its own date${first === last ? ` (${fmtDate(first, profile.locale)})` : `, from ${fmtDate(first, profile.locale)} to ${fmtDate(last, profile.locale)}`}. One that falls in a closed month is posted on the next open day; one due after today waits for its date.`
        : '',
    'post-today': `Each is posted with today’s date${today ? ` (${fmtDate(today, profile.locale)})` : ''}, not its own.`,
    skip: 'Skipped ones are never posted; the schedule goes on with the next date.',
    postpone: items.length === 1 ? 'It leaves this list and comes back on the day you choose.' : 'They leave this list and come back on the day you choose.'
  }[action]

  return (
    <ConfirmModal
      title={TITLES[action](n, items.length)}
      className="decide-modal"
      onClose={onClose}
      busy={saving}
      confirmLabel={CONFIRM[action]}
      onConfirm={() => void save()}
      variant={action === 'skip' ? 'danger' : 'primary'}
      error={banner}
      onDismissError={() => setBanner(null)}
      initialFocus={estimated.length > 0 ? '.decide-amount input' : action === 'postpone' ? 'input[type="date"]' : undefined}
      fields={
        action === 'skip' ? (
          <TextAreaField
            label="Reason"
            hint="Optional: kept on the occurrence"
            error={errors.reason}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={300}
          />
        ) : action === 'postpone' ? (
          <DateField label="Until" required error={errors.until} value={until} min={today ? addDays(today, 1) : undefined} onChange={(e) => setUntil(e.target.value)} />
        ) : estimated.length > 0 ? (
          <div className="decide-amounts">
            {estimated.map((it) => (
              <TextField
                key={it.id}
                className="decide-amount"
                label={`Real amount of ${it.name}, ${fmtDate(it.dueDate, profile.locale)} (${profile.currency})`}
                hint={`The estimate is ${money(it.amountMinor)}`}
                required
                inputMode="decimal"
                inputClassName="tnum"
                error={errors[`amount-${it.id}`]}
                value={amounts[it.id] ?? ''}
                onChange={(e) => setAmounts((a) => ({ ...a, [it.id]: e.target.value }))}
              />
            ))}
          </div>
        ) : undefined
      }
    >
      <p className="modal-text">
        {fmtCount(items.length, profile.locale)} {items.length === 1 ? 'occurrence' : 'occurrences'}
        {total !== null ? `, ${money(total)} in all` : ''}. {explain}
      </p>
      {estimated.length > 0 ? (
        <p className="modal-text">
          {estimated.length === 1 ? 'One amount is an estimate' : `${fmtCount(estimated.length, profile.locale)} amounts are estimates`}: enter what
          was really paid. Each is posted on its own with that amount.
        </p>
      ) : null}
      {leftOut ? (
        <p className="modal-text muted" data-testid="decide-left-out">
          {leftOut.why}
        </p>
      ) : null}
    </ConfirmModal>
  )
}
