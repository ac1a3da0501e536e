/**
 * Voucher numbers from a pattern: {YYYY} the year, {YY} its last two digits,
 * {SEQ:n} the year's sequence padded to n digits ({SEQ} unpadded).
 * PV-{YYYY}-{SEQ:6} with 2026 and 123 gives PV-2026-000123.
 */
export function formatVoucherNumber(pattern: string, year: number, seq: number): string {
  return pattern
    .replace(/\{YYYY\}/g, String(year))
    .replace(/\{YY\}/g, String(year).slice(-2))
    .replace(/\{SEQ(?::(\d+))?\}/g, (_m, w: string | undefined) => String(seq).padStart(w ? Number(w) : 1, '0'))
}
