/**
 * What the command line prints for people: statuses and triggers in words,
 * times in the cooperative's time zone and locale, counts with the locale's
 * grouping. (`--json` prints the contract's codes and ISO instants instead.)
 */
import type { Job, RunStatus } from '../shared/contract'
import { RUN_STATUS_WORDS, runStatusWord as statusWord } from '../shared/job-labels'

export { RUN_STATUS_WORDS as STATUS_WORDS, runStatusWord as statusWord, runTriggerWord as triggerWord } from '../shared/job-labels'

/** `--status` takes the code or the word, in any case: "timed-out", "Timed out". */
export function statusFromText(text: string): RunStatus | null {
  const key = text.trim().toLowerCase().replace(/[\s_]+/g, '-')
  for (const [code, word] of Object.entries(RUN_STATUS_WORDS)) {
    if (key === code || key === word.toLowerCase().replace(/\s+/g, '-')) return code as RunStatus
  }
  return null
}

/** Formats instants, counts and durations for one cooperative. */
export class Words {
  private readonly instant: Intl.DateTimeFormat
  private readonly instantSeconds: Intl.DateTimeFormat
  private readonly number: Intl.NumberFormat

  constructor(
    readonly locale: string,
    readonly timeZone: string
  ) {
    this.instant = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone })
    this.instantSeconds = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone })
    this.number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 })
  }

  /** A UTC instant as date and time where the cooperative is; `seconds` for runs that may start in the same minute. */
  when(iso: string, { seconds = false } = {}): string {
    const ms = Date.parse(iso)
    if (!Number.isFinite(ms)) return iso
    return (seconds ? this.instantSeconds : this.instant).format(ms)
  }

  count(n: number): string {
    return this.number.format(n)
  }

  /** "850 ms", "4.2 s", "3 min 5 s", "1 h 2 min". */
  duration(ms: number): string {
    if (ms < 1000) return `${this.count(Math.round(ms))} ms`
    if (ms < 60_000) return `${this.count(Math.round(ms / 100) / 10)} s`
    const totalS = Math.round(ms / 1000)
    const h = Math.floor(totalS / 3600)
    const m = Math.floor((totalS % 3600) / 60)
    const s = totalS % 60
    return h > 0 ? `${this.count(h)} h ${m} min` : `${m} min ${s} s`
  }
}

/** "1 run", "20 runs". */
export const plural = (n: number, one: string, many: string, words: Words): string => `${words.count(n)} ${n === 1 ? one : many}`

/**
 * A job's last result as the Jobs screen says it: "Succeeded"; "Failed, retry
 * at 28 Nov 2026, 14:05 (attempt 2 of 3)"; "Failed, no attempts left".
 */
export function lastResult(j: Job, words: Words): string {
  if (j.running) return statusWord('running')
  if (!j.lastRun) return '—'
  const status = statusWord(j.lastRun.status)
  const r = j.retry
  if (!r) return status
  if (r.state === 'pending') return `${status}, retry at ${words.when(r.at)} (attempt ${r.attempt} of ${j.maxAttempts})`
  return `${status}, ${r.reason === 'last-attempt' && j.maxAttempts > 1 ? 'no attempts left' : 'not retried'}`
}
