/**
 * Issue target: a coupon run over 100,000 holdings takes at most 4x the time
 * of a raw prepared-statement insert of the same 100,000 payment rows,
 * measured in the same run.
 *
 * Seed: a profile, 5,000 members, 4 bond series (monthly 30/360, quarterly
 * ACT/365F, semi-annual ACT/ACT-ICMA, annual ACT/360 with a short front stub)
 * created through the contract, and 100,000 holdings inserted raw in one
 * transaction. Each series was issued so that only its FIRST coupon is paid
 * on or before today (2026-11-22), and every holding was bought before that
 * coupon's end (half on the issue date, half mid-period, pro-rated): a run
 * creates exactly one payment per holding.
 *
 * Measured: generateCoupons(sqlite, { today, createdAt, runId: null }) on a
 * fresh connection (the pragmas the job worker applies), from no payments.
 * Baseline: the same 100,000 rows (the values the run computed, read back
 * once) inserted with the run's INSERT statement into a copy of
 * bond_payments (same columns, constraints, foreign key and indexes), 1,000
 * rows a transaction (BEGIN IMMEDIATE) as the run batches them. The ratio is what the domain
 * work costs on top of the writes: paging the holdings, the last-paid lookup,
 * schedules, day counts and the exact-rational amounts (BigInt, rounded once
 * half-up; decimal.js before, a third of the run's CPU time).
 *
 * The note also gives the process CPU time (user + system, this thread) of
 * each side: on this shared machine wall times move with the load, CPU time
 * much less.
 *
 * Information: a second run right after (creates nothing) and the run
 * through the job engine (core.jobs.start('coupons'), in its worker thread).
 */
import { callOk, openBenchCore } from './bench-core'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { DATABASE_FILE, type Core } from '../../src/core'
import { installAuditTrail } from '../../src/core/platform/audit/trail'
import { signedIn } from '../support/operators'
import { generateCoupons } from '../../src/core/bonds/coupons'
import { applyPragmas } from '../../src/core/platform/db/open'
import { addDays, diffDays } from '../../src/shared/dates'
import type { BondSeries, JobRun, SeriesInput } from '../../src/shared/contract'
import { PROFILE, tempDir } from '../support/temp-core'
import { seedMembers } from '../support/seed-members'
import { stats, timeIt, type CaseResult, type Stats } from './harness'

const MEMBERS = 5_000
const HOLDINGS = 100_000
const BATCH = 1_000
/** Measured/baseline pairs after WARMUP unrecorded ones. */
const ITERATIONS = 5
const WARMUP = 1
/** Runs through the job engine (information). */
const JOB_RUNS = 2
const TARGET_RATIO = 4
const NOW = '2026-11-22T09:00:00Z'
/** NOW in Africa/Nairobi. */
const TODAY = '2026-11-22'
const CREATED_AT = new Date(NOW).toISOString()

/**
 * The series: each pays its first coupon on or before TODAY and its second after.
 * `firstEnd` is the first coupon's (unadjusted) accrual end; holdings are bought before it.
 */
const SERIES: (SeriesInput & { weight: number; firstEnd: string })[] = [
  {
    code: 'UMJ-M29',
    name: 'Umoja Monthly 11.5% 2029',
    faceValueMinor: 100_000,
    couponRatePercent: '11.5',
    frequency: 'monthly',
    dayCount: '30/360',
    issueDate: '2026-10-15',
    maturityDate: '2029-10-15',
    firstCouponDate: null,
    endOfMonth: false,
    businessDay: 'following',
    withholdingTaxPercent: '15',
    weight: 0.4,
    firstEnd: '2026-11-15' // a Sunday: paid Monday 16 November
  },
  {
    code: 'HAR-Q31',
    name: 'Harambee Quarterly 12.25% 2031',
    faceValueMinor: 50_000,
    couponRatePercent: '12.25',
    frequency: 'quarterly',
    dayCount: 'ACT/365F',
    issueDate: '2026-08-01',
    maturityDate: '2031-08-01',
    firstCouponDate: null,
    endOfMonth: false,
    businessDay: 'modified-following',
    withholdingTaxPercent: '10',
    weight: 0.3,
    firstEnd: '2026-11-01' // a Sunday: paid Monday 2 November
  },
  {
    code: 'JAM-S36',
    name: 'Jamii Semi-annual 13.875% 2036',
    faceValueMinor: 100_000,
    couponRatePercent: '13.875',
    frequency: 'semi-annual',
    dayCount: 'ACT/ACT-ICMA',
    issueDate: '2026-05-20',
    maturityDate: '2036-05-20',
    firstCouponDate: null,
    endOfMonth: false,
    businessDay: 'following',
    withholdingTaxPercent: '15',
    weight: 0.2,
    firstEnd: '2026-11-20'
  },
  {
    code: 'MAV-A30',
    name: 'Mavuno Annual 10% 2030 (short first coupon)',
    faceValueMinor: 1_000_000,
    couponRatePercent: '10',
    frequency: 'annual',
    dayCount: 'ACT/360',
    issueDate: '2026-03-10',
    maturityDate: '2030-06-30',
    firstCouponDate: null,
    endOfMonth: true,
    businessDay: 'preceding',
    withholdingTaxPercent: '5',
    weight: 0.1,
    firstEnd: '2026-06-30'
  }
]

/** Public holidays, so the business-day rolls look them up. */
const HOLIDAYS = [
  { date: '2026-06-01', name: 'Madaraka Day' },
  { date: '2026-10-20', name: 'Mashujaa Day' },
  { date: '2026-12-12', name: 'Jamhuri Day' },
  { date: '2026-12-25', name: 'Christmas Day' }
]

function open(dataDir: string): Core {
  // Signed in as the administrator: the run is measured with the permission check and the audit trail on.
  return signedIn(openBenchCore(dataDir, { now: NOW }))
}

const call = callOk

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A connection as the job worker opens one. */
function connect(file: string): Database.Database {
  const db = new Database(file, { timeout: 5000 })
  applyPragmas(db)
  return db
}

function withDb<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = connect(file)
  try {
    return fn(db)
  } finally {
    db.close()
  }
}

/** 100,000 holdings in one transaction: random members and series, half bought on the issue date. */
function seedHoldings(file: string, series: { id: number; issueDate: string; firstEnd: string; weight: number }[]): void {
  withDb(file, (db) => {
    const rnd = prng(20261122)
    const insert = db.prepare(
      `INSERT INTO bond_holdings (member_id, series_id, units, purchase_date, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'active', ?, ?)`
    )
    const pickSeries = () => {
      let x = rnd()
      for (const s of series) {
        if ((x -= s.weight) < 0) return s
      }
      return series[series.length - 1] as (typeof series)[number]
    }
    db.transaction(() => {
      for (let i = 0; i < HOLDINGS; i++) {
        const s = pickSeries()
        const days = diffDays(s.issueDate, s.firstEnd)
        const bought = rnd() < 0.5 ? s.issueDate : addDays(s.issueDate, Math.floor(rnd() * days))
        const at = `${bought}T09:00:00.000Z`
        insert.run(1 + Math.floor(rnd() * MEMBERS), s.id, 1 + Math.floor(rnd() * 200), bought, at, at)
      }
    }).immediate()
    db.exec('ANALYZE')
    db.pragma('wal_checkpoint(TRUNCATE)')
  })
}

/** A copy of bond_payments (same DDL, constraints, foreign key and indexes), empty. */
function createRawCopy(file: string): void {
  withDb(file, (db) => {
    const ddl = db
      .prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'bond_payments' AND sql IS NOT NULL ORDER BY type DESC")
      .pluck()
      .all() as string[]
    if (ddl.length < 2) throw new Error('bond_payments DDL not found')
    db.exec('DROP TABLE IF EXISTS bond_payments_raw')
    for (const sql of ddl) {
      db.exec(
        sql
          .replace(/(CREATE TABLE [`"]?)bond_payments([`"]?)/, '$1bond_payments_raw$2')
          .replace(/(CREATE (?:UNIQUE )?INDEX [`"]?)(bond_payments)(\w*[`"]?\s+ON\s+[`"]?)bond_payments([`"]?)/, '$1$2_raw$3bond_payments_raw$4')
          .replace(/"bond_payments"\./g, '"bond_payments_raw".')
      )
    }
    const n = db.prepare("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'bond_payments_raw'").pluck().get() as number
    if (n !== ddl.length) throw new Error(`the copy of bond_payments has ${n} schema objects, the original ${ddl.length}`)
  })
}

interface PaymentValues {
  holdingId: number
  periodStart: string
  periodEnd: string
  dueDate: string
  grossMinor: number
  taxMinor: number
  netMinor: number
}

/** The run's INSERT (src/core/bonds/coupons.ts), into the copy. */
const RAW_INSERT = `INSERT INTO bond_payments_raw (holding_id, member_id, kind, period_start, period_end, due_date, gross_minor, tax_minor, net_minor, status, created_at, created_by_run)
  VALUES (?, (SELECT member_id FROM bond_holdings WHERE id = ?), 'coupon', ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
  ON CONFLICT (holding_id, kind, period_end) WHERE status <> 'voided' DO NOTHING`

/** CPU time (user + system) since `from`, in ms. */
const cpuMs = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from)
  return (d.user + d.system) / 1000
}

/** The baseline: the precomputed rows, 1,000 a transaction, with a prepared statement. */
function rawInsert(file: string, rows: PaymentValues[]): { ms: number; cpuMs: number; inserted: number } {
  const db = connect(file)
  // Every write in Coffer leaves its audit row, the raw insert's too: the ratio stays the domain work on top of the writes.
  installAuditTrail(db, { now: () => new Date(NOW) })
  try {
    const insert = db.prepare(RAW_INSERT)
    let inserted = 0
    const batch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const r = rows[i] as PaymentValues
        inserted += insert.run(r.holdingId, r.holdingId, r.periodStart, r.periodEnd, r.dueDate, r.grossMinor, r.taxMinor, r.netMinor, CREATED_AT, null).changes
      }
    })
    const c0 = process.cpuUsage()
    const t0 = process.hrtime.bigint()
    for (let from = 0; from < rows.length; from += BATCH) batch.immediate(from, Math.min(rows.length, from + BATCH))
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: cpuMs(c0), inserted }
  } finally {
    db.close()
  }
}

/**
 * generateCoupons on a fresh connection set up as the job worker's is (its
 * pragmas and the audit trail's triggers: each payment also appends its audit
 * row); the time excludes opening it.
 */
function couponRun(file: string): { ms: number; cpuMs: number; created: number; holdings: number; grossMinor: number } {
  const db = connect(file)
  installAuditTrail(db, { now: () => new Date(NOW) })
  try {
    const c0 = process.cpuUsage()
    const t0 = process.hrtime.bigint()
    const r = generateCoupons(db, { today: TODAY, createdAt: CREATED_AT, runId: null })
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: cpuMs(c0), ...r }
  } finally {
    db.close()
  }
}

/** Empties both payment tables and the WAL, so every iteration starts alike. */
function reset(file: string): void {
  withDb(file, (db) => {
    db.exec('DELETE FROM bond_payments; DELETE FROM bond_payments_raw')
    db.pragma('wal_checkpoint(TRUNCATE)')
  })
}

function countPayments(file: string, runId?: number): number {
  return withDb(file, (db) =>
    runId === undefined
      ? (db.prepare('SELECT count(*) FROM bond_payments').pluck().get() as number)
      : (db.prepare('SELECT count(*) FROM bond_payments WHERE created_by_run = ?').pluck().get(runId) as number)
  )
}

function expectCreated(what: string, created: number, expected: number): void {
  if (created !== expected) throw new Error(`${what} created ${created} payments, expected ${expected}`)
}

const num = (n: number): string => Math.round(n).toLocaleString('en')
const perS = (ms: number): string => `${num(HOLDINGS / (ms / 1000))} rows/s`
const one = (ms: number): Stats => ({ n: 1, median: ms, p95: ms, min: ms, max: ms })

/** A coupon run through the job engine; the time is from start() to its end, and from its first progress report. */
async function jobRun(core: Core, expected: number): Promise<{ ms: number; fromProgressMs: number; run: JobRun }> {
  const jobs = core.jobs
  if (!jobs) throw new Error('no job engine')
  let firstProgress: bigint | undefined
  const off = core.onEvent((event, payload) => {
    const r = payload as JobRun
    if (event === 'jobs.runUpdated' && r.jobId === 'coupons' && r.progress.total !== null && firstProgress === undefined) {
      firstProgress = process.hrtime.bigint()
    }
  })
  try {
    const t0 = process.hrtime.bigint()
    const { done } = jobs.start('coupons', { trigger: 'manual' })
    const run = await done
    const end = process.hrtime.bigint()
    if (run.status !== 'succeeded') throw new Error(`the coupon job ended ${run.status}: ${run.error ?? ''}`)
    const created = (run.result?.details as { created?: number } | undefined)?.created
    expectCreated('the coupon job', created ?? -1, expected)
    return { ms: Number(end - t0) / 1e6, fromProgressMs: Number(end - (firstProgress ?? t0)) / 1e6, run }
  } finally {
    off()
  }
}

export default async function couponsBench(): Promise<CaseResult[]> {
  const dataDir = tempDir('coffer-bench-')
  const file = path.join(dataDir, DATABASE_FILE)
  let core: Core | undefined
  try {
    core = open(dataDir)
    await call(core, 'profile.save', PROFILE)
    for (const h of HOLIDAYS) await call(core, 'holidays.save', h)
    const series: { id: number; issueDate: string; firstEnd: string; weight: number }[] = []
    for (const { weight, firstEnd, ...input } of SERIES) {
      const s = await call<BondSeries>(core, 'bonds.createSeries', input)
      const schedule = (await call<{ schedule: { accrualEnd: string; paymentDate: string }[] }>(core, 'bonds.getSeries', { id: s.id })).schedule
      const due = schedule.filter((p) => p.paymentDate <= TODAY)
      if (due.length !== 1 || due[0]?.accrualEnd !== firstEnd) {
        throw new Error(`${s.code}: expected exactly one coupon due by ${TODAY}, ending ${firstEnd}; got ${JSON.stringify(due)}`)
      }
      series.push({ id: s.id, issueDate: s.issueDate, firstEnd, weight })
      console.log(
        `series ${s.code}: ${s.frequency}, ${s.dayCount}, issued ${s.issueDate}; first coupon ${firstEnd} paid ${due[0]?.paymentDate}, next ${schedule[1]?.paymentDate}`
      )
    }
    const seeding = await timeIt(() => {
      seedMembers({ file, count: MEMBERS })
      seedHoldings(file, series)
      createRawCopy(file)
    })
    console.log(`seeded ${num(MEMBERS)} members and ${num(HOLDINGS)} holdings in ${(seeding.ms / 1000).toFixed(2)} s`)

    // The first run: checks the count and gives the baseline its rows (and warms up).
    const first = couponRun(file)
    expectCreated('the first coupon run', first.created, HOLDINGS)
    expectCreated('the first coupon run (table)', countPayments(file), HOLDINGS)
    const again = couponRun(file)
    expectCreated('a second coupon run', again.created, 0)
    const rows = withDb(file, (db) =>
      db
        .prepare(
          `SELECT holding_id AS holdingId, period_start AS periodStart, period_end AS periodEnd, due_date AS dueDate,
                  gross_minor AS grossMinor, tax_minor AS taxMinor, net_minor AS netMinor
             FROM bond_payments ORDER BY id`
        )
        .all()
    ) as PaymentValues[]
    const perSeries = withDb(file, (db) =>
      db
        .prepare(
          `SELECT s.code, count(*) AS n, min(p.period_start) AS fromStart, max(p.period_start) AS toStart, p.due_date AS due,
                  sum(p.gross_minor) AS gross
             FROM bond_payments p JOIN bond_holdings h ON h.id = p.holding_id JOIN bond_series s ON s.id = h.series_id
            GROUP BY s.code ORDER BY s.id`
        )
        .all()
    ) as { code: string; n: number; fromStart: string; toStart: string; due: string; gross: number }[]
    for (const s of perSeries) {
      console.log(`  ${s.code}: ${num(s.n)} payments due ${s.due}, periods from ${s.fromStart}..${s.toStart}, gross ${num(s.gross)} minor`)
    }
    console.log(`first run (cold): ${num(first.ms)} ms, ${perS(first.ms)}; second run: ${num(again.ms)} ms, 0 created`)

    const measured: number[] = []
    const baseline: number[] = []
    const measuredCpu: number[] = []
    const baselineCpu: number[] = []
    const second: number[] = []
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      reset(file)
      const doRun = () => {
        const r = couponRun(file)
        expectCreated(`coupon run #${i + 1}`, r.created, HOLDINGS)
        const r2 = couponRun(file)
        expectCreated(`second coupon run #${i + 1}`, r2.created, 0)
        if (i >= WARMUP) {
          measured.push(r.ms)
          measuredCpu.push(r.cpuMs)
          second.push(r2.ms)
        }
      }
      const doRaw = () => {
        const r = rawInsert(file, rows)
        expectCreated(`raw insert #${i + 1}`, r.inserted, HOLDINGS)
        if (i >= WARMUP) {
          baseline.push(r.ms)
          baselineCpu.push(r.cpuMs)
        }
      }
      // Alternate which goes first, so drift on a shared machine falls on both alike.
      if (i % 2 === 0) {
        doRun()
        doRaw()
      } else {
        doRaw()
        doRun()
      }
    }
    const m = stats(measured)
    const b = stats(baseline)
    const s2 = stats(second)
    const mc = stats(measuredCpu)
    const bc = stats(baselineCpu)

    // Through the job engine, in its worker thread (information).
    const jobTimes: number[] = []
    const jobWork: number[] = []
    let jobSecondMs = NaN
    for (let k = 0; k < JOB_RUNS; k++) {
      reset(file)
      const r = await jobRun(core, HOLDINGS)
      expectCreated(`coupon job run #${r.run.id} (table)`, countPayments(file, r.run.id), HOLDINGS)
      jobTimes.push(r.ms)
      jobWork.push(r.fromProgressMs)
      if (k === 0) jobSecondMs = (await jobRun(core, 0)).ms
    }
    const j = stats(jobTimes)

    const results: CaseResult[] = [
      {
        name: `generateCoupons, ${num(HOLDINGS)} holdings -> ${num(HOLDINGS)} rows`,
        measured: m,
        baseline: b,
        targetMedianMs: Math.round(TARGET_RATIO * b.median),
        note:
          `target: <= ${TARGET_RATIO}x the raw insert (${TARGET_RATIO} x ${b.median.toFixed(0)} ms); ` +
          `run ${perS(m.median)}, raw ${perS(b.median)}; ${ITERATIONS} pairs after ${WARMUP} warm-up, ` +
          `fresh connection each, ${BATCH} holdings/rows a transaction, synchronous=FULL (WAL); ` +
          `runs ${measured.map((x) => x.toFixed(0)).join(', ')} ms, raw ${baseline.map((x) => x.toFixed(0)).join(', ')} ms; ` +
          `CPU median run ${mc.median.toFixed(0)} ms, raw ${bc.median.toFixed(0)} ms (ratio ${(mc.median / bc.median).toFixed(2)}x); ` +
          `load average ${os.loadavg().map((x) => x.toFixed(1)).join(', ')} (${os.availableParallelism()} CPUs)`
      },
      {
        name: 'generateCoupons again (nothing due)',
        measured: s2,
        baseline: b,
        note: `information; ${num(HOLDINGS)} holdings checked, 0 created`
      },
      {
        name: "job engine: jobs.start('coupons') (worker)",
        measured: j,
        baseline: b,
        note:
          `information; ${JOB_RUNS} runs from start() to done (incl. the worker starting), ${perS(j.median)}; ` +
          `from the first progress report: ${jobWork.map((x) => `${x.toFixed(0)} ms`).join(', ')}`
      },
      {
        name: 'job engine: second run (nothing due)',
        measured: one(jobSecondMs),
        note: 'information; start() to done'
      }
    ]
    return results
  } finally {
    // shutdown, not close: it stops the engine's timers and worker, so the process can exit.
    if (core) await core.shutdown()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
