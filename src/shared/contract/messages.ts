import { z } from 'zod'

/**
 * Validation messages in Coffer's own words. A field builder names its field
 * and says what is wrong ("Units must be a whole number"); anything a schema
 * does not word itself comes through `plainMessage`, which names the field
 * from its path and never repeats a library's wording ("expected number,
 * received undefined") or echoes more than a few characters of what was sent.
 *
 * Installed as zod's global error map when the contract loads, so the
 * renderer's forms and core's dispatcher read the same sentences.
 */

/** At most this many characters of anything the caller sent are repeated back (keys, channel names). */
export const ECHO_MAX = 40

/** `text` cut to `max` characters (code points) with an ellipsis, control and direction characters shown as '?'. */
export function echo(text: string, max = ECHO_MAX): string {
  const chars = Array.from(text.slice(0, max * 2 + 2))
  const cut = chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('')
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/g, '?')
}

/** Thousands separators, so limits read as "1,000,000". */
export const formatLimit = (n: number | bigint): string =>
  typeof n === 'bigint' ? n.toLocaleString('en') : Number.isFinite(n) ? n.toLocaleString('en', { maximumFractionDigits: 6 }) : String(n)

const SUFFIXES = /(Minor|Percent|Id|Ids)$/

/** "faceValueMinor" -> "Face value", "values.fullName" -> "Full name", "paymentIds.3" -> "Payment 4". */
export function labelFromPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'The request'
  const last = path[path.length - 1]
  if (typeof last === 'number') {
    const parent = path.length > 1 ? labelFromPath(path.slice(0, -1)) : 'Item'
    return `${parent} item ${last + 1}`
  }
  if (typeof last !== 'string') return 'A field'
  const key = (last.length > 2 ? last.replace(SUFFIXES, '') || last : last).replace(/^expected(?=[A-Z])/, '')
  const words = echo(key, ECHO_MAX)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase()
  if (words === 'id') return 'The id'
  return words.charAt(0).toUpperCase() + words.slice(1)
}

const NOUNS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'yes or no (true or false)',
  null: 'empty',
  undefined: 'left out',
  object: 'a group of fields',
  array: 'a list',
  date: 'a date',
  literal: 'a fixed value',
  enum: 'one of the listed choices'
}
const noun = (t: unknown): string => NOUNS[String(t)] ?? 'a different kind of value'

const listOf = (items: readonly string[], max = 3): string => {
  const shown = items.slice(0, max)
  const more = items.length - shown.length
  if (more > 0) return `${shown.join(', ')} and ${more} more`
  if (shown.length <= 1) return shown.join('')
  return `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`
}

const sizeWord = (origin: unknown, n: number | bigint): string => {
  const plural = Number(n) === 1 ? '' : 's'
  if (origin === 'string') return ` character${plural}`
  if (origin === 'array' || origin === 'set') return ` item${plural}`
  if (origin === 'file') return ` byte${plural}`
  return ''
}

type Issue = z.core.$ZodRawIssue

const valueText = (v: unknown): string => {
  if (typeof v === 'string') return `"${echo(v, 24)}"`
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === null) return String(v)
  return 'a fixed value'
}

/** One sentence for a person, naming the field. */
export function plainMessage(issue: Issue): string {
  const label = labelFromPath(issue.path ?? [])
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined && issue.expected !== 'undefined') return `${label} is required`
      if (issue.expected === 'int') return `${label} must be a whole number`
      if (issue.expected === 'number' && typeof issue.input === 'number') return `${label} must be a finite number`
      return `${label} must be ${noun(issue.expected)}`
    }
    case 'too_big': {
      const max = issue.maximum as number | bigint
      if (issue.origin === 'string') return `${label} can be at most ${formatLimit(max)}${sizeWord('string', max)}`
      if (issue.origin === 'array' || issue.origin === 'set') return `${label} can have at most ${formatLimit(max)}${sizeWord('array', max)}`
      return issue.inclusive === false
        ? `${label} must be less than ${formatLimit(max)}`
        : `${label} must be at most ${formatLimit(max)}`
    }
    case 'too_small': {
      const min = issue.minimum as number | bigint
      if (issue.origin === 'string') {
        return Number(min) <= 1 ? `${label} is required` : `${label} must be at least ${formatLimit(min)}${sizeWord('string', min)}`
      }
      if (issue.origin === 'array' || issue.origin === 'set') return `${label} needs at least ${formatLimit(min)}${sizeWord('array', min)}`
      if (Number(min) === 0 && issue.inclusive === false) return `${label} must be more than zero`
      return issue.inclusive === false
        ? `${label} must be more than ${formatLimit(min)}`
        : `${label} must be at least ${formatLimit(min)}`
    }
    case 'invalid_format':
      if (issue.format === 'email') return 'Enter an email address like name@example.org'
      return `${label} is not in the right form`
    case 'not_multiple_of':
      return `${label} must be a multiple of ${formatLimit(issue.divisor as number)}`
    case 'unrecognized_keys': {
      const keys = issue.keys.map((k) => `“${echo(k)}”`)
      return keys.length === 1 ? `Coffer does not know the field ${keys[0]}` : `Coffer does not know the fields ${listOf(keys)}`
    }
    case 'invalid_value': {
      const values = issue.values.map(valueText)
      if (values.length === 1) return `${label} must be ${values[0]}`
      return `${label} must be one of ${listOf(values, 8)}`
    }
    case 'invalid_union': {
      const expected = new Set<string>()
      for (const branch of issue.errors) {
        for (const sub of branch) if (sub.code === 'invalid_type' && sub.path.length === 0) expected.add(noun(sub.expected))
      }
      if (issue.input === undefined) return `${label} is required`
      return expected.size > 0 ? `${label} must be ${listOf([...expected], 4)}` : `${label} is not valid`
    }
    case 'invalid_key':
      return `${label} has a field name Coffer does not accept`
    case 'invalid_element':
      return `${label} has an entry Coffer does not accept`
    case 'custom':
    default:
      return `${label} is not valid`
  }
}

/** Installed once, on load of the contract: every schema without its own message speaks through plainMessage. */
z.config({ customError: (issue) => plainMessage(issue) })
