import { useEffect, useRef, useState, type FormEvent } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router-dom'
import {
  StandingOrderInput,
  type Account,
  type AppError,
  type MemberAccount,
  type StandingOrder,
  type StandingOrderDetail,
  type StandingOrderInput as OrderInput
} from '../../../../../shared/contract'
import { call, invoke } from '../../../platform/api'
import { fmtDate } from '../../../platform/format'
import { focusFirstInvalid, issuesToFieldErrors, useFormErrors, type FieldErrors } from '../../../platform/forms'
import { fmtAmount, fmtMoney, parseAmount } from '../../../platform/money'
import { useCallMutation } from '../../../platform/queries'
import { todayIn } from '../../../platform/today'
import { useDebounced } from '../../../platform/useDebounced'
import { useSaveShortcut } from '../../../platform/useSaveShortcut'
import { Banner, ErrorBanner } from '../../../ui/Banner'
import { CheckField, DateField, SelectField, TextField } from '../../../ui/Field'
import { FormActions } from '../../../ui/FormActions'
import { PageHeader } from '../../../ui/PageHeader'
import { PageError, PageLoading } from '../../../ui/PageState'
import { ledgerKeys } from '../../ledger/queries'
import { parseId } from '../../members/ids'
import { memberKeys } from '../../members/queries'
import { useProfile } from '../../profile/ProfileContext'
import { settingsKeys } from '../../settings/queries'
import { FREQUENCY_OPTIONS, FUNDS_POLICY_OPTIONS, HOLIDAY_RULE_OPTIONS, MONTH_END_FREQUENCIES, targetKindLabel } from '../labels'
import { recurringKeys } from '../queries'
import { orderPath } from './orderColumns'
import './orders.css'

type TargetKind = OrderInput['target']['kind']

interface Values {
  fromMemberAccountId: string
  targetKind: TargetKind
  toMemberAccountId: string
  accountId: string
  payeeName: string
  payeeBank: string
  payeeAccount: string
  payeeReference: string
  /** As typed; parsed into amountMinor on save. */
  amount: string
  frequency: string
  startDate: string
  monthEnd: boolean
  endDate: string
  holidayRule: string
  priority: string
  insufficientFunds: string
  retryDays: string
  description: string
}

/** Where each value's message comes from: the contract's field path (core names `target.memberAccountId`, say). */
const ERROR_KEY: Record<keyof Values, string> = {
  fromMemberAccountId: 'fromMemberAccountId',
  targetKind: 'target',
  toMemberAccountId: 'target.memberAccountId',
  accountId: 'target.accountId',
  payeeName: 'target.payeeName',
  payeeBank: 'target.payeeBank',
  payeeAccount: 'target.payeeAccount',
  payeeReference: 'target.payeeReference',
  amount: 'amountMinor',
  frequency: 'frequency',
  startDate: 'startDate',
  monthEnd: 'monthEnd',
  endDate: 'endDate',
  holidayRule: 'holidayRule',
  priority: 'priority',
  insufficientFunds: 'insufficientFunds',
  retryDays: 'retryDays',
  description: 'description'
}
const FIELDS: ReadonlyArray<string> = Object.values(ERROR_KEY)
const SCHEDULE_KEYS = ['frequency', 'startDate', 'monthEnd', 'endDate', 'holidayRule'] as const
const SCHEDULE_LABELS: Record<string, string> = {
  frequency: 'How often',
  startDate: 'First payment',
  monthEnd: 'Month end',
  endDate: 'Last payment by',
  holidayRule: 'Weekends and holidays'
}
const TARGET_KINDS: readonly TargetKind[] = ['member-account', 'account', 'bank']
const PRODUCT_WORDS: Record<string, string> = { savings: 'Savings', shares: 'Share capital' }
const FUNDS_HINTS: Record<string, string> = {
  skip: 'Not paid this time; the next payment is the usual amount.',
  retry: 'Tried again every day for the days below, then skipped.',
  partial: 'Pays what the account holds; the rest is added to the next payment.'
}

export function StandingOrderFormPage({ mode }: { mode: 'new' | 'edit' }) {
  const params = useParams()
  const id = parseId(params.id)
  if (id === null) return <PageError error={new Error('There is nothing at this address.')} title="Not found" />
  return mode === 'new' ? <NewOrderLoader key={id} memberId={id} /> : <EditOrderLoader key={id} orderId={id} />
}

const NOTHING_RECORDED: ReadonlySet<string> = new Set()

function NewOrderLoader({ memberId }: { memberId: number }) {
  const member = useQuery({ queryKey: memberKeys.detail(memberId), queryFn: () => call('members.get', { id: memberId }) })
  if (member.isError && !member.data) return <PageError error={member.error} onRetry={() => void member.refetch()} />
  if (!member.data) return <PageLoading />
  const m = member.data.member
  return <FormData memberId={memberId} memberName={m.fullName} memberNo={m.memberNo} memberActive={m.active} order={null} generated={0} recorded={NOTHING_RECORDED} />
}

function EditOrderLoader({ orderId }: { orderId: number }) {
  const detail = useQuery({ queryKey: recurringKeys.order(orderId), queryFn: () => call('recurring.order', { id: orderId }) })
  // The order as the form opened on it: a refresh meanwhile (a run, another window) must not move the version
  // the form saves against, so core answers that it changed instead of the form overwriting it.
  const [opened, setOpened] = useState<StandingOrderDetail | null>(null)
  if (detail.data && opened === null) setOpened(detail.data)
  const memberId = opened?.order.memberId
  const member = useQuery({
    queryKey: memberKeys.detail(memberId ?? 0),
    queryFn: () => call('members.get', { id: memberId as number }),
    enabled: memberId !== undefined
  })
  if (detail.isError && !opened) return <PageError error={detail.error} onRetry={() => void detail.refetch()} />
  if (member.isError && !member.data) return <PageError error={member.error} onRetry={() => void member.refetch()} />
  if (!opened || !member.data) return <PageLoading />
  const o = opened.order
  return (
    <FormData
      memberId={o.memberId}
      memberName={o.memberName}
      memberNo={o.memberNo}
      memberActive={member.data.member.active}
      order={o}
      generated={opened.occurrences.length}
      recorded={new Set(opened.occurrences.map((x) => x.scheduledDate))}
    />
  )
}

interface FormDataProps {
  memberId: number
  memberName: string
  memberNo: string
  memberActive: boolean
  order: StandingOrder | null
  /** Occurrences the order has: its schedule's fixed fields cannot change once there are any. */
  generated: number
  /** Their scheduled dates: the preview marks those as on record (paid, skipped or waiting), not to come. */
  recorded: ReadonlySet<string>
}

/** The member's accounts (with balances) and the society's accounts the form chooses from. */
function FormData(props: FormDataProps) {
  const accounts = useQuery({ queryKey: ledgerKeys.memberAccounts(props.memberId), queryFn: () => call('ledger.memberAccounts', { memberId: props.memberId }) })
  const society = useQuery({ queryKey: ledgerKeys.accounts(), queryFn: () => call('ledger.accounts', { includeInactive: true }) })
  if (accounts.isError && !accounts.data) return <PageError error={accounts.error} title="The member's accounts could not be loaded" onRetry={() => void accounts.refetch()} />
  if (society.isError && !society.data) return <PageError error={society.error} title="The accounts could not be loaded" onRetry={() => void society.refetch()} />
  if (!accounts.data || !society.data) return <PageLoading />
  return <OrderForm {...props} memberAccounts={accounts.data.accounts} societyAccounts={society.data.accounts} />
}

function initialValues(order: StandingOrder | null, accounts: readonly MemberAccount[], today: string, formatAmount: (m: number) => string): Values {
  if (order) {
    const t = order.target
    return {
      fromMemberAccountId: String(order.fromMemberAccountId),
      targetKind: t.kind,
      toMemberAccountId: t.kind === 'member-account' ? String(t.memberAccountId) : '',
      accountId: t.kind === 'account' ? String(t.accountId) : '',
      payeeName: t.kind === 'bank' ? t.payeeName : '',
      payeeBank: t.kind === 'bank' ? t.payeeBank : '',
      payeeAccount: t.kind === 'bank' ? t.payeeAccount : '',
      payeeReference: t.kind === 'bank' ? (t.payeeReference ?? '') : '',
      amount: formatAmount(order.amountMinor),
      frequency: order.frequency,
      startDate: order.startDate,
      monthEnd: order.monthEnd,
      endDate: order.endDate ?? '',
      holidayRule: order.holidayRule,
      priority: String(order.priority),
      insufficientFunds: order.insufficientFunds,
      retryDays: String(order.retryDays),
      description: order.description ?? ''
    }
  }
  const from = accounts.find((a) => a.product === 'savings') ?? accounts[0]
  const to = accounts.find((a) => a.id !== from?.id)
  return {
    fromMemberAccountId: from ? String(from.id) : '',
    targetKind: to ? 'member-account' : 'account',
    toMemberAccountId: to ? String(to.id) : '',
    accountId: '',
    payeeName: '',
    payeeBank: '',
    payeeAccount: '',
    payeeReference: '',
    amount: '',
    frequency: 'monthly',
    startDate: today,
    monthEnd: false,
    endDate: '',
    holidayRule: 'none',
    priority: '50',
    insufficientFunds: 'skip',
    retryDays: '3',
    description: ''
  }
}

/** A whole number typed in a box: the number, undefined when empty (the contract says it is required), NaN otherwise. */
function wholeText(text: string): number | undefined {
  const t = text.trim()
  if (t === '') return undefined
  return /^\d{1,6}$/.test(t) ? Number(t) : Number.NaN
}

const validRetry = (text: string): number | undefined => {
  const n = wholeText(text)
  return n !== undefined && n >= 1 && n <= 30 ? n : undefined
}

/** The schedule as recurring.preview takes it. */
function scheduleOf(v: Values) {
  return {
    frequency: v.frequency as OrderInput['frequency'],
    startDate: v.startDate,
    monthEnd: MONTH_END_FREQUENCIES.includes(v.frequency) ? v.monthEnd : false,
    endDate: v.endDate.trim() || null,
    holidayRule: v.holidayRule as NonNullable<OrderInput['holidayRule']>
  }
}

function targetOf(v: Values): OrderInput['target'] {
  if (v.targetKind === 'member-account') return { kind: 'member-account', memberAccountId: Number(v.toMemberAccountId) }
  if (v.targetKind === 'account') return { kind: 'account', accountId: Number(v.accountId) }
  return {
    kind: 'bank',
    payeeName: v.payeeName.trim(),
    payeeBank: v.payeeBank.trim(),
    payeeAccount: v.payeeAccount.trim(),
    payeeReference: v.payeeReference.trim() || null
  }
}

type Preview =
  | { kind: 'idle' }
  | { kind: 'ok'; key: string; schedule: string; dates: Array<{ n: number; scheduled: string; due: string }> }
  | { kind: 'errors'; key: string; fields: FieldErrors; message: string | null }

const scheduleOnly = (fields: FieldErrors): FieldErrors =>
  Object.fromEntries(Object.entries(fields).filter(([k]) => (SCHEDULE_KEYS as readonly string[]).includes(k)))

function previewFailure(key: string, error: AppError): Preview {
  const fields = scheduleOnly(error.fields ?? {})
  return { kind: 'errors', key, fields, message: Object.keys(fields).length ? null : error.message }
}

/** recurring.preview as a query keyed by the schedule (JSON); the last answer stays while the next is asked. */
function useSchedulePreview(key: string): Preview {
  const input = JSON.parse(key) as ReturnType<typeof scheduleOf>
  const ready = !!input.startDate
  const query = useQuery({
    queryKey: recurringKeys.preview({ ...input, count: 6 }),
    queryFn: async (): Promise<Preview> => {
      const r = await invoke('recurring.preview', { ...input, count: 6 })
      return r.ok ? { kind: 'ok', key, schedule: r.value.schedule, dates: r.value.dates } : previewFailure(key, r.error)
    },
    enabled: ready,
    placeholderData: keepPreviousData
  })
  return ready && query.data ? query.data : { kind: 'idle' }
}

interface OrderFormProps extends FormDataProps {
  memberAccounts: MemberAccount[]
  societyAccounts: Account[]
}

/**
 * A member's standing order, new or changed: the account it pays from (with
 * its balance), where it pays into (another of their accounts, a society
 * account, or out to a bank), the amount, the schedule (its next dates shown
 * live beside the form), the weekend and holiday rule, the priority and what
 * happens when the money is not there. Core's refusals sit next to their
 * fields; nothing is saved until core accepts it.
 */
function OrderForm({ memberId, memberName, memberNo, memberActive, order, generated, recorded, memberAccounts, societyAccounts }: OrderFormProps) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const money = (m: number) => fmtMoney(m, profile.currency, profile.locale)
  const [today] = useState(() => todayIn(profile.timeZone))
  const [values, setValues] = useState<Values>(() =>
    initialValues(order, memberAccounts, today, (m) => fmtAmount(m, profile.currency, profile.locale))
  )
  const { errors, setErrors, banner, setBanner, focusTick, clear, showLocal, showServer } = useFormErrors(FIELDS)
  const [saving, setSaving] = useState(false)
  const create = useCallMutation('recurring.createOrder')
  const update = useCallMutation('recurring.updateOrder')
  const security = useQuery({ queryKey: settingsKeys.security(), queryFn: () => call('security.get', {}) })
  const twoOperators = security.data?.makerChecker.payments ?? null
  const formRef = useRef<HTMLFormElement>(null)
  useSaveShortcut(formRef, !saving)
  useEffect(() => {
    if (focusTick > 0) focusFirstInvalid(formRef.current)
  }, [focusTick])

  const locked = generated > 0
  const lockedNote = `This order has ${generated === 1 ? 'one occurrence' : `${generated} occurrences`} on record, so how often it pays, the first payment and the month-end choice stay as they are (the dates already used would move). To change them, cancel it and set up a new one.`

  const pKey = JSON.stringify(scheduleOf(values))
  const preview = useSchedulePreview(useDebounced(pKey, 300))
  const previewCurrent = preview.kind === 'idle' || preview.key === pKey
  const liveErrors = preview.kind === 'errors' && previewCurrent ? preview.fields : {}

  const set =
    <K extends keyof Values>(key: K) =>
    (value: Values[K]) => {
      setValues((v) => ({ ...v, [key]: value }))
      const field = ERROR_KEY[key]
      // Another kind of target: the messages of the one before go with it.
      const drop = (k: string) => k === field || (key === 'targetKind' && k.startsWith('target'))
      setErrors((e) => (Object.keys(e).some(drop) ? Object.fromEntries(Object.entries(e).filter(([k]) => !drop(k))) : e))
    }
  const err = (key: keyof Values): string | undefined => errors[ERROR_KEY[key]] ?? liveErrors[ERROR_KEY[key]]
  const bind = (key: Exclude<keyof Values, 'monthEnd' | 'targetKind'>) => ({
    value: values[key],
    onChange: (e: { target: { value: string } }) => set(key)(e.target.value),
    error: err(key)
  })

  const typed = values.amount.trim() ? parseAmount(values.amount, profile.currency, profile.locale) : null
  const from = memberAccounts.find((a) => String(a.id) === values.fromMemberAccountId) ?? null

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (saving) return
    setBanner(null)
    const found: FieldErrors = {}
    let amountMinor: number | undefined
    if (!typed) found.amountMinor = 'Amount is required'
    else if (!typed.ok) found.amountMinor = typed.error
    else amountMinor = typed.minor
    const input = {
      memberId,
      fromMemberAccountId: Number(values.fromMemberAccountId),
      target: targetOf(values),
      amountMinor: amountMinor as number,
      description: values.description.trim() || null,
      ...scheduleOf(values),
      priority: wholeText(values.priority) as number,
      insufficientFunds: values.insufficientFunds as NonNullable<OrderInput['insufficientFunds']>,
      // Only read with retry; otherwise what the box holds if it is a number, else the contract's 3.
      retryDays: (values.insufficientFunds === 'retry' ? wholeText(values.retryDays) : (validRetry(values.retryDays) ?? 3)) as number
    } satisfies OrderInput
    const local = StandingOrderInput.safeParse(input)
    if (!local.success) {
      for (const [k, m] of Object.entries(issuesToFieldErrors(local.error.issues))) if (!(k in found)) found[k] = m
    }
    // The contract's words for an id are "The id is required": the form's own, for the selects.
    if (!values.fromMemberAccountId) found.fromMemberAccountId = 'Choose the account it pays from'
    if (values.targetKind === 'member-account' && !values.toMemberAccountId) found['target.memberAccountId'] = 'Choose the account it pays into'
    if (values.targetKind === 'account' && !values.accountId) found['target.accountId'] = 'Choose the society’s account it pays into'
    if (Number.isNaN(input.priority)) found.priority = 'Priority must be a whole number from 1 to 99'
    if (Number.isNaN(input.retryDays)) found.retryDays = 'Retry days must be a whole number from 1 to 30'
    if (Object.keys(found).length > 0) {
      showLocal(found)
      return
    }
    clear()
    setSaving(true)
    const r = order ? await update.mutateAsync({ ...input, id: order.id, expectedVersion: order.version }) : await create.mutateAsync(input)
    setSaving(false)
    if (!r.ok) {
      showServer(r.error)
      return
    }
    navigate(orderPath(r.value.id), { replace: true, state: { saved: order ? 'updated' : 'created' } })
  }

  const accountOption = (a: MemberAccount) => ({
    value: String(a.id),
    label: `${a.number} · ${PRODUCT_WORDS[a.product] ?? a.product} · ${money(a.balanceMinor)}`
  })
  const choose = { value: '', label: 'Choose…' }
  const societyOptions = societyAccounts
    .filter((a) => a.controlOf === null && (a.active || (values.targetKind === 'account' && String(a.id) === values.accountId)))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((a) => ({ value: String(a.id), label: `${a.code} ${a.name}${a.active ? '' : ' (inactive)'}` }))
  const monthly = MONTH_END_FREQUENCIES.includes(values.frequency)
  const back = () => navigate(order ? orderPath(order.id) : `/members/${memberId}`)
  const title = order ? `Standing order #${order.id}` : 'New standing order'

  return (
    <div className="page page-order-form">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={back}>
            ← {order ? `Standing order #${order.id}` : memberName}
          </button>
        }
        title={order ? `Change standing order #${order.id}` : title}
        subtitle={
          <>
            For <span className="tnum">{memberNo}</span> {memberName}. The next payment dates follow the schedule as you type.
          </>
        }
      />
      <div className="order-form-layout">
        <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-label={order ? 'Change standing order' : 'New standing order'}>
          <ErrorBanner message={banner} onDismiss={() => setBanner(null)} />
          {!memberActive ? (
            <Banner tone="warning">{memberName} is inactive: reactivate them before setting up a standing order.</Banner>
          ) : null}
          {order?.status === 'pending-approval' ? (
            <Banner tone="info">This order waits for another operator’s approval; it does not run until then.</Banner>
          ) : null}

          <fieldset className="form-section">
            <legend className="form-section-title">Money</legend>
            <div className="form-grid">
              <SelectField
                label="Pays from"
                required
                hint={from ? `Balance ${money(from.balanceMinor)}` : 'One of the member’s accounts'}
                {...bind('fromMemberAccountId')}
                options={[...(values.fromMemberAccountId ? [] : [choose]), ...memberAccounts.map(accountOption)]}
              />
              <TextField
                label={`Amount (${profile.currency})`}
                required
                hint={typed?.ok ? `${money(typed.minor)} each time` : 'Each time it pays'}
                {...bind('amount')}
                inputMode="decimal"
                inputClassName="tnum"
                maxLength={30}
                autoComplete="off"
                autoFocus={!order}
              />
              <SelectField
                label="Pays into"
                required
                className="span-2"
                value={values.targetKind}
                onChange={(e) => set('targetKind')(e.target.value as TargetKind)}
                error={err('targetKind')}
                options={TARGET_KINDS.map((k) => ({ value: k, label: targetKindLabel(k) }))}
              />
              {values.targetKind === 'member-account' ? (
                <SelectField
                  label="Account it pays into"
                  required
                  className="span-2"
                  {...bind('toMemberAccountId')}
                  options={[...(values.toMemberAccountId ? [] : [choose]), ...memberAccounts.map(accountOption)]}
                />
              ) : values.targetKind === 'account' ? (
                <SelectField
                  label="Society account"
                  required
                  className="span-2"
                  hint="A fee, a contribution: the society’s own account (not a control account of members’ money)"
                  {...bind('accountId')}
                  options={[...(values.accountId ? [] : [choose]), ...societyOptions]}
                />
              ) : (
                <>
                  <TextField label="Payee" required {...bind('payeeName')} maxLength={120} autoComplete="off" />
                  <TextField label="Bank" required {...bind('payeeBank')} maxLength={120} autoComplete="off" />
                  <TextField label="Account number" required {...bind('payeeAccount')} inputClassName="mono" maxLength={40} autoComplete="off" spellCheck={false} />
                  <TextField label="Payee reference" hint="What the payee sees (optional)" {...bind('payeeReference')} maxLength={60} autoComplete="off" />
                  <div className="span-2">
                    <Banner tone="info">
                      {twoOperators === true ? (
                        <span data-testid="bank-approval-note">
                          <strong>Waits for approval.</strong> This order pays out of the society, and Settings → Security asks for two operators on
                          payments: once saved it waits for another operator to approve it, and it does not run until then.{' '}
                        </span>
                      ) : null}
                      Each time it falls due the member’s account is debited and a payment to {values.payeeName.trim() || 'the payee'} is created; it is
                      approved and paid with a voucher on the Payments page.
                    </Banner>
                  </div>
                </>
              )}
              <TextField
                label="Description"
                className="span-2"
                hint="Optional; on each journal entry it posts"
                {...bind('description')}
                maxLength={300}
                autoComplete="off"
              />
            </div>
          </fieldset>

          <fieldset className="form-section">
            <legend className="form-section-title">Schedule</legend>
            {locked ? <p className="muted order-locked-note" data-testid="order-schedule-locked">{lockedNote}</p> : null}
            <div className="form-grid">
              <SelectField label="How often" required {...bind('frequency')} options={FREQUENCY_OPTIONS} disabled={locked} hint={locked ? 'Fixed once occurrences exist' : undefined} />
              <DateField label="First payment" required {...bind('startDate')} disabled={locked} hint={locked ? 'Fixed once occurrences exist' : 'The schedule counts from this date'} />
              {monthly ? (
                <CheckField
                  label="On the month’s last day"
                  className="span-2"
                  checked={values.monthEnd}
                  onChange={set('monthEnd')}
                  error={err('monthEnd')}
                  disabled={locked}
                  hint={locked ? 'Fixed once occurrences exist' : 'Rather than on the first payment’s day of the month'}
                />
              ) : null}
              <DateField label="Last payment by" hint="Optional: no payment after this date" {...bind('endDate')} />
              <SelectField
                label="Weekends and holidays"
                hint="When a payment date is not a business day"
                {...bind('holidayRule')}
                options={HOLIDAY_RULE_OPTIONS}
              />
            </div>
          </fieldset>

          <fieldset className="form-section">
            <legend className="form-section-title">When the money is not there</legend>
            <div className="form-grid">
              <SelectField
                label="If the balance is short"
                required
                hint={FUNDS_HINTS[values.insufficientFunds]}
                {...bind('insufficientFunds')}
                options={FUNDS_POLICY_OPTIONS}
              />
              {values.insufficientFunds === 'retry' ? (
                <TextField label="Retry for (days)" required hint="1 to 30 days after the date" {...bind('retryDays')} inputMode="numeric" inputClassName="tnum" maxLength={3} autoComplete="off" />
              ) : (
                <div className="field-spacer" aria-hidden="true" />
              )}
              <TextField
                label="Priority"
                required
                hint="1 to 99: when orders draw on one account on the same day, the lower number pays first"
                {...bind('priority')}
                inputMode="numeric"
                inputClassName="tnum"
                maxLength={3}
                autoComplete="off"
              />
            </div>
          </fieldset>

          <FormActions saveLabel={order ? 'Save changes' : 'Save standing order'} saving={saving} onCancel={back} />
        </form>

        <OrderPreview
          preview={preview}
          current={previewCurrent}
          locale={profile.locale}
          amount={typed?.ok ? money(typed.minor) : null}
          from={from?.number ?? null}
          target={targetWords(values, memberAccounts, societyAccounts)}
          recorded={recorded}
        />
      </div>
    </div>
  )
}

/** Where the money goes, in words, as the form stands. */
function targetWords(v: Values, accounts: readonly MemberAccount[], society: readonly Account[]): string | null {
  if (v.targetKind === 'member-account') {
    const a = accounts.find((x) => String(x.id) === v.toMemberAccountId)
    return a ? `to ${a.number}` : null
  }
  if (v.targetKind === 'account') {
    const a = society.find((x) => String(x.id) === v.accountId)
    return a ? `to the society’s ${a.name} (${a.code})` : null
  }
  return v.payeeName.trim() ? `out to ${v.payeeName.trim()}${v.payeeBank.trim() ? ` at ${v.payeeBank.trim()}` : ''}` : null
}

function OrderPreview({
  preview,
  current,
  locale,
  amount,
  from,
  target,
  recorded
}: {
  recorded: ReadonlySet<string>
  preview: Preview
  current: boolean
  locale: string
  amount: string | null
  from: string | null
  target: string | null
}) {
  return (
    <aside
      className={current ? 'panel order-preview' : 'panel order-preview is-stale'}
      aria-labelledby="order-preview-title"
      aria-busy={!current || undefined}
      data-testid="order-preview"
    >
      <h2 className="panel-title" id="order-preview-title">
        Next payments
      </h2>
      <p className="order-preview-what">
        {amount ?? 'The amount'} from {from ? <span className="mono">{from}</span> : 'the account'} {target ?? 'to where you choose'}
      </p>
      <div aria-live="polite">
        {preview.kind === 'idle' ? (
          <p className="muted">Enter the first payment date to see when it pays.</p>
        ) : preview.kind === 'errors' ? (
          <div className="preview-errors">
            <p>Fix the schedule to see the dates:</p>
            <ul>
              {Object.entries(preview.fields).map(([k, m]) => (
                <li key={k}>
                  <strong>{SCHEDULE_LABELS[k] ?? k}:</strong> {m}
                </li>
              ))}
              {preview.message ? <li>{preview.message}</li> : null}
            </ul>
          </div>
        ) : (
          <>
            <p className="preview-summary" data-testid="order-preview-schedule">
              {preview.schedule}
            </p>
            {preview.dates.length === 0 ? (
              <p className="muted">No payment falls from today on: the last payment date has passed.</p>
            ) : (
              <ol className="order-preview-dates">
                {preview.dates.map((d) => (
                  <li key={d.n} className={recorded.has(d.scheduled) ? 'tnum muted' : 'tnum'}>
                    {fmtDate(d.due, locale)}
                    {d.due !== d.scheduled ? <span className="muted"> (moved from {fmtDate(d.scheduled, locale)})</span> : null}
                    {recorded.has(d.scheduled) ? <span> · on record already (see its history)</span> : null}
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
      </div>
    </aside>
  )
}
