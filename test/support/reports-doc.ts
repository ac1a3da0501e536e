/**
 * A synthetic ReportDocument for the report writers' tests and bench: a
 * register of payments (dates, names in several scripts, money with
 * half-units, methods, references), a by-member table grouped by member with
 * counts and percentages, and an empty table. Rows are made from the row
 * number only, so every read gives the same rows and the expected totals
 * are computed here exactly.
 */
import type { ReportDocument, ReportProfile, ReportRow, ReportTable } from '../../src/core/reports/model'
import { col, row } from '../../src/core/reports/model'

export const NAMES = ['Jane Wanjiru', 'محمد عبد الله', '王小明', 'सुनीता शर्मा', 'Zoë Müller-Lüdenscheidt', 'Peter Otieno']

export function testProfile(currency = 'KES', locale = 'en-KE'): ReportProfile {
  return {
    name: 'Umoja Savings & Credit Cooperative',
    address: 'P.O. Box 1234\nNairobi',
    phone: '+254 700 000 000',
    email: 'office@umoja.example',
    registrationNo: 'CS/1234',
    currency,
    locale,
    timeZone: 'Africa/Nairobi'
  }
}

/** The i-th payment's cells: [paid on, voucher, payee, what, gross, tax, net, method, reference]. */
export function paymentCells(i: number): [string, string, string, string, number, number, number, string, string | null] {
  const day = 1 + (i % 28)
  const month = 1 + (Math.floor(i / 28) % 12)
  const gross = 100_000 + ((i * 7919) % 900_000) + (i % 2 === 0 ? 50 : 1) // half-units and odd cents
  const tax = Math.floor(gross / 10)
  const reference = i % 5 === 0 ? null : `REF-${String(i).padStart(6, '0')}`
  const what = i % 97 === 0 ? 'Coupon, UMJ-27, for the half year to 30 June, paid by bank transfer after the member asked for the account to be changed twice' : 'Coupon, UMJ-27'
  return [`2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, `PV-2026-${String(i + 1).padStart(6, '0')}`, `M-${String(i % 1000).padStart(4, '0')} ${NAMES[i % NAMES.length] ?? ''}`, what, gross, tax, gross - tax, i % 3 === 0 ? 'Cash' : 'Bank transfer', reference]
}

export function paymentsTable(rows: number): ReportTable {
  return {
    key: 'payments',
    title: 'Payments',
    columns: [
      col('paidOn', 'Paid on', 'date'),
      col('voucher', 'Voucher', 'text'),
      col('payee', 'Payee', 'text'),
      col('what', 'What', 'text'),
      col('gross', 'Gross', 'money', true),
      col('tax', 'Tax withheld', 'money', true),
      col('net', 'Net', 'money', true),
      col('method', 'Method', 'text'),
      col('reference', 'Reference', 'text')
    ],
    *rows(): Generator<ReportRow> {
      for (let i = 0; i < rows; i++) yield row(paymentCells(i))
    },
    rowCount: rows,
    empty: 'No payments were paid in these dates.',
    note: null,
    groupBy: null,
    breakGroups: false
  }
}

/** Grouped by member (column 0): [member, paid on, payments (count), amount, rate (percent)]. */
export function byMemberTable(members: number, perMember: number, breakGroups = false): ReportTable {
  return {
    key: 'by-member',
    title: 'By member',
    columns: [col('member', 'Member', 'text'), col('paidOn', 'Paid on', 'date'), col('payments', 'Payments', 'count', true), col('amount', 'Amount', 'money', true), col('rate', 'Rate', 'percent')],
    *rows(): Generator<ReportRow> {
      for (let m = 0; m < members; m++) {
        for (let k = 0; k < perMember; k++) {
          yield row([`M-${String(m + 1).padStart(4, '0')} ${NAMES[m % NAMES.length] ?? ''}`, `2026-03-${String(k + 1).padStart(2, '0')}`, k + 1, 1_000 * (m + 1) + k, ['12.5', '7', '0.25'][k % 3] ?? '1'])
        }
      }
    },
    rowCount: null,
    empty: 'No members.',
    note: 'Each member’s coupons, in the order paid.',
    groupBy: 0,
    breakGroups
  }
}

export function emptyTable(): ReportTable {
  return {
    key: 'nothing',
    title: 'Redemptions',
    columns: [col('paidOn', 'Paid on', 'date'), col('amount', 'Amount', 'money', true)],
    rows: () => [],
    rowCount: 0,
    empty: 'No redemptions were paid in these dates.',
    note: null,
    groupBy: null,
    breakGroups: false
  }
}

export function syntheticDocument(opts: { rows: number; currency?: string; members?: number; perMember?: number; breakGroups?: boolean; withEmpty?: boolean; onlyPayments?: boolean }): ReportDocument {
  const tables = [paymentsTable(opts.rows)]
  if (opts.onlyPayments !== true) {
    tables.push(byMemberTable(opts.members ?? 4, opts.perMember ?? 5, opts.breakGroups ?? false))
    if (opts.withEmpty !== false) tables.push(emptyTable())
  }
  return {
    name: 'payment-register',
    title: 'Payment register',
    subtitle: '1 Jan 2026 – 31 Dec 2026',
    parameters: [
      { label: 'From', value: '1 Jan 2026' },
      { label: 'To', value: '31 Dec 2026' }
    ],
    profile: testProfile(opts.currency ?? 'KES'),
    tables,
    landscape: true
  }
}

/** Exact sums of the payments table's gross, tax and net over `rows` rows. */
export function paymentTotals(rows: number): { gross: bigint; tax: bigint; net: bigint } {
  let gross = 0n
  let tax = 0n
  let net = 0n
  for (let i = 0; i < rows; i++) {
    const c = paymentCells(i)
    gross += BigInt(c[4])
    tax += BigInt(c[5])
    net += BigInt(c[6])
  }
  return { gross, tax, net }
}
