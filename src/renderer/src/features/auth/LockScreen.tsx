import { useState, type FormEvent } from 'react'
import { ROLE_WORDS, type AuthStatus, type SessionOperator } from '../../../../shared/contract'
import { invoke } from '../../platform/api'
import type { FieldErrors } from '../../platform/forms'
import { ErrorBanner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { TextField } from '../../ui/Field'
import { Modal } from '../../ui/Modal'
import { SignInForm } from './SignInPage'
import { placeAuthError } from './errors'

export type LockMode = 'unlock' | 'switch'

export interface LockScreenProps {
  operator: SessionOperator
  mode: LockMode
  onMode: (mode: LockMode) => void
  /** The answer of auth.unlock or auth.signIn (the same operator, or another). */
  onStatus: (status: AuthStatus) => void
  /** Unlocking failed in a way that ended the session (too many wrong passwords): the message for the sign-in screen. */
  onSessionEnded: (message: string) => void
  onSignOut: () => void
}

/**
 * The lock screen: a modal dialog over the page, which stays as it was
 * underneath (route, typed text), blurred and unreachable. The same
 * operator's password opens it again; "Switch operator" signs someone else in
 * (they start on the home page); "Sign out" leaves.
 */
export function LockScreen({ operator, mode, onMode, onStatus, onSessionEnded, onSignOut }: LockScreenProps) {
  return (
    <Modal
      open
      title={mode === 'unlock' ? 'Coffer is locked' : 'Switch operator'}
      // Esc does not leave a lock screen.
      onClose={() => undefined}
      className="lock-screen"
    >
      {mode === 'unlock' ? (
        <UnlockForm operator={operator} onStatus={onStatus} onSessionEnded={onSessionEnded} onSwitch={() => onMode('switch')} onSignOut={onSignOut} />
      ) : (
        <>
          <p className="modal-text">
            Sign in as another operator. Coffer opens on the home page for them; what was on this page and not saved is
            left behind.
          </p>
          <SignInForm
            onSignedIn={onStatus}
            submitLabel="Sign in"
            autoFocus
            extra={
              <>
                <Button variant="ghost" onClick={onSignOut}>
                  Sign out
                </Button>
                <Button onClick={() => onMode('unlock')}>Back to {operator.name}</Button>
              </>
            }
          />
        </>
      )}
    </Modal>
  )
}

function UnlockForm({
  operator,
  onStatus,
  onSessionEnded,
  onSwitch,
  onSignOut
}: {
  operator: SessionOperator
  onStatus: (status: AuthStatus) => void
  onSessionEnded: (message: string) => void
  onSwitch: () => void
  onSignOut: () => void
}) {
  const [password, setPassword] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (busy) return
    setBanner(null)
    if (!password) {
      setErrors({ password: 'Enter your password' })
      return
    }
    setErrors({})
    setBusy(true)
    const r = await invoke('auth.unlock', { password })
    if (r.ok) {
      setBusy(false)
      onStatus(r.value)
      return
    }
    // Too many wrong passwords ends the session: say so on the sign-in screen.
    const status = await invoke('auth.status', {})
    setBusy(false)
    if (status.ok && !status.value.operator) {
      onSessionEnded(r.error.message)
      return
    }
    const placed = placeAuthError(r.error, ['password'])
    setErrors(placed.fields)
    setBanner(placed.banner)
    setPassword('')
  }

  return (
    <form className="form auth-form" noValidate onSubmit={submit} aria-label="Unlock">
      <p className="modal-text lock-who">
        <strong>{operator.name}</strong> <span className="muted">({ROLE_WORDS[operator.role]})</span> is signed in. Enter
        the password to go on where you left off.
      </p>
      <ErrorBanner message={banner} onDismiss={() => setBanner(null)} />
      <TextField
        label="Password"
        type="password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
        autoComplete="current-password"
        autoFocus
      />
      <div className="auth-actions">
        <Button variant="ghost" onClick={onSignOut} disabled={busy}>
          Sign out
        </Button>
        <Button onClick={onSwitch} disabled={busy}>
          Switch operator
        </Button>
        <Button type="submit" variant="primary" busy={busy}>
          Unlock
        </Button>
      </div>
    </form>
  )
}
