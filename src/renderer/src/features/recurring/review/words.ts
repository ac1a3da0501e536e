import { fmtCount } from '../../../platform/format'

/** "1 occurrence", "12 occurrences" (the count in the locale's digits). */
export function occurrencesWord(n: number, locale: string): string {
  return n === 1 ? '1 occurrence' : `${fmtCount(n, locale)} occurrences`
}

/** What an occurrence belongs to: the society's recurring entry or a member's standing order. */
export function kindWord(kind: 'template' | 'order'): string {
  return kind === 'template' ? 'Recurring entry' : 'Standing order'
}

/** The past tense of a review action, for the result: "Posted 3 occurrences with their own dates." */
export const DONE_WORDS = {
  post: { verb: 'Posted', tail: (n: number) => (n === 1 ? ' with its own date' : ' with their own dates') },
  'post-today': { verb: 'Posted', tail: () => ' as of today' },
  skip: { verb: 'Skipped', tail: () => '' },
  postpone: { verb: 'Postponed', tail: () => '' }
} as const
