import type { Input } from '../../../../shared/contract'

/**
 * Query keys of email and SMS: everything under `all`. The outbox's keys
 * (the list, a message, the queue's state) and the settings' keys (email
 * and SMS settings, templates, a member's channel preferences) live here
 * together so one invalidation of `mailKeys.all` refreshes both.
 */
export const mailKeys = {
  all: ['mail'] as const,
  // The outbox (features/mail/Outbox*, Message*).
  outbox: (q: Input<'mail.outbox'>) => [...mailKeys.all, 'outbox', q] as const,
  message: (id: number) => [...mailKeys.all, 'message', id] as const,
  queue: () => [...mailKeys.all, 'queue'] as const,
  // Settings, templates, member preferences (features/mail/EmailSettings*, SmsSettings*, Templates*, MemberMessages*).
  emailSettings: () => [...mailKeys.all, 'email-settings'] as const,
  smsSettings: () => [...mailKeys.all, 'sms-settings'] as const,
  templates: () => [...mailKeys.all, 'templates'] as const,
  memberPrefs: (memberId: number) => [...mailKeys.all, 'member-prefs', memberId] as const
}
