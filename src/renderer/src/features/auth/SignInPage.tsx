import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import type { AuthStatus } from '../../../../shared/contract'
import { invoke } from '../../platform/api'
import { focusFirstInvalid, type FieldErrors } from '../../platform/forms'
import { ErrorBanner, Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { TextField } from '../../ui/Field'
import { placeAuthError } from './errors'

const FIELDS = ['username', 'password'] as const

export interface SignInPageProps {
  onSignedIn: (status: AuthStatus) => void
  /** Why the window is here (signed out because the account was locked or switched off). */
  notice?: string | null
  /** The cooperative's name, when its profile is saved. */
  coopName: string | null
}

/** Every start, and after signing out: who is at the PC. */
export function SignInPage({ onSignedIn, notice, coopName }: SignInPageProps) {
  useEffect(() => {
    document.title = 'Sign in · Coffer'
  }, [])
  return (
    <main className="boot-page auth-page" aria-labelledby="sign-in-title">
      <div className="boot-card auth-card">
        <p className="boot-eyebrow">{coopName ?? 'Coffer'}</p>
        <h1 id="sign-in-title" className="boot-title">
          Sign in
        </h1>
        <p className="boot-message">Sign in with the username and password an administrator gave you.</p>
        {notice ? <Banner tone="warning">{notice}</Banner> : null}
        <SignInForm onSignedIn={onSignedIn} submitLabel="Sign in" autoFocus />
      </div>
    </main>
  )
}

export interface SignInFormProps {
  onSignedIn: (status: AuthStatus) => void
  submitLabel: string
  autoFocus?: boolean
  /** Buttons beside the submit button (the lock screen's Back, Sign out). */
  extra?: ReactNode
}

/** Username and password, then auth.signIn; the core's message next to the field it names. */
export function SignInForm({ onSignedIn, submitLabel, autoFocus, extra }: SignInFormProps) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [focusTick, setFocusTick] = useState(0)
  const formRef = useRef<HTMLFormElement>(null)

  useEffect(() => {
    if (focusTick > 0) focusFirstInvalid(formRef.current)
  }, [focusTick])

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (busy) return
    setBanner(null)
    const missing: FieldErrors = {}
    if (!username.trim()) missing.username = 'Enter your username'
    if (!password) missing.password = 'Enter your password'
    if (Object.keys(missing).length > 0) {
      setErrors(missing)
      setFocusTick((t) => t + 1)
      return
    }
    setErrors({})
    setBusy(true)
    const r = await invoke('auth.signIn', { username: username.trim(), password })
    setBusy(false)
    if (!r.ok) {
      const placed = placeAuthError(r.error, FIELDS)
      setErrors(placed.fields)
      setBanner(placed.banner)
      setPassword('')
      setFocusTick((t) => t + 1)
      return
    }
    onSignedIn(r.value)
  }

  return (
    <form ref={formRef} className="form auth-form" noValidate onSubmit={submit} aria-label="Sign in">
      <ErrorBanner message={banner} onDismiss={() => setBanner(null)} />
      <TextField
        label="Username"
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        error={errors.username}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={40}
        autoFocus={autoFocus}
      />
      <TextField
        label="Password"
        type="password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
        autoComplete="current-password"
      />
      <div className="auth-actions">
        {extra}
        <Button type="submit" variant="primary" busy={busy}>
          {submitLabel}
        </Button>
      </div>
    </form>
  )
}
