import { useState, type FormEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { SmsSettings, SmsSettingsInput } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { useFormErrors } from '../../platform/forms'
import { useCan } from '../auth/useCan'
import { Banner, ErrorBanner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { Field, SelectField, TextAreaField, TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { LoadedSection } from '../settings/LoadedSection'
import { Switch } from '../../ui/Switch'
import { mailKeys } from './queries'
import { SecretField } from './SecretField'
import { TestSendForm } from './TestSendForm'
import './mail-settings.css'

type Method = SmsSettingsInput['method']
type ContentType = SmsSettingsInput['contentType']

const METHOD_OPTIONS = [
  { value: 'POST', label: 'POST (the message in the body)' },
  { value: 'GET', label: 'GET (the message in the URL)' }
]

const CONTENT_TYPE_OPTIONS = [
  { value: 'application/json', label: 'JSON (application/json)' },
  { value: 'application/x-www-form-urlencoded', label: 'Form fields (application/x-www-form-urlencoded)' },
  { value: 'text/plain', label: 'Plain text (text/plain)' }
]

const CONTENT_TYPE_HINTS: Record<ContentType, string> = {
  'application/json': 'The placeholders are put in JSON-escaped: write them inside quotes, like "{message}".',
  'application/x-www-form-urlencoded': 'The placeholders are put in URL-encoded, like to={to}&text={message}.',
  'text/plain': 'The placeholders are put in as they are.'
}

interface Header {
  key: number
  name: string
  value: string
}

let nextHeaderKey = 1
const header = (name = '', value = ''): Header => ({ key: nextHeaderKey++, name, value })

/**
 * Settings → SMS gateway: the HTTP request Coffer makes to send one SMS
 * through a local provider (URL, method, headers, body with {to}, {message}
 * and {token}); the gateway's status code decides whether it was sent. The
 * token is written, never shown: it is kept in the OS keychain.
 */
export function SmsSettingsSection() {
  const canRead = useCan('mail.smsSettings')
  const loaded = useQuery({ queryKey: mailKeys.smsSettings(), queryFn: () => call('mail.smsSettings', {}), enabled: canRead })
  if (!canRead) return null
  return (
    <LoadedSection
      id="sms-settings-title"
      title="SMS gateway"
      className="mail-settings"
      testId="sms-settings"
      query={loaded}
      errorTitle="The SMS settings could not be loaded"
      loadingLabel="Loading SMS settings…"
    >
      {(data) => (
        <>
          <SmsSettingsForm initial={data} />
          <TestSendForm
            channel="mail.testSms"
            title="Send a test SMS"
            intro="Sent now with the saved settings (save first), not through the outbox. The gateway’s status and body are shown as they came."
            toType="tel"
            toMaxLength={40}
            toHint="A phone number like +254 700 123456"
            configured={data.configured && data.enabled}
            notConfiguredTitle="Save the SMS settings with Send SMS on first"
            resultLabel="The gateway answered"
          />
        </>
      )}
    </LoadedSection>
  )
}

function SmsSettingsForm({ initial }: { initial: SmsSettings }) {
  const canSave = useCan('mail.saveSmsSettings')
  const client = useQueryClient()
  const save = useCallMutation('mail.saveSmsSettings')
  const [enabled, setEnabled] = useState(initial.enabled)
  const [url, setUrl] = useState(initial.url ?? '')
  const [method, setMethod] = useState<Method>(initial.method)
  const [contentType, setContentType] = useState<ContentType>(initial.contentType)
  const [bodyTemplate, setBodyTemplate] = useState(initial.bodyTemplate)
  const [headers, setHeaders] = useState<Header[]>(() => initial.headers.map((h) => header(h.name, h.value)))
  const [token, setToken] = useState('')
  const [tokenKept, setTokenKept] = useState(initial.tokenKept)
  const [keychainProblem, setKeychainProblem] = useState(initial.keychainProblem)
  const [forget, setForget] = useState(false)
  const form = useFormErrors(['enabled', 'url', 'method', 'contentType', 'bodyTemplate', 'token', 'headers', ...headers.flatMap((_, i) => [`headers.${i}.name`, `headers.${i}.value`])])
  const [saved, setSaved] = useState(false)

  const changed = (key: string) => {
    setSaved(false)
    form.setErrors((x) => {
      if (!(key in x)) return x
      const next = { ...x }
      delete next[key]
      return next
    })
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (!canSave || save.isPending) return
    form.setBanner(null)
    setSaved(false)
    form.clear()
    const input: SmsSettingsInput = {
      enabled,
      url,
      method,
      headers: headers.map((h) => ({ name: h.name, value: h.value })),
      contentType,
      bodyTemplate
    }
    if (forget) input.token = null
    else if (token !== '') input.token = token
    const r = await save.mutateAsync(input)
    if (!r.ok) {
      form.showServer(r.error)
      return
    }
    client.setQueryData(mailKeys.smsSettings(), r.value)
    setEnabled(r.value.enabled)
    setUrl(r.value.url ?? '')
    setMethod(r.value.method)
    setContentType(r.value.contentType)
    setBodyTemplate(r.value.bodyTemplate)
    setHeaders(r.value.headers.map((h) => header(h.name, h.value)))
    setToken('')
    setTokenKept(r.value.tokenKept)
    setKeychainProblem(r.value.keychainProblem)
    setForget(false)
    setSaved(true)
  }

  const tokenHint = forget
    ? 'The kept token is forgotten (removed from the keychain) when you save.'
    : tokenKept
      ? 'A token is kept in this computer’s keychain. Leave this empty to keep it; type a new one to replace it.'
      : 'Your provider’s API key, if it needs one: kept in this computer’s keychain, never in the data file. {token} puts it in the URL, a header or the body.'

  return (
    <form className="form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label="SMS gateway settings">
      <p className="section-text muted">
        Coffer sends an SMS by calling your provider’s web address once per message. A 2xx answer means sent; 408, 429 and 5xx are tried again
        later; any other answer stops and alerts the staff.
      </p>
      {keychainProblem ? (
        <Banner tone="warning" className="page-banner">
          <span data-testid="sms-keychain-problem">{keychainProblem} A token cannot be kept or read until it can be.</span>
        </Banner>
      ) : null}
      {canSave ? null : <p className="section-text muted">Only an administrator can change these.</p>}
      <ErrorBanner message={form.banner} onDismiss={() => form.setBanner(null)} />
      <Field label="Send SMS" error={form.errors.enabled} hint="Off: no SMS is sent, whatever a notice says; notices go by email only.">
        <Switch
          checked={enabled}
          onChange={(v) => {
            setEnabled(v)
            changed('enabled')
          }}
          onText="On"
          offText="Off"
          disabled={!canSave}
        />
      </Field>
      <div className="form-grid form-grid-3">
        <TextField
          label="Gateway URL"
          required
          className="span-2"
          value={url}
          error={form.errors.url}
          readOnly={!canSave}
          maxLength={500}
          autoComplete="off"
          inputClassName="mono"
          hint="Like https://sms.example.com/send; {to}, {message} and {token} may appear in it (URL-encoded)."
          onChange={(e) => {
            setUrl(e.target.value)
            changed('url')
          }}
        />
        <SelectField
          label="Method"
          required
          value={method}
          error={form.errors.method}
          disabled={!canSave}
          options={METHOD_OPTIONS}
          onChange={(e) => {
            setMethod(e.target.value as Method)
            changed('method')
          }}
        />
      </div>
      <h3 className="mail-subtitle">Headers</h3>
      <p className="section-text muted">Sent with every request, like Authorization: Bearer {'{token}'}.</p>
      <div className="sms-headers" data-testid="sms-headers">
        {form.errors.headers ? <p className="field-error">{form.errors.headers}</p> : null}
        {headers.map((h, i) => (
          <div className="sms-header-row" key={h.key}>
            <TextField
              label={`Header ${i + 1} name`}
              value={h.name}
              error={form.errors[`headers.${i}.name`]}
              readOnly={!canSave}
              maxLength={80}
              autoComplete="off"
              inputClassName="mono"
              onChange={(e) => {
                const value = e.target.value
                setHeaders((all) => all.map((x) => (x.key === h.key ? { ...x, name: value } : x)))
                changed(`headers.${i}.name`)
              }}
            />
            <TextField
              label={`Header ${i + 1} value`}
              value={h.value}
              error={form.errors[`headers.${i}.value`]}
              readOnly={!canSave}
              maxLength={500}
              autoComplete="off"
              inputClassName="mono"
              onChange={(e) => {
                const value = e.target.value
                setHeaders((all) => all.map((x) => (x.key === h.key ? { ...x, value } : x)))
                changed(`headers.${i}.value`)
              }}
            />
            {canSave ? (
              <Button
                small
                variant="ghost"
                className="sms-header-remove"
                aria-label={`Remove header ${i + 1}`}
                onClick={() => {
                  setHeaders((all) => all.filter((x) => x.key !== h.key))
                  // The rows after it move up: their messages no longer match.
                  form.clear()
                  setSaved(false)
                }}
              >
                Remove
              </Button>
            ) : null}
          </div>
        ))}
        {headers.length === 0 ? <p className="muted">No headers.</p> : null}
        {canSave ? (
          <div>
            <Button small disabled={headers.length >= 20} title={headers.length >= 20 ? 'At most 20 headers' : undefined} onClick={() => setHeaders((all) => [...all, header()])}>
              Add a header
            </Button>
          </div>
        ) : null}
      </div>
      <div className="form-grid form-grid-3">
        <SelectField
          label="Body sent as"
          required
          className="span-2"
          value={contentType}
          error={form.errors.contentType}
          disabled={!canSave || method === 'GET'}
          options={CONTENT_TYPE_OPTIONS}
          hint={method === 'GET' ? 'A GET request has no body.' : CONTENT_TYPE_HINTS[contentType]}
          onChange={(e) => {
            setContentType(e.target.value as ContentType)
            changed('contentType')
          }}
        />
      </div>
      <TextAreaField
        label="Body"
        rows={4}
        className="mono-area"
        value={bodyTemplate}
        error={form.errors.bodyTemplate}
        readOnly={!canSave}
        maxLength={4000}
        spellCheck={false}
        hint={
          <>
            The request body with placeholders: <code>{'{to}'}</code> the member’s phone number, <code>{'{message}'}</code> the SMS text,{' '}
            <code>{'{token}'}</code> the token below. {method === 'GET' ? 'Leave it empty for GET.' : 'For example {"to": "{to}", "text": "{message}"}.'}
          </>
        }
        onChange={(e) => {
          setBodyTemplate(e.target.value)
          changed('bodyTemplate')
        }}
      />
      <SecretField
        label="Token"
        value={token}
        error={form.errors.token}
        hint={tokenHint}
        kept={tokenKept}
        forget={forget}
        canSave={canSave}
        maxLength={1000}
        onChange={(value) => {
          setToken(value)
          changed('token')
        }}
        onForget={() => {
          setForget(true)
          setToken('')
          setSaved(false)
        }}
        onKeep={() => setForget(false)}
      />
      {canSave ? <FormActions saveLabel="Save SMS settings" saving={save.isPending} saved={saved} shortcut={false} /> : null}
    </form>
  )
}
