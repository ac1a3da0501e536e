import { useState, type FormEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Link } from 'react-router-dom'
import type { EmailSettings, EmailSettingsInput, SmtpSecurity } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { useFormErrors } from '../../platform/forms'
import { useCan } from '../auth/useCan'
import { Banner, ErrorBanner } from '../../ui/Banner'
import { SelectField, TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { LoadedSection } from '../settings/LoadedSection'
import { mailKeys } from './queries'
import { SecretField } from './SecretField'
import { TestSendForm } from './TestSendForm'
import './mail-settings.css'

const FIELDS = ['host', 'port', 'security', 'user', 'password', 'fromName', 'fromAddress', 'replyTo', 'alertAddress', 'alertPhone'] as const

const SECURITY_OPTIONS = [
  { value: 'starttls', label: 'STARTTLS (usually port 587)' },
  { value: 'tls', label: 'TLS from the start (usually port 465)' },
  { value: 'none', label: 'None (usually port 25)' }
]

/** One sentence per choice, under the select. */
const SECURITY_HINTS: Record<SmtpSecurity, string> = {
  starttls: 'The connection starts plain and Coffer asks the server to encrypt it before anything is sent; Coffer refuses to send if the server cannot.',
  tls: 'The connection is encrypted from its first byte, as most providers offer on port 465.',
  none: 'Nothing is encrypted: the password and every message cross the network as they are. Only for a server on this computer or a trusted network.'
}

interface Values {
  host: string
  port: string
  security: string
  user: string
  password: string
  fromName: string
  fromAddress: string
  replyTo: string
  alertAddress: string
  alertPhone: string
}

const toValues = (s: EmailSettings): Values => ({
  host: s.host ?? '',
  port: s.port === null ? '587' : String(s.port),
  security: s.security ?? 'starttls',
  user: s.user ?? '',
  password: '',
  fromName: s.fromName ?? '',
  fromAddress: s.fromAddress ?? '',
  replyTo: s.replyTo ?? '',
  alertAddress: s.alertAddress ?? '',
  alertPhone: s.alertPhone ?? ''
})

/**
 * Settings → Email: the SMTP server Coffer sends through, who the messages
 * are from, where staff alerts go, and a test message that shows the
 * server's own answer. The password is written, never shown: it is kept in
 * the OS keychain, not in the data file.
 */
export function EmailSettingsSection() {
  const canRead = useCan('mail.emailSettings')
  const canTemplates = useCan('mail.templates')
  const loaded = useQuery({ queryKey: mailKeys.emailSettings(), queryFn: () => call('mail.emailSettings', {}), enabled: canRead })
  if (!canRead) return null
  return (
    <LoadedSection
      id="email-settings-title"
      title="Email"
      className="mail-settings"
      testId="email-settings"
      headExtra={
        canTemplates ? (
          <Link to="/settings/notices" className="panel-link">
            Notices and their wording
          </Link>
        ) : null
      }
      query={loaded}
      errorTitle="The email settings could not be loaded"
      loadingLabel="Loading email settings…"
    >
      {(data) => (
        <>
          <EmailSettingsForm initial={data} />
          <TestSendForm
            channel="mail.testEmail"
            title="Send a test message"
            intro="Sent now with the saved settings (save first), not through the outbox. What the server answers is shown as it came."
            toType="email"
            toMaxLength={254}
            configured={data.configured}
            notConfiguredTitle="Save the email settings first"
            resultLabel="The server answered"
          />
        </>
      )}
    </LoadedSection>
  )
}

function EmailSettingsForm({ initial }: { initial: EmailSettings }) {
  const canSave = useCan('mail.saveEmailSettings')
  const client = useQueryClient()
  const save = useCallMutation('mail.saveEmailSettings')
  const [values, setValues] = useState<Values>(() => toValues(initial))
  const [kept, setKept] = useState(initial.passwordKept)
  const [where, setWhere] = useState(initial.passwordWhere)
  const [keychainProblem, setKeychainProblem] = useState(initial.keychainProblem)
  const [forget, setForget] = useState(false)
  const form = useFormErrors(FIELDS)
  const [saved, setSaved] = useState(false)

  const bind = (key: keyof Values) => ({
    value: values[key],
    onChange: (e: { target: { value: string } }) => {
      const value = e.target.value
      setValues((v) => ({ ...v, [key]: value }))
      setSaved(false)
      form.setErrors((x) => {
        if (!(key in x)) return x
        const next = { ...x }
        delete next[key]
        return next
      })
    },
    error: form.errors[key],
    readOnly: !canSave
  })

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (!canSave || save.isPending) return
    form.setBanner(null)
    setSaved(false)
    const port = values.port.trim()
    if (port === '' || !/^\d+$/.test(port)) {
      form.showLocal({ port: 'Port must be a whole number like 587' })
      return
    }
    form.clear()
    const input: EmailSettingsInput = {
      host: values.host,
      port: Number(port),
      security: values.security as SmtpSecurity,
      user: values.user,
      fromName: values.fromName,
      fromAddress: values.fromAddress,
      replyTo: values.replyTo,
      alertAddress: values.alertAddress,
      alertPhone: values.alertPhone
    }
    // Omitted: the kept password stays; null: forgotten; text: the new one.
    if (forget) input.password = null
    else if (values.password !== '') input.password = values.password
    const r = await save.mutateAsync(input)
    if (!r.ok) {
      form.showServer(r.error)
      return
    }
    client.setQueryData(mailKeys.emailSettings(), r.value)
    setValues(toValues(r.value))
    setKept(r.value.passwordKept)
    setWhere(r.value.passwordWhere)
    setKeychainProblem(r.value.keychainProblem)
    setForget(false)
    setSaved(true)
  }

  const security = values.security as SmtpSecurity
  const passwordHint = forget
    ? `The kept password is forgotten (removed from ${where}) when you save.`
    : kept
      ? `A password is kept in ${where}. Leave this empty to keep it; type a new one to replace it.`
      : `No password is kept. It is kept in ${where}, never in the data file.`
  return (
    <form className="form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label="Email settings">
      <p className="section-text muted">
        The mail server Coffer sends members’ vouchers and notices, staff payslips and alerts through. Messages wait in the outbox and the mail job
        sends them every minute while Coffer is open.
      </p>
      {canSave ? null : <p className="section-text muted">Only an administrator can change these.</p>}
      <ErrorBanner message={form.banner} onDismiss={() => form.setBanner(null)} />
      {keychainProblem ? (
        <Banner tone="warning" className="page-banner">
          <span data-testid="email-keychain-problem">{keychainProblem} A password cannot be kept or read until it can be.</span>
        </Banner>
      ) : null}
      <div className="form-grid form-grid-3">
        <TextField label="Server" required className="span-2" {...bind('host')} maxLength={253} autoComplete="off" inputClassName="mono" hint="The SMTP server's host name, like smtp.example.org" />
        <TextField label="Port" required {...bind('port')} type="number" inputMode="numeric" inputClassName="tnum" min={1} max={65535} step={1} />
        <SelectField
          label="Security"
          required
          className="span-2"
          {...bind('security')}
          disabled={!canSave}
          options={SECURITY_OPTIONS}
          hint={SECURITY_HINTS[security] ?? undefined}
        />
        <span />
        <TextField label="User name" {...bind('user')} maxLength={254} autoComplete="off" hint="Empty: the server takes mail without signing in" />
        <SecretField
          label="Password"
          className="span-2"
          value={values.password}
          error={form.errors.password}
          hint={passwordHint}
          kept={kept}
          forget={forget}
          canSave={canSave}
          maxLength={512}
          onChange={(value) => bind('password').onChange({ target: { value } })}
          onForget={() => {
            setForget(true)
            setValues((v) => ({ ...v, password: '' }))
            setSaved(false)
          }}
          onKeep={() => setForget(false)}
        />
        <TextField label="Sender name" required {...bind('fromName')} maxLength={120} autoComplete="off" hint="What members see as who the message is from" />
        <TextField label="Sender address" required type="email" {...bind('fromAddress')} maxLength={254} autoComplete="off" />
        <TextField label="Reply-to" type="email" {...bind('replyTo')} maxLength={254} autoComplete="off" hint="Optional: where members' replies go" />
        <TextField label="Alert address" type="email" {...bind('alertAddress')} maxLength={254} autoComplete="off" hint="Optional: staff alerts (a job failed, a message could not be sent) by email" />
        <TextField label="Alert phone" type="tel" {...bind('alertPhone')} maxLength={40} autoComplete="off" hint="Optional: the same alerts by SMS, when SMS is set up" />
      </div>
      {canSave ? <FormActions saveLabel="Save email settings" saving={save.isPending} saved={saved} shortcut={false} /> : null}
    </form>
  )
}
