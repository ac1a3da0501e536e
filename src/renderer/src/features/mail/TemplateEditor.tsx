import { useRef, useState, type FormEvent } from 'react'
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query'
import type { Input, NoticeTemplate } from '../../../../shared/contract'
import { call, invoke } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { useFormErrors } from '../../platform/forms'
import { useDebounced } from '../../platform/useDebounced'
import { useCan } from '../auth/useCan'
import { MemberPicker, type PickedMember } from '../members/MemberPicker'
import { payrollKeys } from '../payroll/queries'
import { ErrorBanner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { Field, SelectField, TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { Switch } from '../../ui/Switch'
import { mailKeys } from './queries'

const FIELDS = ['email', 'sms', 'subject', 'body', 'smsBody', 'daysBefore'] as const
type TextKey = 'subject' | 'body' | 'smsBody'

/** One SMS holds 160 plain characters; a longer text goes as parts of 153. */
export function smsParts(length: number): number {
  if (length <= 160) return 1
  return Math.ceil(length / 153)
}

/**
 * One notice's wording: its channels, subject, body and SMS text with the
 * placeholders it knows (a click puts one where the cursor was), a live
 * preview with a real member's or staff member's data, Save, and Reset to
 * Coffer's own wording. Core refuses a placeholder the kind does not know;
 * its message shows under the field.
 */
export function TemplateEditor({ template: initial, readOnly }: { template: NoticeTemplate; readOnly: boolean }) {
  const client = useQueryClient()
  const save = useCallMutation('mail.saveTemplate')
  const reset = useCallMutation('mail.resetTemplate')
  const [template, setTemplate] = useState(initial)
  const [email, setEmail] = useState(initial.email)
  const [sms, setSms] = useState(initial.sms)
  const [text, setText] = useState<Record<TextKey, string>>({ subject: initial.subject, body: initial.body, smsBody: initial.smsBody })
  const [daysBefore, setDaysBefore] = useState(initial.daysBefore === null ? '' : String(initial.daysBefore))
  const form = useFormErrors(FIELDS)
  const [saved, setSaved] = useState<string | null>(null)
  const [resetting, setResetting] = useState(false)
  const [resetError, setResetError] = useState<string | null>(null)
  const subjectRef = useRef<HTMLInputElement>(null)
  const bodyRef = useRef<HTMLTextAreaElement>(null)
  const smsBodyRef = useRef<HTMLTextAreaElement>(null)
  const [lastField, setLastField] = useState<TextKey>('body')
  const isMaturity = template.kind === 'maturity'

  const forget = (key: string) => {
    setSaved(null)
    form.setErrors((x) => {
      if (!(key in x)) return x
      const next = { ...x }
      delete next[key]
      return next
    })
  }
  const setField = (key: TextKey, value: string) => {
    setText((t) => ({ ...t, [key]: value }))
    forget(key)
  }

  const show = (t: NoticeTemplate) => {
    setTemplate(t)
    setEmail(t.email)
    setSms(t.sms)
    setText({ subject: t.subject, body: t.body, smsBody: t.smsBody })
    setDaysBefore(t.daysBefore === null ? '' : String(t.daysBefore))
    client.setQueryData<{ templates: NoticeTemplate[] }>(mailKeys.templates(), (old) =>
      old ? { templates: old.templates.map((x) => (x.kind === t.kind ? t : x)) } : old
    )
  }

  /** Puts a placeholder where the cursor was in the field last used (the body at first). */
  function insert(name: string) {
    if (readOnly) return
    const el = lastField === 'subject' ? subjectRef.current : lastField === 'body' ? bodyRef.current : smsBodyRef.current
    const value = text[lastField]
    const start = el?.selectionStart ?? value.length
    const end = el?.selectionEnd ?? value.length
    setField(lastField, value.slice(0, start) + name + value.slice(end))
    requestAnimationFrame(() => {
      if (!el) return
      el.focus()
      el.setSelectionRange(start + name.length, start + name.length)
    })
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (readOnly || save.isPending) return
    form.setBanner(null)
    setSaved(null)
    let days: number | null = null
    if (isMaturity) {
      const d = daysBefore.trim()
      if (!/^\d+$/.test(d)) {
        form.showLocal({ daysBefore: 'Days before must be a whole number from 1 to 365' })
        return
      }
      days = Number(d)
    }
    form.clear()
    const r = await save.mutateAsync({
      kind: template.kind,
      email,
      sms,
      subject: text.subject,
      body: text.body,
      smsBody: text.smsBody,
      daysBefore: days,
      expectedVersion: template.version
    })
    if (!r.ok) {
      form.showServer(r.error)
      return
    }
    show(r.value)
    setSaved('Saved')
  }

  async function onReset() {
    if (reset.isPending) return
    setResetError(null)
    const r = await reset.mutateAsync({ kind: template.kind, expectedVersion: template.version })
    if (!r.ok) {
      setResetError(r.error.message)
      return
    }
    form.clear()
    form.setBanner(null)
    show(r.value)
    setResetting(false)
    setSaved('Coffer’s wording is back')
  }

  const placeholders = Object.entries(template.placeholders)
  const smsLength = text.smsBody.length
  return (
    <div className="template-layout">
      <form className="form template-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label="Notice wording">
        <ErrorBanner message={form.banner} onDismiss={() => form.setBanner(null)} />
        {readOnly ? <p className="section-text muted">Only the treasurer or an administrator can change the wording.</p> : null}
        <div className="form-grid form-grid-3">
          <Field label="By email" error={form.errors.email} hint={template.audience === 'alerts' ? 'To the alert address (Settings → Email)' : 'To the address on their record'}>
            <Switch
              checked={email}
              onChange={(v) => {
                setEmail(v)
                forget('email')
              }}
              onText="On"
              offText="Off"
              disabled={readOnly}
            />
          </Field>
          <Field label="By SMS" error={form.errors.sms} hint={template.audience === 'alerts' ? 'To the alert phone, through the SMS gateway' : 'To the phone on their record, through the SMS gateway'}>
            <Switch
              checked={sms}
              onChange={(v) => {
                setSms(v)
                forget('sms')
              }}
              onText="On"
              offText="Off"
              disabled={readOnly}
            />
          </Field>
          {isMaturity ? (
            <TextField
              label="Days before maturity"
              required
              value={daysBefore}
              error={form.errors.daysBefore}
              type="number"
              inputMode="numeric"
              inputClassName="tnum"
              min={1}
              max={365}
              step={1}
              readOnly={readOnly}
              hint="Sent this many days before a holding matures (1 to 365)"
              onChange={(e) => {
                setDaysBefore(e.target.value)
                forget('daysBefore')
              }}
            />
          ) : (
            <span />
          )}
        </div>
        <div className="template-placeholders">
          <p className="field-label" id="placeholders-title">
            Placeholders {readOnly ? null : <span className="muted">(click one to put it where the cursor is)</span>}
          </p>
          <ul className="placeholder-list" aria-labelledby="placeholders-title" data-testid="placeholders">
            {placeholders.map(([name, description]) => (
              <li key={name}>
                <button
                  type="button"
                  className="placeholder-chip"
                  title={description}
                  disabled={readOnly}
                  // Keep the cursor where it is in the field until the click inserts.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => insert(name)}
                >
                  {name}
                </button>
              </li>
            ))}
          </ul>
        </div>
        <Field label="Subject" required error={form.errors.subject}>
          <input
            ref={subjectRef}
            type="text"
            value={text.subject}
            maxLength={200}
            autoComplete="off"
            readOnly={readOnly}
            onFocus={() => setLastField('subject')}
            onChange={(e) => setField('subject', e.target.value)}
          />
        </Field>
        <Field label="Body" required error={form.errors.body}>
          <textarea
            ref={bodyRef}
            rows={10}
            value={text.body}
            maxLength={10_000}
            readOnly={readOnly}
            onFocus={() => setLastField('body')}
            onChange={(e) => setField('body', e.target.value)}
          />
        </Field>
        <Field
          label="SMS text"
          required
          error={form.errors.smsBody}
          hint={
            <span className="sms-count" data-testid="sms-count">
              {smsLength} of 480 characters as written ({smsParts(smsLength)} SMS); the preview counts it with the placeholders filled in.
            </span>
          }
        >
          <textarea
            ref={smsBodyRef}
            rows={3}
            value={text.smsBody}
            maxLength={480}
            readOnly={readOnly}
            onFocus={() => setLastField('smsBody')}
            onChange={(e) => setField('smsBody', e.target.value)}
          />
        </Field>
        {readOnly ? null : (
          <div className="template-actions">
            <FormActions saveLabel="Save wording" saving={save.isPending} saved={saved !== null} shortcut={false} />
            {saved && saved !== 'Saved' ? <p className="muted">{saved}.</p> : null}
            <Button disabled={!template.edited} title={template.edited ? undefined : 'This is Coffer’s wording already'} onClick={() => setResetting(true)}>
              Reset to Coffer’s wording
            </Button>
          </div>
        )}
      </form>
      <TemplatePreview template={template} text={text} />
      {resetting ? (
        <ConfirmModal
          title="Reset to Coffer’s wording?"
          confirmLabel="Reset the wording"
          busy={reset.isPending}
          error={resetError}
          onDismissError={() => setResetError(null)}
          onConfirm={() => void onReset()}
          onClose={() => {
            setResetting(false)
            setResetError(null)
          }}
        >
          <p className="modal-text">The subject, body and SMS text go back to what Coffer wrote; what you wrote is not kept. The channels stay as they are.</p>
        </ConfirmModal>
      ) : null}
    </div>
  )
}

/** The template as it would go out, with a real member's (or staff member's) data, asked again a moment after typing stops. */
function TemplatePreview({ template, text }: { template: NoticeTemplate; text: Record<TextKey, string> }) {
  const [member, setMember] = useState<PickedMember | null>(null)
  const [staffId, setStaffId] = useState('')
  const canStaff = useCan('payroll.staffList')
  const staff = useQuery({
    queryKey: payrollKeys.staffList({ search: null }),
    queryFn: () => call('payroll.staffList', { search: null }),
    enabled: template.audience === 'staff' && canStaff
  })
  const input: Input<'mail.previewTemplate'> = {
    kind: template.kind,
    subject: text.subject,
    body: text.body,
    smsBody: text.smsBody,
    memberId: template.audience === 'member' ? (member?.id ?? null) : null,
    staffId: template.audience === 'staff' && staffId ? Number(staffId) : null
  }
  const debounced = useDebounced(input, 400)
  const filled = debounced.subject.trim() !== '' && debounced.body.trim() !== '' && debounced.smsBody.trim() !== ''
  const preview = useQuery({
    queryKey: [...mailKeys.templates(), 'preview', debounced],
    queryFn: () => invoke('mail.previewTemplate', debounced),
    enabled: filled,
    placeholderData: keepPreviousData
  })
  const answer = preview.data
  const stale = preview.isFetching || JSON.stringify(debounced) !== JSON.stringify(input)

  return (
    <section className="panel template-preview" aria-labelledby="preview-title" data-testid="template-preview">
      <h2 className="panel-title" id="preview-title">
        Preview
      </h2>
      {template.audience === 'member' ? (
        <MemberPicker label="With the data of" value={member} onChange={setMember} status="all" hint="A member: their name, number and figures fill the placeholders" />
      ) : template.audience === 'staff' ? (
        canStaff ? (
          <SelectField
            label="With the data of"
            value={staffId}
            onChange={(e) => setStaffId(e.target.value)}
            options={[{ value: '', label: 'Choose a staff member…' }, ...(staff.data?.staff ?? []).map((s) => ({ value: String(s.id), label: `${s.fullName} · ${s.staffNo}` }))]}
          />
        ) : (
          <p className="muted">Shown with example data: you may not read the staff list.</p>
        )
      ) : null}
      {!filled ? (
        <p className="muted">Write a subject, a body and an SMS text to see them filled in.</p>
      ) : !answer ? (
        <p className="muted">Filling in the placeholders…</p>
      ) : !answer.ok ? (
        <p className="field-error" role="status" data-testid="preview-error">
          {answer.error.message}
        </p>
      ) : (
        <div aria-busy={stale} className={stale ? 'template-preview-stale' : undefined}>
          {answer.value.note ? <p className="muted">{answer.value.note}</p> : null}
          <div className="template-preview-mail" data-testid="preview-email">
            <p className="muted">To: {answer.value.to ?? 'no email address'}</p>
            <h4>{answer.value.subject}</h4>
            <pre className="template-preview-body">{answer.value.body}</pre>
          </div>
          <p className="muted">
            SMS to {answer.value.smsTo ?? 'no phone number'} · {answer.value.sms.length} characters ({smsParts(answer.value.sms.length)} SMS)
          </p>
          <div className="template-preview-sms" data-testid="preview-sms">
            {answer.value.sms}
          </div>
        </div>
      )}
    </section>
  )
}
