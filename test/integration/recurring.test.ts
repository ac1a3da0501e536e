/**
 * Recurring entries (issue #12), on a real core and SQLite file with a
 * manual clock: catch-up with each missed occurrence's own date and never
 * twice, days ahead, reversal, the To review list and its decisions, the
 * catch-up thresholds, months shorter than the start date's day, a closed
 * month, dry runs that write nothing, and who may do what. Every scenario
 * ends with the ledger's and the recurring area's invariants sound.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { DecideResult, Occurrence, ReviewItem, RunReport, Template } from '../../src/shared/contract/recurring'
import type { Account, JournalEntry } from '../../src/shared/contract/ledger'
import { asOperator } from '../support/operators'
import { value } from '../support/temp-core'
import {
  bookProblems,
  occurrencesOf,
  postedDates,
  recurringBook,
  rowCounts,
  runTemplates,
  salaryTemplate,
  setDay,
  type RecurringBook
} from '../support/recurring'

const books: RecurringBook[] = []
afterEach(async () => {
  for (const b of books.splice(0)) await b.close()
})
async function book(o: Parameters<typeof recurringBook>[0] = {}): Promise<RecurringBook> {
  const b = await recurringBook(o)
  books.push(b)
  return b
}
const settings = async (b: RecurringBook, catchUpMaxCount: number, catchUpMaxAmountMinor: number | null = null) =>
  value(await b.core.invoke('recurring.saveSettings', { catchUpMaxCount, catchUpMaxAmountMinor }))
const review = async (b: RecurringBook): Promise<ReviewItem[]> => value<{ items: ReviewItem[] }>(await b.core.invoke('recurring.review', {})).items
const decide = async (b: RecurringBook, input: Record<string, unknown>): Promise<DecideResult> => value<DecideResult>(await b.core.invoke('recurring.decide', input))
const bankBalance = async (b: RecurringBook): Promise<number> =>
  (value<{ accounts: Account[] }>(await b.core.invoke('ledger.accounts', {})).accounts.find((a) => a.id === b.role.bank.id) as Account).balanceMinor
const entryCount = (b: RecurringBook): number => b.db.prepare("SELECT count(*) FROM journal_entries WHERE source = 'recurring'").pluck().get() as number

describe('catch-up', () => {
  it('posts every missed occurrence with its own date, once: run twice, then again after the clock moves', async () => {
    const b = await book()
    await settings(b, 12)
    setDay(b, '2026-05-15')
    const t = await salaryTemplate(b, { startDate: '2026-01-31' })
    const first = await runTemplates(b)
    expect(first.lines.map((l) => [l.scheduledDate, l.outcome, l.valueDate])).toEqual([
      ['2026-01-31', 'posted', '2026-01-31'],
      ['2026-02-28', 'posted', '2026-02-28'],
      ['2026-03-31', 'posted', '2026-03-31'],
      ['2026-04-30', 'posted', '2026-04-30']
    ])
    // The same day again: nothing.
    const again = await runTemplates(b)
    expect(again.lines).toEqual([])
    expect(entryCount(b)).toBe(4)
    // Two weeks on: May's only.
    setDay(b, '2026-06-01')
    expect((await runTemplates(b)).lines.map((l) => `${l.scheduledDate}:${l.outcome}`)).toEqual(['2026-05-31:posted'])
    expect((await runTemplates(b)).lines).toEqual([])
    expect(postedDates(occurrencesOf(b.db, { templateId: t.id }))).toEqual([
      '2026-01-31→2026-01-31',
      '2026-02-28→2026-02-28',
      '2026-03-31→2026-03-31',
      '2026-04-30→2026-04-30',
      '2026-05-31→2026-05-31'
    ])
    expect(await bankBalance(b)).toBe(-5 * 50_000)
    const detail = value<{ template: Template }>(await b.core.invoke('recurring.template', { id: t.id })).template
    expect(detail).toMatchObject({ counts: { posted: 5, waiting: 0 }, lastPostedOn: '2026-05-31', nextDueDate: '2026-06-30' })
    expect(await bookProblems(b)).toEqual([])
  })

  it('with the default threshold (1): two missed go to To review, one missed posts', async () => {
    const b = await book()
    setDay(b, '2026-11-22')
    const two = await salaryTemplate(b, { name: 'Two missed', startDate: '2026-09-30' })
    const one = await salaryTemplate(b, { name: 'One missed', startDate: '2026-10-31', amountMinor: 7_000 })
    const r = await runTemplates(b)
    expect(r.lines.map((l) => [l.name, l.scheduledDate, l.outcome])).toEqual(
      expect.arrayContaining([
        ['Two missed', '2026-09-30', 'review'],
        ['Two missed', '2026-10-30', 'review'],
        ['One missed', '2026-10-31', 'posted']
      ])
    )
    expect(r.lines).toHaveLength(3)
    expect(occurrencesOf(b.db, { templateId: two.id }).map((o) => [o.status, o.review])).toEqual([
      ['generated', 'catch-up'],
      ['generated', 'catch-up']
    ])
    expect(postedDates(occurrencesOf(b.db, { templateId: one.id }))).toEqual(['2026-10-31→2026-10-31'])
    // Waiting in To review, the job posts none of them later either.
    setDay(b, '2026-11-25')
    expect((await runTemplates(b)).lines).toEqual([])
    expect((await review(b)).map((i) => i.scheduledDate)).toEqual(['2026-09-30', '2026-10-30'])
    expect(await bookProblems(b)).toEqual([])
  })

  it('with a higher count threshold posts; an amount threshold sends a catch-up over it to review', async () => {
    const b = await book()
    setDay(b, '2026-11-22')
    await settings(b, 3)
    const under = await salaryTemplate(b, { name: 'Three missed', startDate: '2026-08-31', amountMinor: 1_000 })
    await runTemplates(b)
    expect(postedDates(occurrencesOf(b.db, { templateId: under.id }))).toEqual(['2026-08-31→2026-08-31', '2026-09-30→2026-09-30', '2026-10-31→2026-10-31'])

    // Count allows 3, the amount 2,500.00: two missed of 1,000.00 pass, two of 2,000.00 do not.
    await settings(b, 3, 250_000)
    const small = await salaryTemplate(b, { name: 'Small', startDate: '2026-09-30', amountMinor: 100_000 })
    const large = await salaryTemplate(b, { name: 'Large', startDate: '2026-09-30', amountMinor: 200_000 })
    await runTemplates(b)
    expect(occurrencesOf(b.db, { templateId: small.id }).map((o) => o.status)).toEqual(['posted', 'posted'])
    expect(occurrencesOf(b.db, { templateId: large.id }).map((o) => [o.status, o.review])).toEqual([
      ['generated', 'catch-up'],
      ['generated', 'catch-up']
    ])
    expect(await bookProblems(b)).toEqual([])
  })
})

describe('days ahead and reversal', () => {
  it('generates an occurrence early, posts it on its date and not again', async () => {
    const b = await book()
    setDay(b, '2026-11-30')
    const t = await salaryTemplate(b, { startDate: '2026-12-05', daysAhead: 5 })
    const r = await runTemplates(b)
    expect(r.lines.map((l) => [l.scheduledDate, l.outcome, l.entryId])).toEqual([['2026-12-05', 'generated', null]])
    expect(r.generated).toBe(1)
    setDay(b, '2026-12-03')
    expect((await runTemplates(b)).lines).toEqual([])
    expect(entryCount(b)).toBe(0)
    setDay(b, '2026-12-05')
    const posted = await runTemplates(b)
    expect(posted.lines.map((l) => [l.scheduledDate, l.outcome, l.valueDate])).toEqual([['2026-12-05', 'posted', '2026-12-05']])
    setDay(b, '2026-12-06')
    expect((await runTemplates(b)).lines).toEqual([])
    expect(postedDates(occurrencesOf(b.db, { templateId: t.id }))).toEqual(['2026-12-05→2026-12-05'])
    // January's is generated five days before its date, not earlier.
    setDay(b, '2026-12-30')
    expect((await runTemplates(b)).lines).toEqual([])
    setDay(b, '2026-12-31')
    expect((await runTemplates(b)).lines.map((l) => [l.scheduledDate, l.outcome])).toEqual([['2027-01-05', 'generated']])
    expect(await bookProblems(b)).toEqual([])
  })

  it('an occurrence generated ahead whose date falls while paused is skipped on resume, not posted late', async () => {
    const b = await book()
    setDay(b, '2026-11-30')
    const t = await salaryTemplate(b, { startDate: '2026-12-05', daysAhead: 5 })
    await runTemplates(b)
    expect(occurrencesOf(b.db, { templateId: t.id }).map((o) => o.status)).toEqual(['generated'])
    setDay(b, '2026-12-02')
    const paused = value<Template>(await b.core.invoke('recurring.pauseTemplate', { id: t.id, expectedVersion: t.version, reason: null }))
    setDay(b, '2026-12-10')
    expect((await runTemplates(b)).lines).toEqual([])
    value(await b.core.invoke('recurring.resumeTemplate', { id: t.id, expectedVersion: paused.version, reason: null }))
    expect((await runTemplates(b)).lines).toEqual([])
    expect(occurrencesOf(b.db, { templateId: t.id }).map((o) => `${o.scheduled_date}:${o.status}`)).toEqual(['2026-12-05:skipped'])
    expect(entryCount(b)).toBe(0)
    // January's comes as usual.
    setDay(b, '2027-01-05')
    await runTemplates(b)
    expect(postedDates(occurrencesOf(b.db, { templateId: t.id }))).toEqual(['2027-01-05→2027-01-05'])
    expect(await bookProblems(b)).toEqual([])
  })

  it('a reversed occurrence never falls due again; the journal refuses to reverse it', async () => {
    const b = await book()
    setDay(b, '2026-11-30')
    const t = await salaryTemplate(b, { startDate: '2026-11-30' })
    await runTemplates(b)
    const [occ] = occurrencesOf(b.db, { templateId: t.id })
    const fromJournal = await b.core.invoke('ledger.reverse', { id: occ!.entry_id, valueDate: '2026-11-30', reason: 'wrong' })
    expect(fromJournal).toMatchObject({ ok: false, error: { message: expect.stringContaining('correct it there') } })
    const reversed = value<Occurrence>(await b.core.invoke('recurring.reverseOccurrence', { id: occ!.id, reason: 'Paid twice' }))
    expect(reversed).toMatchObject({ status: 'posted', reversalEntryId: expect.any(Number) })
    expect(await b.core.invoke('recurring.reverseOccurrence', { id: occ!.id, reason: 'again' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect((await runTemplates(b)).lines).toEqual([])
    setDay(b, '2026-12-15')
    expect((await runTemplates(b)).lines).toEqual([])
    expect(await review(b)).toEqual([])
    expect(occurrencesOf(b.db, { templateId: t.id })).toHaveLength(1)
    expect(await bankBalance(b)).toBe(0)
    expect(await bookProblems(b)).toEqual([])
  })
})

describe('To review', () => {
  /** A template with four missed occurrences waiting in To review (the default threshold). */
  async function fourMissed(): Promise<{ b: RecurringBook; t: Template; items: ReviewItem[] }> {
    const b = await book()
    setDay(b, '2026-05-15')
    const t = await salaryTemplate(b, { startDate: '2026-01-31' })
    const r: RunReport = await runTemplates(b)
    expect(r.review).toBe(4)
    return { b, t, items: await review(b) }
  }

  it('lists each with its date and the balance it would leave; skip acts on the chosen ones only', async () => {
    const { b, t, items } = await fourMissed()
    expect(items.map((i) => [i.scheduledDate, i.review, i.balanceAfterMinor])).toEqual([
      ['2026-01-31', 'catch-up', -50_000],
      ['2026-02-28', 'catch-up', -100_000],
      ['2026-03-31', 'catch-up', -150_000],
      ['2026-04-30', 'catch-up', -200_000]
    ])
    expect(items[0]?.balanceAccount).toBe(`${b.role.bank.name} (${b.role.bank.code})`)
    const [jan, feb, mar, apr] = items.map((i) => i.id) as [number, number, number, number]
    expect(await decide(b, { ids: [feb, apr], action: 'skip', reason: 'Paid by hand' })).toEqual({ done: 2, failed: [] })
    expect(occurrencesOf(b.db, { templateId: t.id }).map((o) => o.status)).toEqual(['generated', 'skipped', 'generated', 'skipped'])
    expect(entryCount(b)).toBe(0)
    expect((await review(b)).map((i) => i.id)).toEqual([jan, mar])

    // Post with its own date, post as of today.
    expect(await decide(b, { ids: [jan], action: 'post' })).toEqual({ done: 1, failed: [] })
    expect(await decide(b, { ids: [mar], action: 'post-today' })).toEqual({ done: 1, failed: [] })
    expect(postedDates(occurrencesOf(b.db, { templateId: t.id }))).toEqual(['2026-01-31→2026-01-31', '2026-03-31→2026-05-15'])
    expect(await review(b)).toEqual([])
    // Skipped ones stay skipped: no later run posts them.
    setDay(b, '2026-05-20')
    expect((await runTemplates(b)).lines).toEqual([])
    expect(entryCount(b)).toBe(2)
    expect(await bookProblems(b)).toEqual([])
  })

  it('postpone hides one until its date; a failed item does not stop the others', async () => {
    const { b, items } = await fourMissed()
    const [jan, feb, mar] = items.map((i) => i.id) as [number, number, number]
    expect(await b.core.invoke('recurring.decide', { ids: [jan], action: 'postpone' })).toMatchObject({ ok: false, error: { fields: { until: expect.any(String) } } })
    expect(await decide(b, { ids: [jan], action: 'postpone', until: '2026-05-18' })).toEqual({ done: 1, failed: [] })
    expect((await review(b)).map((i) => i.id)).not.toContain(jan)
    setDay(b, '2026-05-17')
    expect((await runTemplates(b)).lines).toEqual([])
    expect((await review(b)).map((i) => i.id)).not.toContain(jan)
    setDay(b, '2026-05-18')
    expect((await review(b)).map((i) => i.id)).toContain(jan)

    // Feb posted first; then Feb again (posted already), an unknown id and Mar: Mar is done, the other two fail with why.
    expect(await decide(b, { ids: [feb], action: 'post' })).toEqual({ done: 1, failed: [] })
    const mixed = await decide(b, { ids: [feb, 999_999, mar], action: 'post' })
    expect(mixed.done).toBe(1)
    expect(mixed.failed).toEqual([
      { id: feb, reason: expect.stringContaining('posted already') },
      { id: 999_999, reason: expect.stringMatching(/not found|no such|999999/i) }
    ])
    expect(postedDates(occurrencesOf(b.db, { templateId: items[0]!.templateId! }))).toEqual(['2026-02-28→2026-02-28', '2026-03-31→2026-03-31'])
    expect(await bookProblems(b)).toEqual([])
  })

  it('an estimated amount waits for review and posts with the amount confirmed', async () => {
    const b = await book()
    setDay(b, '2026-11-30')
    const t = await salaryTemplate(b, { name: 'Electricity', startDate: '2026-11-30', amountKind: 'estimated', amountMinor: 40_000 })
    const r = await runTemplates(b)
    expect(r.lines.map((l) => l.outcome)).toEqual(['review'])
    const [item] = await review(b)
    expect(item).toMatchObject({ review: 'estimated', amountMinor: 40_000 })
    const noAmount = await decide(b, { ids: [item!.id], action: 'post' })
    expect(noAmount).toEqual({ done: 0, failed: [{ id: item!.id, reason: expect.stringContaining('real amount') }] })
    expect(await decide(b, { ids: [item!.id], action: 'post', amountMinor: 42_317 })).toEqual({ done: 1, failed: [] })
    const [occ] = occurrencesOf(b.db, { templateId: t.id })
    expect(occ).toMatchObject({ status: 'posted', amount_minor: 42_317, value_date: '2026-11-30' })
    const entry = value<JournalEntry>(await b.core.invoke('ledger.entry', { id: occ!.entry_id }))
    expect(entry.lines.map((l) => [l.debitMinor, l.creditMinor])).toEqual([
      [42_317, 0],
      [0, 42_317]
    ])
    expect(await bankBalance(b)).toBe(-42_317)
    expect(await bookProblems(b)).toEqual([])
  })

  it('cancelling a template skips what waits for it; pausing records the paused occurrences as skipped', async () => {
    const { b, t } = await fourMissed()
    const cancelled = value<Template>(await b.core.invoke('recurring.cancelTemplate', { id: t.id, expectedVersion: t.version, reason: 'Moved offices' }))
    expect(cancelled.status).toBe('cancelled')
    expect(occurrencesOf(b.db, { templateId: t.id }).map((o) => o.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped'])
    expect(await review(b)).toEqual([])

    const daily = await salaryTemplate(b, { name: 'Daily float', frequency: 'daily', startDate: '2026-05-15', amountMinor: 100 })
    await runTemplates(b)
    const paused = value<Template>(await b.core.invoke('recurring.pauseTemplate', { id: daily.id, expectedVersion: daily.version, reason: null }))
    setDay(b, '2026-05-19')
    expect((await runTemplates(b)).lines).toEqual([])
    const resumed = value<Template>(await b.core.invoke('recurring.resumeTemplate', { id: daily.id, expectedVersion: paused.version, reason: null }))
    expect(resumed.status).toBe('active')
    await runTemplates(b)
    expect(occurrencesOf(b.db, { templateId: daily.id }).map((o) => `${o.scheduled_date}:${o.status}`)).toEqual([
      '2026-05-15:posted',
      '2026-05-16:skipped',
      '2026-05-17:skipped',
      '2026-05-18:skipped',
      '2026-05-19:posted'
    ])
    expect(await bookProblems(b)).toEqual([])
  })
})

describe('the schedule', () => {
  it('a monthly entry on the 31st: 28 Feb (29 in a leap year), 30 Apr, and the 31st again in May', async () => {
    const b = await book()
    await settings(b, 50)
    setDay(b, '2028-06-01')
    const common = await salaryTemplate(b, { name: 'Common year', startDate: '2027-01-31', amountMinor: 100 })
    const leap = await salaryTemplate(b, { name: 'Leap year', startDate: '2028-01-31', amountMinor: 100, endDate: '2028-05-31' })
    await runTemplates(b)
    expect(occurrencesOf(b.db, { templateId: common.id }).map((o) => o.scheduled_date).slice(0, 5)).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
      '2027-05-31'
    ])
    expect(postedDates(occurrencesOf(b.db, { templateId: leap.id }))).toEqual([
      '2028-01-31→2028-01-31',
      '2028-02-29→2028-02-29',
      '2028-03-31→2028-03-31',
      '2028-04-30→2028-04-30',
      '2028-05-31→2028-05-31'
    ])
    // The end date reached: completed.
    expect(value<{ template: Template }>(await b.core.invoke('recurring.template', { id: leap.id })).template.status).toBe('completed')
    expect(occurrencesOf(b.db, { templateId: common.id })).toHaveLength(17)
    expect(await bookProblems(b)).toEqual([])
  })

  it('schedule fields are fixed once occurrences exist; other fields still change', async () => {
    const b = await book()
    setDay(b, '2026-11-30')
    const t = await salaryTemplate(b, { startDate: '2026-12-31' })
    const input = {
      id: t.id,
      expectedVersion: t.version,
      name: t.name,
      description: t.description,
      lines: t.lines.map((l) => ({ accountId: l.accountId, debitMinor: l.debitMinor, creditMinor: l.creditMinor })),
      frequency: 'quarterly',
      startDate: '2026-12-31'
    }
    const before = value<Template>(await b.core.invoke('recurring.updateTemplate', input))
    expect(before.frequency).toBe('quarterly')
    setDay(b, '2026-12-31')
    await runTemplates(b)
    const locked = await b.core.invoke('recurring.updateTemplate', { ...input, expectedVersion: before.version, frequency: 'monthly', startDate: '2027-01-31' })
    expect(locked).toMatchObject({ ok: false, error: { code: 'CONFLICT', fields: { frequency: expect.any(String), startDate: expect.any(String) } } })
    const renamed = value<Template>(await b.core.invoke('recurring.updateTemplate', { ...input, expectedVersion: before.version, name: 'Staff pay' }))
    expect(renamed.name).toBe('Staff pay')
  })

  it('an occurrence due in a closed month posts on the first open day, with a note', async () => {
    const b = await book()
    setDay(b, '2026-11-22')
    value(await b.core.invoke('ledger.closePeriod', { month: '2026-10' }))
    const t = await salaryTemplate(b, { startDate: '2026-10-31' })
    const r = await runTemplates(b)
    expect(r.lines).toEqual([
      expect.objectContaining({ scheduledDate: '2026-10-31', dueDate: '2026-10-31', outcome: 'posted', valueDate: '2026-11-01', reason: expect.stringMatching(/closed/i) })
    ])
    expect(occurrencesOf(b.db, { templateId: t.id })[0]).toMatchObject({ value_date: '2026-11-01', reason: expect.stringMatching(/closed/i) })
    expect(await bookProblems(b)).toEqual([])
  })
})

describe('dry runs and permissions', () => {
  it('a dry run reports what the real run then does, and writes nothing', async () => {
    const b = await book()
    await settings(b, 2)
    setDay(b, '2026-11-22')
    await salaryTemplate(b, { name: 'Posts', startDate: '2026-09-30' })
    await salaryTemplate(b, { name: 'Reviews', startDate: '2026-06-30', amountMinor: 3_000 })
    await salaryTemplate(b, { name: 'Ahead', startDate: '2026-11-25', daysAhead: 5, amountMinor: 2_000 })
    const before = rowCounts(b.db)
    const dry = await runTemplates(b, true)
    expect(rowCounts(b.db)).toEqual(before)
    expect(dry.dryRun).toBe(true)
    expect([dry.posted, dry.review, dry.generated]).toEqual([2, 5, 1])
    const real = await runTemplates(b)
    expect(real.dryRun).toBe(false)
    const shape = (r: RunReport) =>
      r.lines.map((l) => [l.name, l.scheduledDate, l.dueDate, l.amountMinor, l.outcome, l.valueDate, l.reason].join('|')).sort()
    expect(shape(real)).toEqual(shape(dry))
    expect(rowCounts(b.db).recurring_occurrences).toBe((before.recurring_occurrences ?? 0) + 8)
    expect(await bookProblems(b)).toEqual([])
  })

  it('a clerk cannot set up a recurring entry; an auditor cannot decide', async () => {
    const b = await book()
    setDay(b, '2026-05-15')
    const t = await salaryTemplate(b, { startDate: '2026-01-31' })
    await runTemplates(b)
    const [item] = await review(b)
    const clerk = { name: 'Cleo Clerk', username: 'cleo', password: 'clerk password one', role: 'clerk' }
    const auditor = { name: 'Audrey Auditor', username: 'audrey', password: 'auditor password one', role: 'auditor' }
    const refused = await asOperator(b.core, clerk, () => salaryTemplateRaw(b, 'By the clerk'))
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const decided = await asOperator(b.core, auditor, () => b.core.invoke('recurring.decide', { ids: [item!.id], action: 'post' }))
    expect(decided).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    // The auditor still reads the list; nothing was decided.
    const seen = await asOperator(b.core, auditor, async () => value<{ items: ReviewItem[] }>(await b.core.invoke('recurring.review', {})).items)
    expect(seen).toHaveLength(4)
    expect(occurrencesOf(b.db, { templateId: t.id }).every((o) => o.status === 'generated')).toBe(true)
    expect(value<{ templates: Template[] }>(await b.core.invoke('recurring.templates', {})).templates).toHaveLength(1)
  })
})

function salaryTemplateRaw(b: RecurringBook, name: string) {
  return b.core.invoke('recurring.createTemplate', {
    name,
    description: 'x',
    lines: [
      { accountId: b.role['salary-expense'].id, debitMinor: 100 },
      { accountId: b.role.bank.id, creditMinor: 100 }
    ],
    frequency: 'monthly',
    startDate: '2026-01-31'
  })
}
