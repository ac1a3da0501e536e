import { z } from 'zod'
import { isCalendarDate } from '../dates'
import { formatLimit } from './messages'

/**
 * Field schemas shared by the contract and the renderer's forms. Each names
 * its field in every message ("Units must be a whole number"); importing this
 * file also installs the contract's plain-words error map (./messages).
 *
 * Text rules (every text field):
 * - leading and trailing spaces are trimmed; nothing else is ever changed or
 *   cut: text longer than the limit is refused with the limit in the message,
 *   counted in characters (Unicode code points, so "Zoë" is 3 whatever its
 *   encoding and an emoji is 1);
 * - control characters (NUL, tab, escape, C1 controls, ...) are refused; only
 *   multi-line fields (address, notes) accept line breaks;
 * - characters that override or embed a text direction (U+202A-U+202E,
 *   U+2066-U+2069) are refused: a pasted "name" would display reversed. The
 *   joiners scripts need (ZWJ U+200D, ZWNJ U+200C) and the plain direction
 *   marks (LRM, RLM, ALM) are kept;
 * - a byte-order mark, the deprecated format characters U+206A-U+206F,
 *   interlinear annotation marks, noncharacters U+FFFE/U+FFFF and broken
 *   UTF-16 (a lone surrogate, which SQLite would turn into U+FFFD) are refused.
 *
 * Forms send '' for an empty optional box; optional builders turn it into
 * null so the database never holds empty strings.
 */

export interface TextOptions {
  /** Accept line breaks (\n, \r\n): addresses and notes. */
  multiline?: boolean
}

const hex = (c: string): string => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/
const TAB = /\t/
const LINE_BREAK = /[\n\r\u2028\u2029\u0085]/
const MULTILINE_ODD_BREAK = /[\u2028\u2029\u0085]|\r(?!\n)/
const DIRECTION = /[\u202a-\u202e\u2066-\u2069]/
const INVISIBLE = /[\ufeff\u206a-\u206f\ufff9-\ufffb\ufffe\uffff]/
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Characters as a person counts them: code points, not UTF-16 units. */
export const charCount = (v: string): number => {
  let n = 0
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i)
    if (c < 0xd800 || c > 0xdbff || i + 1 >= v.length) n++
    else {
      const d = v.charCodeAt(i + 1)
      n++
      if (d >= 0xdc00 && d <= 0xdfff) i++
    }
  }
  return n
}

const at = (v: string, re: RegExp): { char: string; position: number } | null => {
  const m = re.exec(v)
  if (!m) return null
  return { char: m[0], position: charCount(v.slice(0, m.index)) + 1 }
}

/** Why `v` cannot be stored in the field labelled `label`, or null. */
export function textProblem(label: string, v: string, max: number, options: TextOptions = {}): string | null {
  const found = (re: RegExp) => at(v, re)
  let f = found(LONE_SURROGATE)
  if (f) return `${label} contains a broken character at position ${f.position}; please retype it`
  if (options.multiline) {
    f = found(MULTILINE_ODD_BREAK)
    if (f) return `${label} contains an unusual line break (${hex(f.char)}) at position ${f.position}; use ordinary line breaks`
  } else {
    f = found(LINE_BREAK)
    if (f) return `${label} must be on one line`
  }
  f = found(TAB)
  if (f) return `${label} cannot contain tab characters (position ${f.position})`
  f = found(CONTROL)
  if (f) return `${label} cannot contain hidden control characters (found ${hex(f.char)} at position ${f.position})`
  f = found(DIRECTION)
  if (f) {
    return `${label} cannot contain characters that change the text direction (found ${hex(f.char)} at position ${f.position}); please retype it`
  }
  f = found(INVISIBLE)
  if (f) return `${label} cannot contain invisible formatting characters (found ${hex(f.char)} at position ${f.position})`
  if (charCount(v) > max) return `${label} can be at most ${formatLimit(max)} characters (this is ${formatLimit(charCount(v))})`
  return null
}

const typeError =
  (label: string, what: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? `${label} is required` : `${label} must be ${what}`

const checkText =
  (label: string, max: number, options: TextOptions) =>
  (v: string | null, ctx: z.RefinementCtx): void => {
    if (v === null) return
    const problem = textProblem(label, v, max, options)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  }

export const requiredText = (label: string, max: number, options: TextOptions = {}) =>
  z
    .string({ error: typeError(label, 'text') })
    .trim()
    .min(1, { error: `${label} is required` })
    .superRefine(checkText(label, max, options))

export const optionalText = (label: string, max: number, options: TextOptions = {}) =>
  z
    .union([z.string(), z.null()], { error: (issue) => `${label} must be text` + (issue.input === undefined ? '' : '') })
    .optional()
    .transform((v) => (v ?? '').trim())
    .transform((v) => (v === '' ? null : v))
    .superRefine(checkText(label, max, options))

export const optionalEmail = (label = 'Email') =>
  z
    .union([z.string(), z.null()], { error: `${label} must be text` })
    .optional()
    .transform((v) => (v ?? '').trim())
    .pipe(
      z.union([
        z.literal(''),
        z
          .string()
          .superRefine(checkText(label, 254, {}))
          .pipe(z.email({ error: 'Enter an email address like name@example.org' }))
      ])
    )
    .transform((v) => (v === '' ? null : v.toLowerCase()))

export const optionalPhone = (label = 'Phone') =>
  optionalText(label, 40).refine((v) => v === null || /^\+?[0-9 ()./-]{3,40}$/.test(v), {
    error: 'Use digits, spaces and + ( ) - . / only'
  })

export const calendarDate = (label = 'Date') =>
  z
    .string({ error: typeError(label, 'a date (YYYY-MM-DD)') })
    .trim()
    .refine((v) => v.length > 0, { error: `${label} is required` })
    .refine((v) => v.length === 0 || isCalendarDate(v), { error: `${label} must be a real date (YYYY-MM-DD)` })

export interface WholeNumberOptions {
  min?: number
  max?: number
}

/**
 * A whole number between min and max (both included): "Units is required",
 * "Units must be a whole number", "Units must be at most 1,000,000".
 */
export const wholeNumber = (label: string, { min = 0, max = Number.MAX_SAFE_INTEGER }: WholeNumberOptions = {}) =>
  z
    .number({ error: typeError(label, 'a number') })
    .int({ error: `${label} must be a whole number` })
    .min(min, { error: min === 1 ? `${label} must be at least 1` : `${label} must be at least ${formatLimit(min)}` })
    .max(max, { error: `${label} must be at most ${formatLimit(max)}` })

/** A row's id (a member, a series, a payment). */
export const id = wholeNumber('The id', { min: 1 })
/** An edit names the version it started from. */
export const version = wholeNumber('The version', { min: 1 })
/** Paging: where a page starts and how many rows it holds. */
export const pageOffset = (max = 10_000_000) => wholeNumber('Offset', { min: 0, max }).default(0)
export const pageLimit = (max: number, fallback: number) => wholeNumber('Page size', { min: 1, max }).default(fallback)
export const isoInstant = z.string()
