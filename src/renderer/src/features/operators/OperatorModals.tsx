import { useState } from 'react'
import { PASSWORD_MIN, contract, type Operator, type Role } from '../../../../shared/contract'
import { useCallMutation } from '../../platform/queries'
import { fieldBinder, issuesToFieldErrors, useFormErrors } from '../../platform/forms'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { SelectField, TextField } from '../../ui/Field'
import { ROLE_DESCRIPTIONS, ROLE_OPTIONS } from './labels'

interface FormValues {
  name: string
  username: string
  role: string
  password: string
}
const FIELDS = ['name', 'username', 'role', 'password'] as const

/** Add an operator (with a temporary password), or change one's name, username and role. */
export function OperatorFormModal({ operator, onClose, onSaved }: { operator: Operator | null; onClose: () => void; onSaved: (o: Operator) => void }) {
  const adding = operator === null
  const [values, setValues] = useState<FormValues>({
    name: operator?.name ?? '',
    username: operator?.username ?? '',
    role: operator?.role ?? 'clerk',
    password: ''
  })
  const form = useFormErrors(FIELDS)
  const create = useCallMutation('operators.create')
  const update = useCallMutation('operators.update')
  const busy = create.isPending || update.isPending
  const field = fieldBinder(
    values,
    (key, value) => setValues((v) => ({ ...v, [key]: value })),
    (key) => form.errors[key]
  )

  async function save() {
    if (busy) return
    form.setBanner(null)
    const base = { name: values.name, username: values.username.trim(), role: values.role as Role }
    const parsed = adding
      ? contract['operators.create'].input.safeParse({ ...base, password: values.password })
      : contract['operators.update'].input.safeParse({ ...base, id: operator.id, version: operator.version })
    if (!parsed.success) {
      form.showLocal(issuesToFieldErrors(parsed.error.issues))
      return
    }
    form.clear()
    const r = adding
      ? await create.mutateAsync({ ...base, password: values.password })
      : await update.mutateAsync({ ...base, id: operator.id, version: operator.version })
    if (!r.ok) {
      form.showServer(r.error)
      return
    }
    onSaved(r.value)
  }

  const role = values.role as Role
  return (
    <ConfirmModal
      title={adding ? 'Add an operator' : `Edit ${operator.name}`}
      confirmLabel={adding ? 'Add operator' : 'Save operator'}
      onConfirm={() => void save()}
      onClose={onClose}
      busy={busy}
      error={form.banner}
      onDismissError={() => form.setBanner(null)}
      className="operator-modal"
      fields={
        <>
          <TextField label="Name" required {...field('name')} autoComplete="off" maxLength={120} />
          <TextField
            label="Username"
            required
            hint="Letters, digits and . _ - (for signing in)"
            {...field('username')}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={40}
          />
          <SelectField label="Role" required options={ROLE_OPTIONS} hint={ROLE_DESCRIPTIONS[role]} {...field('role')} />
          {adding ? (
            <TextField
              label="Temporary password"
              required
              type="password"
              hint={`At least ${PASSWORD_MIN} characters. Tell it to them; they choose their own when they first sign in.`}
              {...field('password')}
              autoComplete="new-password"
            />
          ) : null}
        </>
      }
    />
  )
}

/** A temporary password for someone who forgot theirs (or is locked out): they choose a new one at their next sign-in. */
export function ResetPasswordModal({ operator, onClose, onDone }: { operator: Operator; onClose: () => void; onDone: (o: Operator) => void }) {
  const [password, setPassword] = useState('')
  const form = useFormErrors(['password'])
  const reset = useCallMutation('operators.resetPassword')

  async function confirm() {
    if (reset.isPending) return
    form.setBanner(null)
    const input = { id: operator.id, password }
    const parsed = contract['operators.resetPassword'].input.safeParse(input)
    if (!parsed.success) {
      form.showLocal(issuesToFieldErrors(parsed.error.issues))
      return
    }
    form.clear()
    const r = await reset.mutateAsync(input)
    if (!r.ok) {
      form.showServer(r.error)
      return
    }
    onDone(r.value)
  }

  return (
    <ConfirmModal
      title={`Reset ${operator.name}’s password?`}
      confirmLabel="Reset password"
      onConfirm={() => void confirm()}
      onClose={onClose}
      busy={reset.isPending}
      error={form.banner}
      onDismissError={() => form.setBanner(null)}
      fields={
        <TextField
          label="Temporary password"
          required
          type="password"
          hint={`At least ${PASSWORD_MIN} characters. Tell it to ${operator.name}.`}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={form.errors.password}
          autoComplete="new-password"
        />
      }
    >
      <p className="modal-text">
        {operator.name} signs in with this password once and then chooses their own.
        {operator.lockedUntil ? ' It also ends the lockout after too many wrong passwords.' : ''} Their old password stops
        working now.
      </p>
    </ConfirmModal>
  )
}

/** Switch an operator off (they cannot sign in; what they did stays) or on again. */
export function SetActiveModal({ operator, onClose, onDone }: { operator: Operator; onClose: () => void; onDone: (o: Operator) => void }) {
  const setActive = useCallMutation('operators.setActive')
  const [error, setError] = useState<string | null>(null)
  const on = !operator.active

  async function confirm() {
    setError(null)
    const r = await setActive.mutateAsync({ id: operator.id, version: operator.version, active: on })
    if (!r.ok) {
      setError(r.error.message)
      return
    }
    onDone(r.value)
  }

  return (
    <ConfirmModal
      title={on ? `Switch ${operator.name} on?` : `Switch ${operator.name} off?`}
      confirmLabel={on ? 'Switch on' : 'Switch off'}
      variant={on ? 'primary' : 'danger'}
      onConfirm={() => void confirm()}
      onClose={onClose}
      busy={setActive.isPending}
      error={error}
      onDismissError={() => setError(null)}
    >
      <p className="modal-text">
        {on
          ? `${operator.name} can sign in again with their password.`
          : `${operator.name} can no longer sign in. What they did stays in the records and the audit trail; you can switch them on again later.`}
      </p>
    </ConfirmModal>
  )
}
