import { useState, type Dispatch, type ReactNode, type SetStateAction } from 'react'
import { useQueries } from '@tanstack/react-query'
import { AccountType, type Account, type MemberAccount } from '../../../../shared/contract'
import { subMinor } from '../../../../shared/money'
import { call } from '../../platform/api'
import type { FieldErrors, FormErrors } from '../../platform/forms'
import { fmtAmount, fmtMoney, parseAmount } from '../../platform/money'
import { useProfile } from '../profile/ProfileContext'
import { MemberPicker, type PickedMember } from '../members/MemberPicker'
import { Button } from '../../ui/Button'
import { Field, TextField } from '../../ui/Field'
import { sumMinor } from './EntryModal'
import { ACCOUNT_TYPE_PLURAL, accountLabel, productWords } from './labels'
import { ledgerKeys } from './queries'
import './ledger.css'

/**
 * The lines of an entry being written (a journal entry, a recurring entry's
 * template): an account, the member's account when the account is a control
 * account, a debit or a credit; the totals and the difference live.
 */
export interface EntryLine {
  /** Stable across adds and removes (React's key). */
  key: number
  accountId: string
  member: PickedMember | null
  debit: string
  credit: string
}

/** A line as the contract takes it (ledger.post, recurring.createTemplate). */
export interface EntryLineInput {
  accountId: number
  memberAccountId: number | null
  debitMinor: number
  creditMinor: number
}

const LINE_FIELDS = ['', '.accountId', '.memberAccountId', '.debitMinor', '.creditMinor'] as const

/** The line fields a form shows a message next to, for `n` lines (and "lines", about all of them). */
export function lineFieldKeys(n: number): string[] {
  const out: string[] = ['lines']
  for (let i = 0; i < n; i++) for (const f of LINE_FIELDS) out.push(`lines.${i}${f}`)
  return out
}

let nextKey = 1
export const blankEntryLine = (): EntryLine => ({ key: nextKey++, accountId: '', member: null, debit: '', credit: '' })

/** A line filled in from one already saved (a template's), amounts in the cooperative's way of writing them. */
export function entryLineFrom(
  l: { accountId: number; debitMinor: number; creditMinor: number },
  member: PickedMember | null,
  profile: { currency: string; locale: string }
): EntryLine {
  const amount = (m: number) => (m === 0 ? '' : fmtAmount(m, profile.currency, profile.locale))
  return { key: nextKey++, accountId: String(l.accountId), member, debit: amount(l.debitMinor), credit: amount(l.creditMinor) }
}

/** What a money box holds: nothing (0), an amount, or the message for the box. */
type Amount = { ok: true; minor: number } | { ok: false; error: string }

export interface EntryLinesModel {
  lines: EntryLine[]
  setLines: Dispatch<SetStateAction<EntryLine[]>>
  accounts: Account[]
  byId: Map<string, Account>
  /** The member's account under the line's control account: found, missing (with why), or still loading. */
  memberAccountOf: (line: EntryLine) => { account: MemberAccount | null; problem: string | null }
  amountOf: (text: string) => Amount
  /** The lines as the contract takes them, and the messages found before sending (in the app's words). */
  collect: () => { lines: EntryLineInput[]; found: FieldErrors }
}

/** The lines' state, and what each line's member account is (each member named is asked for their accounts once). */
export function useEntryLines(accounts: Account[], initial: () => EntryLine[]): EntryLinesModel {
  const { profile } = useProfile()
  const [lines, setLines] = useState<EntryLine[]>(initial)
  const byId = new Map(accounts.map((a) => [String(a.id), a]))

  // Each member named on a control-account line: their accounts, to find the one under that control account.
  const memberIds = [...new Set(lines.flatMap((l) => (l.member && byId.get(l.accountId)?.controlOf ? [l.member.id] : [])))]
  const memberAccounts = useQueries({
    queries: memberIds.map((memberId) => ({
      queryKey: ledgerKeys.memberAccounts(memberId),
      queryFn: () => call('ledger.memberAccounts', { memberId })
    }))
  })
  const accountsOf = new Map(memberIds.map((id, i) => [id, memberAccounts[i]]))

  function memberAccountOf(line: EntryLine): { account: MemberAccount | null; problem: string | null } {
    const a = byId.get(line.accountId)
    if (!a?.controlOf || !line.member) return { account: null, problem: null }
    const q = accountsOf.get(line.member.id)
    if (!q?.data) return { account: null, problem: q?.isError ? q.error.message : null }
    const found = q.data.accounts.find((m) => m.controlAccountId === a.id) ?? null
    return found
      ? { account: found, problem: null }
      : { account: null, problem: `${line.member.fullName} has no ${productWords(a.controlOf)} account: open one on the member’s page.` }
  }

  const amountOf = (text: string): Amount => (text.trim() ? parseAmount(text, profile.currency, profile.locale) : { ok: true, minor: 0 })

  function collect(): { lines: EntryLineInput[]; found: FieldErrors } {
    const found: FieldErrors = {}
    const sent = lines.map((l, i) => {
      const a = byId.get(l.accountId)
      if (!a) found[`lines.${i}.accountId`] = 'Choose an account'
      const ma = memberAccountOf(l)
      if (a?.controlOf && !l.member) found[`lines.${i}.memberAccountId`] = `Choose the member: ${a.name} is a control account`
      else if (a?.controlOf && ma.problem) found[`lines.${i}.memberAccountId`] = ma.problem
      const debit = amountOf(l.debit)
      const credit = amountOf(l.credit)
      if (!debit.ok) found[`lines.${i}.debitMinor`] = debit.error
      if (!credit.ok) found[`lines.${i}.creditMinor`] = credit.error
      return {
        accountId: a?.id ?? 0,
        memberAccountId: ma.account?.id ?? null,
        debitMinor: debit.ok ? debit.minor : 0,
        creditMinor: credit.ok ? credit.minor : 0
      }
    })
    return { lines: sent, found }
  }

  return { lines, setLines, accounts, byId, memberAccountOf, amountOf, collect }
}

export interface EntryLinesEditorProps {
  model: EntryLinesModel
  form: FormErrors
  /** The most lines the contract takes (200 for a journal entry, 50 for a recurring one). */
  maxLines: number
  /** The fieldset's title. */
  legend?: string
  /** Under the difference: what the lines mean (an estimated amount, say). */
  note?: ReactNode
}

/**
 * The lines' table: one row per line, "Add line", the totals and the
 * difference, and the messages (each line's under it, the whole entry's under
 * the difference). Changing a line clears its messages.
 */
export function EntryLinesEditor({ model, form, maxLines, legend = 'Lines', note }: EntryLinesEditorProps) {
  const { profile } = useProfile()
  const { lines, setLines, accounts, byId, memberAccountOf, amountOf } = model
  const active = accounts.filter((a) => a.active)

  const debitTotal = sumMinor(lines.map((l) => amountOf(l.debit)).flatMap((a) => (a.ok ? [a.minor] : [])))
  const creditTotal = sumMinor(lines.map((l) => amountOf(l.credit)).flatMap((a) => (a.ok ? [a.minor] : [])))
  let difference: number | null = null
  try {
    difference = debitTotal !== null && creditTotal !== null ? subMinor(debitTotal, creditTotal) : null
  } catch {
    difference = null
  }
  const money = (m: number) => fmtMoney(m, profile.currency, profile.locale)

  const forget = (...keys: string[]) =>
    form.setErrors((e) => {
      if (!keys.some((k) => k in e)) return e
      const next = { ...e }
      for (const k of keys) delete next[k]
      return next
    })

  const setLine = (index: number, patch: Partial<EntryLine>, field: string) => {
    setLines((ls) => ls.map((l, i) => (i === index ? { ...l, ...patch } : l)))
    forget(`lines.${index}`, `lines.${index}.${field}`, 'lines')
  }
  // Removing a line moves the lines after it: their messages no longer match them.
  const removeLine = (index: number) => {
    setLines((ls) => ls.filter((_, i) => i !== index))
    form.setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith('lines'))))
  }

  const linesError = form.errors.lines
  return (
    <fieldset className="form-section entry-lines-section">
      <legend className="form-section-title">{legend}</legend>
      <table className="entry-lines" aria-label="Lines">
        <thead>
          <tr>
            <th scope="col" className="col-no">
              <span className="visually-hidden">Line</span>
            </th>
            <th scope="col" className="col-account">
              Account
            </th>
            <th scope="col" className="col-member">
              Member account
            </th>
            <th scope="col" className="num col-money">
              Debit
            </th>
            <th scope="col" className="num col-money">
              Credit
            </th>
            <th scope="col" className="col-remove">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => {
            const a = byId.get(l.accountId)
            const ma = memberAccountOf(l)
            const err = (f: string) => form.errors[`lines.${i}${f}`]
            const n = i + 1
            return (
              <LineRow
                key={l.key}
                n={n}
                lineError={err('')}
                account={
                  <Field label={`Line ${n} account`} error={err('.accountId')}>
                    <select value={l.accountId} onChange={(e) => setLine(i, { accountId: e.target.value }, 'accountId')}>
                      <option value="">Choose an account</option>
                      {AccountType.options.map((type) => {
                        const of = active.filter((x) => x.type === type)
                        return of.length ? (
                          <optgroup key={type} label={ACCOUNT_TYPE_PLURAL[type]}>
                            {of.map((x) => (
                              <option key={x.id} value={String(x.id)}>
                                {accountLabel(x)}
                              </option>
                            ))}
                          </optgroup>
                        ) : null
                      })}
                      {a && !a.active ? <option value={l.accountId}>{`${accountLabel(a)} (inactive)`}</option> : null}
                    </select>
                  </Field>
                }
                member={
                  a?.controlOf ? (
                    <MemberPicker
                      label={`Line ${n} member`}
                      value={l.member}
                      onChange={(member) => setLine(i, { member }, 'memberAccountId')}
                      error={err('.memberAccountId') ?? (l.member ? ma.problem : null)}
                      hint={ma.account ? `${ma.account.number} · balance ${money(ma.account.balanceMinor)}` : undefined}
                      popover
                      placeholder={`Member (${productWords(a.controlOf)})`}
                    />
                  ) : err('.memberAccountId') ? (
                    <p className="field-error">{err('.memberAccountId')}</p>
                  ) : (
                    <span className="empty-value" title="Only a control account’s lines name a member’s account">
                      —
                    </span>
                  )
                }
                debit={<MoneyBox label={`Line ${n} debit`} value={l.debit} error={err('.debitMinor')} onChange={(debit) => setLine(i, { debit }, 'debitMinor')} />}
                credit={<MoneyBox label={`Line ${n} credit`} value={l.credit} error={err('.creditMinor')} onChange={(credit) => setLine(i, { credit }, 'creditMinor')} />}
                remove={
                  <Button
                    small
                    variant="ghost"
                    onClick={() => removeLine(i)}
                    disabled={lines.length <= 2}
                    title={lines.length <= 2 ? 'An entry needs at least two lines' : undefined}
                    aria-label={`Remove line ${n}`}
                  >
                    ×
                  </Button>
                }
              />
            )
          })}
        </tbody>
        <tfoot>
          <tr className="entry-totals" data-testid="entry-totals">
            <td />
            <td colSpan={2}>
              <Button
                small
                onClick={() => setLines((ls) => [...ls, blankEntryLine()])}
                disabled={lines.length >= maxLines}
                title={lines.length >= maxLines ? `At most ${maxLines} lines` : undefined}
              >
                Add line
              </Button>
            </td>
            <td className="num tnum" data-testid="total-debit">
              {debitTotal === null ? '—' : money(debitTotal)}
            </td>
            <td className="num tnum" data-testid="total-credit">
              {creditTotal === null ? '—' : money(creditTotal)}
            </td>
            <td />
          </tr>
          <tr>
            <td />
            <td colSpan={4} className="entry-difference-cell">
              <p className={difference === 0 ? 'entry-difference is-balanced' : 'entry-difference'} data-testid="entry-difference" aria-live="polite">
                {difference === null
                  ? 'The totals cannot be added up.'
                  : difference === 0
                    ? debitTotal === 0
                      ? 'Enter the amounts: debits must equal credits.'
                      : 'Balanced: debits equal credits.'
                    : `Difference ${money(Math.abs(difference))}: ${difference > 0 ? 'debits' : 'credits'} are more.`}
              </p>
              {linesError ? (
                <p className="field-error" id="entry-lines-error" data-testid="lines-error">
                  {linesError}
                </p>
              ) : null}
              {note}
            </td>
            <td />
          </tr>
        </tfoot>
      </table>
    </fieldset>
  )
}

interface LineRowProps {
  n: number
  lineError: string | undefined
  account: ReactNode
  member: ReactNode
  debit: ReactNode
  credit: ReactNode
  remove: ReactNode
}

/** One line of the entry; a message about the whole line (a debit and a credit both, neither) under it. */
function LineRow({ n, lineError, account, member, debit, credit, remove }: LineRowProps) {
  return (
    <>
      <tr className={lineError ? 'entry-line has-error' : 'entry-line'} data-line={n}>
        <td className="col-no tnum muted">{n}</td>
        <td className="col-account">{account}</td>
        <td className="col-member">{member}</td>
        <td className="col-money">{debit}</td>
        <td className="col-money">{credit}</td>
        <td className="col-remove">{remove}</td>
      </tr>
      {lineError ? (
        <tr className="entry-line-error">
          <td />
          <td colSpan={4}>
            <p className="field-error" data-testid={`line-${n}-error`}>
              Line {n}: {lineError}
            </p>
          </td>
          <td />
        </tr>
      ) : null}
    </>
  )
}

/** A money box: typed in the cooperative's locale, read with parseAmount when the form adds up or saves. */
function MoneyBox({ label, value, error, onChange }: { label: string; value: string; error: string | undefined; onChange: (v: string) => void }) {
  const { profile } = useProfile()
  // Leaving the box shows what was understood ("400" as 400.00); what does not read as an amount stays as typed.
  const tidy = () => {
    if (!value.trim()) return
    const r = parseAmount(value, profile.currency, profile.locale)
    if (r.ok) {
      const shown = fmtAmount(r.minor, profile.currency, profile.locale)
      if (shown !== value) onChange(shown)
    }
  }
  return (
    <TextField
      label={label}
      value={value}
      error={error}
      onChange={(e) => onChange(e.target.value)}
      onBlur={tidy}
      inputMode="decimal"
      inputClassName="tnum num-input"
      maxLength={30}
      autoComplete="off"
    />
  )
}
