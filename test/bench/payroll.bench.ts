/**
 * Issue target (#13): **a period for 5,000 staff with ten components each,
 * drafted and posted, takes at most 4x a raw insert of the same payslip
 * lines and journal lines, measured in the same run.**
 *
 * Seed: a profile (KES, Nairobi), Settings → Security with payments needing
 * a second operator, the accounts the components post to, and ten pay
 * components through the contract (signed in as Ada):
 *   BASIC     earning, fixed, taxable, pro-rated
 *   HOUSE     earning, fixed allowance, taxable, pro-rated
 *   COMMUTER  earning, 10% of basic, taxable
 *   PENSION   deduction before tax, 6% of basic, statutory
 *   PAYE      deduction, bands on taxable pay (10 / 25 / 30 / 32.5 / 35%) with a relief, statutory
 *   SHIF      deduction (health insurance), bands on gross pay, statutory
 *   LOAN      deduction, fixed (repayment of a loan from the society)
 *   WELFARE   deduction, 2% of gross
 *   ER_PENSION employer contribution, 6% of basic, statutory
 *   ER_LEVY   employer contribution, 1.5% of gross, statutory
 * One staff member and their structure through the contract
 * (payroll.createStaff, payroll.saveStructure); the other 4,999 and their
 * structures (all ten components, amounts varying per person) raw in one
 * transaction in the same shape. Tom (treasurer) is the second operator.
 *
 * Measured, through core.invoke as the app does it: `payroll.run`
 * {periodId} as Ada (the `payroll` job on its worker thread: 5,000 payslips,
 * 50,000 lines, in batches of DRAFT_BATCH staff, each one transaction, with
 * the audit trail), then, signed in as Tom, `payroll.approve` and
 * `payroll.post` (one journal entry, lines aggregated per account, on the pay
 * date). Signing Tom in (and Ada back) and reading the period's version are
 * not timed. Each iteration drafts a new monthly period (2026-02, -03, ...;
 * automation off, so only the run asked for drafts it); periods are made
 * before the clock starts.
 *
 * Baseline ("raw"): the payslip rows, payslip lines and the journal entry
 * and lines (with their summary upserts, core's SummaryWriter, as posting
 * writes them) of the warm-up period, read back once, inserted with
 * prepared statements into a fresh period (a raw row) on a connection set up
 * as the job worker's (applyPragmas, the audit trail's triggers on: both
 * sides write an audit row per row), ONE TRANSACTION PER BATCH of
 * DRAFT_BATCH payslips as the job commits them, then the entry in one. Both
 * sides on the same storage (/dev/shm where there is one: fastDir).
 *
 * The ratio is the domain work on top of the writes: starting the job's
 * worker thread, reading the structures and rates, working out each payslip
 * (exact rationals, bands, workings in words), the per-payslip savepoints,
 * the report and register, approval and the posting's aggregation and
 * checks, and the contract (validation in and out) around it.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { DATABASE_FILE, type Core } from '../../src/core'
import type { Account, Component, PayPeriod, PayPeriodDetail, PayrollRunReport, SecuritySettings, Staff, StaffDetail } from '../../src/shared/contract'
import { DRAFT_BATCH } from '../../src/core/payroll/run'
import { SummaryWriter } from '../../src/core/ledger/summaries'
import { installAuditTrail } from '../../src/core/platform/audit/trail'
import { applyPragmas } from '../../src/core/platform/db/open'
import { ADMIN, TREASURER, asOperator, signedIn } from '../support/operators'
import { fastDir } from '../support/ledger'
import { PROFILE } from '../support/temp-core'
import { callOk, openBenchCore } from './bench-core'
import { stats, type CaseResult, type Stats } from './harness'

const STAFF = 5_000
const COMPONENTS = 10
const TARGET_RATIO = 4
/** Measured/baseline pairs after the warm-up (a first period drafted and posted, and a raw check). */
const ITERATIONS = 5
const NOW = '2026-11-22T09:00:00Z'
const HIRED = '2020-01-01'

const num = (n: number): string => Math.round(n).toLocaleString('en')
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL')
const one = (ms: number): Stats => ({ n: 1, median: ms, p95: ms, min: ms, max: ms })
const elapsed = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6
const cpuMs = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from)
  return (d.user + d.system) / 1000
}

/** A connection as the job worker opens one, with the audit trail's triggers. */
function connect(file: string): Database.Database {
  const db = new Database(file, { timeout: 10_000 })
  applyPragmas(db)
  installAuditTrail(db, { now: () => new Date(NOW) })
  return db
}

/** The month's first and last days: month 1..12 of 2026. */
function month(m: number): { start: string; end: string; name: string } {
  const mm = String(m).padStart(2, '0')
  const last = new Date(Date.UTC(2026, m, 0)).getUTCDate()
  return { start: `2026-${mm}-01`, end: `2026-${mm}-${String(last).padStart(2, '0')}`, name: `Bench 2026-${mm}` }
}

/** The accounts the components post to, beside the chart's Salaries (5100), Statutory deductions payable (2310) and Bank. */
async function accounts(core: Core): Promise<Record<string, number>> {
  const make = async (code: string, name: string, type: string) => (await callOk<Account>(core, 'ledger.createAccount', { code, name, type })).id
  const chart = (await callOk<{ accounts: Account[] }>(core, 'ledger.accounts', {})).accounts
  const role = (r: string) => (chart.find((a) => a.role === r) as Account).id
  return {
    salaries: role('salary-expense'),
    paye: role('statutory-payable'),
    allowances: await make('5105', 'Staff allowances', 'expense'),
    erPension: await make('5110', 'Employer pension contributions', 'expense'),
    erLevy: await make('5120', 'Employer housing levy', 'expense'),
    pension: await make('2320', 'Pension payable', 'liability'),
    health: await make('2330', 'Health insurance payable', 'liability'),
    welfare: await make('2340', 'Staff welfare fund payable', 'liability'),
    levy: await make('2350', 'Housing levy payable', 'liability'),
    loans: await make('1200', 'Staff loans receivable', 'asset')
  }
}

/** The ten components through the contract; their ids by code. */
async function components(core: Core, a: Record<string, number>): Promise<Record<string, number>> {
  const rate = (r: Record<string, unknown>) => ({ effectiveFrom: HIRED, rounding: 'half-up', ...r })
  const defs = [
    { code: 'BASIC', name: 'Basic salary', kind: 'earning', taxable: true, prorate: true, accountId: a.salaries, sortOrder: 10, rate: rate({ method: 'fixed', amountMinor: 0 }) },
    { code: 'HOUSE', name: 'House allowance', kind: 'earning', taxable: true, prorate: true, accountId: a.allowances, sortOrder: 20, rate: rate({ method: 'fixed', amountMinor: 0 }) },
    { code: 'COMMUTER', name: 'Commuter allowance', kind: 'earning', taxable: true, accountId: a.allowances, sortOrder: 30, rate: rate({ method: 'percentage', ratePercent: '10', base: 'basic' }) },
    {
      code: 'PENSION',
      name: 'Pension (staff)',
      kind: 'deduction',
      preTax: true,
      statutory: true,
      accountId: a.pension,
      sortOrder: 10,
      rate: rate({ method: 'percentage', ratePercent: '6', base: 'basic', capMinor: 1_800_000 })
    },
    {
      code: 'PAYE',
      name: 'Income tax (PAYE)',
      kind: 'deduction',
      statutory: true,
      accountId: a.paye,
      sortOrder: 20,
      rate: rate({
        method: 'bands',
        base: 'taxable',
        rounding: 'down',
        reliefMinor: 240_000,
        bands: [
          { upToMinor: 2_400_000, ratePercent: '10' },
          { upToMinor: 3_233_300, ratePercent: '25' },
          { upToMinor: 50_000_000, ratePercent: '30' },
          { upToMinor: 80_000_000, ratePercent: '32.5' },
          { upToMinor: null, ratePercent: '35' }
        ]
      })
    },
    {
      code: 'SHIF',
      name: 'Health insurance',
      kind: 'deduction',
      statutory: true,
      accountId: a.health,
      sortOrder: 30,
      rate: rate({
        method: 'bands',
        base: 'gross',
        bands: [
          { upToMinor: 5_000_000, ratePercent: '2.75' },
          { upToMinor: 10_000_000, ratePercent: '2' },
          { upToMinor: null, ratePercent: '1.5' }
        ]
      })
    },
    { code: 'LOAN', name: 'Staff loan repayment', kind: 'deduction', accountId: a.loans, sortOrder: 40, rate: rate({ method: 'fixed', amountMinor: 0 }) },
    { code: 'WELFARE', name: 'Welfare fund', kind: 'deduction', accountId: a.welfare, sortOrder: 50, rate: rate({ method: 'percentage', ratePercent: '2', base: 'gross' }) },
    {
      code: 'ER_PENSION',
      name: 'Pension (employer)',
      kind: 'employer',
      statutory: true,
      accountId: a.erPension,
      payableAccountId: a.pension,
      sortOrder: 10,
      rate: rate({ method: 'percentage', ratePercent: '6', base: 'basic', capMinor: 1_800_000 })
    },
    {
      code: 'ER_LEVY',
      name: 'Housing levy (employer)',
      kind: 'employer',
      statutory: true,
      accountId: a.erLevy,
      payableAccountId: a.levy,
      sortOrder: 20,
      rate: rate({ method: 'percentage', ratePercent: '1.5', base: 'gross' })
    }
  ]
  const ids: Record<string, number> = {}
  for (const d of defs) ids[d.code] = (await callOk<Component>(core, 'payroll.createComponent', d)).id
  if (Object.keys(ids).length !== COMPONENTS) throw new Error(`made ${Object.keys(ids).length} components`)
  return ids
}

/** Person i's structure: amounts vary so the tax bands, the caps and the health bands all come into play. */
function structureOf(i: number, c: Record<string, number>): { componentId: number; amountMinor: number | null }[] {
  const basic = 3_000_000 + ((i * 7_919) % 270) * 100_000 // 30,000.00 .. 299,000.00
  return [
    { componentId: c.BASIC as number, amountMinor: basic },
    { componentId: c.HOUSE as number, amountMinor: 500_000 + (i % 16) * 100_000 },
    { componentId: c.COMMUTER as number, amountMinor: null },
    { componentId: c.PENSION as number, amountMinor: null },
    { componentId: c.PAYE as number, amountMinor: null },
    { componentId: c.SHIF as number, amountMinor: null },
    { componentId: c.LOAN as number, amountMinor: 100_000 + (i % 5) * 50_000 },
    { componentId: c.WELFARE as number, amountMinor: null },
    { componentId: c.ER_PENSION as number, amountMinor: null },
    { componentId: c.ER_LEVY as number, amountMinor: null }
  ]
}

const staffNo = (i: number): string => `S${String(i + 1).padStart(5, '0')}`
const FIRST = ['Wanjiru', 'Otieno', 'Akinyi', 'Kamau', 'Chebet', 'Mwangi', 'Njeri', 'Kiprop', 'Atieno', 'Mutua', 'Wambui', 'Omondi']
const LAST = ['Kamau', 'Ochieng', 'Njoroge', 'Wekesa', 'Kiptoo', 'Achieng', 'Mutiso', 'Karanja', 'Odhiambo', 'Chepkoech', 'Müller', 'Nyambura']
const nameOf = (i: number): string => `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i + 1}`

/** The first person through the contract; the others raw, in one transaction, in the shape the contract gave the first. */
async function staff(core: Core, file: string, c: Record<string, number>): Promise<void> {
  const first = await callOk<Staff>(core, 'payroll.createStaff', { staffNo: staffNo(0), fullName: nameOf(0), hireDate: HIRED, bankName: 'Equity Bank', bankAccount: '0100000001' })
  await callOk<StaffDetail>(core, 'payroll.saveStructure', { staffId: first.id, effectiveFrom: HIRED, items: structureOf(0, c) })
  const db = new Database(file, { timeout: 10_000 })
  try {
    const shape = db.prepare('SELECT * FROM payroll_structures WHERE staff_id = ?').get(first.id) as { created_by: string; created_at: string }
    const person = db.prepare(
      `INSERT INTO payroll_staff (staff_no, full_name, national_id, tax_pin, bank_name, bank_account, hire_date, leaving_date, status, member_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'Equity Bank', ?, ?, NULL, 'active', NULL, ?, ?)`
    )
    const structure = db.prepare('INSERT INTO payroll_structures (staff_id, effective_from, note, created_by, created_at) VALUES (?, ?, NULL, ?, ?)')
    const item = db.prepare('INSERT INTO payroll_structure_items (structure_id, component_id, amount_minor, rate_percent) VALUES (?, ?, ?, NULL)')
    db.transaction(() => {
      for (let i = 1; i < STAFF; i++) {
        const id = Number(person.run(staffNo(i), nameOf(i), `${20_000_000 + i}`, `A${String(100_000_000 + i)}Z`, `01${String(i).padStart(8, '0')}`, HIRED, NOW, NOW).lastInsertRowid)
        const s = Number(structure.run(id, HIRED, shape.created_by, shape.created_at).lastInsertRowid)
        for (const it of structureOf(i, c)) item.run(s, it.componentId, it.amountMinor)
      }
    }).immediate()
    db.exec('ANALYZE')
  } finally {
    db.close()
  }
}

async function newPeriod(core: Core, m: number): Promise<PayPeriod> {
  const { start, end, name } = month(m)
  return callOk<PayPeriod>(core, 'payroll.createPeriod', {
    calendarId: null,
    name,
    frequency: 'monthly',
    startDate: start,
    endDate: end,
    payDate: end,
    rule: { kind: 'on-date', date: end },
    automation: false
  })
}

interface Timed {
  ms: number
  draftMs: number
  approvePostMs: number
  cpuMs: number
  report: PayrollRunReport
  posted: PayPeriod
}

/** Drafted (the job, as Ada), approved and posted (as Tom): only the three calls are timed. */
async function draftApprovePost(core: Core, periodId: number): Promise<Timed> {
  const c0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  const report = await callOk<PayrollRunReport>(core, 'payroll.run', { periodId, force: false, dryRun: false, reason: null })
  const draftMs = elapsed(t0)
  let cpu = cpuMs(c0)
  const run = report.periods[0]
  if (report.periods.length !== 1 || run?.outcome !== 'drafted' || run.made !== STAFF || run.failed !== 0) {
    throw new Error(`the run did not draft ${STAFF} payslips: ${JSON.stringify({ ...run, register: run?.register.slice(0, 3) })}`)
  }
  const posted = await asOperator(core, TREASURER, async () => {
    const { period } = await callOk<PayPeriodDetail>(core, 'payroll.period', { id: periodId })
    const c1 = process.cpuUsage()
    const t1 = process.hrtime.bigint()
    const approved = await callOk<PayPeriod>(core, 'payroll.approve', { id: periodId, expectedVersion: period.version })
    const p = await callOk<PayPeriod>(core, 'payroll.post', { id: periodId, expectedVersion: approved.version })
    const ms = elapsed(t1)
    cpu += cpuMs(c1)
    return { p, ms }
  })
  if (posted.p.status !== 'posted' || posted.p.entryId === null || posted.p.payslips !== STAFF) throw new Error(`not posted: ${JSON.stringify(posted.p)}`)
  return { ms: draftMs + posted.ms, draftMs, approvePostMs: posted.ms, cpuMs: cpu, report, posted: posted.p }
}

interface Written {
  payslips: unknown[][]
  /** Per payslip, in the same order: its lines without the payslip id. */
  lines: unknown[][][]
  entry: unknown[]
  journal: [accountId: number, memberAccountId: number | null, valueDate: string, debit: number, credit: number][]
}

/** The rows a drafted and posted period wrote, for the baseline. */
function readBack(file: string, periodId: number): Written {
  const db = new Database(file, { readonly: true })
  try {
    const slips = db.prepare('SELECT * FROM payroll_payslips WHERE period_id = ? ORDER BY id').all(periodId) as Record<string, unknown>[]
    const lineQ = db
      .prepare('SELECT line_no, component_id, rate_id, code, name, kind, statutory, base_minor, amount_minor, rounding, workings FROM payroll_payslip_lines WHERE payslip_id = ? ORDER BY line_no')
      .raw()
    const entryId = db.prepare('SELECT entry_id FROM payroll_periods WHERE id = ?').pluck().get(periodId) as number
    const e = db.prepare('SELECT * FROM journal_entries WHERE id = ?').get(entryId) as Record<string, unknown>
    return {
      payslips: slips.map((s) => [
        s.staff_id, s.status, s.error, s.structure_id, s.days_worked, s.days_in_period, s.gross_minor, s.taxable_minor, s.deductions_minor, s.net_minor, s.employer_minor, s.computed_at, s.run_id
      ]),
      lines: slips.map((s) => lineQ.all(s.id) as unknown[][]),
      entry: [e.value_date, e.description, e.source, e.reference, e.reverses_id, e.entered_by_id, e.entered_by, e.entered_at, e.note, e.status, e.pending_lines],
      journal: db
        .prepare('SELECT account_id, member_account_id, value_date, debit_minor, credit_minor FROM journal_lines WHERE entry_id = ? ORDER BY id')
        .raw()
        .all(entryId) as Written['journal']
    }
  } finally {
    db.close()
  }
}

/**
 * The baseline: a fresh period row (not timed), then the payslips and their
 * lines with prepared INSERTs, one IMMEDIATE transaction per DRAFT_BATCH
 * payslips, and the entry, its lines and their summaries in one; audited.
 */
function rawInsert(db: Database.Database, w: Written, m: number): { ms: number; cpuMs: number; payslips: number; lines: number; journal: number } {
  const { start, end, name } = month(m)
  const periodId = Number(
    db
      .prepare(
        `INSERT INTO payroll_periods (calendar_id, name, frequency, start_date, end_date, pay_date, rule, automation, status, created_at, updated_at)
         VALUES (NULL, ?, 'monthly', ?, ?, ?, ?, 0, 'active', ?, ?)`
      )
      .run(`Raw ${name}`, start, end, end, JSON.stringify({ kind: 'on-date', date: end }), NOW, NOW).lastInsertRowid
  )
  const slip = db.prepare(
    `INSERT INTO payroll_payslips (period_id, staff_id, status, error, structure_id, days_worked, days_in_period, gross_minor, taxable_minor, deductions_minor, net_minor, employer_minor, computed_at, run_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (period_id, staff_id) DO NOTHING RETURNING id`
  )
  const line = db.prepare(
    `INSERT INTO payroll_payslip_lines (payslip_id, line_no, component_id, rate_id, code, name, kind, statutory, base_minor, amount_minor, rounding, workings)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const entry = db.prepare(
    `INSERT INTO journal_entries (value_date, description, source, source_ref, reference, reverses_id, entered_by_id, entered_by, entered_at, note, status, pending_lines)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const jline = db.prepare('INSERT INTO journal_lines (entry_id, account_id, member_account_id, value_date, debit_minor, credit_minor) VALUES (?, ?, ?, ?, ?, ?)')
  const setEntry = db.prepare("UPDATE payroll_periods SET status = 'posted', entry_id = ?, postings = 1 WHERE id = ?")
  const summaries = new SummaryWriter(db)
  let payslips = 0
  let lines = 0
  let journal = 0
  const batch = db.transaction((from: number) => {
    for (let k = from; k < Math.min(from + DRAFT_BATCH, w.payslips.length); k++) {
      const id = (slip.get(periodId, ...(w.payslips[k] as unknown[])) as { id: number }).id
      payslips++
      for (const l of w.lines[k] as unknown[][]) lines += line.run(id, ...l).changes
    }
  })
  const post = db.transaction(() => {
    const [valueDate, description, source, ...rest] = w.entry
    const entryId = Number(entry.run(valueDate, description, source, `payroll_periods:${periodId}:1`, ...rest).lastInsertRowid)
    for (const l of w.journal) journal += jline.run(entryId, ...l).changes
    summaries.add(w.journal.map(([accountId, memberAccountId, vd, debitMinor, creditMinor]) => ({ accountId, memberAccountId, valueDate: vd, debitMinor, creditMinor, count: 1 })))
    setEntry.run(entryId, periodId)
  })
  const c0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  for (let from = 0; from < w.payslips.length; from += DRAFT_BATCH) batch.immediate(from)
  post.immediate()
  return { ms: elapsed(t0), cpuMs: cpuMs(c0), payslips, lines, journal }
}

export default async function payrollBench(): Promise<CaseResult[]> {
  const dataDir = fastDir('coffer-bench-payroll-')
  const storage = dataDir.startsWith('/dev/shm') ? '/dev/shm (tmpfs: a commit costs no fsync)' : `${os.tmpdir()} (a disk: every commit is an fsync, on both sides)`
  const file = path.join(dataDir, DATABASE_FILE)
  let core: Core | undefined
  let raw: Database.Database | undefined
  try {
    const t0 = process.hrtime.bigint()
    core = signedIn(openBenchCore(dataDir, { now: NOW }))
    await callOk(core, 'profile.save', PROFILE)
    const security = await callOk<SecuritySettings>(core, 'security.get', {})
    await callOk(core, 'security.save', { ...security, makerChecker: { ...security.makerChecker, payments: true } })
    const a = await accounts(core)
    const c = await components(core, a)
    await staff(core, file, c)
    // Tom made (as a treasurer) and signed in once, Ada back.
    await asOperator(core, TREASURER, async () => undefined)
    const periods: PayPeriod[] = []
    for (let m = 1; m <= 1 + ITERATIONS; m++) periods.push(await newPeriod(core, m))
    console.log(
      `seeded ${num(STAFF)} staff with ${COMPONENTS} components each (1 through the contract, ${num(STAFF - 1)} raw), ${periods.length} monthly periods, in ${(elapsed(t0) / 1000).toFixed(1)} s; ` +
        `payments need a second operator (${ADMIN.name} drafts, ${TREASURER.name} approves and posts); storage ${storage}`
    )

    // Warm-up: the first period drafted and posted (its rows are the baseline's), then a raw check.
    const first = await draftApprovePost(core, (periods[0] as PayPeriod).id)
    const w = readBack(file, (periods[0] as PayPeriod).id)
    const lineCount = w.lines.reduce((s, l) => s + l.length, 0)
    if (w.payslips.length !== STAFF || lineCount !== STAFF * COMPONENTS) throw new Error(`the first period wrote ${w.payslips.length} payslips and ${lineCount} lines`)
    console.log(
      `first period (warm-up): drafted in ${num(first.draftMs)} ms, approved and posted in ${num(first.approvePostMs)} ms; ` +
        `${num(w.payslips.length)} payslips, ${num(lineCount)} lines, one entry of ${w.journal.length} journal lines; gross ${num(first.posted.grossMinor / 100)}, net ${num(first.posted.netMinor / 100)} KES`
    )
    raw = connect(file)
    let rawMonth = 1
    const check = rawInsert(raw, w, rawMonth++)
    if (check.payslips !== STAFF || check.lines !== lineCount || check.journal !== w.journal.length) throw new Error(`the raw insert wrote ${JSON.stringify(check)}`)

    const measured: number[] = []
    const drafts: number[] = []
    const approvals: number[] = []
    const baseline: number[] = []
    const measuredCpu: number[] = []
    const baselineCpu: number[] = []
    for (let i = 0; i < ITERATIONS; i++) {
      const doRun = async () => {
        const r = await draftApprovePost(core as Core, (periods[i + 1] as PayPeriod).id)
        if (r.posted.netMinor !== first.posted.netMinor) throw new Error(`period ${i + 2} nets ${r.posted.netMinor}, the first ${first.posted.netMinor}`)
        measured.push(r.ms)
        drafts.push(r.draftMs)
        approvals.push(r.approvePostMs)
        measuredCpu.push(r.cpuMs)
      }
      const doRaw = () => {
        const r = rawInsert(raw as Database.Database, w, rawMonth++)
        if (r.payslips !== STAFF || r.lines !== lineCount) throw new Error(`raw insert #${i + 1} wrote ${JSON.stringify(r)}`)
        baseline.push(r.ms)
        baselineCpu.push(r.cpuMs)
      }
      // Alternate which goes first, so drift on a shared machine falls on both alike.
      if (i % 2 === 0) {
        await doRun()
        doRaw()
      } else {
        doRaw()
        await doRun()
      }
    }
    const m = stats(measured)
    const b = stats(baseline)
    const mc = stats(measuredCpu)
    const bc = stats(baselineCpu)
    const ratio = m.median / b.median
    const perS = (ms: number) => `${num(STAFF / (ms / 1000))} payslips/s`
    const load = `load average ${os.loadavg().map((x) => x.toFixed(1)).join(', ')} (${os.availableParallelism()} CPUs)`
    return [
      {
        name: `payroll: ${num(STAFF)} staff x ${COMPONENTS} components drafted (job), approved, posted`,
        measured: m,
        baseline: b,
        targetMedianMs: Math.round(TARGET_RATIO * b.median),
        note:
          `ratio ${ratio.toFixed(2)}x, limit ${TARGET_RATIO}x: ${verdict(ratio <= TARGET_RATIO)}. ` +
          `Raw = the same ${num(STAFF)} payslips, ${num(lineCount)} payslip lines, 1 entry with ${w.journal.length} journal lines (and their summary upserts), prepared INSERTs, ` +
          `one transaction per ${DRAFT_BATCH} payslips as the job commits, audited; run ${perS(m.median)}, raw ${perS(b.median)}; ${ITERATIONS} pairs after a warm-up; ` +
          `runs ${measured.map((x) => x.toFixed(0)).join(', ')} ms (draft ${drafts.map((x) => x.toFixed(0)).join(', ')}; approve + post ${approvals.map((x) => x.toFixed(0)).join(', ')}), ` +
          `raw ${baseline.map((x) => x.toFixed(0)).join(', ')} ms; CPU median run ${mc.median.toFixed(0)} ms (all threads), raw ${bc.median.toFixed(0)} ms (${(mc.median / bc.median).toFixed(2)}x); ` +
          `storage ${storage}; ${load}`
      },
      {
        name: 'payroll: draft alone (payroll.run, the job on its worker thread)',
        measured: stats(drafts),
        note: 'information'
      },
      {
        name: 'payroll: approve + post (one entry)',
        measured: stats(approvals),
        note: 'information'
      },
      {
        name: 'payroll: the first period (warm-up), drafted, approved, posted',
        measured: one(first.ms),
        note: `information; CPU ${first.cpuMs.toFixed(0)} ms`
      }
    ]
  } finally {
    raw?.close()
    if (core) await core.shutdown()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
