import { useState } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Link } from 'react-router-dom'
import type { MemberPrefs } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { useCan } from '../auth/useCan'
import { ErrorBanner } from '../../ui/Banner'
import { Field } from '../../ui/Field'
import { PageError } from '../../ui/PageState'
import { Switch } from '../../ui/Switch'
import { mailKeys } from './queries'
import './mail-settings.css'

type Pref = 'email' | 'sms' | 'optedOut'

/**
 * A member's channels on their page: whether notices reach them by email and
 * by SMS, or not at all (opted out), with the address and phone they go to.
 * Each switch saves at once.
 */
export function MemberMessagesPanel({ memberId }: { memberId: number }) {
  const canRead = useCan('mail.memberPrefs')
  const loaded = useQuery({ queryKey: mailKeys.memberPrefs(memberId), queryFn: () => call('mail.memberPrefs', { memberId }), enabled: canRead })
  if (!canRead) return null
  return (
    <section className="panel member-messages" aria-labelledby="member-messages-title" data-testid="member-messages">
      <div className="panel-head">
        <h2 className="panel-title" id="member-messages-title">
          Messages
        </h2>
        <div className="panel-actions">
          <Link to="/settings/notices" className="panel-link" title="What Coffer sends members, and its wording">
            Notices
          </Link>
        </div>
      </div>
      {loaded.isError && !loaded.data ? (
        <PageError error={loaded.error} title="The member's channels could not be loaded" onRetry={() => void loaded.refetch()} />
      ) : !loaded.data ? (
        <p className="muted">Loading the member’s channels…</p>
      ) : (
        <Prefs prefs={loaded.data} />
      )}
    </section>
  )
}

function Prefs({ prefs }: { prefs: MemberPrefs }) {
  const canSave = useCan('mail.saveMemberPrefs')
  const client = useQueryClient()
  const save = useCallMutation('mail.saveMemberPrefs')
  const [error, setError] = useState<string | null>(null)
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Pref, string>>>({})
  const [status, setStatus] = useState('')
  // The switch moves at once; it goes back if the save is refused.
  const [pending, setPending] = useState<Partial<Record<Pref, boolean>>>({})
  const shown = (key: Pref) => pending[key] ?? prefs[key]

  async function change(key: Pref, value: boolean) {
    if (!canSave || save.isPending) return
    setError(null)
    setFieldErrors({})
    setStatus('')
    setPending({ [key]: value })
    const r = await save.mutateAsync({
      memberId: prefs.memberId,
      email: prefs.email,
      sms: prefs.sms,
      optedOut: prefs.optedOut,
      [key]: value,
      expectedVersion: prefs.version
    })
    if (!r.ok) {
      setPending({})
      const f = r.error.fields ?? {}
      const placed: Partial<Record<Pref, string>> = {}
      for (const k of ['email', 'sms', 'optedOut'] as const) if (f[k]) placed[k] = f[k]
      setFieldErrors(placed)
      if (Object.keys(placed).length === 0) setError(r.error.message)
      return
    }
    client.setQueryData(mailKeys.memberPrefs(prefs.memberId), r.value)
    setPending({})
    setStatus('Saved')
  }

  // The channels stay editable while opted out: they take effect again when the member opts back in.
  const off = !canSave
  return (
    <div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {shown('optedOut') ? (
        <p className="section-text" data-testid="member-opted-out">
          <strong>Opted out:</strong> Coffer sends this member nothing, by any channel.
        </p>
      ) : null}
      <div className="switch-row">
        <Field
          label="By email"
          error={fieldErrors.email}
          hint={prefs.emailAddress ? <>To {prefs.emailAddress}</> : 'No email address on the record: nothing goes by email.'}
        >
          <Switch checked={shown('email')} onChange={(v) => void change('email', v)} onText="On" offText="Off" disabled={off || save.isPending} />
        </Field>
        <Field label="By SMS" error={fieldErrors.sms} hint={prefs.phone ? <>To {prefs.phone}</> : 'No phone number on the record: nothing goes by SMS.'}>
          <Switch checked={shown('sms')} onChange={(v) => void change('sms', v)} onText="On" offText="Off" disabled={off || save.isPending} />
        </Field>
        <Field label="Opted out" error={fieldErrors.optedOut} hint="On: no notice of any kind, whatever the switches say.">
          <Switch
            checked={shown('optedOut')}
            onChange={(v) => void change('optedOut', v)}
            onText="Sends nothing"
            offText="Receives notices"
            disabled={!canSave || save.isPending}
          />
        </Field>
      </div>
      <p className="muted" role="status">
        {save.isPending ? 'Saving…' : status}
      </p>
    </div>
  )
}
