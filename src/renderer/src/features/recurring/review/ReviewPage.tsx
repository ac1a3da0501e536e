import { useRef, useState, type ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import type { DecideResult, ReviewAction, ReviewItem } from '../../../../../shared/contract'
import { addMinor } from '../../../../../shared/money'
import { call } from '../../../platform/api'
import { fmtCount, fmtDate } from '../../../platform/format'
import { fmtAmount, fmtMoney, moneyHeader } from '../../../platform/money'
import { Banner } from '../../../ui/Banner'
import { Button } from '../../../ui/Button'
import { DataTable, type Column, type DataTableHandle } from '../../../ui/DataTable'
import { PageHeader } from '../../../ui/PageHeader'
import { PageError, PageLoading, RefreshError } from '../../../ui/PageState'
import { Pager } from '../../../ui/Pager'
import { useCan } from '../../auth/useCan'
import { useProfile } from '../../profile/ProfileContext'
import { RecurringTabs } from '../RecurringTabs'
import { reviewReasonLabel } from '../labels'
import { recurringKeys } from '../queries'
import { DecideModal, type Decision } from './DecideModal'
import { DONE_WORDS, kindWord, occurrencesWord } from './words'
import './review.css'

const PAGE_SIZE = 200
const NO_ITEMS: ReviewItem[] = []

/** What the last decision did: how many were done, and each failure with its reason (shown by its row). */
interface Outcome {
  action: ReviewAction
  done: number
  failed: Map<number, string>
  until?: string
  /** What each acted-on occurrence was, for a failure whose row has left the list meanwhile. */
  names: Map<number, string>
}

/**
 * To review: every occurrence waiting for the treasurer (a recurring entry
 * that waits for review, an estimated amount, a large catch-up after the PC
 * was off, a standing order that failed for good), in date order, each with
 * the account it moves and the balance it would leave there. Tick one, a
 * range (Shift-click, Shift+Arrow) or all, and post them with their own
 * dates, post them as of today, skip them or postpone them. What could not
 * be done stays in the list with its reason next to it.
 */
export function ReviewPage() {
  const { profile } = useProfile()
  const canDecide = useCan('recurring.decide')
  // The same query as the tab's count: both refresh together after any change (app/invalidation.ts).
  const review = useQuery({ queryKey: recurringKeys.review(), queryFn: () => call('recurring.review', {}) })
  const items = review.data?.items ?? NO_ITEMS
  const [picked, setPicked] = useState<ReadonlySet<string>>(() => new Set())
  const [offsetAsked, setOffset] = useState(0)
  const [decision, setDecision] = useState<Decision | null>(null)
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  const tableRef = useRef<DataTableHandle>(null)
  const money = (m: number) => fmtMoney(m, profile.currency, profile.locale)

  const byId = new Map(items.map((it) => [String(it.id), it]))
  // Occurrences that left the list (done elsewhere, or by the last decision) are no longer selected.
  const selectedIds = new Set([...picked].filter((id) => byId.has(id)))
  const selected = items.filter((it) => selectedIds.has(String(it.id)))
  const offset = offsetAsked >= items.length ? Math.max(0, Math.floor((items.length - 1) / PAGE_SIZE) * PAGE_SIZE) : offsetAsked
  const rows = items.slice(offset, offset + PAGE_SIZE)
  let selectedTotal: number | null
  try {
    selectedTotal = addMinor(...selected.map((it) => it.amountMinor))
  } catch {
    selectedTotal = null
  }

  function choose(action: ReviewAction) {
    if (selected.length === 0) return
    if (action !== 'postpone') {
      setDecision({ action, items: selected, leftOut: null })
      return
    }
    // A standing order that failed for good is posted (once the money is there) or skipped, not postponed.
    const waiting = selected.filter((it) => it.status !== 'failed')
    const failed = selected.length - waiting.length
    setDecision({
      action,
      items: waiting,
      leftOut:
        failed > 0
          ? {
              count: failed,
              why:
                failed === 1
                  ? 'One selected occurrence failed: it stays here as it is. Post it once the money is there, or skip it.'
                  : `${fmtCount(failed, profile.locale)} selected occurrences failed: they stay here as they are. Post them once the money is there, or skip them.`
            }
          : null
    })
  }

  function finished(result: DecideResult, action: ReviewAction, detail: { until?: string }) {
    const acted = decision?.items ?? []
    setDecision(null)
    const failed = new Map(result.failed.map((f) => [f.id, f.reason]))
    setOutcome({
      action,
      done: result.done,
      failed,
      until: detail.until,
      names: new Map(acted.map((it) => [it.id, `${it.name}, ${fmtDate(it.dueDate, profile.locale)}`]))
    })
    // What could not be done stays selected, to be acted on next (skipped, say).
    setPicked(new Set(result.failed.map((f) => String(f.id))))
    const firstFailed = result.failed[0]
    const first = firstFailed ? firstFailed.id : acted[0]?.id
    if (first !== undefined) {
      const index = items.findIndex((it) => it.id === first)
      tableRef.current?.focusRowId(first, Math.max(0, index - offset))
    }
  }

  const postponable = selected.filter((it) => it.status !== 'failed').length
  const columns = reviewColumns(profile, outcome)
  const blockedTitle = 'Select the occurrences to act on (Shift-click or Shift+Arrow ticks a range)'
  const actions = canDecide ? (
    <>
      <Button variant="primary" onClick={() => choose('post')} disabled={selected.length === 0} title={selected.length === 0 ? blockedTitle : 'Post each with its own date'}>
        Post
      </Button>
      <Button onClick={() => choose('post-today')} disabled={selected.length === 0} title={selected.length === 0 ? blockedTitle : 'Post each with today’s date'}>
        Post as of today
      </Button>
      <Button
        onClick={() => choose('postpone')}
        disabled={postponable === 0}
        title={selected.length === 0 ? blockedTitle : postponable === 0 ? 'Failed standing orders cannot be postponed: post or skip them' : 'Take them off the list until a date'}
      >
        Postpone…
      </Button>
      <Button variant="danger" onClick={() => choose('skip')} disabled={selected.length === 0} title={selected.length === 0 ? blockedTitle : 'Never post them'}>
        Skip…
      </Button>
    </>
  ) : undefined

  return (
    <div className="page page-fill page-review">
      <PageHeader
        title="Recurring"
        documentTitle="To review"
        subtitle="What waits for you before it posts: check each one, then post, skip or postpone it."
        actions={items.length > 0 ? actions : undefined}
      />
      <RecurringTabs />

      {outcome ? <OutcomeBanner outcome={outcome} onDismiss={() => setOutcome(null)} inList={(id) => byId.has(String(id))} /> : null}
      {review.isError && review.data ? <RefreshError title="The list could not be refreshed" error={review.error} onRetry={() => void review.refetch()} /> : null}
      {!canDecide && items.length > 0 ? (
        <p className="muted review-readonly" data-testid="review-readonly">
          You can see what waits here; posting, skipping and postponing are for operators who manage the ledger.
        </p>
      ) : null}

      {review.isError && !review.data ? (
        <PageError error={review.error} title="The list could not be loaded" onRetry={() => void review.refetch()} />
      ) : !review.data ? (
        <PageLoading label="Loading what waits for review…" />
      ) : items.length === 0 ? (
        <div className="empty-state" data-testid="review-empty">
          <p className="empty-state-title">Nothing waits for review.</p>
          <p className="muted">
            Recurring entries that wait for review, estimated amounts, large catch-ups after the computer was off, and standing orders that
            could not be paid come here.
          </p>
        </div>
      ) : (
        <>
          <DataTable
            label="Occurrences waiting for review"
            className="review-table"
            wrapClassName="review-scroll"
            columns={columns}
            rows={rows}
            handleRef={tableRef}
            idAttribute="data-occurrence-id"
            rowAttributes={(it) => ({
              'data-kind': it.kind,
              'data-status': it.status,
              'data-review': it.review ?? 'failed',
              'data-due': it.dueDate,
              'data-result': outcome?.failed.has(it.id) ? 'failed' : undefined
            })}
            rowClassName={(it) => (outcome?.failed.has(it.id) ? 'has-failure' : undefined)}
            selection={
              canDecide
                ? {
                    selected: selectedIds,
                    onChange: (next) => setPicked(next),
                    selectAllLabel: items.length > PAGE_SIZE ? 'Select all occurrences on this page' : 'Select all occurrences',
                    rowLabel: 'Select occurrence'
                  }
                : undefined
            }
            busy={review.isFetching}
          />
          <footer className="review-footer" aria-label="Selection">
            {canDecide ? (
              selected.length > 0 ? (
                <p data-testid="review-selection">
                  <strong>{occurrencesWord(selected.length, profile.locale)} selected</strong>
                  {selectedTotal !== null ? <span className="tnum">, {money(selectedTotal)}</span> : null}
                  {selected.length < items.length ? (
                    <>
                      {' · '}
                      <button type="button" className="link-button" onClick={() => setPicked(new Set(items.map((it) => String(it.id))))}>
                        Select all {fmtCount(items.length, profile.locale)}
                      </button>
                    </>
                  ) : null}
                  {' · '}
                  <button type="button" className="link-button" onClick={() => setPicked(new Set())}>
                    Clear selection
                  </button>
                </p>
              ) : (
                <p className="muted">
                  {occurrencesWord(items.length, profile.locale)} waiting. Tick one, Shift-click to tick a range (or Shift+Arrow from the
                  keyboard), or tick the box in the header for all.
                </p>
              )
            ) : (
              <p className="muted">{occurrencesWord(items.length, profile.locale)} waiting.</p>
            )}
            <Pager offset={offset} pageSize={PAGE_SIZE} total={items.length} locale={profile.locale} onOffset={setOffset} />
          </footer>
        </>
      )}

      {decision ? <DecideModal decision={decision} onClose={() => setDecision(null)} onDone={finished} /> : null}
    </div>
  )
}

/** What the last decision did, in one sentence; failures whose row left the list meanwhile are listed here with their reasons. */
function OutcomeBanner({ outcome, onDismiss, inList }: { outcome: Outcome; onDismiss: () => void; inList: (id: number) => boolean }) {
  const { profile } = useProfile()
  const words = DONE_WORDS[outcome.action]
  const failedCount = outcome.failed.size
  const gone = [...outcome.failed].filter(([id]) => !inList(id))
  const parts: ReactNode[] = []
  if (outcome.done > 0) {
    parts.push(
      `${words.verb} ${occurrencesWord(outcome.done, profile.locale)}${words.tail(outcome.done)}${
        outcome.action === 'postpone' && outcome.until
          ? ` until ${fmtDate(outcome.until, profile.locale)}: ${outcome.done === 1 ? 'it comes' : 'they come'} back to this list then`
          : ''
      }.`
    )
  }
  if (failedCount > 0) {
    const lower = words.verb.toLowerCase()
    const shown = failedCount - gone.length
    parts.push(
      `${outcome.done === 0 ? (failedCount === 1 ? 'It could not be' : `None of the ${fmtCount(failedCount, profile.locale)} could be`) : failedCount === 1 ? '1 could not be' : `${fmtCount(failedCount, profile.locale)} could not be`} ${lower}${
        shown > 0 ? `: ${shown === 1 ? 'the reason is next to it' : 'each reason is next to its row'}, marked below` : ''
      }.`
    )
  }
  if (outcome.done === 0 && failedCount === 0) parts.push('Nothing was done.')
  const tone = failedCount === 0 ? 'success' : outcome.done > 0 ? 'warning' : 'error'
  return (
    <Banner tone={tone} onDismiss={onDismiss} className="page-banner">
      <span data-testid="review-result">{parts.join(' ')}</span>
      {gone.length > 0 ? (
        <ul className="review-gone">
          {gone.slice(0, 10).map(([id, reason]) => (
            <li key={id}>
              {outcome.names.get(id) ?? `Occurrence #${id}`}: {reason}
            </li>
          ))}
          {gone.length > 10 ? <li>and {fmtCount(gone.length - 10, profile.locale)} more</li> : null}
        </ul>
      ) : null}
    </Banner>
  )
}

/** Why an occurrence waits, in words: the review reason, or that it failed (with core's reason). */
function WhyCell({ it, failure, verb }: { it: ReviewItem; failure: string | undefined; verb: string }) {
  return (
    <>
      {it.status === 'failed' ? (
        <>
          <span className="badge badge-warn">Failed</span>
          {it.reason ? (
            <div className="cell-secondary review-reason" title={it.reason}>
              {it.reason}
            </div>
          ) : null}
        </>
      ) : (
        <span className={it.review === 'catch-up' ? 'badge badge-info' : it.review === 'estimated' ? 'badge badge-warn' : 'badge badge-inactive'}>
          {reviewReasonLabel(it.review)}
        </span>
      )}
      {failure ? (
        <div className="review-failure" data-testid="row-failure">
          <span className="review-failure-label">Not {verb}:</span> {failure}
        </div>
      ) : null}
    </>
  )
}

function reviewColumns({ locale, currency }: { locale: string; currency: string }, outcome: Outcome | null): Array<Column<ReviewItem>> {
  const verb = outcome ? DONE_WORDS[outcome.action].verb.toLowerCase() : ''
  return [
    {
      id: 'what',
      header: 'What',
      className: 'col-what',
      title: (it) => `${kindWord(it.kind)}: ${it.name} (occurrence ${it.n})`,
      cell: (it) => (
        <>
          <div className="review-name">{it.name}</div>
          <div className="cell-secondary nowrap">
            {kindWord(it.kind)} · no. {it.n}
          </div>
        </>
      )
    },
    {
      id: 'due',
      header: 'Due',
      className: 'col-due',
      cell: (it) => (
        <>
          <span className="tnum nowrap">{fmtDate(it.dueDate, locale)}</span>
          {it.scheduledDate !== it.dueDate ? <div className="cell-secondary tnum nowrap">scheduled {fmtDate(it.scheduledDate, locale)}</div> : null}
          {it.postponedUntil ? <div className="cell-secondary tnum nowrap">postponed to {fmtDate(it.postponedUntil, locale)}</div> : null}
        </>
      )
    },
    {
      id: 'amount',
      header: moneyHeader('Amount', currency, locale),
      className: 'num col-amount',
      cell: (it) => (
        <>
          <span className="tnum nowrap">{fmtAmount(it.amountMinor, currency, locale)}</span>
          {it.review === 'estimated' ? <div className="cell-secondary">estimate</div> : null}
        </>
      )
    },
    {
      id: 'why',
      header: 'Why it waits',
      className: 'col-why',
      cell: (it) => <WhyCell it={it} failure={outcome?.failed.get(it.id)} verb={verb} />
    },
    { id: 'account', header: 'Account it moves', className: 'col-account', title: (it) => it.balanceAccount, cell: (it) => it.balanceAccount },
    {
      id: 'balance',
      header: moneyHeader('Balance after', currency, locale),
      className: 'num col-balance',
      title: (it) => `${it.balanceAccount} after this and every occurrence above it on the same account`,
      cell: (it) => (
        <span className={it.balanceAfterMinor < 0 ? 'tnum nowrap is-negative' : 'tnum nowrap'} data-testid="balance-after">
          {fmtAmount(it.balanceAfterMinor, currency, locale)}
        </span>
      )
    }
  ]
}
