import { beforeAll, describe, expect, it } from 'vitest'

type FmtRelative = (iso: string, nowMs: number, locale: string, timeZone: string) => string
let fmtRelative: FmtRelative
beforeAll(async () => {
  // The renderer's file is not in the node typecheck project (tsconfig.node.json), so it is loaded by a computed path.
  const file = ['..', '..', '..', 'src', 'renderer', 'src', 'platform', 'format.ts'].join('/')
  fmtRelative = ((await import(/* @vite-ignore */ file)) as { fmtRelative: FmtRelative }).fmtRelative
})

describe('fmtRelative: a day or more away is counted in calendar days of the cooperative time zone', () => {
  it('says "tomorrow" only of the next calendar day there', () => {
    // 20:00 UTC on 1 March is 23:00 in Nairobi; the next run at 21:00 UTC on 2 March is 00:00 on 3 March there.
    const now = Date.parse('2026-03-01T20:00:00Z')
    expect(fmtRelative('2026-03-02T21:00:00Z', now, 'en-KE', 'Africa/Nairobi')).toBe('in 2 days')
    // The same two instants in UTC are one calendar day apart.
    expect(fmtRelative('2026-03-02T21:00:00Z', now, 'en-KE', 'UTC')).toBe('tomorrow')
    // 06:00 in Nairobi to 18:00 the next day is 36 hours (rounded, "in 2 days"), but it is tomorrow.
    expect(fmtRelative('2026-03-02T15:00:00Z', Date.parse('2026-03-01T03:00:00Z'), 'en-KE', 'Africa/Nairobi')).toBe('tomorrow')
    // Backwards: at 01:30 on 2 March in Nairobi, a run that ended at 23:30 on 28 February (26 hours ago) was not yesterday.
    expect(fmtRelative('2026-02-28T20:30:00Z', Date.parse('2026-03-01T22:30:00Z'), 'en-KE', 'Africa/Nairobi')).toBe('2 days ago')
  })
})
