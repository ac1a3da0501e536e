import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router-dom'
import { contract, type JournalEntry } from '../../../../shared/contract'
import { addMinor } from '../../../../shared/money'
import { call } from '../../platform/api'
import { fmtDate, fmtInstant } from '../../platform/format'
import { fieldBinder, issuesToFieldErrors, useFormErrors } from '../../platform/forms'
import { fmtAmount, fmtMoney, moneyHeader } from '../../platform/money'
import { useCallMutation } from '../../platform/queries'
import { todayIn } from '../../platform/today'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { DateField, TextAreaField } from '../../ui/Field'
import { Modal } from '../../ui/Modal'
import { PageError, PageLoading } from '../../ui/PageState'
import { useCan } from '../auth/useCan'
import { useProfile } from '../profile/ProfileContext'
import { sourceLabel } from './labels'
import { useSessionOrNull } from '../auth/session'
import { ReasonModal } from '../payments/ReasonModal'
import { ledgerKeys } from './queries'

/** The sum of some amounts, or null when it cannot be made exactly. */
export function sumMinor(amounts: number[]): number | null {
  try {
    return addMinor(...amounts)
  } catch {
    return null
  }
}

/**
 * One journal entry in a dialog: its lines (account, member account, debit,
 * credit), who entered it and when, its note, and the entries it reverses or
 * was reversed by (each opens here). An operator who may reverse entries
 * reverses it from here with a date and a reason; core refuses an entry an
 * area owns (a bond payment is corrected by voiding the payment) and says so.
 */
export function EntryModal({ entryId, onClose }: { entryId: number; onClose: () => void }) {
  const { profile } = useProfile()
  const [id, setId] = useState(entryId)
  const [reversing, setReversing] = useState(false)
  const [rejecting, setRejecting] = useState(false)
  const [approveError, setApproveError] = useState<string | null>(null)
  const canApprove = useCan('ledger.approveEntry')
  const me = useSessionOrNull()?.operator.id ?? null
  const approve = useCallMutation('ledger.approveEntry')
  const reject = useCallMutation('ledger.rejectEntry')
  const [notice, setNotice] = useState<string | null>(null)
  const canReverse = useCan('ledger.reverse')
  const entry = useQuery({ queryKey: ledgerKeys.entry(id), queryFn: () => call('ledger.entry', { id }) })
  const e = entry.data

  const open = (next: number) => {
    setNotice(null)
    setId(next)
  }
  const reversible = !!e && e.status === 'posted' && e.reversesId === null && e.reversedById === null
  // Maker-checker: a pending entry is approved or rejected by an operator other than the one who entered it.
  const decidable = !!e && e.status === 'pending' && canApprove
  const mine = !!e && e.enteredById !== null && e.enteredById === me

  async function onApprove() {
    if (!e || approve.isPending) return
    setApproveError(null)
    const r = await approve.mutateAsync({ id: e.id })
    if (!r.ok) {
      setApproveError(r.error.message)
      return
    }
    setNotice(`Approved: entry #${r.value.id} is posted, dated ${fmtDate(r.value.valueDate, profile.locale)}.`)
  }

  return (
    <Modal
      open
      title={`Journal entry #${id}`}
      onClose={onClose}
      className="entry-modal"
      footer={
        <>
          {decidable && !mine ? (
            <>
              <Button variant="danger" onClick={() => setRejecting(true)}>
                Reject…
              </Button>
              <Button variant="primary" onClick={() => void onApprove()} disabled={approve.isPending}>
                Approve and post
              </Button>
            </>
          ) : null}
          {canReverse && reversible ? (
            <Button variant="danger" onClick={() => setReversing(true)}>
              Reverse entry…
            </Button>
          ) : null}
          <Button onClick={onClose}>Close</Button>
        </>
      }
    >
      {entry.isError && !e ? (
        <PageError error={entry.error} title="The entry could not be loaded" onRetry={() => void entry.refetch()} />
      ) : !e ? (
        <PageLoading label="Loading the entry…" />
      ) : (
        <div data-testid="entry-detail" data-entry-id={e.id}>
          {notice ? (
            <Banner tone="success" onDismiss={() => setNotice(null)}>
              <span data-testid="reverse-result">{notice}</span>
            </Banner>
          ) : null}
          {approveError ? (
            <Banner tone="error" onDismiss={() => setApproveError(null)}>
              <span data-testid="approve-error">{approveError}</span>
            </Banner>
          ) : null}
          {e.status === 'pending' ? (
            <Banner tone="warning">
              <span data-testid="entry-pending">
                Waiting for approval: this entry is in no balance until {mine ? 'another operator' : 'an operator other than ' + e.enteredBy} approves it.
              </span>
            </Banner>
          ) : null}
          <EntryFacts entry={e} onOpen={open} />
          <EntryLines entry={e} currency={profile.currency} locale={profile.locale} />
        </div>
      )}
      {rejecting && e ? (
        <ReasonModal
          title={`Reject entry #${e.id}?`}
          cancelLabel="Back"
          confirmLabel="Reject entry"
          submit={(reason) => reject.mutateAsync({ id: e.id, reason })}
          onClose={() => setRejecting(false)}
          onDone={() => {
            setRejecting(false)
            setNotice(`Entry #${e.id} was rejected: it is never posted.`)
          }}
        >
          <p className="modal-text">
            {e.description}, {fmtMoney(e.totalMinor, profile.currency, profile.locale)}, entered by {e.enteredBy}. A rejected entry stays in the
            journal, marked rejected with your reason; it is never posted.
          </p>
        </ReasonModal>
      ) : null}
      {reversing && e ? (
        <ReverseModal
          entry={e}
          onClose={() => setReversing(false)}
          onDone={(r) => {
            setReversing(false)
            setNotice(`Reversed by entry #${r.id}, dated ${fmtDate(r.valueDate, profile.locale)}.${r.note ? ` ${r.note}` : ''}`)
          }}
        />
      ) : null}
    </Modal>
  )
}

function EntryFacts({ entry: e, onOpen }: { entry: JournalEntry; onOpen: (id: number) => void }) {
  const { profile } = useProfile()
  const link = (id: number) => (
    <button type="button" className="link-button" onClick={() => onOpen(id)}>
      entry #{id}
    </button>
  )
  return (
    <dl className="deflist entry-facts">
      <div className="deflist-item">
        <dt>Value date</dt>
        <dd className="tnum">{fmtDate(e.valueDate, profile.locale)}</dd>
      </div>
      <div className="deflist-item">
        <dt>Description</dt>
        <dd data-testid="entry-description">{e.description}</dd>
      </div>
      <div className="deflist-item">
        <dt>Source</dt>
        <dd>
          {sourceLabel(e.source)}
          {e.sourceRef ? <span className="muted mono"> · {e.sourceRef}</span> : null}
        </dd>
      </div>
      {e.reference ? (
        <div className="deflist-item">
          <dt>Reference</dt>
          <dd className="mono">{e.reference}</dd>
        </div>
      ) : null}
      <div className="deflist-item">
        <dt>Entered</dt>
        <dd>
          by {e.enteredBy}, <span className="tnum">{fmtInstant(e.enteredAt, profile.locale, profile.timeZone)}</span>
        </dd>
      </div>
      {e.status !== 'posted' || e.decidedBy ? (
        <div className="deflist-item">
          <dt>Status</dt>
          <dd data-testid="entry-status">
            <span className={`badge ${e.status === 'posted' ? 'badge-active' : e.status === 'pending' ? 'badge-warn' : 'badge-inactive'}`}>
              {e.status === 'posted' ? 'Approved' : e.status === 'pending' ? 'Waiting for approval' : 'Rejected'}
            </span>
            {e.decidedBy && e.decidedAt ? (
              <>
                {' '}
                by {e.decidedBy}, <span className="tnum">{fmtInstant(e.decidedAt, profile.locale, profile.timeZone)}</span>
              </>
            ) : null}
            {e.rejectReason ? <span className="cell-secondary">: {e.rejectReason}</span> : null}
          </dd>
        </div>
      ) : null}
      {e.note ? (
        <div className="deflist-item">
          <dt>Note</dt>
          <dd>{e.note}</dd>
        </div>
      ) : null}
      {e.reversesId !== null ? (
        <div className="deflist-item">
          <dt>Reverses</dt>
          <dd data-testid="entry-reverses">{link(e.reversesId)}</dd>
        </div>
      ) : null}
      {e.reversedById !== null ? (
        <div className="deflist-item">
          <dt>Reversed by</dt>
          <dd data-testid="entry-reversed-by">
            <span className="badge badge-inactive">Reversed</span> {link(e.reversedById)}
          </dd>
        </div>
      ) : null}
    </dl>
  )
}

/** The entry's lines with their totals. */
function EntryLines({ entry: e, currency, locale }: { entry: JournalEntry; currency: string; locale: string }) {
  const amount = (m: number) => (m === 0 ? '' : fmtAmount(m, currency, locale))
  const debit = sumMinor(e.lines.map((l) => l.debitMinor))
  const credit = sumMinor(e.lines.map((l) => l.creditMinor))
  return (
    <table className="table table-compact entry-lines-table" aria-label="Lines">
      <thead>
        <tr>
          <th scope="col">Account</th>
          <th scope="col">Member account</th>
          <th scope="col" className="num">
            {moneyHeader('Debit', currency, locale)}
          </th>
          <th scope="col" className="num">
            {moneyHeader('Credit', currency, locale)}
          </th>
        </tr>
      </thead>
      <tbody>
        {e.lines.map((l) => (
          <tr key={l.id} data-line-account={l.accountCode}>
            <td>
              <Link to={`/accounts/${l.accountId}/statement`} className="row-link">
                <span className="mono">{l.accountCode}</span> {l.accountName}
              </Link>
            </td>
            <td>
              {l.memberAccountId !== null ? (
                <Link to={`/member-accounts/${l.memberAccountId}/statement`} className="row-link">
                  <span className="mono">{l.memberAccountNumber}</span>
                  {l.memberName ? <span className="cell-secondary"> {l.memberName}</span> : null}
                </Link>
              ) : (
                <span className="empty-value">—</span>
              )}
            </td>
            <td className="num tnum nowrap">{amount(l.debitMinor)}</td>
            <td className="num tnum nowrap">{amount(l.creditMinor)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            Total
          </th>
          <td className="num tnum nowrap">{debit === null ? '—' : fmtAmount(debit, currency, locale)}</td>
          <td className="num tnum nowrap">{credit === null ? '—' : fmtAmount(credit, currency, locale)}</td>
        </tr>
      </tfoot>
    </table>
  )
}

const REVERSE_FIELDS = ['valueDate', 'reason'] as const

/** Reverse an entry: the same lines with the sides swapped, on a date, with the reason on record. */
function ReverseModal({ entry, onClose, onDone }: { entry: JournalEntry; onClose: () => void; onDone: (reversal: JournalEntry) => void }) {
  const { profile } = useProfile()
  const [values, setValues] = useState(() => {
    const today = todayIn(profile.timeZone)
    return { valueDate: today && today > entry.valueDate ? today : entry.valueDate, reason: '' }
  })
  const form = useFormErrors(REVERSE_FIELDS)
  const reverse = useCallMutation('ledger.reverse')
  const field = fieldBinder(
    values,
    (key, value) => {
      setValues((v) => ({ ...v, [key]: value }))
      form.setErrors((e) => {
        if (!(key in e)) return e
        const next = { ...e }
        delete next[key]
        return next
      })
    },
    (key) => form.errors[key]
  )

  async function save() {
    if (reverse.isPending) return
    form.setBanner(null)
    const input = { id: entry.id, valueDate: values.valueDate, reason: values.reason }
    const parsed = contract['ledger.reverse'].input.safeParse(input)
    if (!parsed.success) {
      form.showLocal(issuesToFieldErrors(parsed.error.issues))
      return
    }
    form.clear()
    const r = await reverse.mutateAsync(parsed.data)
    if (!r.ok) {
      form.showServer(r.error)
      return
    }
    onDone(r.value)
  }

  return (
    <ConfirmModal
      title={`Reverse entry #${entry.id}?`}
      confirmLabel="Reverse entry"
      cancelLabel="Back"
      variant="danger"
      onConfirm={() => void save()}
      onClose={onClose}
      busy={reverse.isPending}
      error={form.banner}
      onDismissError={() => form.setBanner(null)}
      className="reverse-modal"
      fields={
        <>
          <DateField label="Value date" required hint={`On or after ${fmtDate(entry.valueDate, profile.locale)}`} {...field('valueDate')} />
          <TextAreaField label="Reason" required {...field('reason')} maxLength={300} />
        </>
      }
    >
      <p className="modal-text">
        A new entry posts the same {entry.lines.length} lines with debits and credits swapped (
        {fmtMoney(entry.totalMinor, profile.currency, profile.locale)}), linked to #{entry.id}. The entry itself stays as
        it is: entries are never edited or deleted.
      </p>
    </ConfirmModal>
  )
}
