/**
 * The payroll job killed (SIGKILL) mid-run, several times, while it drafts a
 * period of 2,000 staff, then run to completion: exactly one payslip per
 * staff member, none partial (every ok payslip with all its lines, its
 * totals its lines' sums), each person's pay the seed's worked out by hand,
 * and the outcome the same as the same book's run never interrupted. A child
 * process (test/support/payroll-child.ts) runs payroll.run; the file is
 * read raw after each kill, before any core opens it.
 */
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/core'
import type { PayPeriod } from '../../src/shared/contract/payroll'
import { checkSummaries } from '../../src/core/ledger'
import { fastDir, rawDb } from '../support/ledger'
import { random, runUntilKilled } from '../support/kill'
import { value } from '../support/temp-core'
import { addStaff, expectedPay, figuresOf, openPayrollCore, payrollBook, payrollProblems, payslipsRaw, type ExpectedPay } from '../support/payroll'

const STAFF = 2_000
const KILLS = 5
const SEED = 20260131
const NOW = '2026-01-31T09:00:00Z'
const children: ChildProcess[] = []
const dirs: string[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

const slipCount = (db: ReturnType<typeof rawDb>, periodId: number): number => db.prepare('SELECT count(*) FROM payroll_payslips WHERE period_id = ?').pluck().get(periodId) as number

/** Person i's pay: basics from 20,000.00 up in steps of 1,000.00; every 97th joined on 15 Jan (17 of 31 days); every 13th repays a loan of 500.00. */
function seedOf(i: number): { basicMinor: number; hireDate: string; loanMinor?: number } {
  return {
    basicMinor: 2_000_000 + (i % 50) * 100_000,
    hireDate: i % 97 === 0 ? '2026-01-15' : '2025-01-01',
    ...(i % 13 === 0 ? { loanMinor: 50_000 } : {})
  }
}
function expectedOf(i: number): ExpectedPay {
  const s = seedOf(i)
  return expectedPay(s.basicMinor, { ...(s.hireDate === '2026-01-15' ? { days: { worked: 17, of: 31 } } : {}), ...(s.loanMinor === undefined ? {} : { loanMinor: s.loanMinor }) })
}

/** A child running payroll.run, killed once the period has `target` payslips; answers whether it finished first. */
function runAndKill(dataDir: string, periodId: number, target: number): Promise<boolean> {
  return runUntilKilled(children, 'test/support/payroll-child.ts', [dataDir, NOW, String(periodId)], dataDir, (db) => slipCount(db, periodId) >= target)
}

interface Outcome {
  staffId: number
  status: string
  gross: number
  deductions: number
  net: number
  employer: number
  lines: string
}
function outcomes(db: ReturnType<typeof rawDb>, periodId: number): Outcome[] {
  const lines = db.prepare("SELECT group_concat(code || '=' || amount_minor, ',') FROM (SELECT code, amount_minor FROM payroll_payslip_lines WHERE payslip_id = ? ORDER BY line_no)").pluck()
  return payslipsRaw(db, periodId).map((p) => ({
    staffId: p.staff_id,
    status: p.status,
    gross: p.gross_minor,
    deductions: p.deductions_minor,
    net: p.net_minor,
    employer: p.employer_minor,
    lines: lines.get(p.id) as string
  }))
}

describe('a kill while payroll drafts a period', () => {
  it('leaves no partial payslip; the next run completes it with exactly one payslip per staff member, as if never interrupted', async () => {
    const b = await payrollBook({ now: '2026-01-05T09:00:00Z', dataDir: fastDir('coffer-payroll-kill-') })
    dirs.push(b.dataDir)
    const t0 = performance.now()
    const staffIds: number[] = []
    for (let i = 0; i < STAFF; i++) {
      const s = seedOf(i)
      const staff = await addStaff(b, `S-${String(i).padStart(4, '0')}`, `Staff member ${i}`, { ...s, effectiveFrom: s.hireDate })
      staffIds.push(staff.id)
    }
    const p = value<PayPeriod>(
      await b.core.invoke('payroll.createPeriod', {
        name: 'January 2026',
        frequency: 'monthly',
        startDate: '2026-01-01',
        endDate: '2026-01-31',
        payDate: '2026-01-31',
        rule: { kind: 'days-before-end', days: 0 }
      })
    )
    console.info(`seeded ${STAFF} staff in ${Math.round(performance.now() - t0)} ms`)
    await b.close()

    // The same book, run once without interruption: the reference (and how long a run takes).
    const reference = fastDir('coffer-payroll-ref-')
    dirs.push(reference)
    fs.copyFileSync(path.join(b.dataDir, 'coffer.sqlite'), path.join(reference, 'coffer.sqlite'))
    const refCore = openPayrollCore(reference, new ManualClock(NOW))
    const t1 = performance.now()
    const refReport = value<{ periods: { outcome: string; made: number }[] }>(await refCore.invoke('payroll.run', { periodId: p.id }))
    const runMs = performance.now() - t1
    await refCore.shutdown()
    expect(refReport.periods).toEqual([expect.objectContaining({ outcome: 'drafted', made: STAFF })])
    const refDb = rawDb(reference)
    const expected = outcomes(refDb, p.id)
    refDb.close()
    expect(expected).toHaveLength(STAFF)
    console.info(`reference run: ${Math.round(runMs)} ms`)

    const rnd = random(SEED)
    let interrupted = 0
    const seen: number[] = []
    for (let k = 0; k < KILLS; k++) {
      const counted = rawDb(b.dataDir)
      const before = slipCount(counted, p.id)
      counted.close()
      if (before >= STAFF) break
      const finished = await runAndKill(b.dataDir, p.id, before + 1 + Math.floor(rnd() * 0.3 * (STAFF - before)))
      if (!finished) interrupted++
      const db = rawDb(b.dataDir)
      try {
        const n = slipCount(db, p.id)
        seen.push(n)
        console.info(`kill ${k}: ${before} payslips before, ${n} after, ${finished ? 'finished' : 'killed'}`)
        // Nothing partial: each payslip there is whole (with all its lines), none twice.
        expect(payrollProblems(db)).toEqual([])
        expect(db.prepare("SELECT count(*) FROM payroll_payslips s WHERE s.status = 'ok' AND NOT EXISTS (SELECT 1 FROM payroll_payslip_lines l WHERE l.payslip_id = s.id)").pluck().get()).toBe(0)
        expect(checkSummaries(db).differences).toEqual([])
        expect(n).toBeGreaterThanOrEqual(before)
      } finally {
        db.close()
      }
    }
    expect(interrupted).toBeGreaterThanOrEqual(2)
    // Some kills left the period part-drafted (the run had written some batches, not all).
    expect(seen.some((n) => n > 0 && n < STAFF)).toBe(true)

    // Run to completion.
    const core = openPayrollCore(b.dataDir, new ManualClock(NOW))
    const db = rawDb(b.dataDir)
    try {
      const last = value<{ periods: { outcome: string; made: number; kept: number }[] }>(await core.invoke('payroll.run', { periodId: p.id }))
      const had = seen.at(-1) ?? 0
      expect(last.periods).toEqual([expect.objectContaining({ outcome: had === STAFF ? 'unchanged' : 'drafted' })])
      if (had < STAFF) expect(last.periods[0]).toMatchObject({ made: STAFF - had, kept: had })
      const got = outcomes(db, p.id)
      expect(got).toEqual(expected)
      // Exactly one payslip per staff member, each the seed's pay.
      expect(got.map((o) => o.staffId)).toEqual(staffIds)
      const slips = payslipsRaw(db, p.id)
      for (const [i, s] of slips.entries()) expect(figuresOf(db, s), `staff ${i}`).toEqual(expectedOf(i))
      expect(db.prepare("SELECT count(*) FROM payroll_payslips s WHERE NOT EXISTS (SELECT 1 FROM payroll_payslip_lines l WHERE l.payslip_id = s.id)").pluck().get()).toBe(0)
      const period = value<{ period: PayPeriod }>(await core.invoke('payroll.period', { id: p.id })).period
      expect(period).toMatchObject({ status: 'draft', payslips: STAFF, failedPayslips: 0 })
      expect(period.netMinor).toBe(Array.from({ length: STAFF }, (_, i) => expectedOf(i).net).reduce((s, x) => s + x, 0))
      expect(payrollProblems(db)).toEqual([])
      expect(value(await core.invoke('audit.verify', {}))).toMatchObject({ ok: true, brokenAt: null })
      console.info(`payroll kill test: ${KILLS} kills, ${interrupted} mid-run, ${got.length} payslips, a run ${Math.round(runMs)} ms`)
    } finally {
      db.close()
      await core.shutdown()
    }
  }, 240_000)
})
