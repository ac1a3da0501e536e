/**
 * `coffer recurring run` and `coffer standing-orders run`, as `coffer` runs
 * them (the built command line in a child process, on the system clock):
 * a dry run lists what a run would post and writes nothing; a real run goes
 * through the job engine (recorded as from the command line) and posts; a
 * second run has nothing to do; --json is the contract's RunReport; a
 * misspelt option is refused with the usage error; an operator without
 * jobs.operate is refused.
 *
 * The book is made through the contract on a clock set to the real today
 * (the command line reads the system clock), with schedules starting a
 * month before it.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/core'
import { RunReport, type JobRun, type MemberAccount, type Member, type Account, type Template, type StandingOrder } from '../../src/shared/contract'
import { addDays, calendarDateInZone, formatCalendarDate } from '../../src/shared/dates'
import { buildCli, coffer, cofferWith } from '../support/cli'
import { ADMIN, asOperator } from '../support/operators'
import { PROFILE, tempCore, value } from '../support/temp-core'

function count(dataDir: string, sql: string): number {
  const db = new Database(path.join(dataDir, 'coffer.sqlite'), { readonly: true })
  try {
    return db.prepare(sql).pluck().get() as number
  } finally {
    db.close()
  }
}

/** What a run could have written: occurrences, journal entries and lines, summaries, payments, job runs of the two jobs. */
interface Written {
  occurrences: number
  entries: number
  lines: number
  summaries: number
  runs: number
  nextN: number
}

function written(dataDir: string): Written {
  return {
    occurrences: count(dataDir, 'SELECT count(*) FROM recurring_occurrences'),
    entries: count(dataDir, 'SELECT count(*) FROM journal_entries'),
    lines: count(dataDir, 'SELECT count(*) FROM journal_lines'),
    summaries: count(dataDir, 'SELECT coalesce(sum(count), 0) FROM ledger_summaries'),
    runs: count(dataDir, "SELECT count(*) FROM job_runs WHERE job_id IN ('recurring', 'standing-orders')"),
    nextN: count(dataDir, 'SELECT coalesce(sum(next_n), 0) FROM standing_orders') + count(dataDir, 'SELECT coalesce(sum(next_n), 0) FROM recurring_templates')
  }
}

const AUDITOR = { name: 'Audrey Auditor', username: 'audrey', password: 'ledger lamp quiet', role: 'auditor' }

/** Nairobi's today on the system clock (the command line's). */
const today = (): string => calendarDateInZone(new Date(), PROFILE.timeZone)

interface Book {
  dir: string
  /** The schedules' start: 35 days before today, so each has two monthly occurrences due, the first missed. */
  start: string
  today: string
}

/**
 * KES, Nairobi. Wanjiru has 10,000.00 in savings, Otieno nothing. Standing
 * orders: Wanjiru's savings to her shares (1,500.00 a month) and Otieno's
 * savings to his shares (500.00, skipped when the money is not there).
 * Templates: staff salaries (12,000.00 from the bank, posts by itself) and
 * the bank's interest (25.00), which waits for review. The catch-up threshold lets 5 missed
 * occurrences through.
 */
async function book(): Promise<Book> {
  const t = today()
  const start = addDays(t, -35)
  const { core, dataDir } = tempCore({ clock: new ManualClock(new Date().toISOString()) })
  value(await core.invoke('profile.save', PROFILE))
  const accounts = value<{ accounts: Account[] }>(await core.invoke('ledger.accounts', {})).accounts
  const role = (r: string) => (accounts.find((a) => a.role === r) as Account).id
  const open = async (memberNo: string, fullName: string) => {
    const m = value<Member>(await core.invoke('members.create', { memberNo, fullName, joinedOn: '2025-01-01' }))
    const savings = value<MemberAccount>(await core.invoke('ledger.openMemberAccount', { memberId: m.id, product: 'savings' }))
    const shares = value<MemberAccount>(await core.invoke('ledger.openMemberAccount', { memberId: m.id, product: 'shares' }))
    return { m, savings, shares }
  }
  const wanjiru = await open('M-001', 'Wanjiru Kamau')
  const otieno = await open('M-002', 'Otieno Ochieng')
  value(await core.invoke('ledger.deposit', { memberAccountId: wanjiru.savings.id, amountMinor: 1_000_000, valueDate: addDays(t, -60), via: 'bank' }))
  value(await core.invoke('recurring.saveSettings', { catchUpMaxCount: 5, catchUpMaxAmountMinor: null }))
  const order = (o: { memberId: number; from: number; to: number; amountMinor: number }) =>
    core.invoke('recurring.createOrder', {
      memberId: o.memberId,
      fromMemberAccountId: o.from,
      target: { kind: 'member-account', memberAccountId: o.to },
      amountMinor: o.amountMinor,
      frequency: 'monthly',
      startDate: start,
      insufficientFunds: 'skip'
    })
  value<StandingOrder>(await order({ memberId: wanjiru.m.id, from: wanjiru.savings.id, to: wanjiru.shares.id, amountMinor: 150_000 }))
  value<StandingOrder>(await order({ memberId: otieno.m.id, from: otieno.savings.id, to: otieno.shares.id, amountMinor: 50_000 }))
  const template = (name: string, amountMinor: number, postMode: 'auto' | 'review', debit: string, credit: string) =>
    core.invoke('recurring.createTemplate', {
      name,
      description: name,
      lines: [
        { accountId: role(debit), debitMinor: amountMinor },
        { accountId: role(credit), creditMinor: amountMinor }
      ],
      frequency: 'monthly',
      startDate: start,
      postMode
    })
  value<Template>(await template('Staff salaries', 1_200_000, 'auto', 'salary-expense', 'bank'))
  value<Template>(await template('Bank interest', 2_500, 'review', 'bank', 'interest-income'))
  await asOperator(core, AUDITOR, async () => undefined)
  await core.shutdown()
  return { dir: dataDir, start, today: t }
}

const lines = (text: string): string[] => text.trimEnd().split('\n')

beforeAll(() => buildCli())

describe('coffer recurring run and coffer standing-orders run', () => {
  it('standing orders: a dry run lists and writes nothing; a real run posts through the job engine; the next has nothing to do', async () => {
    const b = await book()
    const before = written(b.dir)

    const dry = coffer(b.dir, 'standing-orders', 'run', '--dry-run')
    expect(dry).toMatchObject({ code: 0, err: '' })
    const out = lines(dry.out)
    // No entry numbers in a dry run: its entries were never kept.
    expect(out[0]).toMatch(/^Date +Standing order +Amount \(KES\) +Would be +Reason$/)
    // Two occurrences each, in date order and, on one day, by order: Wanjiru's posts, Otieno's is skipped for want of money.
    const body = out.slice(1, -1)
    expect(body).toHaveLength(4)
    expect(body.filter((l) => /M-001 Wanjiru Kamau: M-001-SAV to M-001-SHR +1,500\.00 +Posted$/.test(l))).toHaveLength(2)
    expect(body.filter((l) => /M-002 Otieno Ochieng: M-002-SAV to M-002-SHR +500\.00 +Skipped +Not enough in M-002-SAV: the balance is Ksh\u00a00\.00, the order needs Ksh\u00a0500\.00\.$/.test(l))).toHaveLength(2)
    expect(body[0]?.startsWith(formatCalendarDate(b.start, 'en-KE'))).toBe(true)
    expect(out.at(-1)).toBe(
      `Dry run, nothing was written: 4 executions up to ${formatCalendarDate(b.today, 'en-KE')}: 2 would be posted (Ksh\u00a03,000.00), 2 skipped. Amounts in KES.`
    )
    expect(written(b.dir)).toEqual(before)

    const dryJson = coffer(b.dir, 'standing-orders', 'run', '--dry-run', '--json')
    expect(dryJson.code).toBe(0)
    const planned = RunReport.parse(JSON.parse(dryJson.out))
    expect(planned).toMatchObject({ today: b.today, dryRun: true, posted: 2, skipped: 2, review: 0, failed: 0, generated: 0 })
    expect(written(b.dir)).toEqual(before)

    const real = coffer(b.dir, 'standing-orders', 'run')
    expect(real).toMatchObject({ code: 0, err: '' })
    const realOut = lines(real.out)
    expect(realOut[0]).toMatch(/^Date +Standing order +Amount \(KES\) +Outcome +Entry +Reason$/)
    expect(realOut.slice(1, -1).filter((l) => / Posted +#\d+$/.test(l))).toHaveLength(2)
    expect(realOut.at(-1)).toBe(`4 executions up to ${formatCalendarDate(b.today, 'en-KE')}: 2 posted (Ksh\u00a03,000.00), 2 skipped. Amounts in KES.`)
    const after = written(b.dir)
    expect(after).toMatchObject({ occurrences: before.occurrences + 4, entries: before.entries + 2, lines: before.lines + 4, runs: before.runs + 1 })
    expect(count(b.dir, "SELECT count(*) FROM job_runs WHERE job_id = 'standing-orders' AND trigger = 'cli' AND status = 'succeeded'")).toBe(1)
    // Each posted execution names its journal entry, one with source standing-order.
    const entryIds = realOut.slice(1, -1).flatMap((l) => /#(\d+)$/.exec(l)?.[1] ?? [])
    for (const id of entryIds) expect(count(b.dir, `SELECT count(*) FROM journal_entries WHERE id = ${Number(id)} AND source = 'standing-order'`)).toBe(1)

    const again = coffer(b.dir, 'standing-orders', 'run')
    expect(again).toMatchObject({ code: 0, err: '', out: `Nothing to do: no standing order was due up to ${formatCalendarDate(b.today, 'en-KE')}.\n` })
    const againJson = coffer(b.dir, 'standing-orders', 'run', '--json')
    expect(againJson.code).toBe(0)
    expect(RunReport.parse(JSON.parse(againJson.out))).toEqual({ today: b.today, dryRun: false, lines: [], posted: 0, review: 0, failed: 0, skipped: 0, generated: 0 })
    expect(written(b.dir)).toMatchObject({ occurrences: after.occurrences, entries: after.entries, lines: after.lines })
    expect(coffer(b.dir, 'standing-orders', 'run', '--dry-run').out).toBe(
      `Nothing to do: no standing order is due up to ${formatCalendarDate(b.today, 'en-KE')} (a dry run: nothing was written).\n`
    )
  })

  it('recurring entries: the salaries post with their own dates, the interest goes to To review; --json is the run report of what the run did', async () => {
    const b = await book()
    const before = written(b.dir)
    const dry = coffer(b.dir, 'recurring', 'run', '--dry-run', '--json')
    expect(dry).toMatchObject({ code: 0, err: '' })
    const planned = RunReport.parse(JSON.parse(dry.out))
    expect(planned).toMatchObject({ dryRun: true, posted: 2, review: 2, skipped: 0, failed: 0, generated: 0 })
    expect(written(b.dir)).toEqual(before)

    const real = coffer(b.dir, 'recurring', 'run', '--json')
    expect(real).toMatchObject({ code: 0, err: '' })
    const report = RunReport.parse(JSON.parse(real.out))
    expect(report).toMatchObject({ today: b.today, dryRun: false, posted: 2, review: 2, skipped: 0, failed: 0, generated: 0 })
    const salaries = report.lines.filter((l) => l.name === 'Staff salaries')
    expect(salaries.map((l) => [l.outcome, l.scheduledDate, l.amountMinor])).toEqual([
      ['posted', b.start, 1_200_000],
      ['posted', salaries[1]?.scheduledDate, 1_200_000]
    ])
    expect(salaries.every((l) => l.entryId !== null && l.valueDate === l.dueDate)).toBe(true)
    expect(report.lines.filter((l) => l.name === 'Bank interest').map((l) => [l.outcome, l.entryId])).toEqual([
      ['review', null],
      ['review', null]
    ])
    // The dry run said the same, line for line, but for the entries it never kept.
    const strip = (r: RunReport) => r.lines.map((l) => [l.scheduledDate, l.name, l.outcome, l.amountMinor].join(' ')).sort()
    expect(strip(report)).toEqual(strip(planned))
    expect(written(b.dir)).toMatchObject({ entries: before.entries + 2, occurrences: before.occurrences + 4, runs: before.runs + 1 })

    const again = coffer(b.dir, 'recurring', 'run')
    expect(again).toMatchObject({ code: 0, err: '', out: `Nothing to do: no recurring entry was due up to ${formatCalendarDate(b.today, 'en-KE')}.\n` })
  })

  it('the text report: a line per occurrence with the outcome in words, then the total', async () => {
    const b = await book()
    const real = coffer(b.dir, 'recurring', 'run')
    expect(real).toMatchObject({ code: 0, err: '' })
    const out = lines(real.out)
    expect(out[0]).toMatch(/^Date +Recurring entry +Amount \(KES\) +Outcome +Entry +Reason$/)
    expect(out.slice(1, -1).filter((l) => /Staff salaries +12,000\.00 +Posted +#\d+$/.test(l))).toHaveLength(2)
    expect(out.slice(1, -1).filter((l) => /Bank interest +25\.00 +To review$/.test(l))).toHaveLength(2)
    expect(out.at(-1)).toBe(
      `4 occurrences up to ${formatCalendarDate(b.today, 'en-KE')}: 2 posted (Ksh\u00a024,000.00), 2 sent to To review. Amounts in KES.`
    )
  })

  it('usage: a misspelt option, a stray argument and an area alone are refused (exit 2) before the data is opened; an auditor may not run them (exit 3)', async () => {
    const b = await book()
    const before = written(b.dir)
    expect(coffer(b.dir, 'recurring', 'run', '--dryrun')).toEqual({
      code: 2,
      out: '',
      err: 'coffer: Unknown option --dryrun for coffer recurring run. It takes --dry-run, --json.\n'
    })
    expect(coffer(b.dir, 'standing-orders', 'run', '--force')).toEqual({
      code: 2,
      out: '',
      err: 'coffer: Unknown option --force for coffer standing-orders run. It takes --dry-run, --json.\n'
    })
    expect(coffer(b.dir, 'standing-orders', 'run', 'now')).toMatchObject({ code: 2, err: 'coffer: Unexpected argument "now" for coffer standing-orders run.\n' })
    expect(coffer(b.dir, 'recurring')).toMatchObject({
      code: 2,
      err: 'coffer: Say what to do with recurring entries: coffer recurring run (add --dry-run to see what it would post).\n'
    })
    expect(coffer(b.dir, 'standing-orders')).toMatchObject({
      code: 2,
      err: "coffer: Say what to do with members' standing orders: coffer standing-orders run (add --dry-run to see what it would post).\n"
    })
    expect(coffer(b.dir, 'recurring', 'post')).toMatchObject({ code: 2, err: 'coffer: Unknown command: coffer recurring post. Try coffer help.\n' })
    const help = coffer(b.dir, 'help')
    expect(help.out).toContain('  coffer recurring run [--dry-run] [--json]\n  coffer standing-orders run [--dry-run] [--json]\n')
    expect(coffer(b.dir, 'standing-orders', 'run', '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage: coffer standing-orders run \[--dry-run\] \[--json\]\n/) })

    const refused = cofferWith(b.dir, AUDITOR.password, 'standing-orders', 'run', '--dry-run', '--user', AUDITOR.username)
    expect(refused.code).toBe(3)
    expect(refused.err).toMatch(/^coffer: .+\n$/)
    expect(cofferWith(b.dir, AUDITOR.password, 'recurring', 'run', '--user', AUDITOR.username).code).toBe(3)
    expect(written(b.dir)).toEqual(before)
    // Ada, the administrator, may; her dry run writes nothing either, not even a job run.
    const ada = cofferWith(b.dir, ADMIN.password, 'standing-orders', 'run', '--dry-run', '--json', '--user', ADMIN.username)
    expect(ada).toMatchObject({ code: 0, err: '' })
    expect(RunReport.parse(JSON.parse(ada.out))).toMatchObject({ dryRun: true, posted: 2, skipped: 2 })
    expect(written(b.dir)).toEqual(before)
    const runs = JSON.parse(coffer(b.dir, 'jobs', 'history', '--job', 'standing-orders', '--json').out) as { rows: JobRun[] }
    expect(runs.rows).toEqual([])
  })
})
