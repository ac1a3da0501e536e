/**
 * `coffer payroll run`, as `coffer` runs it (the built command line in a
 * child process, on the system clock): a dry run prints each period's
 * register and writes nothing; a real run goes through the job engine
 * (recorded as from the command line) and drafts; a second run has nothing
 * to do; --period runs one period (left unchanged without --force,
 * recomputed with it, the reason recorded; a posted one reversed and posted
 * anew); payslips that cannot be worked out are listed with why and the run
 * exits 0, as `coffer recurring run` does with what it could not post; a job
 * that fails exits 1; --json is the contract's PayrollRunReport; usage
 * errors exit 2 before the data is opened; an operator without
 * payroll.manage is refused (3).
 *
 * The book is made through the contract on a clock set to the real today
 * (the command line reads the system clock): one period, last month, due on
 * its last day, paid that day.
 */
import fs from 'node:fs'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import path from 'node:path'
import { DATABASE_FILE, ManualClock } from '../../src/core'
import { PayrollRunReport, type PayPeriod, type PayPeriodDetail } from '../../src/shared/contract'
import { addMonths, calendarDateInZone, endOfMonth, formatCalendarDate, startOfMonth } from '../../src/shared/dates'
import { formatMoney } from '../../src/shared/money'
import { buildCli, coffer, cofferWith } from '../support/cli'
import { fastDir } from '../support/ledger'
import { ADMIN, TREASURER, asOperator } from '../support/operators'
import { addStaff, expectedPay, openPayrollCore, payrollBook, payrollProblems, rowCounts, saveStructure } from '../support/payroll'
import { PROFILE, value } from '../support/temp-core'

const AUDITOR = { name: 'Audrey Auditor', username: 'audrey', password: 'ledger lamp quiet', role: 'auditor' }

/** Nairobi's today on the system clock (the command line's). */
const today = (): string => calendarDateInZone(new Date(), PROFILE.timeZone)
const lines = (text: string): string[] => text.trimEnd().split('\n')
/** As the register's cells show amounts: grouped, two decimals, no currency. */
const cell = (minor: number): string => formatMoney(minor, 'KES', 'en-KE', { display: 'none' })

interface Book {
  dir: string
  today: string
  period: PayPeriod
  staff: Record<string, number>
}

const dirs: string[] = []

/**
 * KES, Nairobi; the payroll seed's components (test/support/payroll.ts).
 * Wanjiru (S-001, basic 50,000.00) and Otieno (S-002, basic 30,000.00 and a
 * 2,000.00 loan repayment); with `broken`, Akinyi (S-003) without a pay
 * structure. One period: last month, due on its last day (on-date), paid that
 * day. Audrey the auditor and Tom the treasurer exist.
 */
async function book(o: { broken?: boolean } = {}): Promise<Book> {
  const t = today()
  const start = addMonths(startOfMonth(t), -1)
  const end = endOfMonth(start)
  const dir = fastDir('coffer-payroll-cli-')
  dirs.push(dir)
  const b = await payrollBook({ dataDir: dir, now: new Date().toISOString() })
  const staff: Record<string, number> = {}
  staff['S-001'] = (await addStaff(b, 'S-001', 'Wanjiru Kamau', { basicMinor: 5_000_000 })).id
  staff['S-002'] = (await addStaff(b, 'S-002', 'Otieno Ochieng', { basicMinor: 3_000_000, loanMinor: 200_000 })).id
  if (o.broken) staff['S-003'] = (await addStaff(b, 'S-003', 'Akinyi Odhiambo', { basicMinor: null })).id
  const period = value<PayPeriod>(
    await b.core.invoke('payroll.createPeriod', {
      calendarId: null,
      name: `Staff pay ${start.slice(0, 7)}`,
      frequency: 'monthly',
      startDate: start,
      endDate: end,
      payDate: end,
      rule: { kind: 'on-date', date: end },
      automation: true
    })
  )
  await asOperator(b.core, AUDITOR, async () => undefined)
  await asOperator(b.core, TREASURER, async () => undefined)
  await b.close()
  return { dir, today: t, period, staff }
}

/** Reads the book raw (read-only) and closes it. */
function raw<T>(dir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true })
  try {
    return fn(db)
  } finally {
    db.close()
  }
}

const count = (dir: string, sql: string, ...params: unknown[]): number => raw(dir, (db) => db.prepare(sql).pluck().get(...params) as number)
const status = (dir: string, periodId: number): string => raw(dir, (db) => db.prepare('SELECT status FROM payroll_periods WHERE id = ?').pluck().get(periodId) as string)
const events = (dir: string, periodId: number): { action: string; by: string; reason: string | null }[] =>
  raw(dir, (db) => db.prepare('SELECT action, by, reason FROM payroll_period_events WHERE period_id = ? ORDER BY id').all(periodId) as { action: string; by: string; reason: string | null }[])

/** Opens the book as the app would (Ada signed in) on the real clock, runs fn, closes it. */
async function withCore<T>(dir: string, fn: (core: ReturnType<typeof openPayrollCore>) => Promise<T>): Promise<T> {
  const core = openPayrollCore(dir, new ManualClock(new Date().toISOString()))
  try {
    return await fn(core)
  } finally {
    await core.shutdown()
  }
}

/** Approved by Tom, posted by Ada (the job drafted it: two people have seen it); the entry's id. */
async function approveAndPost(dir: string, periodId: number): Promise<number> {
  return withCore(dir, async (core) => {
    const detail = value<PayPeriodDetail>(await core.invoke('payroll.period', { id: periodId }))
    const approved = await asOperator(core, TREASURER, async () => value<PayPeriod>(await core.invoke('payroll.approve', { id: periodId, expectedVersion: detail.period.version })))
    const posted = value<PayPeriod>(await core.invoke('payroll.post', { id: periodId, expectedVersion: approved.version }))
    if (posted.status !== 'posted' || posted.entryId === null) throw new Error(`not posted: ${JSON.stringify(posted)}`)
    return posted.entryId
  })
}

const wanjiru = expectedPay(5_000_000)
const otieno = expectedPay(3_000_000, { loanMinor: 200_000 })

beforeAll(() => buildCli())
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

describe('coffer payroll run', () => {
  it('a dry run prints the register and writes nothing; a real run drafts through the job engine; the next has nothing to do', async () => {
    const b = await book()
    const before = raw(b.dir, rowCounts)
    const p = b.period
    const day = formatCalendarDate(b.today, 'en-KE')

    const dry = coffer(b.dir, 'payroll', 'run', '--dry-run')
    expect(dry).toMatchObject({ code: 0, err: '' })
    const out = lines(dry.out)
    expect(out[0]).toMatch(/^Period +Would be +Payslips made +Failed +Kept +Reason$/)
    expect(out[1]).toMatch(new RegExp(`^${escape(`${p.name} (#${p.id})`)} +Would be drafted +2 +0 +0$`))
    expect(out[2]).toBe('')
    expect(out[3]).toBe(`Register of ${p.name}:`)
    expect(out[4]).toMatch(/^Staff no +Name +Gross \(KES\) +Deductions \(KES\) +Net \(KES\) +Status +Reason$/)
    // Wanjiru: 55,000.00 gross, pension 2,500.00 and PAYE 8,133.35 (bands on 52,500.00, less the relief, rounded down).
    expect(wanjiru).toMatchObject({ gross: 5_500_000, deductions: 1_063_335, net: 4_436_665 })
    expect(out[5]).toMatch(/^S-001 +Wanjiru Kamau +55,000\.00 +10,633\.35 +44,366\.65 +OK$/)
    expect(out[6]).toMatch(new RegExp(`^S-002 +Otieno Ochieng +${escape(cell(otieno.gross))} +${escape(cell(otieno.deductions))} +${escape(cell(otieno.net))} +OK$`))
    const money = (minor: number) => formatMoney(minor, 'KES', 'en-KE')
    expect(out[7]).toBe(
      `${p.name}: 2 payslips; gross ${money(wanjiru.gross + otieno.gross)}, deductions ${money(wanjiru.deductions + otieno.deductions)}, net ${money(wanjiru.net + otieno.net)}.`
    )
    expect(out[8]).toBe('')
    expect(out[9]).toBe(`Dry run, nothing was written: 1 period up to ${day}: 1 would be drafted; 2 payslips would be made. Amounts in KES.`)
    expect(out).toHaveLength(10)
    expect(raw(b.dir, rowCounts)).toEqual(before)

    const dryJson = coffer(b.dir, 'payroll', 'run', '--dry-run', '--json')
    expect(dryJson).toMatchObject({ code: 0, err: '' })
    const planned = PayrollRunReport.parse(JSON.parse(dryJson.out))
    expect(planned).toMatchObject({ dryRun: true, today: b.today, created: 0 })
    expect(planned.periods.map((x) => [x.periodId, x.outcome, x.made, x.failed, x.kept])).toEqual([[p.id, 'drafted', 2, 0, 0]])
    expect(planned.periods[0]?.register.map((r) => [r.staffNo, r.status, r.grossMinor, r.deductionsMinor, r.netMinor])).toEqual([
      ['S-001', 'ok', wanjiru.gross, wanjiru.deductions, wanjiru.net],
      ['S-002', 'ok', otieno.gross, otieno.deductions, otieno.net]
    ])
    expect(raw(b.dir, rowCounts)).toEqual(before)

    const real = coffer(b.dir, 'payroll', 'run')
    expect(real).toMatchObject({ code: 0, err: '' })
    const realOut = lines(real.out)
    // A real run prints no register: the period's review in the app (or --json) has it.
    expect(realOut).toEqual([
      expect.stringMatching(/^Period +Outcome +Payslips made +Failed +Kept +Reason$/),
      expect.stringMatching(new RegExp(`^${escape(`${p.name} (#${p.id})`)} +Drafted +2 +0 +0$`)),
      `1 period up to ${day}: 1 drafted; 2 payslips made. Amounts in KES.`
    ])
    expect(status(b.dir, p.id)).toBe('draft')
    expect(count(b.dir, 'SELECT count(*) FROM payroll_payslips WHERE period_id = ? AND status = ?', p.id, 'ok')).toBe(2)
    expect(count(b.dir, "SELECT count(*) FROM job_runs WHERE job_id = 'payroll' AND trigger = 'cli' AND status = 'succeeded'")).toBe(1)
    // Run as the system (no --user): the payroll job drafted it, so any operator with the permission may approve it.
    expect(raw(b.dir, (db) => db.prepare('SELECT drafted_by_id FROM payroll_periods WHERE id = ?').pluck().get(p.id))).toBeNull()
    expect(raw(b.dir, payrollProblems)).toEqual([])

    const again = coffer(b.dir, 'payroll', 'run')
    expect(again).toEqual({ code: 0, err: '', out: `Nothing to do: no payroll period was due up to ${day}.\n` })
    const againJson = coffer(b.dir, 'payroll', 'run', '--json')
    expect(againJson.code).toBe(0)
    expect(PayrollRunReport.parse(JSON.parse(againJson.out))).toEqual({ dryRun: false, today: b.today, periods: [], created: 0 })
    expect(coffer(b.dir, 'payroll', 'run', '--dry-run').out).toBe(`Nothing to do: no payroll period is due up to ${day} (a dry run: nothing was written).\n`)
  })

  it('--period and --force: a drafted period is left unchanged without force and recomputed with it, the reason recorded; a posted one is reversed and posted anew', async () => {
    const b = await book()
    const p = b.period
    expect(coffer(b.dir, 'payroll', 'run', '--period', String(p.id)).code).toBe(0)
    expect(status(b.dir, p.id)).toBe('draft')

    const unchanged = coffer(b.dir, 'payroll', 'run', '--period', String(p.id))
    expect(unchanged).toMatchObject({ code: 0, err: '' })
    expect(lines(unchanged.out)[1]).toMatch(new RegExp(`^${escape(`${p.name} (#${p.id})`)} +Unchanged +0 +0 +0 +${escape(p.name)} is already drafted; a forced run recomputes it\\.$`))
    expect(lines(unchanged.out).at(-1)).toBe(`1 period up to ${formatCalendarDate(b.today, 'en-KE')}: 1 unchanged; 0 payslips made. Amounts in KES.`)

    const forced = coffer(b.dir, 'payroll', 'run', '--period', String(p.id), '--force')
    expect(forced).toMatchObject({ code: 0, err: '' })
    expect(lines(forced.out)[1]).toMatch(/ Recomputed +2 +0 +0$/)
    expect(events(b.dir, p.id).at(-1)).toEqual({ action: 'recomputed', by: expect.any(String), reason: 'Re-run with --force from the command line' })

    const withReason = coffer(b.dir, 'payroll', 'run', '--period=' + String(p.id), '--force', '--reason', 'Otieno’s loan schedule corrected', '--json')
    expect(withReason).toMatchObject({ code: 0, err: '' })
    expect(PayrollRunReport.parse(JSON.parse(withReason.out)).periods.map((x) => x.outcome)).toEqual(['recomputed'])
    expect(events(b.dir, p.id).at(-1)).toMatchObject({ action: 'recomputed', reason: 'Otieno’s loan schedule corrected' })

    const firstEntry = await approveAndPost(b.dir, p.id)

    // Without --force a posted period stays as it is.
    const stays = coffer(b.dir, 'payroll', 'run', '--period', String(p.id))
    expect(stays.code).toBe(0)
    expect(lines(stays.out)[1]).toMatch(/ Unchanged +0 +0 +0 +.+ is posted\. Re-running it needs force and a reason: it reverses the entry and posts anew\.$/)

    const reposted = coffer(b.dir, 'payroll', 'run', '--period', String(p.id), '--force', '--reason', 'PAYE bands corrected')
    expect(reposted).toMatchObject({ code: 0, err: '' })
    expect(lines(reposted.out)[1]).toMatch(new RegExp(`^${escape(`${p.name} (#${p.id})`)} +Reversed and posted anew +2 +0 +0 +PAYE bands corrected$`))
    expect(lines(reposted.out).at(-1)).toBe(`1 period up to ${formatCalendarDate(b.today, 'en-KE')}: 1 reversed and posted anew; 2 payslips made. Amounts in KES.`)
    expect(events(b.dir, p.id).slice(-2)).toMatchObject([
      { action: 'reversed', reason: 'PAYE bands corrected' },
      { action: 'posted' }
    ])
    expect(status(b.dir, p.id)).toBe('posted')
    expect(count(b.dir, 'SELECT count(*) FROM journal_entries WHERE reverses_id = ?', firstEntry)).toBe(1)
    expect(count(b.dir, "SELECT count(*) FROM journal_entries WHERE source = 'payroll' AND source_ref = ?", `payroll_periods:${p.id}:2`)).toBe(1)
    expect(raw(b.dir, payrollProblems)).toEqual([])

    // --force without --reason on a posted period: the command line's own reason is recorded.
    expect(coffer(b.dir, 'payroll', 'run', '--period', String(p.id), '--force').code).toBe(0)
    expect(events(b.dir, p.id).slice(-2)).toMatchObject([{ action: 'reversed', reason: 'Re-run with --force from the command line' }, { action: 'posted' }])
    expect(raw(b.dir, payrollProblems)).toEqual([])
  })

  it('payslips that cannot be worked out are listed with why and the run exits 0; the next run completes only those', async () => {
    const b = await book({ broken: true })
    const p = b.period
    const dry = coffer(b.dir, 'payroll', 'run', '--dry-run')
    expect(dry).toMatchObject({ code: 0, err: '' })
    expect(lines(dry.out).find((l) => l.startsWith('S-003'))).toMatch(/^S-003 +Akinyi Odhiambo +Failed +No pay structure is in force on .+: add one on the staff member’s page\.$/)
    expect(dry.out).toContain(`${p.name}: 3 payslips (1 could not be worked out); gross`)

    const real = coffer(b.dir, 'payroll', 'run')
    expect(real).toMatchObject({ code: 0, err: '' })
    const out = lines(real.out)
    expect(out[1]).toMatch(new RegExp(`^${escape(`${p.name} (#${p.id})`)} +Drafted in part +2 +1 +0 +1 payslip could not be worked out; the first: S-003 Akinyi Odhiambo: No pay structure`))
    expect(out.at(-1)).toBe(`1 period up to ${formatCalendarDate(b.today, 'en-KE')}: 1 drafted in part; 2 payslips made, 1 could not be worked out. Amounts in KES.`)
    expect(status(b.dir, p.id)).toBe('failed')

    await withCore(b.dir, async (core) => {
      await saveStructure({ core, comp: await components(core) }, b.staff['S-003'] as number, 4_000_000)
    })
    const next = coffer(b.dir, 'payroll', 'run', '--json')
    expect(next).toMatchObject({ code: 0, err: '' })
    expect(PayrollRunReport.parse(JSON.parse(next.out)).periods.map((x) => [x.outcome, x.made, x.failed, x.kept])).toEqual([['drafted', 1, 0, 2]])
    expect(status(b.dir, p.id)).toBe('draft')
    expect(raw(b.dir, payrollProblems)).toEqual([])
  })

  it('a run whose job fails exits 1 with the reason; the posted period stands as it was', async () => {
    const b = await book()
    const p = b.period
    expect(coffer(b.dir, 'payroll', 'run').code).toBe(0)
    const entryId = await approveAndPost(b.dir, p.id)
    // The account the pension is owed to was switched off since: re-posting cannot post to it, and trying again will not mend that.
    const db = new Database(path.join(b.dir, DATABASE_FILE))
    db.prepare("UPDATE ledger_accounts SET active = 0 WHERE code = '2320'").run()
    db.close()
    const failed = coffer(b.dir, 'payroll', 'run', '--period', String(p.id), '--force', '--reason', 'PAYE bands corrected')
    expect(failed).toEqual({ code: 1, out: '', err: 'coffer: The payroll run ended failed: The entry was not posted: pension payable is inactive.\n' })
    expect(count(b.dir, "SELECT count(*) FROM job_runs WHERE job_id = 'payroll' AND trigger = 'cli' AND status = 'failed'")).toBe(1)
    expect(raw(b.dir, (db2) => db2.prepare('SELECT status, entry_id, postings FROM payroll_periods WHERE id = ?').get(p.id))).toEqual({ status: 'posted', entry_id: entryId, postings: 1 })
    expect(count(b.dir, 'SELECT count(*) FROM journal_entries WHERE reverses_id = ?', entryId)).toBe(0)
    expect(raw(b.dir, payrollProblems)).toEqual([])
  })

  it('usage: a misspelt option, a period that is not an id, a reason without --force are refused (exit 2) before the data is opened; core refuses a period that is not there (2); an auditor may not run it (3)', async () => {
    const b = await book()
    const before = raw(b.dir, rowCounts)
    expect(coffer(b.dir, 'payroll', 'run', '--dryrun')).toEqual({
      code: 2,
      out: '',
      err: 'coffer: Unknown option --dryrun for coffer payroll run. It takes --force, --dry-run, --json, --period, --reason.\n'
    })
    for (const bad of ['abc', '0', '-1', '1.5', '12x']) {
      const r = coffer(b.dir, 'payroll', 'run', `--period=${bad}`)
      expect(r).toEqual({
        code: 2,
        out: '',
        err: `coffer: --period takes a payroll period's id, a whole number such as 12 (as in the app's address /payroll/periods/12), not "${bad}".\n`
      })
    }
    expect(coffer(b.dir, 'payroll', 'run', '--period')).toMatchObject({ code: 2, err: 'coffer: --period needs a value.\n' })
    expect(coffer(b.dir, 'payroll', 'run', '--reason', 'because')).toEqual({
      code: 2,
      out: '',
      err: 'coffer: --reason goes with --force: it is recorded when a period is recomputed or reposted. Add --force, or leave --reason out.\n'
    })
    expect(coffer(b.dir, 'payroll', 'run', '--period', String(b.period.id), '--force', '--reason=   ')).toMatchObject({
      code: 2,
      err: 'coffer: --reason needs some words: why the period is run again.\n'
    })
    expect(coffer(b.dir, 'payroll', 'run', 'now')).toMatchObject({ code: 2, err: 'coffer: Unexpected argument "now" for coffer payroll run.\n' })
    expect(coffer(b.dir, 'payroll')).toMatchObject({
      code: 2,
      err: 'coffer: Say what to do with the payroll: coffer payroll run (add --dry-run to see the register without writing anything).\n'
    })
    expect(coffer(b.dir, 'payroll', 'post')).toMatchObject({ code: 2, err: 'coffer: Unknown command: coffer payroll post. Try coffer help.\n' })
    const help = coffer(b.dir, 'help')
    expect(help.out).toContain('  coffer payroll run [--period ID] [--force] [--reason TEXT] [--dry-run] [--json]\n')
    expect(help.out).toContain('("Re-run with --force from the command line" if not given)')
    expect(coffer(b.dir, 'payroll', 'run', '--help')).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Usage: coffer payroll run \[--period ID\] \[--force\] \[--reason TEXT\] \[--dry-run\] \[--json\]\n/)
    })

    // Core's refusals: a period that is not there, force without a period.
    expect(coffer(b.dir, 'payroll', 'run', '--period', '999')).toEqual({ code: 2, out: '', err: 'coffer: Payroll period #999 was not found.\n' })
    const forceAll = coffer(b.dir, 'payroll', 'run', '--force')
    expect(forceAll).toMatchObject({ code: 2, out: '' })
    expect(forceAll.err).toMatch(/^coffer: A forced run is for one period: choose the period to recompute or re-post\.\n$/)

    const refused = cofferWith(b.dir, AUDITOR.password, 'payroll', 'run', '--dry-run', '--user', AUDITOR.username)
    expect(refused.code).toBe(3)
    expect(refused.err).toMatch(/^coffer: .+\n$/)
    expect(cofferWith(b.dir, AUDITOR.password, 'payroll', 'run', '--user', AUDITOR.username).code).toBe(3)
    const { audit_log: auditBefore, ...restBefore } = before
    const { audit_log: auditAfter, ...restAfter } = raw(b.dir, rowCounts)
    // Only the sign-ins are recorded (the operators' last sign-in): nothing of the payroll.
    expect(restAfter).toEqual(restBefore)
    expect(auditAfter).toBeGreaterThanOrEqual(auditBefore as number)

    // Ada, the administrator, may; her run is recorded as hers.
    const ada = cofferWith(b.dir, ADMIN.password, 'payroll', 'run', '--json', '--user', ADMIN.username)
    expect(ada).toMatchObject({ code: 0, err: '' })
    expect(PayrollRunReport.parse(JSON.parse(ada.out)).periods.map((x) => x.outcome)).toEqual(['drafted'])
    expect(raw(b.dir, (db) => db.prepare('SELECT drafted_by FROM payroll_periods WHERE id = ?').pluck().get(b.period.id))).toBe(ADMIN.name)
  })
})

/** A text as a literal in a RegExp. */
function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The seed's components by code, as saveStructure wants them. */
async function components(core: ReturnType<typeof openPayrollCore>) {
  const list = value<{ components: { id: number; code: string }[] }>(await core.invoke('payroll.components', {})).components
  const by = (code: string) => list.find((c) => c.code === code) as never
  return { BASIC: by('BASIC'), HOUSE: by('HOUSE'), PENSION: by('PENSION'), PAYE: by('PAYE'), PENSION_ER: by('PENSION_ER'), LOAN: by('LOAN') }
}
