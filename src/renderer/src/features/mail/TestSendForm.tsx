import { useState, type FormEvent, type HTMLInputTypeAttribute } from 'react'
import type { TestResult } from '../../../../shared/contract'
import { useCallMutation } from '../../platform/queries'
import { useCan } from '../auth/useCan'
import { ErrorBanner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { TextField } from '../../ui/Field'

/**
 * "Send a test …" under the email and SMS settings: one To field, sent now
 * with the saved settings, and what came back shown by TestResultView.
 * Nothing is shown to someone who may not send a test.
 */
export function TestSendForm({
  channel,
  title,
  intro,
  toType,
  toMaxLength,
  toHint,
  configured,
  notConfiguredTitle,
  resultLabel
}: {
  channel: 'mail.testEmail' | 'mail.testSms'
  /** The heading, the form's label and the button's words. */
  title: string
  intro: string
  toType: HTMLInputTypeAttribute
  toMaxLength: number
  toHint?: string
  configured: boolean
  /** Why the button is off while nothing is saved. */
  notConfiguredTitle: string
  resultLabel: string
}) {
  const canTest = useCan(channel)
  const test = useCallMutation(channel)
  const [to, setTo] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [banner, setBanner] = useState<string | null>(null)
  const result = test.data?.ok ? test.data.value : null
  if (!canTest) return null

  async function send(e: FormEvent) {
    e.preventDefault()
    if (test.isPending) return
    setError(null)
    setBanner(null)
    const r = await test.mutateAsync({ to })
    if (!r.ok) {
      const message = r.error.fields?.to
      if (message) setError(message)
      else setBanner(r.error.message)
    }
  }

  return (
    <form className="form mail-test" noValidate onSubmit={(e) => void send(e)} aria-label={title}>
      <h3 className="mail-subtitle">{title}</h3>
      <p className="section-text muted">{intro}</p>
      <ErrorBanner message={banner} onDismiss={() => setBanner(null)} />
      <div className="mail-test-row">
        <TextField
          label="To"
          type={toType}
          value={to}
          error={error}
          maxLength={toMaxLength}
          autoComplete="off"
          hint={toHint}
          onChange={(e) => {
            setTo(e.target.value)
            setError(null)
          }}
        />
        <Button type="submit" busy={test.isPending} disabled={!configured} title={configured ? undefined : notConfiguredTitle}>
          {title}
        </Button>
      </div>
      {result ? <TestResultView result={result} label={resultLabel} /> : null}
    </form>
  )
}

/**
 * What a test got back: Coffer's reading of it in words, and the server's
 * (or gateway's) reply verbatim, in monospace, as it came.
 */
export function TestResultView({ result, label }: { result: TestResult; label: string }) {
  return (
    <div className={result.ok ? 'mail-test-result is-ok' : 'mail-test-result is-bad'} role="status" data-testid="test-result" data-outcome={result.outcome}>
      <p className="mail-test-reading">
        <strong>{result.ok ? 'Sent.' : 'Not sent.'}</strong> {result.message}
      </p>
      <p className="mail-test-label muted">{label}</p>
      {result.reply ? (
        <pre className="mono mail-test-reply" data-testid="test-reply">
          {result.reply}
        </pre>
      ) : (
        <p className="muted">No reply: the server did not answer.</p>
      )}
    </div>
  )
}
