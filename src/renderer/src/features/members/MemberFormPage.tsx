import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useLocation, useNavigate, useParams } from 'react-router-dom'
import { MemberInput, type Member } from '../../../../shared/contract'
import { calendarDateInZone } from '../../../../shared/dates'
import { call } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { DateField, TextAreaField, TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { fieldBinder, focusFirstInvalid, issuesToFieldErrors, placeServerError, useFormErrors } from '../../platform/forms'
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
  const { errors, banner, setBanner, focusTick, clear, showLocal, showServer } = useFormErrors(FIELD_ORDER, 'values')
  /** The banner is about an edit made to an older version: offer to load the latest. */
  const [stale, setStale] = useState(false)
  const [saving, setSaving] = useState(false)
  /** The user typed a member number: a suggestion arriving later does not replace it. */
  const [touchedNo, setTouchedNo] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  useSaveShortcut(formRef, !saving)
  const create = useCallMutation('members.create')
  const update = useCallMutation('members.update')

  useEffect(() => {
    if (focusTick > 0) focusFirstInvalid(formRef.current)
  }, [focusTick])

  // New member: suggest the next number, unless the user already typed one.
  const suggested = useQuery({
    queryKey: memberKeys.nextNumber(),
    queryFn: () => call('members.suggestNumber', {}),
    enabled: mode === 'new'
  }).data?.memberNo
  const [offered, setOffered] = useState<string | undefined>(undefined)
  if (suggested && suggested !== offered && !touchedNo) {
    setOffered(suggested)
    if (!values.memberNo) setValues((v) => (v.memberNo ? v : { ...v, memberNo: suggested }))
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
    setStale(false)
    const parsed = MemberInput.safeParse(values)
    if (!parsed.success) {
      showLocal(issuesToFieldErrors(parsed.error.issues))
      return
    }
    clear()
    setSaving(true)
    const r =
      mode === 'edit' && member
        ? await update.mutateAsync({ id: member.id, expectedVersion: member.version, values })
        : await create.mutateAsync(values)
    setSaving(false)
    if (!r.ok) {
      showServer(r.error)
      const placed = placeServerError(r.error, FIELD_ORDER, 'values')
      setStale(mode === 'edit' && r.error.code === 'CONFLICT' && Object.keys(placed.fields).length === 0)
      return
    }
    leave(r.value.id)
  }

  const field = fieldBinder(
    values,
    (key, value) => {
      if (key === 'memberNo') setTouchedNo(true)
      setValues((v) => ({ ...v, [key]: value }))
    },
    (key) => errors[key]
  )

  return (
    <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-label={mode === 'new' ? 'New member' : 'Edit member'}>
      {banner ? (
        <Banner tone="error" onDismiss={() => setBanner(null)}>
          {banner}
          {stale && onReload ? (
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
        <TextField
          label="Member number"
          required
          hint={mode === 'new' ? 'Suggested from the latest number; you can change it' : undefined}
          {...field('memberNo')}
          maxLength={32}
          autoComplete="off"
          spellCheck={false}
          inputClassName="tnum"
        />
        <DateField
          label="Joining date"
          required
          hint={values.joinedOn ? fmtDate(values.joinedOn, profile.locale) : undefined}
          {...field('joinedOn')}
        />
        <TextField label="Name" required className="span-2" {...field('fullName')} maxLength={200} autoComplete="off" autoFocus={mode === 'new'} />
        <TextField label="Email" type="email" {...field('email')} maxLength={254} autoComplete="off" spellCheck={false} />
        <TextField label="Phone" type="tel" {...field('phone')} maxLength={40} autoComplete="off" />
        <TextAreaField label="Address" className="span-2" {...field('address')} maxLength={600} />
        <TextField label="National ID" {...field('nationalId')} maxLength={60} autoComplete="off" spellCheck={false} />
        <div className="field-spacer" aria-hidden="true" />
        <TextAreaField label="Notes" className="span-2" {...field('notes')} rows={4} maxLength={4000} />
      </div>

      <FormActions saveLabel="Save member" saving={saving} onCancel={() => leave()} />
    </form>
  )
}
