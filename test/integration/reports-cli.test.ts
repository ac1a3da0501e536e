/**
 * `coffer report`, as `coffer` runs it (the built command line in a child
 * process, its report-export run on a worker thread), on a seeded year
 * (test/support/reports-seed.ts): every one of the eleven reports makes a
 * file, listed in Generated reports with the SHA-256 the file has; --out
 * copies it (never over a file); --json is the contract's GeneratedReport;
 * wrong usage exits 2 with Coffer's words before the data folder is opened
 * (an unknown option, a misspelt name with the valid ones listed, a date
 * that is not one, a parameter the report is not per) or once a member,
 * account or series is looked up and not found.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ReportName, type GeneratedReport } from '../../src/shared/contract'
import { REPORT_NAMES_WORDS } from '../../src/cli'
import { buildCli, coffer } from '../support/cli'
import { seededYear, type SeededYear } from '../support/reports-seed'
import { tempDir } from '../support/temp-core'

let y: SeededYear
let outDir: string
beforeAll(async () => {
  buildCli()
  y = await seededYear()
  outDir = tempDir('coffer-report-out-')
}, 180_000)
afterAll(async () => {
  await y?.close()
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true })
})

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex')
const YEAR = ['--from', '2026-01-01', '--to', '2026-12-31']

/** The extra options each report needs or is shown with here. */
const EXTRA: Record<ReportName, string[]> = {
  'monthly-summary': ['--format', 'pdf'],
  'weekly-summary': [],
  'payment-register': ['--series', 'UMJ-27'],
  'member-statement': ['--member', 'M-001', '--format', 'pdf'],
  portfolio: [],
  'withholding-tax': ['--format', 'pdf'],
  'payroll-register': [],
  'trial-balance': [],
  'account-statement': [], // the bank's code, added below
  'series-register': [],
  'coupon-liability': ['--format', 'pdf']
}

describe('every report', () => {
  it.each(ReportName.options)('%s makes a file, listed with its SHA-256', (name) => {
    const extra = name === 'account-statement' ? ['--account', y.role.bank.code] : EXTRA[name]
    const r = coffer(y.dataDir, 'report', name, ...YEAR, ...extra, '--json')
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    const g = JSON.parse(r.out) as GeneratedReport & { copiedTo: string | null }
    expect(g).toMatchObject({ name, fileState: 'ok', copiedTo: null, format: extra.includes('pdf') ? 'pdf' : 'xlsx' })
    expect(g.madeBy).toMatch(/^Command line \(/)
    expect(path.dirname(g.file)).toBe(path.join(y.dataDir, 'reports'))
    expect(sha256(g.file)).toBe(g.sha256)
    expect(g.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    const head = fs.readFileSync(g.file).subarray(0, 4).toString('latin1')
    expect(head).toBe(g.format === 'pdf' ? '%PDF' : 'PK\u0003\u0004')
    const run = y.db.prepare("SELECT trigger, status FROM job_runs WHERE job_id = 'report-export' ORDER BY id DESC LIMIT 1").get()
    expect(run).toEqual({ trigger: 'cli', status: 'succeeded' })
  })

  it('for people: the file, the rows, the fingerprint, and that Excel was the default; --out copies it, never over a file', () => {
    const out = path.join(outDir, 'tb.xlsx')
    const r = coffer(y.dataDir, 'report', 'trial-balance', ...YEAR, '--out', out)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^Trial balance — .+\nFormat: Excel workbook \(the default; --format pdf for a PDF\)\nFile: .+\.xlsx\nCopied to: .+tb\.xlsx\nRows: [\d,]+\nData fingerprint: [0-9a-f]{64}\nFile SHA-256: [0-9a-f]{64}\n$/)
    const file = /File: (.+)\n/.exec(r.out)![1]!
    expect(sha256(out)).toBe(sha256(file))
    expect(r.out).toContain(`File SHA-256: ${sha256(file)}`)
    const again = coffer(y.dataDir, 'report', 'trial-balance', ...YEAR, '--out', out)
    expect(again.code).toBe(2)
    expect(again.err).toBe(`coffer: ${out} is already there; Coffer does not write over a file. Give another name, or move that file away first.\n`)
  })

  it('withholding-tax certificates: a PDF without --format (certificates are PDF only), refused as Excel', () => {
    const r = coffer(y.dataDir, 'report', 'withholding-tax', ...YEAR, '--certificates')
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toContain('Format: PDF (certificates are PDF only)')
    const xlsx = coffer(y.dataDir, 'report', 'withholding-tax', ...YEAR, '--certificates', '--format', 'xlsx')
    expect(xlsx.code).toBe(2)
    expect(xlsx.err).toContain('Certificates are made as PDF only')
  })
})

describe('wrong usage exits 2 in Coffer’s words', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown option', ['report', 'trial-balance', ...YEAR, '--mebmer', 'M-001'], /^coffer: Unknown option --mebmer for coffer report\. It takes /],
    ['a misspelt name', ['report', 'trial-balanse', ...YEAR], /^coffer: There is no report called "trial-balanse"\. Did you mean trial-balance\? The reports: monthly-summary, weekly-summary, .*coupon-liability\.\n$/],
    ['a date that is not one', ['report', 'trial-balance', '--from', '2026-02-30', '--to', '2026-12-31'], /--from 2026-02-30 is not a date on the calendar/],
    ['a date in another form', ['report', 'trial-balance', '--from', '1/1/2026', '--to', '2026-12-31'], /--from takes a date as YYYY-MM-DD/],
    ['dates the wrong way round', ['report', 'trial-balance', '--from', '2026-12-31', '--to', '2026-01-01'], /--to 2026-01-01 is before --from 2026-12-31/],
    ['no dates', ['report', 'trial-balance'], /needs --from DATE/],
    ['a format Coffer does not make', ['report', 'trial-balance', ...YEAR, '--format', 'csv'], /--format takes xlsx \(Excel\) or pdf, not "csv"/],
    ['a member for a report not per member', ['report', 'trial-balance', ...YEAR, '--member', 'M-001'], /The trial balance is not per member: leave --member out\./],
    ['an account statement without its account', ['report', 'account-statement', ...YEAR], /The account statement is for one account: give --account\./],
    ['a member not in the book', ['report', 'member-statement', ...YEAR, '--member', 'M-999'], /There is no member numbered M-999 in the book\./],
    ['an account not in the chart', ['report', 'account-statement', ...YEAR, '--account', '9999'], /There is no ledger account with the code 9999/],
    ['a series not in the book', ['report', 'portfolio', ...YEAR, '--series', 'NOPE'], /There is no bond series with the code NOPE\./]
  ]
  it.each(cases)('%s', (_what, args, message) => {
    const before = y.db.prepare('SELECT count(*) FROM generated_reports').pluck().get()
    const r = coffer(y.dataDir, ...args)
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
    expect(r.err).toMatch(message)
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1)
    expect(y.db.prepare('SELECT count(*) FROM generated_reports').pluck().get()).toBe(before)
  })

  it('the help lists every report by name, and the command', () => {
    expect(REPORT_NAMES_WORDS.split(/,\s+/)).toEqual(ReportName.options)
    const r = coffer(y.dataDir, 'help')
    expect(r.code).toBe(0)
    expect(r.out).toContain('coffer report <name> --from DATE --to DATE [--format xlsx|pdf] [--out FILE]')
  })
})
