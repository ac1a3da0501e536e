import type { AuditArea } from '../../shared/contract'

/**
 * Which area owns each table, for the Audit page's area filter. A table not
 * listed is `other` (test/integration/maker-checker-audit.test.ts checks that
 * every audited table is listed, so a new one is placed here on purpose).
 */
export const TABLE_AREAS: Record<string, AuditArea> = {
  operators: 'operators',
  cooperative_profile: 'profile',
  members: 'members',
  member_events: 'members',
  bond_series: 'bonds',
  bond_holdings: 'bonds',
  bond_payments: 'payments',
  vouchers: 'payments',
  voucher_sequences: 'payments',
  ledger_accounts: 'ledger',
  member_accounts: 'ledger',
  journal_entries: 'ledger',
  journal_lines: 'ledger',
  ledger_periods: 'ledger',
  ledger_period_events: 'ledger',
  recurring_templates: 'recurring',
  recurring_template_lines: 'recurring',
  standing_orders: 'recurring',
  recurring_occurrences: 'recurring',
  payroll_staff: 'payroll',
  payroll_components: 'payroll',
  payroll_component_rates: 'payroll',
  payroll_structures: 'payroll',
  payroll_structure_items: 'payroll',
  payroll_calendars: 'payroll',
  payroll_periods: 'payroll',
  payroll_period_events: 'payroll',
  payroll_payslips: 'payroll',
  payroll_payslip_lines: 'payroll',
  generated_reports: 'reports',
  outbox_messages: 'mail',
  outbox_attachments: 'mail',
  outbox_attempts: 'mail',
  notice_templates: 'mail',
  member_contact_prefs: 'mail',
  holidays: 'calendar',
  notifications: 'notifications',
  notification_deliveries: 'notifications',
  job_schedules: 'jobs',
  settings: 'settings'
}

export const areaOf = (table: string): AuditArea => TABLE_AREAS[table] ?? 'other'

export const tablesOf = (area: AuditArea): string[] => Object.keys(TABLE_AREAS).filter((t) => TABLE_AREAS[t] === area)
