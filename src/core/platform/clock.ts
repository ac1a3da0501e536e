/**
 * Time comes from here. No service reads the wall clock directly: they are
 * given a Clock, so a test can say "it is now 2026-07-01T02:00Z" or "the PC
 * was off from March to July".
 */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = {
  now: () => new Date()
}

/** A clock a test moves by hand. */
export class ManualClock implements Clock {
  private t: number
  constructor(start: Date | string | number) {
    this.t = new Date(start).getTime()
  }
  now(): Date {
    return new Date(this.t)
  }
  set(to: Date | string | number): void {
    this.t = new Date(to).getTime()
  }
  advance(ms: number): void {
    this.t += ms
  }
}
