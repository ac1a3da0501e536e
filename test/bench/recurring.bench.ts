/**
 * Issue targets (#12):
 *
 *   (a) 10,000 standing orders after three months off (monthly, so 30,000
 *       executions): at most 3x a raw insert of the same journal lines and
 *       history rows, measured in the same run;
 *   (b) the forecast over 90 days for 10,000 orders: under 500 ms.
 *
 * Seed (once): a profile; 10,000 members (seedMembers), each with a savings
 * and a share capital account and a deposit of 100,000.00 into savings on
 * 2026-06-01 (raw SQL in one transaction, then rebuildSummaries); 10,000
 * monthly standing orders, savings to the member's own shares, 500.00 to
 * 2,490.00, priorities 1..99, starting 2026-08-23..2026-09-21, so that on
 * 2026-11-22 each has exactly three occurrences due, all three missed. The
 * catch-up threshold (Recurring → Settings, catchUpMaxCount) is set to
 * CATCH_UP_MAX so that the three missed ones post instead of going to To
 * review (with the default of 1 they would all wait for the treasurer). The
 * seeded file is kept, and every run below starts from a copy of it.
 *
 * (a) Measured: RecurringRunner.runOrders on a fresh connection set up as the
 * job worker's (applyPragmas, the audit trail's triggers, the ledger and
 * payments services on it, one IMMEDIATE transaction per execution as
 * ctx.transaction gives, as the system), from the seed: 30,000 executions,
 * each its occurrence row, its balance read, its entry (two lines, twelve
 * summary upserts), the order's next index and its last payment.
 * Baseline: the same 30,000 journal entries, 60,000 journal lines, the same
 * summary upserts (core's SummaryWriter: one prepared upsert per bucket) and
 * the 30,000 occurrence rows as they ended (posted, with their entry), read
 * back from the measured run, inserted with prepared statements into a copy
 * of the seed, ONE TRANSACTION PER EXECUTION (BEGIN IMMEDIATE), as the job
 * commits them, with the same audit trail triggers on. The ratio is the
 * runner's domain work on top of those writes: schedules, the order and
 * occurrence reads, the balance check, the ledger's checks, the order's
 * updates. Both on the same storage: /dev/shm where there is one (fastDir),
 * where an fsync costs nothing; on a disk each of the 30,000 commits would
 * cost an fsync on both sides alike.
 *
 * (b) Measured: `recurring.forecast` {days: 90} through core.invoke (signed
 * in as Ada: the permission check, the input and output as the app gets
 * them), on the book after the catch-up (10,000 orders, 30,000 events over
 * the 90 days from 2026-11-22): median of FORECAST_RUNS after one warm-up.
 */
import { callOk, openBenchCore } from './bench-core'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { DATABASE_FILE, type Core } from '../../src/core'
import type { Forecast, RecurringSettings, RunReport } from '../../src/shared/contract'
import { loadHolidays } from '../../src/core/calendar'
import { LedgerService } from '../../src/core/ledger'
import { SummaryWriter, rebuildSummaries } from '../../src/core/ledger/summaries'
import { PaymentsService } from '../../src/core/payments'
import { RecurringRunner, readRecurringSettings } from '../../src/core/recurring'
import { runAsSystem } from '../../src/core/platform/actor'
import { installAuditTrail } from '../../src/core/platform/audit/trail'
import type { ServiceContext } from '../../src/core/platform/context'
import { applyPragmas } from '../../src/core/platform/db/open'
import { ManualClock } from '../../src/core/platform/clock'
import { addDays } from '../../src/shared/dates'
import { signedIn } from '../support/operators'
import { fastDir } from '../support/ledger'
import { seedMembers } from '../support/seed-members'
import { PROFILE } from '../support/temp-core'
import { stats, type CaseResult, type Stats } from './harness'

const ORDERS = 10_000
const MONTHS_OFF = 3
const EXECUTIONS = ORDERS * MONTHS_OFF
/** Missed occurrences of one order that still post by themselves (Settings); 3 are missed here. */
const CATCH_UP_MAX = 12
const TARGET_RATIO = 3
const FORECAST_DAYS = 90
const TARGET_FORECAST_MS = 500
/** Measured/baseline pairs after WARMUP unrecorded ones (the first run and the raw check before them warm both paths up). */
const ITERATIONS = 3
const WARMUP = 0
const FORECAST_RUNS = 7
const NOW = '2026-11-22T09:00:00Z'
/** NOW in Africa/Nairobi. */
const TODAY = '2026-11-22'
/** The first order's start: with 30 start days from here, every order has exactly three monthly dates on or before TODAY. */
const FIRST_START = '2026-08-23'
const DEPOSIT_MINOR = 10_000_000

const num = (n: number): string => Math.round(n).toLocaleString('en')
const one = (ms: number): Stats => ({ n: 1, median: ms, p95: ms, min: ms, max: ms })
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL')

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

/** CPU time (user + system) since `from`, in ms. */
const cpuMs = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from)
  return (d.user + d.system) / 1000
}

/** Member accounts, their deposits (then the summaries), and the orders: raw, one transaction each. */
function seedBook(file: string): void {
  withDb(file, (db) => {
    const role = (r: string) => db.prepare('SELECT id FROM ledger_accounts WHERE role = ?').pluck().get(r) as number
    const savingsControl = role('member-savings')
    const sharesControl = role('share-capital')
    const bank = role('bank')
    const members = db.prepare('SELECT id FROM members ORDER BY id LIMIT ?').pluck().all(ORDERS) as number[]
    if (members.length !== ORDERS) throw new Error(`seeded ${members.length} members, expected ${ORDERS}`)
    const openMa = db.prepare('INSERT INTO member_accounts (member_id, product, control_account_id, opened_on, opened_at) VALUES (?, ?, ?, ?, ?)')
    const entry = db.prepare(
      "INSERT INTO journal_entries (value_date, description, source, reference, entered_by, entered_at) VALUES ('2026-06-01', 'Opening deposit', 'deposit', ?, 'System', ?)"
    )
    const line = db.prepare('INSERT INTO journal_lines (entry_id, account_id, member_account_id, value_date, debit_minor, credit_minor) VALUES (?, ?, ?, ?, ?, ?)')
    const order = db.prepare(
      `INSERT INTO standing_orders (member_id, from_member_account_id, target_kind, to_member_account_id, amount_minor, description, frequency, start_date,
         month_end, end_date, holiday_rule, priority, insufficient_funds, retry_days, status, created_by_id, created_by, created_at, updated_at)
       VALUES (?, ?, 'member-account', ?, ?, NULL, 'monthly', ?, 0, NULL, 'none', ?, 'skip', 3, 'active', NULL, 'System', ?, ?)`
    )
    db.transaction(() => {
      members.forEach((m, i) => {
        const savings = Number(openMa.run(m, 'savings', savingsControl, '2026-01-01', NOW).lastInsertRowid)
        const shares = Number(openMa.run(m, 'shares', sharesControl, '2026-01-01', NOW).lastInsertRowid)
        const e = Number(entry.run(`DEP-${m}`, NOW).lastInsertRowid)
        line.run(e, bank, null, '2026-06-01', DEPOSIT_MINOR, 0)
        line.run(e, savingsControl, savings, '2026-06-01', 0, DEPOSIT_MINOR)
        order.run(m, savings, shares, 50_000 + (i % 200) * 1_000, addDays(FIRST_START, i % 30), 1 + (i % 99), NOW, NOW)
      })
    }).immediate()
    rebuildSummaries(db, true)
    db.exec('ANALYZE')
    db.pragma('wal_checkpoint(TRUNCATE)')
  })
}

/** The seed, copied over the book's file (and its WAL removed): every run starts from the same bytes. */
function restore(seed: string, file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true })
  fs.copyFileSync(seed, file)
}

/**
 * RecurringRunner.runOrders as the standing-orders job runs it (jobs.ts
 * runnerFor), on a fresh connection set up as the worker's; the time
 * excludes opening it.
 */
function ordersRun(file: string): { ms: number; cpuMs: number; report: RunReport; settings: RecurringSettings } {
  const db = connect(file)
  const clock = new ManualClock(NOW)
  installAuditTrail(db, { now: () => clock.now() })
  try {
    const svc: ServiceContext = { db: drizzle(db), sqlite: db, clock, emit: () => {} }
    const profile = { currency: PROFILE.currency, locale: PROFILE.locale }
    const ledger = new LedgerService(svc, { timeZone: () => PROFILE.timeZone, locale: () => PROFILE.locale, currency: () => profile.currency })
    const payments = new PaymentsService(svc, () => PROFILE.timeZone, () => profile, () => true, () => ledger)
    const settings = readRecurringSettings(db)
    const runner = new RecurringRunner({
      sqlite: db,
      ledger,
      payments: () => payments,
      today: TODAY,
      now: () => clock.now().toISOString(),
      runId: null,
      holidays: loadHolidays(db),
      settings,
      locale: PROFILE.locale,
      currency: PROFILE.currency,
      transaction: (fn) => db.transaction(fn).immediate()
    })
    const c0 = process.cpuUsage()
    const t0 = process.hrtime.bigint()
    const report = runAsSystem('job:standing-orders', () => runner.runOrders())
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: cpuMs(c0), report, settings }
  } finally {
    db.close()
  }
}

interface Execution {
  entry: unknown[]
  lines: [accountId: number, memberAccountId: number | null, valueDate: string, debit: number, credit: number][]
  occurrence: unknown[]
}

/** The entries, lines and occurrence rows a run wrote, in the order it wrote them, for the baseline. */
function readBack(file: string): Execution[] {
  return withDb(file, (db) => {
    const occ = db
      .prepare(
        `SELECT o.*, e.value_date AS e_value_date, e.description AS e_description, e.source AS e_source, e.source_ref AS e_source_ref,
                e.reference AS e_reference, e.entered_by_id AS e_entered_by_id, e.entered_by AS e_entered_by, e.entered_at AS e_entered_at,
                e.note AS e_note, e.status AS e_status
           FROM recurring_occurrences o JOIN journal_entries e ON e.id = o.entry_id ORDER BY o.id`
      )
      .all() as Record<string, unknown>[]
    const lines = db.prepare('SELECT account_id, member_account_id, value_date, debit_minor, credit_minor FROM journal_lines WHERE entry_id = ? ORDER BY id').raw()
    return occ.map((o) => ({
      entry: [o.e_value_date, o.e_description, o.e_source, o.e_source_ref, o.e_reference, null, o.e_entered_by_id, o.e_entered_by, o.e_entered_at, o.e_note, o.e_status, null],
      lines: lines.all(o.entry_id) as Execution['lines'],
      occurrence: [
        o.standing_order_id, o.n, o.scheduled_date, o.due_date, o.amount_minor, o.carried_minor, o.status, o.value_date, o.reason, o.attempts, o.created_at, o.last_run_id
      ]
    }))
  })
}

/**
 * The baseline: the run's entries, lines, summary upserts and occurrence rows
 * with prepared statements (the ledger's own INSERTs, core's SummaryWriter),
 * one IMMEDIATE transaction per execution, audited.
 */
function rawInsert(file: string, rows: Execution[]): { ms: number; cpuMs: number; inserted: number } {
  const db = connect(file)
  installAuditTrail(db, { now: () => new Date(NOW) })
  try {
    const insertEntry = db.prepare(
      `INSERT INTO journal_entries (value_date, description, source, source_ref, reference, reverses_id, entered_by_id, entered_by, entered_at, note, status, pending_lines)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    const insertLine = db.prepare('INSERT INTO journal_lines (entry_id, account_id, member_account_id, value_date, debit_minor, credit_minor) VALUES (?, ?, ?, ?, ?, ?)')
    const insertOccurrence = db.prepare(
      `INSERT INTO recurring_occurrences (standing_order_id, n, scheduled_date, due_date, amount_minor, carried_minor, status, value_date, reason, attempts,
         created_at, last_run_id, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    const summaries = new SummaryWriter(db)
    let inserted = 0
    const one = db.transaction((x: Execution) => {
      const entryId = Number(insertEntry.run(...x.entry).lastInsertRowid)
      for (const l of x.lines) insertLine.run(entryId, ...l)
      summaries.add(x.lines.map(([accountId, memberAccountId, valueDate, debitMinor, creditMinor]) => ({ accountId, memberAccountId, valueDate, debitMinor, creditMinor, count: 1 })))
      inserted += insertOccurrence.run(...x.occurrence, entryId).changes
    })
    const c0 = process.cpuUsage()
    const t0 = process.hrtime.bigint()
    for (const x of rows) one.immediate(x)
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: cpuMs(c0), inserted }
  } finally {
    db.close()
  }
}

function expectPosted(what: string, r: RunReport, posted: number): void {
  if (r.posted !== posted || r.lines.length !== posted) {
    const other = r.lines.find((l) => l.outcome !== 'posted')
    throw new Error(`${what}: ${r.posted} posted of ${r.lines.length} lines, expected ${posted} posted${other ? `; e.g. ${JSON.stringify(other)}` : ''}`)
  }
}

function counts(file: string): { entries: number; lines: number; occurrences: number; summaryLines: number } {
  return withDb(file, (db) => ({
    entries: db.prepare("SELECT count(*) FROM journal_entries WHERE source = 'standing-order'").pluck().get() as number,
    lines: db.prepare("SELECT count(*) FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id WHERE e.source = 'standing-order'").pluck().get() as number,
    occurrences: db.prepare("SELECT count(*) FROM recurring_occurrences WHERE status = 'posted'").pluck().get() as number,
    summaryLines: db.prepare("SELECT sum(count) FROM ledger_summaries WHERE mode = 'm' AND member_account_id = 0").pluck().get() as number
  }))
}

export default async function recurringBench(): Promise<CaseResult[]> {
  const dataDir = fastDir('coffer-bench-recurring-')
  const seedDir = fastDir('coffer-bench-recurring-seed-')
  const storage = dataDir.startsWith('/dev/shm') ? '/dev/shm (tmpfs: a commit costs no fsync)' : `${os.tmpdir()} (a disk: every commit is an fsync, on both sides)`
  const file = path.join(dataDir, DATABASE_FILE)
  const seed = path.join(seedDir, 'seed.sqlite')
  let core: Core | undefined
  try {
    core = signedIn(openBenchCore(dataDir, { now: NOW }))
    await callOk(core, 'profile.save', PROFILE)
    const settings = await callOk<RecurringSettings>(core, 'recurring.saveSettings', { catchUpMaxCount: CATCH_UP_MAX, catchUpMaxAmountMinor: null })
    await core.shutdown()
    core = undefined
    const t0 = process.hrtime.bigint()
    seedMembers({ file, count: ORDERS })
    seedBook(file)
    fs.copyFileSync(file, seed)
    console.log(
      `seeded ${num(ORDERS)} members with savings and shares, ${num(ORDERS)} monthly standing orders (3 missed dates each) in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s; ` +
        `catch-up threshold set to ${settings.catchUpMaxCount} missed occurrences (the default, 1, would send all ${num(EXECUTIONS)} to To review); storage ${storage}`
    )

    // The first run (cold) checks the work and gives the baseline its rows.
    const first = ordersRun(file)
    expectPosted('the first run', first.report, EXECUTIONS)
    const c = counts(file)
    if (c.entries !== EXECUTIONS || c.lines !== 2 * EXECUTIONS || c.occurrences !== EXECUTIONS) throw new Error(`the first run wrote ${JSON.stringify(c)}`)
    const again = ordersRun(file)
    expectPosted('a second run', again.report, 0)
    const rows = readBack(file)
    console.log(`first run (cold): ${num(first.ms)} ms, ${num(EXECUTIONS / (first.ms / 1000))} executions/s; a second run right after: ${num(again.ms)} ms, nothing due`)
    restore(seed, file)
    const rawCheck = rawInsert(file, rows)
    const rc = counts(file)
    if (rawCheck.inserted !== EXECUTIONS || rc.entries !== c.entries || rc.lines !== c.lines || rc.summaryLines !== c.summaryLines) {
      throw new Error(`the raw insert wrote ${JSON.stringify(rc)}, the run ${JSON.stringify(c)}`)
    }

    const measured: number[] = []
    const baseline: number[] = []
    const measuredCpu: number[] = []
    const baselineCpu: number[] = []
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      const doRun = () => {
        restore(seed, file)
        const r = ordersRun(file)
        expectPosted(`run #${i + 1}`, r.report, EXECUTIONS)
        if (i >= WARMUP) {
          measured.push(r.ms)
          measuredCpu.push(r.cpuMs)
        }
      }
      const doRaw = () => {
        restore(seed, file)
        const r = rawInsert(file, rows)
        if (r.inserted !== EXECUTIONS) throw new Error(`raw insert #${i + 1} inserted ${r.inserted}`)
        if (i >= WARMUP) {
          baseline.push(r.ms)
          baselineCpu.push(r.cpuMs)
        }
      }
      // Alternate which goes first, so drift on a shared machine falls on both alike; the run goes last, leaving its book for the forecast.
      if (i % 2 === 1) {
        doRun()
        doRaw()
      } else {
        doRaw()
        doRun()
      }
    }
    const m = stats(measured)
    const b = stats(baseline)
    const mc = stats(measuredCpu)
    const bc = stats(baselineCpu)
    const ratio = m.median / b.median

    // (b) The forecast on the book after the catch-up, through the contract.
    core = signedIn(openBenchCore(dataDir, { now: NOW }))
    const fc = await callOk<Forecast>(core, 'recurring.forecast', { days: FORECAST_DAYS })
    const orderEvents = fc.events.filter((e) => e.kind === 'order').length
    // Each order falls due two or three times in the 90 days (those on the 20th and 21st miss February's).
    if (orderEvents < 2 * ORDERS) throw new Error(`the forecast has ${orderEvents} order events, expected at least ${2 * ORDERS}`)
    const times: number[] = []
    const cpu: number[] = []
    for (let k = 0; k < FORECAST_RUNS; k++) {
      const c0 = process.cpuUsage()
      const t = process.hrtime.bigint()
      await callOk<Forecast>(core, 'recurring.forecast', { days: FORECAST_DAYS })
      times.push(Number(process.hrtime.bigint() - t) / 1e6)
      cpu.push(cpuMs(c0))
    }
    const f = stats(times)
    const fcpu = stats(cpu)

    const perS = (ms: number) => `${num(EXECUTIONS / (ms / 1000))} executions/s`
    return [
      {
        name: `(a) standing orders: ${num(ORDERS)} orders x ${MONTHS_OFF} missed months -> ${num(EXECUTIONS)} executions`,
        measured: m,
        baseline: b,
        targetMedianMs: Math.round(TARGET_RATIO * b.median),
        note:
          `ratio ${ratio.toFixed(2)}x, limit ${TARGET_RATIO}x: ${verdict(ratio <= TARGET_RATIO)}. ` +
          `Raw = the same ${num(EXECUTIONS)} entries, ${num(2 * EXECUTIONS)} lines, summary upserts and occurrence rows, prepared INSERTs, one transaction per execution as the job commits, audited; ` +
          `run ${perS(m.median)}, raw ${perS(b.median)}; ${ITERATIONS} pairs, each from a copy of the seed (the first run and a raw check before them warm up); ` +
          `runs ${measured.map((x) => x.toFixed(0)).join(', ')} ms, raw ${baseline.map((x) => x.toFixed(0)).join(', ')} ms; ` +
          `CPU median run ${mc.median.toFixed(0)} ms, raw ${bc.median.toFixed(0)} ms (${(mc.median / bc.median).toFixed(2)}x); ` +
          `catchUpMaxCount ${CATCH_UP_MAX} so the missed months post; storage ${storage}; ` +
          `load average ${os.loadavg().map((x) => x.toFixed(1)).join(', ')} (${os.availableParallelism()} CPUs)`
      },
      {
        name: 'standing orders: a second run (nothing due)',
        measured: one(again.ms),
        note: `information; ${num(ORDERS)} orders checked, nothing posted`
      },
      {
        name: `(b) recurring.forecast ${FORECAST_DAYS} days, ${num(ORDERS)} orders (${num(fc.events.length)} events)`,
        measured: f,
        targetMedianMs: TARGET_FORECAST_MS,
        note:
          `median ${f.median.toFixed(0)} ms of ${FORECAST_RUNS} after one warm-up, limit ${TARGET_FORECAST_MS} ms: ${verdict(f.median < TARGET_FORECAST_MS)}; ` +
          `CPU median ${fcpu.median.toFixed(0)} ms; through core.invoke signed in as Ada; ${fc.accounts.length} society accounts moved, ${fc.failing.length} failing orders; ` +
          `load average ${os.loadavg().map((x) => x.toFixed(1)).join(', ')}`
      }
    ]
  } finally {
    if (core) await core.shutdown()
    fs.rmSync(dataDir, { recursive: true, force: true })
    fs.rmSync(seedDir, { recursive: true, force: true })
  }
}
