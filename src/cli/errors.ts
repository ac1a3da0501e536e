import type { Envelope } from '../shared/contract'

/** A refusal or failure said in one line on stderr, with the exit code it gives (index.ts lists them). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number
  ) {
    super(message)
  }
}

/** The answer's value, or core's words as a CliError: wrong input is wrong usage (2), anything else a refusal (3). */
export function unwrap<T>(env: Envelope<unknown>): T {
  if (!env.ok) throw new CliError(env.error.message, env.error.code === 'VALIDATION' || env.error.code === 'NOT_FOUND' ? 2 : 3)
  return env.value as T
}

/** Exit code of `coffer summaries check` when a bucket differs from the journal, and of a trial balance whose totals differ. */
export const EXIT_SUMMARIES_DIFFER = 5

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`
