/**
 * Payroll's documents (src/core/payroll/payslip-pdf.ts, statutory-pdf.ts,
 * register-export.ts) from fixture objects of the contract's types: a
 * three-person period with a pro-rated joiner, a name in Devanagari and an
 * amount in the billions. PDFs are read back with pdftotext and checked with
 * qpdf; the workbook is read back with exceljs.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PayPeriod, Payslip, PayslipLine, Register, RegisterRow, StatutorySummary } from '../../../src/shared/contract'
import { CALENDAR_DAYS_RULE } from '../../../src/core/payroll/calc'
import { payslipMissingGlyphs, writePayslipsPdf, type PayrollDocumentProfile, type PayslipStaff } from '../../../src/core/payroll/payslip-pdf'
import { writeStatutoryPdf } from '../../../src/core/payroll/statutory-pdf'
import { writeRegisterWorkbook } from '../../../src/core/payroll/register-export'
import { addMinor, formatMoney } from '../../../src/shared/money'

const FONTS_DIR = path.resolve(__dirname, '../../../resources/fonts')
const NOW = new Date('2026-02-01T06:30:00.000Z')

let dir: string
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-payroll-docs-'))
})
afterAll(() => {
  if (!process.env.KEEP_PAYROLL_DOCS) fs.rmSync(dir, { recursive: true, force: true })
})

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

const profile: PayrollDocumentProfile = {
  name: 'Umoja Savings & Credit Co-operative Society Ltd',
  address: 'Moi Avenue, Tumaini House\nP.O. Box 12345-00100, Nairobi',
  phone: '+254 700 123 456',
  email: 'treasurer@umoja.example',
  registrationNo: 'CS/2019/004512',
  currency: 'KES',
  locale: 'en-KE',
  timeZone: 'Africa/Nairobi'
}

const ksh = (minor: number): string => formatMoney(minor, 'KES', 'en-KE')
/** The same text with all runs of whitespace (NBSP too) as one space. */
const flat = (s: string): string => s.replace(/\s+/gu, ' ').trim()
/** Minor units of KES (2 digits) as the number Excel should hold, from the digits (no arithmetic). */
const major = (minor: number): number => Number(`${String(minor).slice(0, -2)}.${String(minor).slice(-2)}`)

function pdfText(file: string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)]
  return flat(execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', ...range, file, '-'], { encoding: 'utf8' }))
}
function pages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1])
}
/** qpdf --check: exit 0 (3 would be warnings). */
function qpdfCheck(file: string): void {
  const r = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' })
  expect(r.status, r.stdout + r.stderr).toBe(0)
}

const period: PayPeriod = {
  id: 7,
  calendarId: 1,
  calendarName: 'Monthly staff',
  name: 'January 2026',
  frequency: 'monthly',
  startDate: '2026-01-01',
  endDate: '2026-01-31',
  payDate: '2026-01-31',
  rule: { kind: 'days-before-end', days: 3 },
  ruleWords: '3 days before the end of each period',
  automation: true,
  dueOn: '2026-01-28',
  status: 'posted',
  statusNote: null,
  payslips: 3,
  failedPayslips: 0,
  grossMinor: 0,
  deductionsMinor: 0,
  netMinor: 0,
  employerMinor: 0,
  postings: 1,
  draftedBy: 'Payroll job',
  draftedAt: '2026-01-28T00:00:05.000Z',
  approvedBy: 'Otieno Odhiambo',
  approvedAt: '2026-01-29T07:15:00.000Z',
  postedBy: 'Wanjiru Kamau',
  postedAt: '2026-01-30T09:00:00.000Z',
  entryId: 4521,
  version: 5
}

type Def = Pick<PayslipLine, 'code' | 'name' | 'kind' | 'statutory'>
const BASIC: Def = { code: 'BASIC', name: 'Basic pay', kind: 'earning', statutory: false }
const HOUSE: Def = { code: 'HOUSE', name: 'House allowance', kind: 'earning', statutory: false }
const PAYE: Def = { code: 'PAYE', name: 'Income tax (PAYE)', kind: 'deduction', statutory: true }
const NSSF: Def = { code: 'NSSF', name: 'Pension (NSSF)', kind: 'deduction', statutory: true }
const NSSF_ER: Def = { code: 'NSSF_ER', name: 'Employer pension (NSSF)', kind: 'employer', statutory: true }

const line = (d: Def, amountMinor: number, workings: string, baseMinor: number | null = null): PayslipLine => ({
  ...d,
  baseMinor,
  amountMinor,
  rounding: 'half-up',
  workings
})

function slip(id: number, staffId: number, staffNo: string, fullName: string, lines: PayslipLine[], days: [number, number] = [31, 31]): Payslip {
  const sum = (kind: PayslipLine['kind']): number => addMinor(0, ...lines.filter((l) => l.kind === kind).map((l) => l.amountMinor))
  const gross = sum('earning')
  const deductions = sum('deduction')
  return {
    id,
    periodId: period.id,
    staffId,
    staffNo,
    fullName,
    status: 'ok',
    error: null,
    daysWorked: days[0],
    daysInPeriod: days[1],
    proration: days[0] < days[1] ? CALENDAR_DAYS_RULE : null,
    structureFrom: '2025-07-01',
    grossMinor: gross,
    taxableMinor: gross,
    deductionsMinor: deductions,
    netMinor: gross - deductions,
    employerMinor: sum('employer'),
    lines,
    computedAt: '2026-01-28T00:00:05.000Z'
  }
}

/** A director with pay in the billions (KES 9,876,543,210.55 basic). */
const LARGE_BASIC = 987_654_321_055
const payslips: Payslip[] = [
  slip(101, 1, 'S-001', 'Wanjiru Kamau', [
    line(BASIC, LARGE_BASIC, 'Fixed amount of the pay structure'),
    line(HOUSE, 1_500_000, 'Fixed amount of the pay structure'),
    line(NSSF, 108_000, '6% of KES 9,876,558,210.55 gross, capped at KES 1,080.00', 987_655_821_055),
    line(PAYE, 296_296_744_797, 'Bands on taxable pay: 10% up to KES 24,000.00; 25% up to KES 32,333.00; 30% above; relief KES 2,400.00; rounded down', 987_655_713_055),
    line(NSSF_ER, 108_000, '6% of gross, capped at KES 1,080.00', 987_655_821_055)
  ]),
  slip(102, 2, 'S-002', 'अनिल कुमार शर्मा', [
    line(BASIC, 6_000_000, 'Fixed amount of the pay structure'),
    line(HOUSE, 1_000_000, 'Fixed amount of the pay structure'),
    line(NSSF, 108_000, '6% of KES 70,000.00 gross, capped at KES 1,080.00', 7_000_000),
    line(PAYE, 1_458_335, 'Bands on taxable pay: 10% up to KES 24,000.00; 25% up to KES 32,333.00; 30% above; relief KES 2,400.00; rounded down', 6_892_000),
    line(NSSF_ER, 108_000, '6% of gross, capped at KES 1,080.00', 7_000_000)
  ]),
  slip(
    103,
    3,
    'S-003',
    'Zoë Müller',
    [
      line(BASIC, 1_548_387, 'KES 40,000.00 × 12 ÷ 31 calendar days, rounded half-up'),
      line(HOUSE, 193_548, 'KES 5,000.00 × 12 ÷ 31 calendar days, rounded half-up'),
      line(NSSF, 104_516, '6% of KES 17,419.35 gross, rounded half-up', 1_741_935),
      line(PAYE, 0, 'Bands on taxable pay: tax KES 1,636.84 less relief KES 2,400.00; not below zero', 1_637_419),
      line(NSSF_ER, 104_516, '6% of KES 17,419.35 gross, rounded half-up', 1_741_935)
    ],
    [12, 31]
  )
]

const staff = new Map<number, PayslipStaff>([
  [1, { staffNo: 'S-001', fullName: 'Wanjiru Kamau', taxPin: 'A001234567Z', nationalId: '12345678', bankName: 'Equity Bank', bankAccount: '0123456789012' }],
  [2, { staffNo: 'S-002', fullName: 'अनिल कुमार शर्मा', taxPin: 'A009876543B', nationalId: '23456789', bankName: 'KCB', bankAccount: '1100223344' }],
  [3, { staffNo: 'S-003', fullName: 'Zoë Müller', taxPin: null, nationalId: 'P1234567', bankName: 'Co-operative Bank', bankAccount: '01109876543200' }]
])

const total = (pick: (p: Payslip) => number): number => addMinor(...payslips.map(pick))
period.grossMinor = total((p) => p.grossMinor)
period.deductionsMinor = total((p) => p.deductionsMinor)
period.netMinor = total((p) => p.netMinor)
period.employerMinor = total((p) => p.employerMinor)

function registerRow(p: Payslip, previousNetMinor: number | null, netChangePercent: string | null, changes: RegisterRow['changes']): RegisterRow {
  return {
    staffId: p.staffId,
    staffNo: p.staffNo,
    fullName: p.fullName,
    payslipId: p.id,
    status: p.status,
    error: p.error,
    daysWorked: p.daysWorked,
    daysInPeriod: p.daysInPeriod,
    grossMinor: p.grossMinor,
    deductionsMinor: p.deductionsMinor,
    netMinor: p.netMinor,
    employerMinor: p.employerMinor,
    previousNetMinor,
    netChangePercent,
    changes
  }
}

const [p1, p2, p3] = payslips as [Payslip, Payslip, Payslip]
const componentTotal = (code: string): number => addMinor(...payslips.flatMap((p) => p.lines.filter((l) => l.code === code).map((l) => l.amountMinor)))
const register: Register = {
  period,
  previous: { id: 6, name: 'December 2025' },
  thresholdPercent: '10',
  changedSince: [],
  rows: [registerRow(p1, 600_000_000_000, '15.2', ['net-changed']), registerRow(p2, 5_433_665, '0.0', []), registerRow(p3, null, null, ['new'])],
  totals: {
    staff: 3,
    grossMinor: period.grossMinor,
    deductionsMinor: period.deductionsMinor,
    netMinor: period.netMinor,
    employerMinor: period.employerMinor,
    components: [BASIC, HOUSE, NSSF, PAYE, NSSF_ER].map((d) => ({ code: d.code, name: d.name, kind: d.kind, amountMinor: componentTotal(d.code) }))
  }
}

const statutory: StatutorySummary = {
  period,
  rows: [
    { code: 'PAYE', name: 'Income tax (PAYE)', kind: 'deduction', accountName: '2310 PAYE payable', staff: 3, baseMinor: addMinor(...payslips.map((p) => p.lines.find((l) => l.code === 'PAYE')?.baseMinor ?? 0)), amountMinor: componentTotal('PAYE') },
    { code: 'NSSF', name: 'Pension (NSSF)', kind: 'deduction', accountName: '2320 NSSF payable', staff: 3, baseMinor: addMinor(...payslips.map((p) => p.grossMinor)), amountMinor: componentTotal('NSSF') },
    { code: 'NSSF_ER', name: 'Employer pension (NSSF)', kind: 'employer', accountName: '2320 NSSF payable', staff: 3, baseMinor: addMinor(...payslips.map((p) => p.grossMinor)), amountMinor: componentTotal('NSSF_ER') }
  ],
  totalMinor: addMinor(componentTotal('PAYE'), componentTotal('NSSF'), componentTotal('NSSF_ER'))
}

const pdfOpts = { fontsDir: FONTS_DIR, now: NOW }

// ---------------------------------------------------------------------------
// Payslips
// ---------------------------------------------------------------------------

describe('payslips PDF', () => {
  let file: string
  beforeAll(async () => {
    file = path.join(dir, 'exports', 'payslips-january-2026.pdf')
    const r = await writePayslipsPdf(file, profile, period, payslips, staff, pdfOpts)
    expect(r).toEqual({ pages: 3 })
  })

  it('is a valid PDF, one page per payslip, and no partial file is left', () => {
    qpdfCheck(file)
    expect(pages(file)).toBe(3)
    expect(fs.readdirSync(path.dirname(file))).toEqual(['payslips-january-2026.pdf'])
  })

  it('prints the society, the period, the person and their particulars', () => {
    const text = pdfText(file, 1)
    expect(text).toContain('Umoja Savings & Credit Co-operative Society Ltd')
    expect(text).toContain('PAYSLIP')
    expect(text).toContain('January 2026')
    expect(text).toContain('1 Jan 2026 – 31 Jan 2026')
    expect(text).toContain('Pay date 31 Jan 2026')
    for (const s of ['Wanjiru Kamau', 'S-001', 'A001234567Z', '12345678', 'Equity Bank', '0123456789012', '31 of 31']) expect(text).toContain(s)
  })

  it('prints every line with its amount and workings, the totals and NET PAY (a large amount in full)', () => {
    const text = pdfText(file, 1)
    expect(text).toContain(`Basic pay BASIC ${ksh(LARGE_BASIC)}`.replace(/\s+/gu, ' '))
    expect(flat(ksh(LARGE_BASIC))).toBe('Ksh 9,876,543,210.55')
    expect(text).toContain('Bands on taxable pay: 10% up to KES 24,000.00')
    expect(text).toContain(`Gross pay ${flat(ksh(p1.grossMinor))}`)
    expect(text).toContain(`Total deductions ${flat(ksh(p1.deductionsMinor))}`)
    expect(text).toMatch(new RegExp(`N ?E ?T ?P ?A ?Y ${flat(ksh(p1.netMinor)).replace(/[.,]/g, '\\$&')}`))
    expect(text).toContain('Computed on 28 Jan 2026')
  })

  it('shows employer contributions apart, as not taken from pay', () => {
    const text = pdfText(file, 1)
    expect(text).toContain('paid by the employer, not taken from your pay')
    expect(text).toContain(`Total employer contributions ${flat(ksh(p1.employerMinor))}`)
    // Net pay is gross less deductions only.
    expect(p1.netMinor).toBe(p1.grossMinor - p1.deductionsMinor)
  })

  it('prints a name in Devanagari, findable in the text', () => {
    const text = pdfText(file, 2)
    expect(text).toContain('अनिल कुमार शर्मा')
    expect(text).toContain('S-002')
    expect(text).toContain(flat(ksh(p2.netMinor)))
    expect(text).not.toContain('\uFFFD')
  })

  it('says how a part period was pro-rated, with the rule', () => {
    const text = pdfText(file, 3)
    expect(text).toContain('Zoë Müller')
    expect(text).toContain('12 of 31 (pro-rated)')
    expect(text).toContain('Pro-rated: 12 of 31 calendar days worked in this period')
    expect(text).toContain('Pro-rated by calendar days: for a part period')
    expect(text).toContain(flat(ksh(p3.netMinor)))
    // A person without a tax PIN: a dash, never another person's value.
    expect(text).toMatch(/Tax PIN —/)
    // Full periods carry no pro-rating note.
    expect(pdfText(file, 1)).not.toContain('Pro-rated:')
  })

  it('prints a payslip that could not be worked out with its reason and no figures', async () => {
    const failed: Payslip = { ...p2, status: 'failed', error: 'No pay structure in force on 31 Jan 2026', lines: [], grossMinor: 0, deductionsMinor: 0, netMinor: 0, employerMinor: 0 }
    const out = path.join(dir, 'failed.pdf')
    await writePayslipsPdf(out, profile, period, [failed], staff, pdfOpts)
    const text = pdfText(out)
    expect(text).toContain('This payslip could not be worked out')
    expect(text).toContain('No pay structure in force on 31 Jan 2026')
    expect(text).not.toContain('NET PAY')
  })

  it('goes on to a continuation page rather than cutting a long payslip', async () => {
    const many = Array.from({ length: 40 }, (_, i) => line({ code: `ALLOW_${i}`, name: `Allowance ${i + 1}`, kind: 'earning', statutory: false }, 10_000 + i, `Fixed amount number ${i + 1}`))
    const long = slip(104, 1, 'S-001', 'Wanjiru Kamau', many)
    const out = path.join(dir, 'long.pdf')
    const r = await writePayslipsPdf(out, profile, period, [long], staff, pdfOpts)
    expect(r.pages).toBeGreaterThan(1)
    expect(pages(out)).toBe(r.pages)
    const text = pdfText(out)
    for (let i = 1; i <= 40; i++) expect(text).toContain(`Allowance ${i} ALLOW_${i - 1}`)
    expect(text).toContain(`Gross pay ${flat(ksh(long.grossMinor))}`)
    expect(text).toContain('Wanjiru Kamau (S-001), continued')
    qpdfCheck(out)
  })

  it('names the staff with characters no font has, and still prints them with the staff number', async () => {
    expect(payslipMissingGlyphs(profile, staff.values(), { fontsDir: FONTS_DIR })).toEqual([])
    const odd = new Map(staff)
    odd.set(3, { ...(staff.get(3) as PayslipStaff), fullName: 'Zoë \u1C65\u1C5F Müller' })
    expect(payslipMissingGlyphs(profile, odd.values(), { fontsDir: FONTS_DIR, systemFonts: false })).toEqual([
      { staffNo: 'S-003', fullName: 'Zoë \u1C65\u1C5F Müller', characters: ['\u1C65', '\u1C5F'] }
    ])
    const out = path.join(dir, 'missing.pdf')
    await writePayslipsPdf(out, profile, period, [p3], odd, { ...pdfOpts, systemFonts: false })
    const text = pdfText(out)
    expect(text).toContain('Zoë \uFFFD\uFFFD Müller')
    expect(text).toContain('S-003')
  })

  it('is the same bytes for the same input and now', async () => {
    const a = path.join(dir, 'a.pdf')
    const b = path.join(dir, 'b.pdf')
    await writePayslipsPdf(a, profile, period, [p3], staff, pdfOpts)
    await writePayslipsPdf(b, profile, period, [p3], staff, pdfOpts)
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true)
  })

  it('refuses before writing: no payslips, a payslip without particulars, another period, an unknown currency', async () => {
    const out = path.join(dir, 'refused.pdf')
    await expect(writePayslipsPdf(out, profile, period, [], staff, pdfOpts)).rejects.toThrow('No payslips to print')
    await expect(writePayslipsPdf(out, profile, period, [p1], new Map(), pdfOpts)).rejects.toThrow(/Wanjiru Kamau \(S-001\).*particulars are missing/)
    await expect(writePayslipsPdf(out, profile, period, [{ ...p1, periodId: 99 }], staff, pdfOpts)).rejects.toThrow(/another period/)
    await expect(writePayslipsPdf(out, { ...profile, currency: 'XXQ' }, period, [p1], staff, pdfOpts)).rejects.toThrow(RangeError)
    expect(fs.existsSync(out)).toBe(false)
    expect(fs.existsSync(`${out}.partial`)).toBe(false)
  })
})

// ---------------------------------------------------------------------------
// Statutory summary
// ---------------------------------------------------------------------------

describe('statutory summary PDF', () => {
  it('is one valid page with each component, its account, staff, base and amount, and the grand total', async () => {
    const file = path.join(dir, 'statutory.pdf')
    expect(await writeStatutoryPdf(file, profile, statutory, pdfOpts)).toEqual({ pages: 1 })
    qpdfCheck(file)
    expect(pages(file)).toBe(1)
    const text = pdfText(file)
    expect(text).toContain('STATUTORY SUMMARY')
    expect(text).not.toContain('…')
    expect(text).toContain('January 2026')
    expect(text).toContain('Pay date 31 Jan 2026')
    expect(text).toContain('Posted to the ledger')
    for (const r of statutory.rows) {
      expect(text).toContain(`${r.code} ${r.name} ${r.accountName} ${r.staff} ${flat(ksh(r.baseMinor))} ${flat(ksh(r.amountMinor))}`)
    }
    expect(text).toContain(`Deductions total ${flat(ksh(componentTotal('PAYE') + componentTotal('NSSF')))}`)
    expect(text).toContain(`Employer contributions total ${flat(ksh(componentTotal('NSSF_ER')))}`)
    expect(text).toContain(`Grand total ${flat(ksh(statutory.totalMinor))}`)
    // 06:30 UTC is 09:30 in Nairobi.
    expect(text).toContain('Prepared on 1 Feb 2026, 09:30')
  })

  it('refuses a summary whose rows do not add up to its total', async () => {
    const file = path.join(dir, 'statutory-bad.pdf')
    await expect(writeStatutoryPdf(file, profile, { ...statutory, totalMinor: statutory.totalMinor + 1 }, pdfOpts)).rejects.toThrow(/does not add up/)
    expect(fs.existsSync(file)).toBe(false)
  })
})

// ---------------------------------------------------------------------------
// Register workbook
// ---------------------------------------------------------------------------

describe('register workbook', () => {
  let file: string
  let wb: ExcelJS.Workbook
  beforeAll(async () => {
    file = path.join(dir, 'exports', 'register-january-2026.xlsx')
    expect(await writeRegisterWorkbook(file, profile, register, statutory, payslips)).toEqual({ rows: 3 })
    wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
  })

  const headers = (ws: ExcelJS.Worksheet): string[] => (ws.getRow(5).values as unknown[]).slice(1).map(String)
  const col = (ws: ExcelJS.Worksheet, header: string): number => {
    const i = headers(ws).indexOf(header)
    expect(i, `${header} in ${headers(ws).join(' | ')}`).toBeGreaterThanOrEqual(0)
    return i + 1
  }

  it('has the Register, Statutory and About sheets, the header frozen', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Register', 'Statutory', 'About'])
    const ws = wb.getWorksheet('Register') as ExcelJS.Worksheet
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 })
    expect(ws.getCell('A1').value).toBe(profile.name)
    expect(String(ws.getCell('A2').value)).toContain('Payroll register: January 2026')
    expect(String(ws.getCell('A3').value)).toContain('Compared with December 2025')
  })

  it('has one column per component in payslip order, then the totals of each person', () => {
    const ws = wb.getWorksheet('Register') as ExcelJS.Worksheet
    expect(headers(ws)).toEqual([
      'Staff no.',
      'Name',
      'Days worked',
      'Days in period',
      'BASIC Basic pay (earning, KES)',
      'HOUSE House allowance (earning, KES)',
      'NSSF Pension (NSSF) (deduction, KES)',
      'PAYE Income tax (PAYE) (deduction, KES)',
      'NSSF_ER Employer pension (NSSF) (employer, KES)',
      'Gross (KES)',
      'Deductions (KES)',
      'Net pay (KES)',
      'Employer contributions (KES)',
      'Previous net (KES)',
      'Net change (%)',
      'Changes',
      'Why it could not be worked out'
    ])
  })

  it('writes amounts as exact numbers in major units with the currency format, and exact totals', () => {
    const ws = wb.getWorksheet('Register') as ExcelJS.Worksheet
    const basic = col(ws, 'BASIC Basic pay (earning, KES)')
    expect(ws.getRow(6).getCell(1).value).toBe('S-001')
    expect(ws.getRow(6).getCell(basic).value).toBe(9876543210.55)
    expect(ws.getRow(6).getCell(basic).numFmt).toBe('#,##0.00')
    expect(ws.getRow(7).getCell(2).value).toBe('अनिल कुमार शर्मा')
    expect(ws.getRow(8).getCell(3).value).toBe(12)
    expect(ws.getRow(8).getCell(4).value).toBe(31)
    expect(ws.getRow(8).getCell(basic).value).toBe(15483.87)
    const net = col(ws, 'Net pay (KES)')
    expect(ws.getRow(6).getCell(net).value).toBe(major(p1.netMinor))
    // Totals: a SUM formula whose cached result is the exact sum of minor units.
    const totals = ws.getRow(9)
    expect(totals.getCell(1).value).toBe('Total')
    const netTotal = totals.getCell(net).value as ExcelJS.CellFormulaValue
    expect(netTotal.formula).toBe(`SUM(${ws.getColumn(net).letter}6:${ws.getColumn(net).letter}8)`)
    expect(netTotal.result).toBe(major(register.totals.netMinor))
    const basicTotal = totals.getCell(basic).value as ExcelJS.CellFormulaValue
    expect(basicTotal.result).toBe(9876618694.42)
    expect(totals.getCell(basic).numFmt).toBe('#,##0.00')
  })

  it('says what changed against the previous period in words', () => {
    const ws = wb.getWorksheet('Register') as ExcelJS.Worksheet
    const changes = col(ws, 'Changes')
    expect(ws.getRow(6).getCell(changes).value).toBe('Net pay changed by 15.2% (more than 10%)')
    expect(ws.getRow(7).getCell(changes).value).toBe('')
    expect(ws.getRow(8).getCell(changes).value).toBe('New: not on the previous period')
    expect(ws.getRow(6).getCell(col(ws, 'Previous net (KES)')).value).toBe(6000000000)
    expect(ws.getRow(8).getCell(col(ws, 'Previous net (KES)')).value).toBe(null)
    expect(ws.getRow(6).getCell(col(ws, 'Net change (%)')).value).toBe(15.2)
  })

  it('has the statutory summary with its grand total', () => {
    const ws = wb.getWorksheet('Statutory') as ExcelJS.Worksheet
    expect(headers(ws)).toEqual(['Code', 'Name', 'Kind', 'Account', 'Staff', 'Base total (KES)', 'Amount (KES)'])
    expect((ws.getRow(6).values as unknown[]).slice(1, 6)).toEqual(['PAYE', 'Income tax (PAYE)', 'deduction', '2310 PAYE payable', 3])
    expect(ws.getRow(8).getCell(3).value).toBe('employer contribution')
    const grand = ws.getRow(9).getCell(7).value as ExcelJS.CellFormulaValue
    expect(grand.formula).toBe('SUM(G6:G8)')
    expect(grand.result).toBe(major(statutory.totalMinor))
    expect(ws.getRow(9).getCell(7).numFmt).toBe('#,##0.00')
  })

  it('says on About which period, its status, and who approved and posted it when', () => {
    const ws = wb.getWorksheet('About') as ExcelJS.Worksheet
    const facts = new Map<string, unknown>()
    ws.eachRow((row) => facts.set(String(row.getCell(1).value), row.getCell(2).value))
    expect(facts.get('Period')).toBe('January 2026')
    expect(facts.get('Status')).toBe('Posted to the ledger')
    expect(facts.get('Approved by')).toBe('Otieno Odhiambo')
    expect(facts.get('Approved at')).toBe('29 Jan 2026, 10:15 (Africa/Nairobi)')
    expect(facts.get('Posted by')).toBe('Wanjiru Kamau')
    expect(facts.get('Journal entry')).toBe('#4521')
    expect(facts.get('Pay date')).toEqual(new Date(Date.UTC(2026, 0, 31)))
  })

  it('uses no decimals for a currency without minor units', async () => {
    const out = path.join(dir, 'register-jpy.xlsx')
    await writeRegisterWorkbook(out, { ...profile, currency: 'JPY', locale: 'ja-JP', timeZone: 'Asia/Tokyo' }, register, statutory, payslips)
    const jp = new ExcelJS.Workbook()
    await jp.xlsx.readFile(out)
    const ws = jp.getWorksheet('Register') as ExcelJS.Worksheet
    expect(ws.getRow(6).getCell(5).value).toBe(LARGE_BASIC)
    expect(ws.getRow(6).getCell(5).numFmt).toBe('#,##0')
  })

  it('refuses a row whose payslip is missing, or a summary of another period, and writes nothing', async () => {
    const out = path.join(dir, 'register-bad.xlsx')
    await expect(writeRegisterWorkbook(out, profile, register, statutory, [p1, p2])).rejects.toThrow('The payslip of Zoë Müller (S-003) is missing from the export')
    await expect(writeRegisterWorkbook(out, profile, register, { ...statutory, period: { ...period, id: 8, name: 'February 2026' } }, payslips)).rejects.toThrow(/February 2026/)
    expect(fs.existsSync(out)).toBe(false)
  })

  it('shows a person who left with no figures of this period', async () => {
    const left: RegisterRow = { ...registerRow(p2, 5_433_665, null, ['left']), staffId: 9, staffNo: 'S-009', fullName: 'Left Person', payslipId: null, status: null, grossMinor: 0, deductionsMinor: 0, netMinor: 0, employerMinor: 0 }
    const out = path.join(dir, 'register-left.xlsx')
    expect(await writeRegisterWorkbook(out, profile, { ...register, rows: [...register.rows, left] }, statutory, payslips)).toEqual({ rows: 4 })
    const b = new ExcelJS.Workbook()
    await b.xlsx.readFile(out)
    const ws = b.getWorksheet('Register') as ExcelJS.Worksheet
    expect(ws.getRow(9).getCell(1).value).toBe('S-009')
    expect(ws.getRow(9).getCell(5).value).toBe(null)
    expect(ws.getRow(9).getCell(col(ws, 'Net pay (KES)')).value).toBe(null)
    expect(ws.getRow(9).getCell(col(ws, 'Changes')).value).toBe('Left: on the previous period, no payslip now')
    expect(ws.getRow(10).getCell(1).value).toBe('Total')
  })
})
