/**
 * A pay period's register as a workbook (exceljs), in the house style it
 * shares with the bond portfolio export (src/core/platform/xlsx/table.ts):
 * a title block, a frozen and tinted header row, number formats with the currency's decimal
 * places, widths that fit, and totals rows whose SUM formulas carry their
 * exact result (added up in integer minor units, never in floating point).
 * Every amount is written as a number in major units from its exact decimal
 * text (minorToDecimalString), never computed in floating point.
 *
 * Sheets:
 * - Register: one row per register row (staff no., name, days worked of days
 *   in the period, each component as a column in payslip order, gross,
 *   deductions, net, employer contributions, previous net, net change, what
 *   changed in words, why a payslip could not be worked out), and totals;
 * - Statutory: the statutory summary (code, name, kind, account, staff, base
 *   total, amount) and its grand total;
 * - About: the period, its status, who drafted, approved and posted it, and when.
 *
 * Written under a temporary name and renamed when complete. Pure: no
 * database, no clock.
 */
import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { Payslip, PayPeriod, Register, RegisterChange, StatutorySummary } from '../../shared/contract'
import { addMinor } from '../../shared/money'
import { formatDate, formatInstant, formatPeriod, withLatinDigits } from '../../shared/words'
import type { PayrollDocumentProfile } from './payslip-pdf'
import {
  excelDate,
  excelDateFormat,
  money,
  writeTableSheet,
  writeTitleBlock,
  type Column,
  type Row,
  type TableStyle
} from '../platform/xlsx/table'

const KIND_WORDS: Readonly<Record<Payslip['lines'][number]['kind'], string>> = {
  earning: 'earning',
  deduction: 'deduction',
  employer: 'employer contribution'
}

const STATUS_WORDS: Readonly<Record<PayPeriod['status'], string>> = {
  active: 'Not drafted yet',
  draft: 'Draft: ready for review',
  approved: 'Approved, not yet posted',
  posted: 'Posted to the ledger',
  failed: 'Failed: some payslips could not be worked out'
}

const FREQUENCY_WORDS: Readonly<Record<PayPeriod['frequency'], string>> = {
  monthly: 'Monthly',
  biweekly: 'Every two weeks',
  weekly: 'Weekly'
}

/** What changed against the previous period, in words. */
export function changeWords(changes: readonly RegisterChange[], netChangePercent: string | null, thresholdPercent: string): string {
  return changes
    .map((c) => {
      switch (c) {
        case 'new':
          return 'New: not on the previous period'
        case 'left':
          return 'Left: on the previous period, no payslip now'
        case 'failed':
          return 'Could not be worked out'
        case 'net-changed':
          return netChangePercent === null
            ? `Net pay changed by more than ${thresholdPercent}%`
            : `Net pay changed by ${netChangePercent}% (more than ${thresholdPercent}%)`
      }
      return String(c)
    })
    .join('; ')
}

/**
 * The register (with the statutory summary and an About sheet) as a workbook
 * at `file` (created or replaced, whole or not at all). `payslips` are the
 * period's payslips: each register row with a payslip takes its component
 * amounts from it. Throws RangeError when a row's payslip is missing, a
 * summary is of another period, or its rows do not add up to its total.
 * Returns the register rows written (staff, not counting the totals).
 */
export async function writeRegisterWorkbook(
  file: string,
  profile: PayrollDocumentProfile,
  register: Register,
  statutory: StatutorySummary,
  payslips: Payslip[]
): Promise<{ rows: number }> {
  const c = profile.currency
  const locale = withLatinDigits(profile.locale)
  const period = register.period
  if (statutory.period.id !== period.id) throw new RangeError(`The statutory summary is of ${statutory.period.name}, not ${period.name}`)
  const statutorySum = statutory.rows.length === 0 ? 0 : addMinor(...statutory.rows.map((r) => r.amountMinor))
  if (statutorySum !== statutory.totalMinor) {
    throw new RangeError(`The statutory summary does not add up: its rows come to ${statutorySum} minor units, its total says ${statutory.totalMinor}`)
  }
  const payslipById = new Map(payslips.map((p) => [p.id, p]))
  const dates = formatPeriod(period.startDate, period.endDate, locale)

  // Component columns: the register's order (payslip order), then any code a payslip has that the totals do not.
  const components: Array<{ code: string; name: string; kind: Payslip['lines'][number]['kind'] }> = register.totals.components.map((x) => ({
    code: x.code,
    name: x.name,
    kind: x.kind
  }))
  const known = new Set(components.map((x) => x.code))
  for (const p of payslips) {
    for (const l of p.lines) {
      if (!known.has(l.code)) {
        known.add(l.code)
        components.push({ code: l.code, name: l.name, kind: l.kind })
      }
    }
  }

  const wb = new ExcelJS.Workbook()
  wb.creator = profile.name
  wb.title = `Payroll register, ${period.name}`
  wb.subject = dates

  // Headers wrap (a two-line header row); widths padded by 2 (a number by 6), at most 48.
  const style: TableStyle = { wrapHeaders: true, rateFormat: '0.0', maxWidth: 48, pad: 2, numberPad: 4 }
  const sheet = (name: string, title: string, subtitle: string, columns: Column[], rows: Row[], empty: string): ExcelJS.Worksheet =>
    writeTableSheet(wb, style, {
      name,
      organisation: profile.name,
      title,
      heading: title,
      note: subtitle,
      footer: `${period.name} · ${dates}`,
      columns,
      rows,
      empty,
      currency: c,
      locale,
      // The register keeps staff no. and name in view when scrolling across.
      frozenColumns: name === 'Register' ? 2 : 0
    })

  // --- Register -------------------------------------------------------------
  const fixed: Column[] = [
    { header: 'Staff no.', kind: 'text', width: 9 },
    { header: 'Name', kind: 'text', width: 18 },
    { header: 'Days worked', kind: 'count', width: 6 },
    { header: 'Days in period', kind: 'count', width: 6 }
  ]
  const componentColumns: Column[] = components.map((x) => ({
    header: `${x.code} ${x.name} (${x.kind}, ${c})`,
    kind: 'money',
    total: true,
    width: 12
  }))
  const registerColumns: Column[] = [
    ...fixed,
    ...componentColumns,
    { header: `Gross (${c})`, kind: 'money', total: true, width: 13 },
    { header: `Deductions (${c})`, kind: 'money', total: true, width: 13 },
    { header: `Net pay (${c})`, kind: 'money', total: true, width: 13 },
    { header: `Employer contributions (${c})`, kind: 'money', total: true, width: 13 },
    // A first period compares with nothing: no total under a column of blanks.
    { header: `Previous net (${c})`, kind: 'money', total: register.rows.some((r) => r.previousNetMinor !== null), width: 13 },
    { header: 'Net change (%)', kind: 'rate', width: 8 },
    { header: 'Changes', kind: 'text', width: 20 },
    { header: 'Why it could not be worked out', kind: 'text', width: 20 }
  ]
  const base = fixed.length
  const after = base + components.length
  const registerRows: Row[] = register.rows.map((r) => {
    const minor: Record<number, number> = {}
    const values: unknown[] = [r.staffNo, r.fullName, r.daysWorked, r.daysInPeriod]
    const byCode = new Map<string, number>()
    if (r.payslipId !== null) {
      const p = payslipById.get(r.payslipId)
      if (!p) throw new RangeError(`The payslip of ${r.fullName} (${r.staffNo}) is missing from the export`)
      for (const l of p.lines) byCode.set(l.code, addMinor(byCode.get(l.code) ?? 0, l.amountMinor))
    }
    components.forEach((x, k) => {
      const amount = byCode.get(x.code)
      values.push(amount === undefined ? null : money(amount, c))
      if (amount !== undefined) minor[base + k] = amount
    })
    const hasPay = r.payslipId !== null && r.status === 'ok'
    const figures: Array<number | null> = [
      hasPay ? r.grossMinor : null,
      hasPay ? r.deductionsMinor : null,
      hasPay ? r.netMinor : null,
      hasPay ? r.employerMinor : null,
      r.previousNetMinor
    ]
    figures.forEach((m, k) => {
      values.push(m === null ? null : money(m, c))
      if (m !== null) minor[after + k] = m
    })
    values.push(r.netChangePercent === null ? null : Number(r.netChangePercent))
    values.push(changeWords(r.changes, r.netChangePercent, register.thresholdPercent))
    values.push(r.error ?? '')
    return { values, minor }
  })
  const compared = register.previous === null ? 'No previous period to compare with.' : `Compared with ${register.previous.name}; a net change above ${register.thresholdPercent}% is flagged.`
  sheet(
    'Register',
    `Payroll register: ${period.name} (${dates})`,
    `Pay date ${formatDate(period.payDate, locale)}. ${STATUS_WORDS[period.status]}. Amounts in ${c}. ${compared}`,
    registerColumns,
    registerRows,
    'No staff on this period.'
  )

  // --- Statutory ------------------------------------------------------------
  const statutoryColumns: Column[] = [
    { header: 'Code', kind: 'text', width: 8 },
    { header: 'Name', kind: 'text', width: 18 },
    { header: 'Kind', kind: 'text', width: 12 },
    { header: 'Account', kind: 'text', width: 18 },
    { header: 'Staff', kind: 'count', width: 6 },
    { header: `Base total (${c})`, kind: 'money', width: 14 },
    { header: `Amount (${c})`, kind: 'money', total: true, width: 14 }
  ]
  sheet(
    'Statutory',
    `Statutory deductions and contributions: ${period.name}`,
    `${dates}. Pay date ${formatDate(period.payDate, locale)}. Amounts in ${c}.`,
    statutoryColumns,
    statutory.rows.map((r) => ({
      values: [r.code, r.name, KIND_WORDS[r.kind], r.accountName, r.staff, money(r.baseMinor, c), money(r.amountMinor, c)],
      minor: { 5: r.baseMinor, 6: r.amountMinor }
    })),
    'No statutory deductions or contributions in this period.'
  )

  // --- About ----------------------------------------------------------------
  const when = (iso: string | null): string => (iso === null ? '' : `${formatInstant(iso, locale, profile.timeZone)} (${profile.timeZone})`)
  const about = wb.addWorksheet('About', { views: [{ state: 'normal' }] })
  writeTitleBlock(about, profile.name, `About this register: ${period.name}`)
  const facts: Array<[string, ExcelJS.CellValue, string?]> = [
    ['Period', period.name],
    ['Calendar', period.calendarName ?? 'A single period of its own'],
    ['Frequency', FREQUENCY_WORDS[period.frequency]],
    ['First day', excelDate(period.startDate), 'date'],
    ['Last day', excelDate(period.endDate), 'date'],
    ['Pay date', excelDate(period.payDate), 'date'],
    ['Status', STATUS_WORDS[period.status]],
    ['Status note', period.statusNote ?? ''],
    ['Payslips', period.payslips, 'count'],
    ['Payslips that could not be worked out', period.failedPayslips, 'count'],
    ['Drafted by', period.draftedBy ?? ''],
    ['Drafted at', when(period.draftedAt)],
    ['Approved by', period.approvedBy ?? ''],
    ['Approved at', when(period.approvedAt)],
    ['Posted by', period.postedBy ?? ''],
    ['Posted at', when(period.postedAt)],
    ['Journal entry', period.entryId === null ? '' : `#${period.entryId}`],
    ['Times posted', period.postings, 'count'],
    ['Compared with', register.previous?.name ?? 'No previous period'],
    ['Net change flagged above (%)', register.thresholdPercent],
    ['Currency', c]
  ]
  const dateFmt = excelDateFormat(locale)
  facts.forEach(([label, value, kind], i) => {
    const row = about.getRow(4 + i)
    row.getCell(1).value = label
    row.getCell(1).font = { bold: true }
    const cell = row.getCell(2)
    cell.value = value
    cell.alignment = { horizontal: 'left' }
    if (kind === 'date') cell.numFmt = dateFmt
    else if (kind === 'count') cell.numFmt = '#,##0'
  })
  about.getColumn(1).width = 38
  about.getColumn(2).width = Math.min(70, Math.max(24, ...facts.map(([, v]) => (typeof v === 'string' ? v.length + 2 : 14))))

  fs.mkdirSync(path.dirname(file), { recursive: true })
  const partial = `${file}.partial`
  try {
    await wb.xlsx.writeFile(partial)
    fs.renameSync(partial, file)
  } catch (e) {
    await fs.promises.rm(partial, { force: true })
    throw e
  }
  return { rows: registerRows.length }
}
