import { useEffect, useRef, useState, type FormEvent } from 'react'
import { PASSWORD_MIN, ROLE_WORDS, contract, type AuthStatus, type SessionOperator } from '../../../../shared/contract'
import { useCallMutation } from '../../platform/queries'
import { focusFirstInvalid, issuesToFieldErrors, useFormErrors, type FormErrors } from '../../platform/forms'
import { ErrorBanner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { TextField } from '../../ui/Field'
import { placeAuthError } from './errors'

interface Values {
  current: string
  next: string
  confirm: string
}
const FIELDS = ['current', 'next', 'confirm'] as const
const EMPTY: Values = { current: '', next: '', confirm: '' }

/** The three fields, their checks and the call, shared by the page (a password the administrator set) and the dialog. */
function useChangePassword(onChanged: (status: AuthStatus) => void) {
  const [values, setValues] = useState<Values>(EMPTY)
  const form: FormErrors = useFormErrors(FIELDS)
  const mutation = useCallMutation('auth.changePassword')

  const set = (key: keyof Values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value }))

  async function submit() {
    if (mutation.isPending) return
    form.setBanner(null)
    const input = { current: values.current, next: values.next }
    const parsed = contract['auth.changePassword'].input.safeParse(input)
    const found = parsed.success ? {} : issuesToFieldErrors(parsed.error.issues)
    if (!found.next && values.confirm !== values.next) found.confirm = 'The two new passwords are not the same'
    if (Object.keys(found).length > 0) {
      form.showLocal(found)
      return
    }
    form.clear()
    const r = await mutation.mutateAsync(input)
    if (!r.ok) {
      const placed = placeAuthError(r.error, FIELDS)
      form.setErrors(placed.fields)
      form.setBanner(placed.banner)
      setValues((v) => ({ ...v, current: placed.fields.current ? '' : v.current }))
      return
    }
    setValues(EMPTY)
    onChanged(r.value)
  }

  const fields = (autoFocus: boolean, currentLabel: string, currentHint?: string) => (
    <>
      <TextField
        label={currentLabel}
        type="password"
        required
        hint={currentHint}
        value={values.current}
        onChange={set('current')}
        error={form.errors.current}
        autoComplete="current-password"
        autoFocus={autoFocus}
      />
      <TextField
        label="New password"
        type="password"
        required
        hint={`At least ${PASSWORD_MIN} characters`}
        value={values.next}
        onChange={set('next')}
        error={form.errors.next}
        autoComplete="new-password"
      />
      <TextField
        label="Confirm new password"
        type="password"
        required
        value={values.confirm}
        onChange={set('confirm')}
        error={form.errors.confirm}
        autoComplete="new-password"
      />
    </>
  )
  return { form, submit, fields, busy: mutation.isPending }
}

export interface MustChangePasswordPageProps {
  operator: SessionOperator
  onChanged: (status: AuthStatus) => void
  onSignOut: () => void
}

/** Signed in with a password an administrator set: choose one's own before anything else. */
export function MustChangePasswordPage({ operator, onChanged, onSignOut }: MustChangePasswordPageProps) {
  const { form, submit, fields, busy } = useChangePassword(onChanged)
  const formRef = useRef<HTMLFormElement>(null)
  useEffect(() => {
    document.title = 'Choose a new password · Coffer'
  }, [])
  useEffect(() => {
    if (form.focusTick > 0) focusFirstInvalid(formRef.current)
  }, [form.focusTick])
  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    void submit()
  }
  return (
    <main className="boot-page auth-page" aria-labelledby="must-change-title">
      <div className="boot-card auth-card">
        <p className="boot-eyebrow">
          {operator.name} · {ROLE_WORDS[operator.role]}
        </p>
        <h1 id="must-change-title" className="boot-title">
          Choose a new password
        </h1>
        <p className="boot-message">
          An administrator set a temporary password for you. Choose your own before you go on: nobody else, not even
          an administrator, will know it.
        </p>
        <form ref={formRef} className="form auth-form" noValidate onSubmit={onSubmit} aria-label="Choose a new password">
          <ErrorBanner message={form.banner} onDismiss={() => form.setBanner(null)} />
          {fields(true, 'Temporary password', 'The password the administrator gave you')}
          <div className="auth-actions">
            <Button variant="ghost" onClick={onSignOut} disabled={busy}>
              Sign out
            </Button>
            <Button type="submit" variant="primary" busy={busy}>
              Save new password
            </Button>
          </div>
        </form>
      </div>
    </main>
  )
}

/** The top bar's Change password: the same three fields in a dialog. */
export function ChangePasswordModal({ onClose, onChanged }: { onClose: () => void; onChanged: (status: AuthStatus) => void }) {
  const { form, submit, fields, busy } = useChangePassword(onChanged)
  const bodyRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (form.focusTick > 0) focusFirstInvalid(bodyRef.current?.closest('dialog') ?? null)
  }, [form.focusTick])
  return (
    <ConfirmModal
      title="Change your password"
      confirmLabel="Change password"
      onConfirm={() => void submit()}
      onClose={onClose}
      busy={busy}
      error={form.banner}
      onDismissError={() => form.setBanner(null)}
      fields={<div ref={bodyRef}>{fields(false, 'Current password')}</div>}
    >
      <p className="modal-text">Your new password counts from the next time you sign in or unlock Coffer.</p>
    </ConfirmModal>
  )
}
