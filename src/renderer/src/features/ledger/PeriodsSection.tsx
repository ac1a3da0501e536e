import { useState, type FormEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { Periods } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fmtInstant } from '../../platform/format'
import { placeServerError } from '../../platform/forms'
import { useCallMutation } from '../../platform/queries'
import { todayIn } from '../../platform/today'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { TextField } from '../../ui/Field'
import { PageError, PageLoading } from '../../ui/PageState'
import { useCan } from '../auth/useCan'
import { useSessionOrNull } from '../auth/session'
import { ReasonModal } from '../payments/ReasonModal'
import { fmtMonth, previousMonth } from '../dashboard/months'
import { useProfile } from '../profile/ProfileContext'
import { ledgerKeys } from './queries'
import './Periods.css'

/** The closed months and their history, under the ledger's key (every ledger change asks it again). */
export const periodKeys = {
  all: [...ledgerKeys.all, 'periods'] as const
}

/**
 * Settings → Periods: the months closed to postings, closing a month that has
 * ended, reopening one with the reason on record, and who closed or reopened
 * what and when. Operators whose role may not close months see it all
 * without the buttons.
 */
export function PeriodsSection() {
  const loaded = useQuery({ queryKey: periodKeys.all, queryFn: () => call('ledger.periods', {}) })
  return (
    <section className="settings-section periods-settings" aria-labelledby="periods-title" data-testid="periods">
      <div className="section-head">
        <h2 className="section-title" id="periods-title">
          Periods
        </h2>
      </div>
      <p className="section-text muted">
        Nothing can be posted in a closed month: deposits, withdrawals, payments and journal entries dated in it are refused
        until it is reopened. Jobs catching up post on the first open day after it instead.
      </p>
      {loaded.isError && !loaded.data ? (
        <PageError error={loaded.error} title="The periods could not be loaded" onRetry={() => void loaded.refetch()} />
      ) : !loaded.data ? (
        <PageLoading label="Loading periods…" />
      ) : (
        <PeriodsView periods={loaded.data} />
      )}
    </section>
  )
}

function PeriodsView({ periods }: { periods: Periods }) {
  const { profile } = useProfile()
  const { locale, timeZone } = profile
  const client = useQueryClient()
  const canClose = useCan('ledger.closePeriod')
  const canReopen = useCan('ledger.reopenPeriod')
  const close = useCallMutation('ledger.closePeriod')
  const reopen = useCallMutation('ledger.reopenPeriod')
  const [lastEnded] = useState(() => {
    const today = todayIn(timeZone)
    return today ? previousMonth(today.slice(0, 7)) : ''
  })
  const [month, setMonth] = useState(() => (periods.periods.some((p) => p.month === lastEnded) ? '' : lastEnded))
  const [monthError, setMonthError] = useState<string | null>(null)
  const [banner, setBanner] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [reopening, setReopening] = useState<string | null>(null)
  const me = useSessionOrNull()?.operator.id ?? null
  const request = (month: string) => periods.periods.find((p) => p.month === month)?.reopenRequest ?? null

  async function onClose(e: FormEvent) {
    e.preventDefault()
    if (close.isPending) return
    setBanner(null)
    setNotice(null)
    if (!month) {
      setMonthError('Choose the month to close')
      return
    }
    setMonthError(null)
    const r = await close.mutateAsync({ month })
    if (!r.ok) {
      // Core's whole sentence goes by the month ("… has not ended yet; a month is closed after its last day.").
      const placed = placeServerError(r.error, ['month'])
      if (placed.fields.month) setMonthError(r.error.message)
      else setBanner(placed.banner)
      return
    }
    client.setQueryData(periodKeys.all, r.value)
    setNotice(`${fmtMonth(month, locale)} is closed.`)
    setMonth('')
  }

  return (
    <>
      {banner ? (
        <Banner tone="error" onDismiss={() => setBanner(null)}>
          {banner}
        </Banner>
      ) : null}
      {notice ? (
        <Banner tone="success" onDismiss={() => setNotice(null)}>
          {notice}
        </Banner>
      ) : null}
      {canClose ? (
        <form className="periods-close" noValidate onSubmit={onClose} aria-label="Close a month">
          <TextField
            label="Month to close"
            type="month"
            className="periods-month"
            error={monthError}
            hint="A month can be closed once it has ended."
            value={month}
            onChange={(e) => {
              setMonth(e.target.value)
              setMonthError(null)
            }}
            max={lastEnded || undefined}
            min="1000-01"
          />
          <div className="periods-close-action">
            <Button type="submit" variant="primary" busy={close.isPending}>
              Close month
            </Button>
          </div>
        </form>
      ) : null}

      <h3 className="subsection-title">Closed months</h3>
      {periods.periods.length === 0 ? (
        <p className="muted">No month is closed.</p>
      ) : (
        <div className="table-wrap periods-table-wrap">
          <table className="table table-compact" aria-label="Closed months">
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">Closed</th>
                <th scope="col">By</th>
                {canReopen ? (
                  <th scope="col" className="col-actions">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {periods.periods.map((p) => (
                <tr key={p.month} data-month={p.month}>
                  <th scope="row" className="nowrap periods-month-cell">
                    {fmtMonth(p.month, locale)}
                  </th>
                  <td className="tnum nowrap">{fmtInstant(p.closedAt, locale, timeZone)}</td>
                  <td>
                    {p.closedBy}
                    {p.reopenRequest ? (
                      <div className="cell-secondary" data-testid="reopen-request">
                        <span className="badge badge-warn">Reopening asked</span> by {p.reopenRequest.by}: {p.reopenRequest.reason}. Another operator
                        must confirm it.
                      </div>
                    ) : null}
                  </td>
                  {canReopen ? (
                    <td className="col-actions">
                      {p.reopenRequest && p.reopenRequest.byId === me ? (
                        <span className="muted">Waiting for another operator</span>
                      ) : (
                        <Button small onClick={() => setReopening(p.month)} aria-label={`Reopen ${fmtMonth(p.month, locale)}`}>
                          {p.reopenRequest ? 'Confirm reopening…' : 'Reopen…'}
                        </Button>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3 className="subsection-title">History</h3>
      {periods.events.length === 0 ? (
        <p className="muted">No month was ever closed.</p>
      ) : (
        <div className="table-wrap periods-table-wrap">
          <table className="table table-compact" aria-label="Closing and reopening history">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Month</th>
                <th scope="col">What</th>
                <th scope="col">By</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {periods.events.map((ev, i) => (
                <tr key={`${ev.at}-${ev.month}-${i}`} data-action={ev.action}>
                  <td className="tnum nowrap">{fmtInstant(ev.at, locale, timeZone)}</td>
                  <td className="nowrap">{fmtMonth(ev.month, locale)}</td>
                  <td>
                    <span className={ev.action === 'closed' ? 'badge badge-inactive' : ev.action === 'reopen-requested' ? 'badge badge-warn' : 'badge badge-info'}>
                      {ev.action === 'closed' ? 'Closed' : ev.action === 'reopen-requested' ? 'Reopening asked' : 'Reopened'}
                    </span>
                  </td>
                  <td>{ev.by}</td>
                  <td className="periods-reason">{ev.reason ?? <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {reopening ? (
        <ReasonModal
          title={request(reopening) ? `Confirm reopening ${fmtMonth(reopening, locale)}?` : `Reopen ${fmtMonth(reopening, locale)}?`}
          cancelLabel="Cancel"
          confirmLabel="Reopen month"
          hint="Kept in the history with your name."
          submit={(reason) => reopen.mutateAsync({ month: reopening, reason })}
          onClose={() => setReopening(null)}
          onDone={(next) => {
            client.setQueryData(periodKeys.all, next)
            const still = next.periods.find((p) => p.month === reopening)
            setNotice(
              still
                ? `Reopening ${fmtMonth(reopening, locale)} was asked for; it stays closed until another operator confirms it.`
                : `${fmtMonth(reopening, locale)} is open again.`
            )
            setReopening(null)
          }}
        >
          <p className="modal-text">
            Entries can be posted in {fmtMonth(reopening, locale)} again until it is closed once more. Reports already made for
            it may no longer match.
          </p>
        </ReasonModal>
      ) : null}
    </>
  )
}
