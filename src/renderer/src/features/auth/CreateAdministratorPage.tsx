import { useEffect, useRef, useState, type FormEvent } from 'react'
import { PASSWORD_MIN, contract, type AuthStatus } from '../../../../shared/contract'
import { invoke } from '../../platform/api'
import { fieldBinder, focusFirstInvalid, issuesToFieldErrors, useFormErrors } from '../../platform/forms'
import { ErrorBanner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { TextField } from '../../ui/Field'

interface Values {
  name: string
  username: string
  password: string
  confirm: string
}
const FIELDS = ['name', 'username', 'password', 'confirm'] as const

export interface CreateAdministratorPageProps {
  /** The cooperative's name, when its profile is saved. */
  coopName: string | null
  onCreated: (status: AuthStatus) => void
}

/**
 * The first launch's second step (or the first, on a book from before
 * operators existed): the administrator, who then adds the other operators.
 */
export function CreateAdministratorPage({ coopName, onCreated }: CreateAdministratorPageProps) {
  const [values, setValues] = useState<Values>({ name: '', username: '', password: '', confirm: '' })
  const { errors, banner, setBanner, focusTick, clear, showLocal, showServer } = useFormErrors(FIELDS)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)

  useEffect(() => {
    document.title = 'Create the administrator · Coffer'
  }, [])
  useEffect(() => {
    if (focusTick > 0) focusFirstInvalid(formRef.current)
  }, [focusTick])

  const field = fieldBinder(
    values,
    (key, value) => setValues((v) => ({ ...v, [key]: value })),
    (key) => errors[key]
  )

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (busy) return
    setBanner(null)
    const input = { name: values.name, username: values.username.trim(), password: values.password }
    const parsed = contract['auth.createAdministrator'].input.safeParse(input)
    const found = parsed.success ? {} : issuesToFieldErrors(parsed.error.issues)
    if (!found.password && values.confirm !== values.password) found.confirm = 'The two passwords are not the same'
    if (Object.keys(found).length > 0) {
      showLocal(found)
      return
    }
    clear()
    setBusy(true)
    const r = await invoke('auth.createAdministrator', input)
    setBusy(false)
    if (!r.ok) {
      showServer(r.error)
      return
    }
    onCreated(r.value)
  }

  return (
    <main className="boot-page auth-page" aria-labelledby="create-admin-title">
      <div className="boot-card auth-card auth-card-wide">
        <p className="boot-eyebrow">First launch{coopName ? ` · ${coopName}` : ''}</p>
        <h1 id="create-admin-title" className="boot-title">
          Create the administrator
        </h1>
        <p className="boot-message">
          The administrator signs in to Coffer first, adds the other operators (treasurers, clerks, auditors) and
          changes the settings. Choose a password only you know: nobody can read it back, and without it an
          administrator cannot sign in.
        </p>
        <form ref={formRef} className="form" noValidate onSubmit={submit} aria-label="Create the administrator">
          <ErrorBanner message={banner} onDismiss={() => setBanner(null)} />
          <div className="form-grid">
            <TextField label="Name" required className="span-2" {...field('name')} autoComplete="name" maxLength={120} autoFocus />
            <TextField
              label="Username"
              required
              hint="Letters, digits and . _ - (for signing in)"
              {...field('username')}
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={40}
            />
            <span />
            <TextField
              label="Password"
              required
              type="password"
              hint={`At least ${PASSWORD_MIN} characters; a few words are easier to remember than symbols`}
              {...field('password')}
              autoComplete="new-password"
            />
            <TextField label="Confirm password" required type="password" {...field('confirm')} autoComplete="new-password" />
          </div>
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={busy}>
              Create administrator
            </Button>
          </div>
        </form>
      </div>
    </main>
  )
}
