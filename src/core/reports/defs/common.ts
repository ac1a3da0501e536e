/**
 * Small pieces every report definition shares: the period in words, the
 * parameters list, the member or account a report is about.
 */
import type { ReportParams } from '../../../shared/contract'
import { formatDate, formatPeriod, withLatinDigits } from '../../../shared/words'
import { invalid } from '../../platform/errors'
import type { ReportSource } from '../model'

/** The locale figures and dates are printed in: the book's, with Latin digits (see payslip-pdf's printLocale). */
export const printLocaleOf = (src: ReportSource): string => withLatinDigits(src.profile.locale)

/** "1 Nov 2026 – 30 Nov 2026" */
export const rangeWords = (src: ReportSource, p: ReportParams): string => formatPeriod(p.from, p.to, printLocaleOf(src))

/** A date in words in the book's locale. */
export const dateWords = (src: ReportSource, d: string): string => formatDate(d, printLocaleOf(src))

/** From and To, in words: the first entries of every report's parameters. */
export const rangeParameters = (src: ReportSource, p: ReportParams): Array<{ label: string; value: string }> => [
  { label: 'From', value: dateWords(src, p.from) },
  { label: 'To', value: dateWords(src, p.to) }
]

/** A member by id, or a field error next to the member box. */
export function memberOf(src: ReportSource, memberId: number): { id: number; memberNo: string; fullName: string; active: boolean } {
  const m = src.sqlite
    .prepare('SELECT id, member_no AS memberNo, full_name AS fullName, active FROM members WHERE id = ?')
    .get(memberId) as { id: number; memberNo: string; fullName: string; active: number } | undefined
  if (!m) throw invalid('That member is not in the book.', { memberId: 'There is no such member' })
  return { ...m, active: m.active === 1 }
}
