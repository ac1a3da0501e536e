/** Words for notification deliveries; unknown values are shown as they come. */
export const CHANNEL_LABELS: Record<string, string> = {
  'in-app': 'In the app',
  desktop: 'Desktop',
  email: 'Email',
  sms: 'SMS'
}

export const DELIVERY_STATUS_LABELS: Record<string, string> = {
  pending: 'Pending',
  sent: 'Sent',
  failed: 'Failed',
  skipped: 'Skipped'
}

/**
 * Where a notification's subject lives in the app, or null when this
 * version has no page for it (the notification is shown without a link).
 */
export function subjectLink(subject: { type: string; id: string } | null): { to: string; label: string } | null {
  if (!subject || !/^[1-9][0-9]{0,15}$/.test(subject.id)) return null
  switch (subject.type) {
    case 'job-run':
      return { to: `/jobs/runs/${subject.id}`, label: 'Open run' }
    case 'member':
      return { to: `/members/${subject.id}`, label: 'Open member' }
    case 'standing-order':
      return { to: `/recurring/standing-orders/${subject.id}`, label: 'Open standing order' }
    // The run that sent occurrences to To review: the list itself is where they are decided.
    case 'recurring-review':
      return { to: '/recurring/review', label: 'Open To review' }
    case 'payroll-period':
      return { to: `/payroll/periods/${subject.id}`, label: 'Open payroll period' }
    // A weekly or monthly summary made by its job: listed with every file made.
    case 'generated-report':
      return { to: '/reports/generated', label: 'Open generated reports' }
    default:
      return null
  }
}
