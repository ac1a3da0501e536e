import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import { REPORTS, type ReportName, type ReportParams } from '../../../../shared/contract'
import { appError, call } from '../../platform/api'
import { focusFirstInvalid, useFormErrors, type FieldErrors } from '../../platform/forms'
import { todayIn } from '../../platform/today'
import { useProfile } from '../profile/ProfileContext'
import { MemberPicker, type PickedMember } from '../members/MemberPicker'
import { memberKeys } from '../members/queries'
import { ledgerKeys } from '../ledger/queries'
import { accountLabel } from '../ledger/labels'
import { bondKeys } from '../bonds/queries'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { CheckField, DateField, SelectField } from '../../ui/Field'
import { RANGE_WORDS, defaultRange, type ReportRequest } from './words'

/** The fields core may name (its paths are `params.<field>`). */
const FIELDS = ['from', 'to', 'memberId', 'accountId', 'seriesId', 'certificates'] as const

interface Draft {
  from: string
  to: string
  member: PickedMember | null
  accountId: string
  seriesId: string
  certificates: boolean
}

/**
 * A report's parameters: From and To (proposed from the report's usual range
 * relative to today), and only what this report takes: a member (optional:
 * blank is every active member), an account (required by the account
 * statement), a series, certificates (withholding tax). Show asks core for
 * the report; what core refuses lands next to its field.
 */
export function ReportForm({
  name,
  initial,
  serverError,
  showing,
  onShow
}: {
  name: ReportName
  /** What the address holds (a report shown again from Generated reports). */
  initial: Partial<ReportParams>
  /** The shown report's failure, placed next to the fields it names. */
  serverError: unknown
  showing: boolean
  onShow: (request: ReportRequest) => void
}) {
  const { profile } = useProfile()
  const info = REPORTS[name]
  const [draft, setDraft] = useState<Draft>(() => {
    const range = defaultRange(info.defaultRange, todayIn(profile.timeZone))
    return {
      from: initial.from ?? range.from,
      to: initial.to ?? range.to,
      member: initial.memberId ? { id: initial.memberId, memberNo: '', fullName: `Member #${initial.memberId}` } : null,
      accountId: initial.accountId ? String(initial.accountId) : '',
      seriesId: initial.seriesId ? String(initial.seriesId) : '',
      certificates: initial.certificates === true
    }
  })
  const form = useFormErrors(FIELDS, 'params')
  const { showServer, setBanner, clear, setErrors } = form
  const formRef = useRef<HTMLFormElement>(null)

  useEffect(() => {
    const error = appError(serverError)
    if (error) showServer(error)
    else {
      clear()
      setBanner(null)
    }
  }, [serverError, showServer, clear, setBanner])
  useEffect(() => {
    if (form.focusTick > 0) focusFirstInvalid(formRef.current)
  }, [form.focusTick])

  // A member named by the address: their name and number for the picker.
  const memberId = draft.member && !draft.member.memberNo ? draft.member.id : null
  const member = useQuery({ queryKey: memberKeys.detail(memberId ?? 0), queryFn: () => call('members.get', { id: memberId! }), enabled: memberId !== null })
  const loadedMember = member.data?.member
  const picked: PickedMember | null =
    draft.member && memberId !== null && loadedMember && loadedMember.id === memberId
      ? { id: loadedMember.id, memberNo: loadedMember.memberNo, fullName: loadedMember.fullName }
      : draft.member

  const accounts = useQuery({
    queryKey: ledgerKeys.accounts(),
    queryFn: () => call('ledger.accounts', { includeInactive: true }),
    enabled: info.account !== 'refused'
  })
  const series = useQuery({ queryKey: bondKeys.seriesList(), queryFn: () => call('bonds.listSeries', {}), enabled: info.series !== 'refused' })

  const set = <K extends keyof Draft>(key: K, value: Draft[K], field: string = key) => {
    setDraft((d) => ({ ...d, [key]: value }))
    setErrors((e) => {
      if (!(field in e)) return e
      const next: FieldErrors = { ...e }
      delete next[field]
      return next
    })
  }

  function submit(e: FormEvent) {
    e.preventDefault()
    const found: FieldErrors = {}
    if (!draft.from) found.from = 'Enter the From date'
    if (!draft.to) found.to = 'Enter the To date'
    if (Object.keys(found).length > 0) {
      form.showLocal(found)
      return
    }
    const params: ReportParams = {
      from: draft.from,
      to: draft.to,
      ...(info.member !== 'refused' && draft.member ? { memberId: draft.member.id } : {}),
      ...(info.account !== 'refused' && draft.accountId ? { accountId: Number(draft.accountId) } : {}),
      ...(info.series !== 'refused' && draft.seriesId ? { seriesId: Number(draft.seriesId) } : {}),
      ...(info.certificates && draft.certificates ? { certificates: true } : {})
    }
    onShow({ name, params })
  }

  const accountOptions = [
    { value: '', label: accounts.data ? 'Choose an account' : accounts.isError ? 'The accounts could not be loaded' : 'Loading accounts…' },
    ...[...(accounts.data?.accounts ?? [])]
      .sort((a, b) => a.code.localeCompare(b.code, profile.locale, { numeric: true }))
      .map((a) => ({ value: String(a.id), label: a.active ? accountLabel(a) : `${accountLabel(a)} (inactive)` }))
  ]
  const seriesOptions = [
    { value: '', label: series.isError ? 'The series could not be loaded' : info.series === 'required' ? 'Choose a series' : 'All series' },
    ...(series.data ?? []).map((s) => ({ value: String(s.id), label: `${s.code} · ${s.name}` }))
  ]

  return (
    <form ref={formRef} className="form report-form" noValidate onSubmit={submit} aria-label={`${info.title}: what to show`}>
      {form.banner ? (
        <Banner tone="error" onDismiss={() => setBanner(null)}>
          <span data-testid="report-form-problem">{form.banner}</span>
        </Banner>
      ) : null}
      <div className="report-form-grid">
        <DateField label="From" required value={draft.from} error={form.errors.from} onChange={(e) => set('from', e.target.value)} />
        <DateField label="To" required value={draft.to} error={form.errors.to} onChange={(e) => set('to', e.target.value)} />
        <p className="report-dates-hint field-hint">
          {info.dates} {initial.from ? null : RANGE_WORDS[info.defaultRange]}
        </p>
        {info.member !== 'refused' ? (
          <MemberPicker
            className="report-field-wide"
            label="Member"
            value={picked}
            onChange={(m) => set('member', m, 'memberId')}
            error={form.errors.memberId}
            required={info.member === 'required'}
            hint={info.member === 'optional' ? 'Optional: leave it blank for every active member.' : undefined}
          />
        ) : null}
        {info.account !== 'refused' ? (
          <SelectField
            className="report-field-wide"
            label="Account"
            required={info.account === 'required'}
            value={draft.accountId}
            options={accountOptions}
            error={form.errors.accountId}
            onChange={(e) => set('accountId', e.target.value)}
          />
        ) : null}
        {info.series !== 'refused' ? (
          <SelectField
            className="report-field-wide"
            label="Series"
            required={info.series === 'required'}
            value={draft.seriesId}
            options={seriesOptions}
            error={form.errors.seriesId}
            hint={info.series === 'optional' ? 'Optional: All series unless one is chosen.' : undefined}
            onChange={(e) => set('seriesId', e.target.value)}
          />
        ) : null}
        {info.certificates ? (
          <CheckField
            className="report-field-wide"
            label="Certificates: one per member, as PDF"
            checked={draft.certificates}
            error={form.errors.certificates}
            hint="Certificates cover a whole calendar year (From 1 January to To 31 December of one year) and are made as PDF only; on screen the report shows its usual tables."
            onChange={(v) => set('certificates', v)}
          />
        ) : null}
      </div>
      <div className="report-form-actions">
        <Button type="submit" variant="primary" busy={showing}>
          Show
        </Button>
      </div>
    </form>
  )
}
