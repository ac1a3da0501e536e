import type { AuditAction, AuditArea } from './contract/operators'

/** Words for the audit trail's codes, for the Audit page and its export. */
export const AUDIT_AREA_WORDS: Record<AuditArea, string> = {
  operators: 'Operators',
  profile: 'Profile',
  members: 'Members',
  bonds: 'Bonds',
  payments: 'Payments',
  calendar: 'Holidays',
  notifications: 'Notifications',
  jobs: 'Jobs',
  settings: 'Settings',
  other: 'Other'
}

export const AUDIT_ACTION_WORDS: Record<AuditAction, string> = {
  insert: 'Added',
  update: 'Changed',
  delete: 'Removed'
}
