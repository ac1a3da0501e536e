import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useLocation, useNavigate, useParams } from 'react-router-dom'
import { MemberInput, type Member } from '../../../../shared/contract'
import { calendarDateInZone } from '../../../../shared/dates'
import { call, invoke } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { Field } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { focusFirstInvalid, issuesToFieldErrors, placeServerError, type FieldErrors } from '../../platform/forms'
import { memberKeys } from './queries'
import { useSaveShortcut } from '../../platform/useSaveShortcut'
import { fmtDate } from '../../platform/format'
import { parseId } from './ids'

interface MemberValues {
  memberNo: string
  fullName: string
  email: string
  phone: string
  address: string
  nationalId: string
  joinedOn: string
  notes: string
}

const FIELD_ORDER: ReadonlyArray<keyof MemberValues> = [
  'memberNo',
  'fullName',
  'email',
  'phone',
  'address',
  'nationalId',
  'joinedOn',
  'notes'
]

function memberToValues(m: Member): MemberValues {
  return {
    memberNo: m.memberNo,
    fullName: m.fullName,
    email: m.email ?? '',
    phone: m.phone ?? '',
    address: m.address ?? '',
    nationalId: m.nationalId ?? '',
    joinedOn: m.joinedOn,
    notes: m.notes ?? ''
  }
}

/** Where the form was opened from, so Cancel and Save go back there instead of piling up history. */
interface FromState {
  from?: 'list' | 'detail'
}

export function MemberFormPage({ mode }: { mode: 'new' | 'edit' }) {
  const params = useParams()
  if (mode === 'new') return <NewMember />
  const id = parseId(params.id)
  if (id === null) return <PageError error={new Error('There is no member at this address.')} title="Not found" />
  return <EditMember key={id} id={id} />
}

function NewMember() {
  const { profile } = useProfile()
  const [initial] = useState<MemberValues>(() => ({
    memberNo: '',
    fullName: '',
    email: '',
    phone: '',
    address: '',
    nationalId: '',
    joinedOn: safeToday(profile.timeZone),
    notes: ''
  }))
  return (
    <div className="page page-form">
      <PageHeader title="New member" />
      <MemberForm mode="new" initial={initial} />
    </div>
  )
}

function EditMember({ id }: { id: number }) {
  const loaded = useQuery({ queryKey: memberKeys.detail(id), queryFn: () => call('members.get', { id }) })
  if (loaded.isError) return <PageError error={loaded.error} onRetry={() => void loaded.refetch()} />
  if (!loaded.data) return <PageLoading />
  const member = loaded.data.member
  return (
    <div className="page page-form">
      <PageHeader
        title={`Edit ${member.fullName}`}
        subtitle={<span className="tnum">{member.memberNo}</span>}
      />
      <MemberForm key={member.version} mode="edit" initial={memberToValues(member)} member={member} onReload={() => void loaded.refetch()} />
    </div>
  )
}

function safeToday(timeZone: string): string {
  try {
    return calendarDateInZone(Date.now(), timeZone)
  } catch {
    return ''
  }
}

interface MemberFormProps {
  mode: 'new' | 'edit'
  initial: MemberValues
  member?: Member
  /** Edit: load the latest version (after a stale-version conflict). */
  onReload?: () => void
}

function MemberForm({ mode, initial, member, onReload }: MemberFormProps) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const location = useLocation()
  const from = (location.state as FromState | null)?.from
  const [values, setValues] = useState<MemberValues>(initial)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<{ message: string; stale: boolean } | null>(null)
  const [saving, setSaving] = useState(false)
  const [focusTick, setFocusTick] = useState(0)
  const touchedNo = useRef(false)
  const formRef = useRef<HTMLFormElement>(null)
  useSaveShortcut(formRef, !saving)
  const create = useCallMutation('members.create')
  const update = useCallMutation('members.update')

  useEffect(() => {
    if (focusTick > 0) focusFirstInvalid(formRef.current)
  }, [focusTick])

  // New member: suggest the next number, unless the user already typed one.
  useEffect(() => {
    if (mode !== 'new') return
    let live = true
    invoke('members.suggestNumber', {}).then((r) => {
      if (live && r.ok && !touchedNo.current) setValues((v) => (v.memberNo ? v : { ...v, memberNo: r.value.memberNo }))
    })
    return () => {
      live = false
    }
  }, [mode])

  const set = (key: keyof MemberValues) => (e: { target: { value: string } }) => {
    const value = e.target.value
    if (key === 'memberNo') touchedNo.current = true
    setValues((v) => ({ ...v, [key]: value }))
  }

  const leave = (savedId?: number) => {
    if (savedId !== undefined) {
      if (mode === 'edit' && from === 'detail') navigate(-1)
      else navigate(`/members/${savedId}`, { replace: true, state: from === 'list' ? { from: 'list' } : null })
      return
    }
    if (from) navigate(-1)
    else navigate(mode === 'edit' && member ? `/members/${member.id}` : '/members')
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (saving) return
    setBanner(null)
    const parsed = MemberInput.safeParse(values)
    if (!parsed.success) {
      setErrors(issuesToFieldErrors(parsed.error.issues))
      setFocusTick((t) => t + 1)
      return
    }
    setErrors({})
    setSaving(true)
    const r =
      mode === 'edit' && member
        ? await update.mutateAsync({ id: member.id, expectedVersion: member.version, values })
        : await create.mutateAsync(values)
    setSaving(false)
    if (!r.ok) {
      const placed = placeServerError(r.error, FIELD_ORDER, 'values')
      setErrors(placed.fields)
      const stale = mode === 'edit' && r.error.code === 'CONFLICT' && Object.keys(placed.fields).length === 0
      setBanner(placed.banner ? { message: placed.banner, stale } : null)
      if (Object.keys(placed.fields).length > 0) setFocusTick((t) => t + 1)
      return
    }
    leave(r.value.id)
  }

  const err = (k: keyof MemberValues) => errors[k]

  return (
    <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-label={mode === 'new' ? 'New member' : 'Edit member'}>
      {banner ? (
        <Banner tone="error" onDismiss={() => setBanner(null)}>
          {banner.message}
          {banner.stale && onReload ? (
            <>
              {' '}
              <button type="button" className="link-button" onClick={onReload}>
                Load the latest version
              </button>{' '}
              (your changes here will be replaced).
            </>
          ) : null}
        </Banner>
      ) : null}

      <div className="form-grid">
        <Field label="Member number" required error={err('memberNo')} hint={mode === 'new' ? 'Suggested from the latest number; you can change it' : undefined}>
          <input
            type="text"
            value={values.memberNo}
            onChange={set('memberNo')}
            maxLength={32}
            autoComplete="off"
            spellCheck={false}
            className="tnum"
          />
        </Field>
        <Field label="Joining date" required error={err('joinedOn')} hint={values.joinedOn ? fmtDate(values.joinedOn, profile.locale, 'long') : undefined}>
          <input type="date" value={values.joinedOn} onChange={set('joinedOn')} min="1000-01-01" max="9999-12-31" />
        </Field>
        <Field label="Name" required error={err('fullName')} className="span-2">
          <input type="text" value={values.fullName} onChange={set('fullName')} maxLength={200} autoComplete="off" autoFocus={mode === 'new'} />
        </Field>
        <Field label="Email" error={err('email')}>
          <input type="email" value={values.email} onChange={set('email')} maxLength={254} autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="Phone" error={err('phone')}>
          <input type="tel" value={values.phone} onChange={set('phone')} maxLength={40} autoComplete="off" />
        </Field>
        <Field label="Address" error={err('address')} className="span-2">
          <textarea value={values.address} onChange={set('address')} rows={3} maxLength={600} />
        </Field>
        <Field label="National ID" error={err('nationalId')}>
          <input type="text" value={values.nationalId} onChange={set('nationalId')} maxLength={60} autoComplete="off" spellCheck={false} />
        </Field>
        <div className="field-spacer" aria-hidden="true" />
        <Field label="Notes" error={err('notes')} className="span-2">
          <textarea value={values.notes} onChange={set('notes')} rows={4} maxLength={4000} />
        </Field>
      </div>

      <FormActions saveLabel="Save member" saving={saving} onCancel={() => leave()} />
    </form>
  )
}
