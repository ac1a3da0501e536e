import { useState } from 'react'
import type { JournalEntry, MemberAccount } from '../../../../shared/contract'
import { placeServerError, type FieldErrors } from '../../platform/forms'
import { fmtMoney, parseAmount } from '../../platform/money'
import { useCallMutation } from '../../platform/queries'
import { todayIn } from '../../platform/today'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { DateField, SelectField, TextField } from '../../ui/Field'
import { useProfile } from '../profile/ProfileContext'

/** What money a member account takes: a deposit or withdrawal (savings), a share purchase (shares). */
export type MoneyAction = 'deposit' | 'withdraw' | 'buyShares'

const CHANNEL = { deposit: 'ledger.deposit', withdraw: 'ledger.withdraw', buyShares: 'ledger.buyShares' } as const

const WORDS: Record<MoneyAction, { title: string; confirm: string; via: string; viaHint: string; description: string }> = {
  deposit: { title: 'Deposit to', confirm: 'Deposit', via: 'Received in', viaHint: 'Where the money comes in', description: 'Deposit' },
  withdraw: { title: 'Withdraw from', confirm: 'Withdraw', via: 'Paid out of', viaHint: 'Where the money goes out from', description: 'Withdrawal' },
  buyShares: { title: 'Buy shares for', confirm: 'Buy shares', via: 'Received in', viaHint: 'Where the money comes in', description: 'Share purchase' }
}

const VIA_OPTIONS = [
  { value: 'cash', label: 'Cash' },
  { value: 'bank', label: 'Bank' }
]

const FIELDS = ['amountMinor', 'valueDate', 'via', 'reference', 'description'] as const
/** No amount above this is sent (the contract's limit, 10^15 minor units). */
const MAX_MINOR = 1e15

/**
 * A deposit, withdrawal or share purchase on one member account: amount (in
 * the book's currency, as typed in the locale), value date, cash or bank,
 * reference and description. Core's refusals land next to their fields (a
 * withdrawal past the balance on the amount, a closed month on the date);
 * nothing is posted until core accepts it.
 */
export function MemberMoneyModal({
  action,
  account,
  onClose,
  onDone
}: {
  action: MoneyAction
  account: MemberAccount
  onClose: () => void
  onDone: (entry: JournalEntry) => void
}) {
  const { profile } = useProfile()
  const words = WORDS[action]
  const [today] = useState(() => todayIn(profile.timeZone))
  const [amount, setAmount] = useState('')
  const [valueDate, setValueDate] = useState(today)
  const [via, setVia] = useState('cash')
  const [reference, setReference] = useState('')
  const [description, setDescription] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const post = useCallMutation(CHANNEL[action])
  const money = (m: number) => fmtMoney(m, profile.currency, profile.locale)
  const typed = amount.trim() ? parseAmount(amount, profile.currency, profile.locale) : null

  const clearError = (key: string) =>
    setErrors((e) => {
      if (!(key in e)) return e
      const next = { ...e }
      delete next[key]
      return next
    })

  async function save() {
    if (saving) return
    setBanner(null)
    const found: FieldErrors = {}
    let amountMinor = 0
    if (!typed) found.amountMinor = 'Amount is required'
    else if (!typed.ok) found.amountMinor = typed.error
    else if (typed.minor <= 0) found.amountMinor = 'Enter an amount above zero'
    else if (typed.minor > MAX_MINOR) found.amountMinor = `Amount must be at most ${money(MAX_MINOR)}`
    else amountMinor = typed.minor
    if (!valueDate) found.valueDate = 'Value date is required'
    if (Object.keys(found).length > 0) {
      setErrors(found)
      return
    }
    setErrors({})
    setSaving(true)
    const r = await post.mutateAsync({
      memberAccountId: account.id,
      amountMinor,
      valueDate,
      via: via as 'cash' | 'bank',
      reference: reference.trim() || null,
      description: description.trim() || null
    })
    setSaving(false)
    if (!r.ok) {
      const placed = placeServerError(r.error, FIELDS)
      setErrors(placed.fields)
      setBanner(placed.banner)
      return
    }
    onDone(r.value)
  }

  return (
    <ConfirmModal
      title={`${words.title} ${account.number}`}
      className="member-money-modal"
      onClose={onClose}
      busy={saving}
      confirmLabel={words.confirm}
      onConfirm={() => void save()}
      error={banner}
      onDismissError={() => setBanner(null)}
      fields={
        <div className="form-grid">
          <TextField
            label={`Amount (${profile.currency})`}
            required
            error={errors.amountMinor}
            hint={typed?.ok && typed.minor > 0 ? money(typed.minor) : action === 'withdraw' ? `Balance ${money(account.balanceMinor)}` : undefined}
            value={amount}
            onChange={(e) => {
              setAmount(e.target.value)
              clearError('amountMinor')
            }}
            inputMode="decimal"
            inputClassName="tnum"
            maxLength={30}
            autoComplete="off"
            autoFocus
          />
          <DateField
            label="Value date"
            required
            error={errors.valueDate}
            value={valueDate}
            onChange={(e) => {
              setValueDate(e.target.value)
              clearError('valueDate')
            }}
            max={today || undefined}
          />
          <SelectField
            label={words.via}
            required
            error={errors.via}
            hint={words.viaHint}
            value={via}
            onChange={(e) => {
              setVia(e.target.value)
              clearError('via')
            }}
            options={VIA_OPTIONS}
          />
          <TextField
            label="Reference"
            error={errors.reference}
            hint="Receipt, slip or bank reference (optional)"
            value={reference}
            onChange={(e) => {
              setReference(e.target.value)
              clearError('reference')
            }}
            maxLength={60}
            autoComplete="off"
          />
          <TextField
            label="Description"
            className="span-2"
            error={errors.description}
            hint={`Optional; otherwise “${words.description}: ${account.memberNo} ${account.memberName}”`}
            value={description}
            onChange={(e) => {
              setDescription(e.target.value)
              clearError('description')
            }}
            maxLength={300}
            autoComplete="off"
          />
        </div>
      }
    >
      <p className="modal-text">
        {account.memberName}’s {account.product === 'savings' ? 'savings' : 'share capital'} account
        {' · '}balance <span className="tnum">{money(account.balanceMinor)}</span>
      </p>
    </ConfirmModal>
  )
}
