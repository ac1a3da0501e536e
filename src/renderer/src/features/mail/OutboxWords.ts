import type { AttemptOutcome, MessageKind, MessageStatus, OutboxChannel } from '../../../../shared/contract'

/** Words for the outbox: what a message is, where it goes, how it stands, how an attempt ended. */

export const KIND_WORDS: Record<MessageKind, string> = {
  voucher: 'Payment voucher',
  'coupon-ready': 'Coupon ready',
  maturity: 'Bond maturing',
  'standing-order-failed': 'Standing order failed',
  payslip: 'Payslip',
  'job-failure': 'Job failure alert',
  alert: 'Staff alert',
  test: 'Test message',
  resend: 'Sent again',
  report: 'Report'
}

export const CHANNEL_WORDS: Record<OutboxChannel, string> = { email: 'Email', sms: 'SMS' }

export const STATUS_WORDS: Record<MessageStatus, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  cancelled: 'Cancelled'
}

export const STATUS_HINTS: Record<MessageStatus, string> = {
  queued: 'Waits for the mail job (every minute), or for its retry time',
  sending: 'Handed to the server; its answer is not recorded yet',
  sent: 'The server accepted it',
  failed: 'Given up: refused by the server, or too many attempts',
  cancelled: 'Cancelled by an operator: never sent'
}

const STATUS_TONES: Record<MessageStatus, string> = {
  queued: 'badge-info',
  sending: 'badge-warn',
  sent: 'badge-active',
  failed: 'outbox-badge-failed',
  cancelled: 'badge-inactive'
}

export const statusBadgeClass = (s: MessageStatus): string => `badge ${STATUS_TONES[s]}`

export const OUTCOME_WORDS: Record<AttemptOutcome, string> = {
  sent: 'Sent',
  temporary: 'Not sent for now: tried again later',
  permanent: 'Refused: given up',
  auth: 'User name or password refused: the queue was held',
  unknown: 'Unknown: Coffer stopped before the answer was recorded; sent again with the same Message-ID'
}

export const STATUS_ORDER: readonly MessageStatus[] = ['queued', 'sending', 'sent', 'failed', 'cancelled']
