import { useState } from 'react'
import { contract, type Account } from '../../../../shared/contract'
import { fieldBinder, issuesToFieldErrors, useFormErrors } from '../../platform/forms'
import { fmtMoney } from '../../platform/money'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { SelectField, TextField } from '../../ui/Field'
import { ACCOUNT_TYPE_OPTIONS, ACCOUNT_TYPE_WORDS, accountLabel } from './labels'

interface FormValues {
  code: string
  name: string
  type: string
}
const FIELDS = ['code', 'name', 'type'] as const

/**
 * Add an account to the chart (code, name, type), or rename or renumber one.
 * An account's type is fixed once it exists (its balance's direction depends
 * on it). Core's refusals (a code already used) land next to their field.
 */
export function AccountFormModal({ account, onClose, onSaved }: { account: Account | null; onClose: () => void; onSaved: (a: Account) => void }) {
  const adding = account === null
  const [values, setValues] = useState<FormValues>({ code: account?.code ?? '', name: account?.name ?? '', type: account?.type ?? 'asset' })
  const form = useFormErrors(FIELDS)
  const create = useCallMutation('ledger.createAccount')
  const update = useCallMutation('ledger.updateAccount')
  const busy = create.isPending || update.isPending
  const field = fieldBinder(
    values,
    (key, value) => {
      setValues((v) => ({ ...v, [key]: value }))
      form.setErrors((e) => {
        if (!(key in e)) return e
        const next = { ...e }
        delete next[key]
        return next
      })
    },
    (key) => form.errors[key]
  )

  async function save() {
    if (busy) return
    form.setBanner(null)
    if (adding) {
      const parsed = contract['ledger.createAccount'].input.safeParse(values)
      if (!parsed.success) return form.showLocal(issuesToFieldErrors(parsed.error.issues))
      form.clear()
      const r = await create.mutateAsync(parsed.data)
      if (!r.ok) return form.showServer(r.error)
      onSaved(r.value)
      return
    }
    const input = { id: account.id, expectedVersion: account.version, code: values.code, name: values.name }
    const parsed = contract['ledger.updateAccount'].input.safeParse(input)
    if (!parsed.success) return form.showLocal(issuesToFieldErrors(parsed.error.issues))
    form.clear()
    const r = await update.mutateAsync(parsed.data)
    if (!r.ok) return form.showServer(r.error)
    onSaved(r.value)
  }

  return (
    <ConfirmModal
      title={adding ? 'Add an account' : `Edit ${accountLabel(account)}`}
      confirmLabel={adding ? 'Add account' : 'Save account'}
      onConfirm={() => void save()}
      onClose={onClose}
      busy={busy}
      error={form.banner}
      onDismissError={() => form.setBanner(null)}
      className="account-modal"
      fields={
        <>
          <TextField
            label="Code"
            required
            hint="Letters, digits, . and -, e.g. 1020 or 4100-FEES"
            {...field('code')}
            inputClassName="mono"
            maxLength={20}
            autoComplete="off"
            spellCheck={false}
          />
          <TextField label="Name" required {...field('name')} maxLength={120} autoComplete="off" />
          {adding ? (
            <SelectField
              label="Type"
              required
              hint="Assets and expenses grow with debits; liabilities, equity and income with credits."
              options={ACCOUNT_TYPE_OPTIONS}
              {...field('type')}
            />
          ) : (
            <p className="modal-text muted">
              {ACCOUNT_TYPE_WORDS[account.type]} account. Its type stays as it is: the direction of its balance depends on it.
            </p>
          )}
        </>
      }
    />
  )
}

/**
 * Deactivate an account (nothing more can be posted to it; its entries stay)
 * or reactivate one. Core refuses an account Coffer posts to itself, or one
 * with a balance, with a sentence: shown here as it comes.
 */
export function SetAccountActiveModal({ account, onClose, onDone }: { account: Account; onClose: () => void; onDone: (a: Account) => void }) {
  const { profile } = useProfile()
  const [banner, setBanner] = useState<string | null>(null)
  const setActive = useCallMutation('ledger.setAccountActive')
  const deactivating = account.active

  async function confirm() {
    if (setActive.isPending) return
    setBanner(null)
    const r = await setActive.mutateAsync({ id: account.id, expectedVersion: account.version, active: !account.active })
    if (!r.ok) {
      setBanner(r.error.message)
      return
    }
    onDone(r.value)
  }

  return (
    <ConfirmModal
      title={`${deactivating ? 'Deactivate' : 'Reactivate'} ${accountLabel(account)}?`}
      confirmLabel={deactivating ? 'Deactivate' : 'Reactivate'}
      cancelLabel="Back"
      variant={deactivating ? 'danger' : 'primary'}
      onConfirm={() => void confirm()}
      onClose={onClose}
      busy={setActive.isPending}
      error={banner}
      onDismissError={() => setBanner(null)}
    >
      {deactivating ? (
        <p className="modal-text">
          Nothing more can be posted to it until it is reactivated. Its entries stay in the journal and its statement stays
          readable. Balance now: {fmtMoney(account.balanceMinor, profile.currency, profile.locale)}.
        </p>
      ) : (
        <p className="modal-text">Entries can be posted to it again.</p>
      )}
    </ConfirmModal>
  )
}
