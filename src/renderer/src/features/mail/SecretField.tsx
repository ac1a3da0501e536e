import type { ReactNode } from 'react'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'

/**
 * A write-only secret (the SMTP password, the SMS gateway token): what is
 * kept is never shown; empty keeps it, text replaces it, and "Forget"
 * removes it when the form is saved ("Keep it" takes that back).
 */
export function SecretField({
  label,
  value,
  error,
  hint,
  kept,
  forget,
  canSave,
  maxLength,
  className,
  onChange,
  onForget,
  onKeep
}: {
  label: string
  value: string
  error?: string
  hint: ReactNode
  /** A secret is kept now. */
  kept: boolean
  /** The kept secret is to be forgotten on save. */
  forget: boolean
  canSave: boolean
  maxLength: number
  className?: string
  onChange: (value: string) => void
  onForget: () => void
  onKeep: () => void
}) {
  return (
    <div className={className ? `mail-password ${className}` : 'mail-password'}>
      <Field label={label} error={error} hint={hint}>
        <input
          type="password"
          autoComplete="new-password"
          value={value}
          placeholder={kept && !forget ? 'Kept: leave empty to keep it' : ''}
          readOnly={!canSave || forget}
          maxLength={maxLength}
          onChange={(e) => onChange(e.target.value)}
        />
      </Field>
      {canSave && kept ? (
        forget ? (
          <Button small onClick={onKeep}>
            Keep it
          </Button>
        ) : (
          <Button small onClick={onForget}>
            Forget
          </Button>
        )
      ) : null}
    </div>
  )
}
