import { MutationCache, QueryClient, type QueryKey } from '@tanstack/react-query'
import { eventNames, type Channel, type EventName, type EventPayload } from '../../../shared/contract'
import { subscribe } from '../platform/api'
import { backupKeys } from '../features/backups/queries'
import { bondKeys } from '../features/bonds/queries'
import { jobKeys, patchRun } from '../features/jobs/queries'
import { isRunning } from '../features/jobs/labels'
import { memberKeys } from '../features/members/queries'
import { ledgerKeys } from '../features/ledger/queries'
import { recurringKeys } from '../features/recurring/queries'
import { payrollKeys } from '../features/payroll/queries'
import { mailKeys } from '../features/mail/queries'
import { reportKeys } from '../features/reports/queries'
import { markReadInLists, notificationKeys, prependToLists } from '../features/notifications/queries'
import { paymentKeys } from '../features/payments/queries'
import { operatorKeys } from '../features/operators/queries'
import { settingsKeys } from '../features/settings/queries'
import { encryptionKeys } from '../features/settings/EncryptionSection'

/**
 * What changes what, declared once for the whole renderer:
 * - CHANNEL_TOUCHES: the queries a successful call makes stale (asked again at once);
 * - JOB_TOUCHES: the queries a job's run makes stale when it ends;
 * - EVENTS: what each event from the app does to the cache.
 * Pages only read queries; none of them listens for a job or a change to refresh itself.
 */

type Keys = ReadonlyArray<QueryKey>

/** Every channel that changes data, and the areas (query keys) it changes. */
export const CHANNEL_TOUCHES: Partial<Record<Channel, Keys>> = {
  'members.create': [memberKeys.all],
  // Members' names and numbers show in their accounts, statements and the journal; their address and phone in their Messages panel.
  'members.update': [memberKeys.all, bondKeys.all, paymentKeys.all, ledgerKeys.all, mailKeys.all],
  'members.setActive': [memberKeys.all, ledgerKeys.all],
  'imports.commit': [memberKeys.all, bondKeys.all, ledgerKeys.all],
  'bonds.createSeries': [bondKeys.all],
  'bonds.setSeriesStatus': [bondKeys.all],
  /** A purchase of units posts Dr bank / Cr bonds payable. */
  'bonds.buyHolding': [bondKeys.all, ledgerKeys.all],
  'bonds.redeemHolding': [bondKeys.all, paymentKeys.all],
  'bonds.saveSettings': [bondKeys.settings()],
  'holidays.save': [bondKeys.all],
  'holidays.update': [bondKeys.all],
  'holidays.remove': [bondKeys.all],
  'payments.prepare': [paymentKeys.all, bondKeys.all],
  'payments.approve': [paymentKeys.all, bondKeys.all],
  /** Paying posts the payment's entry; voiding reverses it. Paying a member queues their voucher email. */
  'payments.pay': [paymentKeys.all, bondKeys.all, ledgerKeys.all, recurringKeys.all, mailKeys.all],
  'payments.cancel': [paymentKeys.all, bondKeys.all, ledgerKeys.all, recurringKeys.all],
  'payments.void': [paymentKeys.all, bondKeys.all, ledgerKeys.all, recurringKeys.all],
  'payments.reinstate': [paymentKeys.all, bondKeys.all],
  'jobs.setEnabled': [jobKeys.list()],
  'jobs.updateSchedule': [jobKeys.list()],
  'notifications.markRead': [notificationKeys.unread()],
  'notifications.markAllRead': [notificationKeys.unread()],
  'backups.restore': [backupKeys.all],
  /** The data file rewritten, encrypted or plain; turning it on encrypts the backups. */
  'encryption.enable': [encryptionKeys.all, backupKeys.all],
  'encryption.disable': [encryptionKeys.all, backupKeys.all],
  'encryption.confirmRecoveryKey': [encryptionKeys.all],
  'operators.create': [operatorKeys.all],
  'operators.update': [operatorKeys.all],
  'operators.setActive': [operatorKeys.all],
  'operators.resetPassword': [operatorKeys.all],
  // Signing in or out and switching operator are not here: they empty the whole cache (app/App.tsx).
  /** The operator's own row (no new password due any more). */
  'auth.changePassword': [operatorKeys.all],
  /** Whether payments need a second operator changes what the payments page offers. */
  'security.save': [settingsKeys.all, paymentKeys.all],
  /** The ledger: balances, the journal, statements and members' accounts all read what any of these writes. */
  'ledger.createAccount': [ledgerKeys.all, recurringKeys.all],
  'ledger.updateAccount': [ledgerKeys.all, recurringKeys.all],
  'ledger.setAccountActive': [ledgerKeys.all, recurringKeys.all],
  'ledger.openMemberAccount': [ledgerKeys.all, recurringKeys.all],
  'ledger.post': [ledgerKeys.all, recurringKeys.all],
  'ledger.deposit': [ledgerKeys.all, recurringKeys.all],
  'ledger.withdraw': [ledgerKeys.all, recurringKeys.all],
  'ledger.buyShares': [ledgerKeys.all, recurringKeys.all],
  'ledger.reverse': [ledgerKeys.all, recurringKeys.all],
  'ledger.approveEntry': [ledgerKeys.all, recurringKeys.all],
  'ledger.rejectEntry': [ledgerKeys.all, recurringKeys.all],
  'ledger.closePeriod': [ledgerKeys.all, recurringKeys.all],
  'ledger.reopenPeriod': [ledgerKeys.all, recurringKeys.all],
  /** Recurring entries and standing orders: posting an occurrence moves balances; the review list and forecast read balances. */
  'recurring.createTemplate': [recurringKeys.all],
  'recurring.updateTemplate': [recurringKeys.all],
  'recurring.pauseTemplate': [recurringKeys.all],
  'recurring.resumeTemplate': [recurringKeys.all],
  'recurring.cancelTemplate': [recurringKeys.all, ledgerKeys.all],
  'recurring.decide': [recurringKeys.all, ledgerKeys.all, paymentKeys.all],
  'recurring.reverseOccurrence': [recurringKeys.all, ledgerKeys.all],
  'recurring.run': [recurringKeys.all, ledgerKeys.all, jobKeys.list()],
  'recurring.saveSettings': [recurringKeys.settings()],
  'recurring.createOrder': [recurringKeys.all],
  'recurring.updateOrder': [recurringKeys.all],
  'recurring.approveOrder': [recurringKeys.all],
  'recurring.pauseOrder': [recurringKeys.all],
  'recurring.resumeOrder': [recurringKeys.all],
  'recurring.cancelOrder': [recurringKeys.all],
  'recurring.runOrders': [recurringKeys.all, ledgerKeys.all, paymentKeys.all, jobKeys.list(), mailKeys.all],
  'payroll.createStaff': [payrollKeys.all],
  'payroll.updateStaff': [payrollKeys.all],
  'payroll.saveStructure': [payrollKeys.all],
  'payroll.deleteStructure': [payrollKeys.all],
  'payroll.createComponent': [payrollKeys.all],
  'payroll.updateComponent': [payrollKeys.all],
  'payroll.saveRate': [payrollKeys.all],
  'payroll.deleteRate': [payrollKeys.all],
  'payroll.setComponentActive': [payrollKeys.all],
  'payroll.createCalendar': [payrollKeys.all],
  'payroll.updateCalendar': [payrollKeys.all],
  'payroll.setCalendarActive': [payrollKeys.all],
  'payroll.createPeriod': [payrollKeys.all],
  'payroll.updatePeriod': [payrollKeys.all],
  'payroll.approve': [payrollKeys.all],
  'payroll.unapprove': [payrollKeys.all],
  'payroll.run': [payrollKeys.all, ledgerKeys.all, jobKeys.list()],
  /** Posting queues each staff member's payslip email. */
  'payroll.post': [payrollKeys.all, ledgerKeys.all, mailKeys.all],
  'payroll.saveSettings': [payrollKeys.settings()],
  /** The outbox: holding, resuming, retrying, cancelling and resending change the list, the message and the queue's counts. */
  'mail.hold': [mailKeys.all],
  'mail.resume': [mailKeys.all],
  'mail.retry': [mailKeys.all],
  'mail.cancel': [mailKeys.all],
  'mail.resend': [mailKeys.all],
  /** Saving an attachment freezes it if it was not yet. */
  'mail.saveAttachment': [mailKeys.all],
  /** Settings decide whether email and SMS are ready (the outbox says so); new email settings resume a queue held for bad credentials. */
  'mail.saveEmailSettings': [mailKeys.all],
  'mail.saveSmsSettings': [mailKeys.all],
  'mail.saveTemplate': [mailKeys.templates()],
  'mail.resetTemplate': [mailKeys.templates()],
  'mail.saveMemberPrefs': [mailKeys.all],
  /** An export starts a run (the jobs screen shows it); the file is listed when the run ends (JOB_TOUCHES). */
  'reports.export': [jobKeys.list()],
  'reports.cancelExport': [jobKeys.list()],
  'reports.saveSettings': [reportKeys.settings()],
  /** Emailing a generated report queues it in the outbox. */
  'reports.email': [mailKeys.all]
}

/** Every job, and what its runs change (beyond the jobs screen itself) once they end. */
export const JOB_TOUCHES: Record<string, Keys> = {
  /** Creates coupon payments (and queues the coupon-ready notices). */
  coupons: [paymentKeys.all, bondKeys.all, mailKeys.all],
  /** Closes matured holdings and series, creates principal payments (and queues the maturity notices). */
  maturity: [paymentKeys.all, bondKeys.all, mailKeys.all],
  /** Writes a backup file (and encrypts any left plain in an encrypted book). */
  backup: [backupKeys.all, encryptionKeys.all],
  /** Reads only. */
  integrity: [],
  /** Generates and posts recurring entries. */
  recurring: [recurringKeys.all, ledgerKeys.all],
  /** Executes standing orders: balances move, bank orders create payments. */
  'standing-orders': [recurringKeys.all, ledgerKeys.all, paymentKeys.all, mailKeys.all],
  /** Drafts due payroll periods (a forced run may reverse and repost one). */
  payroll: [payrollKeys.all, ledgerKeys.all],
  /** Sends queued email and SMS: messages change status, a notification's email and SMS deliveries with them. */
  mail: [mailKeys.all, notificationKeys.all],
  /** Writes a report file and lists it in Generated reports (a cancelled run lists nothing). */
  'report-export': [reportKeys.generated()],
  /** Make the summary of the week or month before, list it and queue its email. */
  'weekly-summary': [reportKeys.generated(), mailKeys.all],
  'monthly-summary': [reportKeys.generated(), mailKeys.all]
}

/** Events arrive in bursts (a run's progress, a bulk change): invalidations within this window are made once. */
const COALESCE_MS = 150

type EventHandlers = { [E in EventName]: (payload: EventPayload<E>, cache: CacheOps) => void }

interface CacheOps {
  client: QueryClient
  /** Mark stale (and ask again what is on screen), coalesced. */
  invalidate: (keys: Keys) => void
}

const EVENTS: EventHandlers = {
  'members.changed': (_e, { invalidate }) => invalidate([memberKeys.all]),
  'jobs.runUpdated': (run, { client, invalidate }) => {
    const unpatched = patchRun(client, run)
    if (unpatched.length) invalidate(unpatched)
    if (!isRunning(run)) invalidate([jobKeys.list(), ...(JOB_TOUCHES[run.jobId] ?? [])])
  },
  // The app may or may not send "changed" with a new notification: ask for the count, never guess it.
  // A staff alert (a job failed) may queue its email and SMS in the outbox.
  'notifications.created': (n, { client, invalidate }) => {
    prependToLists(client, n)
    invalidate([notificationKeys.unread(), mailKeys.all])
  },
  'notifications.changed': (e, { client }) => {
    client.setQueryData(notificationKeys.unread(), e.unread)
    if (e.unread === 0) markReadInLists(client, 'all')
  },
  // A backup was restored (here, from another window or the command line): everything on screen is stale.
  'app.dataReplaced': () => window.location.reload()
}

function invalidateNow(client: QueryClient, keys: Keys) {
  for (const queryKey of keys) void client.invalidateQueries({ queryKey })
}

/** The one query client: a successful mutation invalidates what its channel touches. */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false }
    },
    mutationCache: new MutationCache({
      onSuccess: (data, _input, _ctx, mutation) => {
        const channel = mutation.options.mutationKey?.[0] as Channel | undefined
        const ok = (data as { ok?: boolean } | undefined)?.ok
        if (channel && ok) invalidateNow(client, CHANNEL_TOUCHES[channel] ?? [])
      }
    })
  })
  return client
}

/** Subscribes the cache to every event from the app; returns the unsubscribe. Without a bridge it listens to nothing. */
export function connectEvents(client: QueryClient): () => void {
  const pending = new Map<string, QueryKey>()
  let timer: ReturnType<typeof setTimeout> | null = null
  const invalidate = (keys: Keys) => {
    for (const k of keys) pending.set(JSON.stringify(k), k)
    timer ??= setTimeout(() => {
      timer = null
      const batch = [...pending.values()]
      pending.clear()
      invalidateNow(client, batch)
    }, COALESCE_MS)
  }
  const offs: Array<() => void> = []
  try {
    for (const name of eventNames) {
      const handle = EVENTS[name] as (payload: unknown, cache: CacheOps) => void
      offs.push(subscribe(name, (payload) => handle(payload, { client, invalidate })))
    }
  } catch {
    // No bridge (a page opened outside the app).
  }
  return () => {
    for (const off of offs) off()
    if (timer) clearTimeout(timer)
  }
}
