import { describe, expect, it } from 'vitest'
import { parseOptions } from '../../../src/cli/args'
import { displayWidth, formatTable } from '../../../src/cli/table'
import type { Job, JobRun } from '../../../src/shared/contract'
import { Words, lastResult, statusFromText } from '../../../src/cli/words'

describe('aligned columns', () => {
  it('measures what a terminal shows: wide East Asian characters two columns, combining marks none', () => {
    expect(displayWidth('Ochieng')).toBe(7)
    expect(displayWidth('2026/11/28 2:00')).toBe(15)
    expect(displayWidth('王小明')).toBe(6)
    expect(displayWidth('Jose\u0301')).toBe(4)
    expect(displayWidth('9:00\u202fAM')).toBe(7)
  })

  it('sizes each column to its widest cell, cuts nothing, pads no line end', () => {
    const rows = [
      { n: 7, name: '王小明', note: 'first line\nsecond line' },
      { n: 12, name: 'Wanjiru Kamau-Otieno', note: '' }
    ]
    const text = formatTable(
      [
        { header: 'No', cell: (r: (typeof rows)[number]) => String(r.n), align: 'right' },
        { header: 'Name', cell: (r) => r.name },
        { header: 'Note', cell: (r) => r.note }
      ],
      rows
    )
    expect(text.split('\n')).toEqual([
      'No  Name                  Note',
      ' 7  王小明                first line second line',
      '12  Wanjiru Kamau-Otieno'
    ])
  })
})

describe('options', () => {
  const spec = { flags: ['--json'], values: ['--limit'], positionals: ['id'] }
  it('takes declared options in both spellings and refuses everything else', () => {
    const p = parseOptions(['backup', '--limit=5', '--json'], spec, 'coffer x')
    expect([...p.flags]).toEqual(['--json'])
    expect(p.values.get('--limit')).toBe('5')
    expect(p.positionals).toEqual(['backup'])
    expect(parseOptions(['backup', '--limit', '5'], spec, 'coffer x').values.get('--limit')).toBe('5')
    expect(() => parseOptions(['backup', '--jsonn'], spec, 'coffer x')).toThrow('Unknown option --jsonn for coffer x. It takes --json, --limit.')
    expect(() => parseOptions(['backup', '--json=yes'], spec, 'coffer x')).toThrow('--json takes no value.')
    expect(() => parseOptions(['backup', '--limit', '--json'], spec, 'coffer x')).toThrow('--limit needs a value.')
    expect(() => parseOptions(['a', 'b'], spec, 'coffer x')).toThrow('Unexpected argument "b" for coffer x.')
    expect(() => parseOptions([], spec, 'coffer x')).toThrow('coffer x needs <id>.')
  })
})

describe('words', () => {
  it('reads a status as its code or its word', () => {
    expect(statusFromText('timed-out')).toBe('timed-out')
    expect(statusFromText('Timed out')).toBe('timed-out')
    expect(statusFromText('SUCCEEDED')).toBe('succeeded')
    expect(statusFromText('done')).toBeNull()
  })

  it('writes instants in the cooperative\'s zone and locale, and durations people read', () => {
    const w = new Words('fr-FR', 'Africa/Nairobi')
    expect(w.when('2026-11-27T23:00:00.000Z')).toBe(new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Africa/Nairobi' }).format(Date.UTC(2026, 10, 27, 23)))
    expect(w.when('2026-11-27T23:00:00.000Z')).toContain('28 nov. 2026')
    expect(w.duration(850)).toBe('850 ms')
    expect(w.duration(4_240)).toBe('4,2 s')
    expect(w.duration(185_000)).toBe('3 min 5 s')
    expect(w.duration(3_720_000)).toBe('1 h 2 min')
  })
})

describe("a job's last result", () => {
  const run = { status: 'failed', startedAt: '2026-11-28T11:00:00.000Z' } as JobRun
  const job = (over: Partial<Job>) => ({ running: null, lastRun: run, retry: null, maxAttempts: 3, ...over }) as Job
  const w = new Words('en-KE', 'Africa/Nairobi')
  it('says when a retry is pending, or that none will come, as the Jobs screen does', () => {
    expect(lastResult(job({ lastRun: null }), w)).toBe('—')
    expect(lastResult(job({ lastRun: { ...run, status: 'succeeded' } }), w)).toBe('Succeeded')
    expect(lastResult(job({ retry: { state: 'pending', at: '2026-11-28T11:05:00.000Z', attempt: 2 } }), w)).toBe(
      `Failed, retry at ${w.when('2026-11-28T11:05:00.000Z')} (attempt 2 of 3)`
    )
    expect(w.when('2026-11-28T11:05:00.000Z')).toMatch(/14:05/)
    expect(lastResult(job({ retry: { state: 'none', reason: 'last-attempt' } }), w)).toBe('Failed, no attempts left')
    expect(lastResult(job({ retry: { state: 'none', reason: 'last-attempt' }, maxAttempts: 1 }), w)).toBe('Failed, not retried')
    expect(lastResult(job({ retry: { state: 'none', reason: 'stopped' } }), w)).toBe('Failed, not retried')
    expect(lastResult(job({ running: { ...run, status: 'running' } }), w)).toBe('Running')
  })
})
