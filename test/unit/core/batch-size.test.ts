import { describe, expect, it } from 'vitest'
import { BatchSizer } from '../../../src/core/platform/jobs/batch-size'

describe('BatchSizer: rows per transaction by time', () => {
  it('moves halfway towards the size that takes the target time', () => {
    const s = new BatchSizer({ initial: 200, max: 1000, targetMs: 20 })
    // 200 rows took 40 ms: 100 would take 20; halfway from 200 is 150.
    s.took(200, 40)
    expect(s.size).toBe(150)
    // Fast rows: 150 rows in 5 ms → 600 would take 20; halfway → 375.
    s.took(150, 5)
    expect(s.size).toBe(375)
  })

  it('stays within min and max', () => {
    const s = new BatchSizer({ initial: 5000, min: 10, max: 1000, targetMs: 20 })
    expect(s.size).toBe(1000)
    for (let i = 0; i < 20; i++) s.took(s.size, 0.001)
    expect(s.size).toBe(1000)
    for (let i = 0; i < 20; i++) s.took(s.size, 10_000)
    expect(s.size).toBe(10)
  })

  it('ignores a transaction that wrote nothing or took no measurable time', () => {
    const s = new BatchSizer({ initial: 300, max: 1000 })
    s.took(0, 50)
    s.took(100, 0)
    expect(s.size).toBe(300)
  })

  it('refuses a target that is not a positive time', () => {
    expect(() => new BatchSizer({ initial: 10, max: 100, targetMs: 0 })).toThrow(/targetMs must be positive/)
    expect(() => new BatchSizer({ initial: 10, max: 100, targetMs: Number.NaN })).toThrow(/targetMs must be positive/)
  })

  it('run() measures the write it wraps and returns its value', () => {
    const s = new BatchSizer({ initial: 100, max: 1000, targetMs: 1_000_000 })
    const v = s.run((size) => ({ rows: size, value: size * 2 }))
    expect(v).toBe(200)
    // Any real duration is far under the huge target: the size grows (halfway towards the max).
    expect(s.size).toBeGreaterThan(100)
  })
})
