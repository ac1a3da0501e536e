import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router-dom'
import { StaffInput, type Staff } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fieldBinder, focusFirstInvalid, issuesToFieldErrors, useFormErrors } from '../../platform/forms'
import { useCallMutation } from '../../platform/queries'
import { todayIn } from '../../platform/today'
import { useSaveShortcut } from '../../platform/useSaveShortcut'
import { useProfile } from '../profile/ProfileContext'
import { MemberPicker, type PickedMember } from '../members/MemberPicker'
import { parseId } from '../members/ids'
import { memberKeys } from '../members/queries'
import { ErrorBanner } from '../../ui/Banner'
import { DateField, SelectField, TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { STAFF_STATUS_HINTS, STAFF_STATUS_OPTIONS } from './SetupWords'
import { payrollKeys } from './queries'
import './payroll.css'

/** What the form holds, as typed. */
interface Values {
  staffNo: string
  fullName: string
  nationalId: string
  taxPin: string
  bankName: string
  bankAccount: string
  email: string
  phone: string
  hireDate: string
  leavingDate: string
  status: string
}

const FIELDS = ['staffNo', 'fullName', 'nationalId', 'taxPin', 'bankName', 'bankAccount', 'email', 'phone', 'hireDate', 'leavingDate', 'status', 'memberId'] as const

/** What the staff page says after the form saved. */
export interface StaffSavedState {
  saved: 'created' | 'updated'
}

/** New staff member (`/payroll/staff/new`) and Edit (`/payroll/staff/:id/edit`). */
export function StaffFormPage({ mode }: { mode: 'new' | 'edit' }) {
  const params = useParams()
  if (mode === 'new') return <StaffForm staff={null} member={null} />
  const id = parseId(params.id)
  if (id === null) return <PageError error={new Error('There is no staff member at this address.')} title="Not found" />
  return <EditLoader key={id} id={id} />
}

function EditLoader({ id }: { id: number }) {
  const loaded = useQuery({ queryKey: payrollKeys.staff(id), queryFn: () => call('payroll.staff', { id }) })
  const memberId = loaded.data?.staff.memberId ?? null
  const member = useQuery({
    queryKey: memberKeys.detail(memberId ?? 0),
    queryFn: () => call('members.get', { id: memberId as number }),
    enabled: memberId !== null
  })
  if (loaded.isError && !loaded.data) return <PageError error={loaded.error} onRetry={() => void loaded.refetch()} />
  if (!loaded.data || (memberId !== null && member.isPending)) return <PageLoading />
  const s = loaded.data.staff
  // The member's own name when it can be read; else the staff member's (the same person).
  const picked: PickedMember | null =
    s.memberId === null
      ? null
      : { id: s.memberId, memberNo: s.memberNo ?? member.data?.member.memberNo ?? '', fullName: member.data?.member.fullName ?? s.fullName }
  return <StaffForm staff={s} member={picked} />
}

function StaffForm({ staff: loaded, member: loadedMember }: { staff: Staff | null; member: PickedMember | null }) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  // Taken once: a refresh while the form is open neither overwrites what is typed nor moves the version it saves against.
  const [staff] = useState(loaded)
  const [values, setValues] = useState<Values>(() =>
    staff
      ? {
          staffNo: staff.staffNo,
          fullName: staff.fullName,
          nationalId: staff.nationalId ?? '',
          taxPin: staff.taxPin ?? '',
          bankName: staff.bankName ?? '',
          bankAccount: staff.bankAccount ?? '',
          email: staff.email ?? '',
          phone: staff.phone ?? '',
          hireDate: staff.hireDate,
          leavingDate: staff.leavingDate ?? '',
          status: staff.status
        }
      : {
          staffNo: '',
          fullName: '',
          nationalId: '',
          taxPin: '',
          bankName: '',
          bankAccount: '',
          email: '',
          phone: '',
          hireDate: todayIn(profile.timeZone),
          leavingDate: '',
          status: 'active'
        }
  )
  const [member, setMember] = useState<PickedMember | null>(loadedMember)
  const form = useFormErrors(FIELDS)
  const create = useCallMutation('payroll.createStaff')
  const update = useCallMutation('payroll.updateStaff')
  const saving = create.isPending || update.isPending
  const formRef = useRef<HTMLFormElement>(null)
  useSaveShortcut(formRef, !saving)
  useEffect(() => {
    if (form.focusTick > 0) focusFirstInvalid(formRef.current)
  }, [form.focusTick])

  const forget = (key: string) =>
    form.setErrors((e) => {
      if (!(key in e)) return e
      const next = { ...e }
      delete next[key]
      return next
    })
  const field = fieldBinder(
    values,
    (key, value) => {
      setValues((v) => ({ ...v, [key]: value }))
      forget(key)
    },
    (key) => form.errors[key]
  )

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (saving) return
    form.setBanner(null)
    const input = {
      staffNo: values.staffNo,
      fullName: values.fullName,
      nationalId: values.nationalId,
      taxPin: values.taxPin,
      bankName: values.bankName,
      bankAccount: values.bankAccount,
      email: values.email,
      phone: values.phone,
      hireDate: values.hireDate,
      leavingDate: values.leavingDate.trim() ? values.leavingDate : null,
      status: values.status as StaffInput['status'],
      memberId: member?.id ?? null
    } satisfies StaffInput
    const parsed = StaffInput.safeParse(input)
    if (!parsed.success) {
      form.showLocal(issuesToFieldErrors(parsed.error.issues))
      return
    }
    form.clear()
    const r = staff ? await update.mutateAsync({ ...input, id: staff.id, expectedVersion: staff.version }) : await create.mutateAsync(input)
    if (!r.ok) {
      form.showServer(r.error)
      return
    }
    navigate(`/payroll/staff/${r.value.id}`, { replace: true, state: { saved: staff ? 'updated' : 'created' } satisfies StaffSavedState })
  }

  const back = () => navigate(staff ? `/payroll/staff/${staff.id}` : '/payroll/staff')
  const title = staff ? `Edit ${staff.fullName}` : 'New staff member'
  return (
    <div className="page page-payroll-form">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={back}>
            ← {staff ? staff.fullName : 'Staff'}
          </button>
        }
        title={title}
        subtitle="A person the society employs. What they are paid is their pay structure, set on their page once they are saved."
      />
      <form ref={formRef} className="form payroll-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label={title}>
        <ErrorBanner message={form.banner} onDismiss={() => form.setBanner(null)} />
        <div className="form-grid form-grid-3">
          <TextField label="Staff number" required {...field('staffNo')} maxLength={20} autoComplete="off" inputClassName="mono" hint="Letters, digits and . _ / -" />
          <TextField label="Full name" required {...field('fullName')} maxLength={120} autoComplete="off" className="span-2" />
          <TextField label="National ID" {...field('nationalId')} maxLength={40} autoComplete="off" />
          <TextField label="Tax PIN" {...field('taxPin')} maxLength={40} autoComplete="off" inputClassName="mono" />
          <MemberPicker
            label="Also a member"
            value={member}
            onChange={(m) => {
              setMember(m)
              forget('memberId')
            }}
            error={form.errors.memberId}
            hint="Optional: the member this person also is"
            status="all"
          />
          <TextField label="Bank" {...field('bankName')} maxLength={80} autoComplete="off" />
          <TextField label="Bank account" {...field('bankAccount')} maxLength={40} autoComplete="off" inputClassName="mono" />
          <span />
          <TextField label="Email" type="email" {...field('email')} maxLength={254} autoComplete="off" hint="Optional: where the payslip is emailed when payroll posts" />
          <TextField label="Phone" type="tel" {...field('phone')} maxLength={40} autoComplete="off" hint="Optional: for SMS notices, like +254 700 123456" />
          <span />
          <DateField label="Hire date" required {...field('hireDate')} hint="Paid from this day" />
          <DateField label="Leaving date" {...field('leavingDate')} hint="Optional: paid up to this day, then never" />
          <SelectField label="Status" {...field('status')} options={STAFF_STATUS_OPTIONS} hint={STAFF_STATUS_HINTS[values.status]} />
        </div>
        <FormActions saveLabel={staff ? 'Save changes' : 'Save staff member'} saving={saving} onCancel={back} />
      </form>
    </div>
  )
}
