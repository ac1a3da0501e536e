import { useEffect, useRef, useState, type FormEvent } from 'react'
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router-dom'
import { TemplateInput, type Account, type Input, type Template } from '../../../../shared/contract'
import { appError, call } from '../../platform/api'
import { fieldBinder, focusFirstInvalid, issuesToFieldErrors, useFormErrors, type FieldErrors } from '../../platform/forms'
import { fmtCount, fmtDate } from '../../platform/format'
import { useCallMutation } from '../../platform/queries'
import { todayIn } from '../../platform/today'
import { useDebounced } from '../../platform/useDebounced'
import { useSaveShortcut } from '../../platform/useSaveShortcut'
import { isCalendarDate } from '../../../../shared/dates'
import { firstIndexOnOrAfter } from '../../../../shared/recurrence'
import { fmtMoney } from '../../platform/money'
import { useProfile } from '../profile/ProfileContext'
import type { PickedMember } from '../members/MemberPicker'
import { parseId } from '../members/ids'
import { EntryLinesEditor, blankEntryLine, entryLineFrom, lineFieldKeys, useEntryLines } from '../ledger/EntryLines'
import { ledgerKeys } from '../ledger/queries'
import { ErrorBanner } from '../../ui/Banner'
import { CheckField, DateField, SelectField, TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { AMOUNT_KIND_OPTIONS, FREQUENCY_OPTIONS, HOLIDAY_RULE_OPTIONS, MONTH_END_FREQUENCIES, POST_MODE_OPTIONS } from './labels'
import { recurringKeys } from './queries'
import './recurring.css'

/** What the form holds besides the lines; numbers as typed. */
interface Head {
  name: string
  description: string
  amountKind: string
  frequency: string
  startDate: string
  endDate: string
  maxOccurrences: string
  daysAhead: string
  holidayRule: string
  postMode: string
}

const HEAD_FIELDS = ['name', 'description', 'amountKind', 'frequency', 'startDate', 'monthEnd', 'endDate', 'maxOccurrences', 'daysAhead', 'holidayRule', 'postMode'] as const

const knownFields = (n: number): string[] => [...HEAD_FIELDS, ...lineFieldKeys(n)]

const PREVIEW_COUNT = 6

/** A whole number typed in a box: empty (null), the number, or not one. */
function wholeOrEmpty(text: string): number | null | 'bad' {
  const t = text.trim()
  if (t === '') return null
  return /^\d{1,9}$/.test(t) ? Number(t) : 'bad'
}

/** New recurring entry (`/recurring/new`) and Edit (`/recurring/:id/edit`). */
export function TemplateFormPage({ mode }: { mode: 'new' | 'edit' }) {
  const params = useParams()
  const accounts = useQuery({ queryKey: ledgerKeys.accounts(), queryFn: () => call('ledger.accounts', { includeInactive: true }) })
  if (accounts.isError && !accounts.data) return <PageError error={accounts.error} title="The accounts could not be loaded" onRetry={() => void accounts.refetch()} />
  if (!accounts.data) return <PageLoading label="Loading accounts…" />
  if (mode === 'new') return <TemplateForm accounts={accounts.data.accounts} template={null} members={new Map()} />
  const id = parseId(params.id)
  if (id === null) return <PageError error={new Error('There is no recurring entry at this address.')} title="Not found" />
  return <EditLoader key={id} id={id} accounts={accounts.data.accounts} />
}

/** Whose each member account on the template's lines is: the member picker shows them. */
async function memberOfAccount(memberAccountId: number): Promise<PickedMember> {
  const statement = await call('ledger.statement', { memberAccountId, limit: 1 })
  if (statement.memberId === null) throw new Error(`Member account #${memberAccountId} has no member.`)
  const { accounts } = await call('ledger.memberAccounts', { memberId: statement.memberId })
  const a = accounts.find((x) => x.id === memberAccountId)
  if (!a) throw new Error(`Member account #${memberAccountId} was not found.`)
  return { id: a.memberId, memberNo: a.memberNo, fullName: a.memberName }
}

function EditLoader({ id, accounts }: { id: number; accounts: Account[] }) {
  const loaded = useQuery({ queryKey: recurringKeys.template(id), queryFn: () => call('recurring.template', { id }) })
  const memberAccountIds = [...new Set((loaded.data?.template.lines ?? []).flatMap((l) => (l.memberAccountId === null ? [] : [l.memberAccountId])))]
  const members = useQueries({
    queries: memberAccountIds.map((maId) => ({ queryKey: recurringKeys.memberOfAccount(maId), queryFn: () => memberOfAccount(maId), staleTime: Infinity }))
  })
  const failed = members.find((m) => m.isError)
  if (loaded.isError && !loaded.data) return <PageError error={loaded.error} onRetry={() => void loaded.refetch()} />
  if (failed) return <PageError error={failed.error} title="The members on this entry’s lines could not be loaded" onRetry={() => void failed.refetch()} />
  if (!loaded.data || members.some((m) => !m.data)) return <PageLoading />
  const template = loaded.data.template
  const byAccount = new Map(memberAccountIds.map((maId, i) => [maId, members[i]?.data as PickedMember]))
  if (template.status === 'cancelled') {
    return <PageError error={new Error('A cancelled recurring entry cannot be changed; set up a new one.')} title={`${template.name} is cancelled`} />
  }
  return <TemplateForm accounts={accounts} template={template} members={byAccount} />
}

interface FormProps {
  accounts: Account[]
  /** The template being edited, or null for a new one. */
  template: Template | null
  /** For editing: the member of each member account on the lines. */
  members: Map<number, PickedMember>
}

function TemplateForm({ accounts, template: loaded, members }: FormProps) {
  const { profile } = useProfile()
  // The form takes the template once: a refresh while it is open (a run) neither overwrites what is being typed nor
  // moves the version it saves against (a change made meanwhile is refused, not overwritten).
  const [template] = useState(loaded)
  const navigate = useNavigate()
  const editing = template !== null
  const occurrences = template ? template.counts.posted + template.counts.waiting + template.counts.failed + template.counts.skipped : 0
  // Frequency, start date and month end are fixed once occurrences exist (core refuses to move the dates already used).
  const locked = occurrences > 0
  const [head, setHead] = useState<Head>(() =>
    template
      ? {
          name: template.name,
          description: template.description,
          amountKind: template.amountKind,
          frequency: template.frequency,
          startDate: template.startDate,
          endDate: template.endDate ?? '',
          maxOccurrences: template.maxOccurrences === null ? '' : String(template.maxOccurrences),
          daysAhead: String(template.daysAhead),
          holidayRule: template.holidayRule,
          postMode: template.postMode
        }
      : {
          name: '',
          description: '',
          amountKind: 'fixed',
          frequency: 'monthly',
          startDate: todayIn(profile.timeZone),
          endDate: '',
          maxOccurrences: '',
          daysAhead: '0',
          holidayRule: 'none',
          postMode: 'auto'
        }
  )
  const [monthEnd, setMonthEnd] = useState(template?.monthEnd ?? false)
  const model = useEntryLines(accounts, () =>
    template
      ? template.lines.map((l) => entryLineFrom(l, l.memberAccountId === null ? null : (members.get(l.memberAccountId) ?? null), profile))
      : [blankEntryLine(), blankEntryLine()]
  )
  const form = useFormErrors(knownFields(model.lines.length))
  const create = useCallMutation('recurring.createTemplate')
  const update = useCallMutation('recurring.updateTemplate')
  const saving = create.isPending || update.isPending
  const formRef = useRef<HTMLFormElement>(null)
  useSaveShortcut(formRef, !saving)
  useEffect(() => {
    if (form.focusTick > 0) focusFirstInvalid(formRef.current)
  }, [form.focusTick])

  const forget = (...keys: string[]) =>
    form.setErrors((e) => {
      if (!keys.some((k) => k in e)) return e
      const next = { ...e }
      for (const k of keys) delete next[k]
      return next
    })
  const field = fieldBinder(
    head,
    (key, value) => {
      setHead((h) => ({ ...h, [key]: value }))
      forget(key)
    },
    (key) => form.errors[key]
  )

  const monthly = MONTH_END_FREQUENCIES.includes(head.frequency)
  const estimated = head.amountKind === 'estimated'
  const lockedHint = locked
    ? `Fixed: this entry has ${fmtCount(occurrences, profile.locale)} occurrence${occurrences === 1 ? '' : 's'} already (their dates would move). Cancel it and set up a new one to change this.`
    : undefined

  /** The schedule as the contract takes it, or the messages for the boxes that do not read as numbers. */
  function schedule(): { rule: PreviewRule; daysAhead: number; found: FieldErrors } {
    const found: FieldErrors = {}
    const max = wholeOrEmpty(head.maxOccurrences)
    if (max === 'bad') found.maxOccurrences = 'Enter a whole number, or leave it empty for no limit'
    const ahead = wholeOrEmpty(head.daysAhead)
    if (ahead === 'bad' || ahead === null) found.daysAhead = 'Enter a whole number of days (0: on its date)'
    return {
      rule: {
        frequency: head.frequency as Input<'recurring.preview'>['frequency'],
        startDate: head.startDate,
        monthEnd: monthly ? monthEnd : false,
        endDate: head.endDate.trim() ? head.endDate : null,
        holidayRule: head.holidayRule as Input<'recurring.preview'>['holidayRule'],
        maxOccurrences: max === 'bad' ? null : max
      },
      daysAhead: typeof ahead === 'number' ? ahead : 0,
      found
    }
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (saving) return
    form.setBanner(null)
    const { lines, found: lineProblems } = model.collect()
    const s = schedule()
    const input = {
      name: head.name,
      description: head.description,
      amountKind: head.amountKind as TemplateInput['amountKind'],
      lines,
      ...s.rule,
      daysAhead: s.daysAhead,
      // An estimated amount always waits for the treasurer (the form shows it so).
      postMode: (estimated ? 'review' : head.postMode) as TemplateInput['postMode']
    }
    const parsed = TemplateInput.safeParse(input)
    const local = parsed.success ? {} : issuesToFieldErrors(parsed.error.issues)
    // A line without an account, a box that is not a number: said once, in the app's words.
    const all = { ...local, ...lineProblems, ...s.found }
    if (Object.keys(all).length > 0) {
      form.showLocal(all)
      return
    }
    form.clear()
    const r = template ? await update.mutateAsync({ ...input, id: template.id, expectedVersion: template.version }) : await create.mutateAsync(input)
    if (!r.ok) {
      form.showServer(r.error)
      return
    }
    navigate(`/recurring/${r.value.id}`, { state: { saved: template ? 'updated' : 'created' } satisfies SavedState })
  }

  const back = () => navigate(template ? `/recurring/${template.id}` : '/recurring')
  const title = template ? `Edit ${template.name}` : 'New recurring entry'
  return (
    <div className="page page-entry-form page-recurring-form">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={back}>
            ← {template ? template.name : 'Recurring'}
          </button>
        }
        title={title}
        subtitle="An entry the society posts on a schedule. Debits must equal credits; a line on a control account names the member’s account."
      />
      <form ref={formRef} className="form entry-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label={title}>
        <ErrorBanner message={form.banner} onDismiss={() => form.setBanner(null)} />
        <div className="form-grid form-grid-3">
          <TextField label="Name" required {...field('name')} maxLength={120} autoComplete="off" hint="How it is listed, e.g. “Office rent”" />
          <TextField
            label="Description"
            required
            {...field('description')}
            maxLength={300}
            autoComplete="off"
            className="entry-description"
            hint="The journal entry’s description"
          />
          <SelectField
            label="Amount"
            {...field('amountKind')}
            options={AMOUNT_KIND_OPTIONS}
            hint={estimated ? 'Each occurrence waits in To review for the real amount' : 'The same amount every time'}
          />
        </div>

        <EntryLinesEditor
          model={model}
          form={form}
          maxLines={50}
          note={
            estimated && model.lines.length > 2 ? (
              <p className="field-hint" data-testid="estimated-lines-hint">
                The real amount can be entered when posting only for a two-line entry; with more lines each occurrence posts these amounts.
              </p>
            ) : null
          }
        />

        <fieldset className="form-section">
          <legend className="form-section-title">Schedule</legend>
          <div className="recurring-schedule-grid">
            <div className="form-grid form-grid-3">
              <SelectField label="Repeats" required {...field('frequency')} options={FREQUENCY_OPTIONS} disabled={locked} hint={lockedHint} />
              <DateField label="Start date" required {...field('startDate')} disabled={locked} hint={lockedHint ? 'Fixed once occurrences exist' : 'The first occurrence'} />
              {monthly ? (
                <CheckField
                  label="On the month’s last day"
                  checked={monthEnd}
                  disabled={locked}
                  onChange={(v) => {
                    setMonthEnd(v)
                    forget('monthEnd')
                  }}
                  error={form.errors.monthEnd}
                  hint={locked ? 'Fixed once occurrences exist' : 'Rather than on the start date’s day'}
                  className="recurring-month-end"
                />
              ) : (
                <span />
              )}
              <DateField label="End date" {...field('endDate')} hint="Optional: none after this day" />
              <TextField
                label="Number of occurrences"
                {...field('maxOccurrences')}
                inputMode="numeric"
                inputClassName="tnum"
                maxLength={6}
                autoComplete="off"
                hint="Optional: stops after this many"
              />
              <TextField
                label="Days ahead"
                required
                {...field('daysAhead')}
                inputMode="numeric"
                inputClassName="tnum"
                maxLength={2}
                autoComplete="off"
                hint="Generated this many days before its date (0 to 90); it still posts on its date"
              />
              <SelectField label="On weekends and holidays" {...field('holidayRule')} options={HOLIDAY_RULE_OPTIONS} hint="Holidays are those under Bonds → Holidays" />
              <SelectField
                label="Posting"
                {...field('postMode')}
                value={estimated ? 'review' : head.postMode}
                disabled={estimated}
                options={POST_MODE_OPTIONS}
                hint={estimated ? 'An estimated amount always waits for review' : head.postMode === 'review' ? 'Each occurrence waits in To review' : 'Posts on its date by itself'}
              />
            </div>
            <SchedulePreview rule={schedule().rule} catchUp={!locked} waits={estimated || head.postMode === 'review'} />
          </div>
        </fieldset>

        <FormActions saveLabel={editing ? 'Save changes' : 'Save recurring entry'} saving={saving} onCancel={back} />
      </form>
    </div>
  )
}

type PreviewRule = Omit<Input<'recurring.preview'>, 'count'> & { maxOccurrences: number | null }

/**
 * A start date in the past: how many occurrences fall before today (the next
 * run catches each up with its own date), and whether they will post by
 * themselves or wait in To review under the catch-up threshold in Settings.
 */
function CatchUpNote({ rule, today, waits }: { rule: PreviewRule; today: string; waits: boolean }) {
  const { profile } = useProfile()
  const settings = useQuery({ queryKey: recurringKeys.settings(), queryFn: () => call('recurring.settings', {}) })
  if (!(rule.startDate < today)) return null
  let past: number | 'all'
  try {
    const n = firstIndexOnOrAfter({ ...rule, monthEnd: rule.monthEnd ?? false, endDate: rule.endDate ?? null, holidayRule: rule.holidayRule ?? 'none' }, today)
    past = n === null ? 'all' : n - 1
  } catch {
    return null
  }
  if (past === 0) return null
  const what = past === 'all' ? 'Every occurrence of this schedule falls before today' : `${fmtCount(past, profile.locale)} occurrence${past === 1 ? ' falls' : 's fall'} before today`
  let then: string
  if (waits) then = 'they wait in To review, like every occurrence of this entry.'
  else if (!settings.data) then = 'they post by themselves or wait in To review under Settings → Recurring entries.'
  else {
    const max = settings.data.catchUpMaxCount
    const limit = settings.data.catchUpMaxAmountMinor
    const over = past === 'all' || past > max
    then = over
      ? `more than ${fmtCount(max, profile.locale)} missed wait in To review instead of posting (Settings → Recurring entries).`
      : `they post by themselves${limit !== null ? ` unless they add up to more than ${fmtMoney(limit, profile.currency, profile.locale)}` : ''} (up to ${fmtCount(max, profile.locale)} missed may; Settings → Recurring entries).`
  }
  return (
    <p className="recurring-preview-note field-hint" data-testid="catch-up-note">
      {what}: the next run of the recurring job catches {past === 1 ? 'it' : 'them'} up, each with its own date; {then}
    </p>
  )
}

/** What the detail page says after the form saved. */
export interface SavedState {
  saved: 'created' | 'updated'
}

/**
 * The next dates the schedule gives and the rule in words, asked of core
 * (recurring.preview) once the fields stop changing; what is wrong with the
 * rule, in core's words, in its place.
 */
function SchedulePreview({ rule, catchUp, waits }: { rule: PreviewRule; catchUp: boolean; waits: boolean }) {
  const { profile } = useProfile()
  const today = todayIn(profile.timeZone)
  const asked = useDebounced(JSON.stringify(rule), 300)
  const input = JSON.parse(asked) as PreviewRule
  const ready = typeof input.startDate === 'string' && isCalendarDate(input.startDate) && (input.endDate === null || isCalendarDate(input.endDate ?? ''))
  const preview = useQuery({
    queryKey: recurringKeys.preview({ ...input, count: PREVIEW_COUNT }),
    queryFn: () => call('recurring.preview', { ...input, count: PREVIEW_COUNT }),
    enabled: ready,
    placeholderData: keepPreviousData,
    retry: false
  })
  const error = appError(preview.error)
  return (
    <aside className="recurring-preview" aria-label="Next dates" aria-live="polite" data-testid="schedule-preview">
      <h3 className="recurring-preview-title">{input.startDate < today ? 'Next dates from today' : 'Next dates'}</h3>
      {!ready ? (
        <p className="muted">Enter a start date to see the dates.</p>
      ) : error ? (
        <p className="field-error" data-testid="preview-error">
          {Object.values(error.fields ?? {})[0] ?? error.message}
        </p>
      ) : !preview.data ? (
        <p className="muted">Working out the dates…</p>
      ) : (
        <>
          <p className="recurring-preview-rule" data-testid="preview-rule">
            {preview.data.schedule}
          </p>
          {preview.data.dates.length === 0 ? (
            <p className="muted">No date falls under this schedule.</p>
          ) : (
            <ol className="recurring-preview-dates" data-testid="preview-dates">
              {preview.data.dates.map((d) => (
                <li key={d.n} className="tnum">
                  <span className="recurring-preview-n muted">{d.n}</span> {fmtDate(d.due, profile.locale)}
                  {d.due !== d.scheduled ? <span className="muted"> (moved from {fmtDate(d.scheduled, profile.locale)})</span> : null}
                </li>
              ))}
            </ol>
          )}
          {catchUp && ready ? <CatchUpNote rule={input} today={today} waits={waits} /> : null}
        </>
      )}
    </aside>
  )
}
