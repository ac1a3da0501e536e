/**
 * Sort keys for member names, in the cooperative's locale.
 *
 * SQLite (through better-sqlite3) has no locale collation, so each member row
 * stores a key whose plain binary order is the locale's order: ORDER BY
 * sort_name, id reads the index and the first page stays fast at any size.
 *
 * The rule. A name's key has three levels, compared one after the other as a
 * dictionary does (Unicode collation, as Intl.Collator applies it):
 * 1. letters, ignoring accents and case, in the locale's alphabet: "Łukasz"
 *    comes between "Lucy" and "Mary" in Polish and English; in Swedish,
 *    Finnish, Danish and Norwegian "Å", "Ä", "Ö" (and "Æ", "Ø") come after
 *    "Z"; Spanish "Ñ" after "N"; German "Ä" with "A", "ß" as "ss"; spaces and
 *    punctuation before letters ("Van Dyk" before "Vandenberg");
 * 2. accents ("Zoe" before "Zoë");
 * 3. case, as the locale puts it ("zoe" before "Zoe"; Danish: "Zoe" first).
 * Ties keep the order the members were registered in (the id).
 *
 * How: the weight of each character is its rank among the characters of the
 * scripts below, sorted once by Intl.Collator for the locale (per process,
 * about 50 ms, only when keys are made). Characters that are the same letter
 * at a level share a weight; those the locale ignores (a lone combining
 * accent) have none at level 1. Characters expanding to two letters (ß = ss,
 * and where the locale says so æ = ae, œ = oe, þ = th) are expanded first.
 * A character outside these scripts (Han, Hangul, emoji) sorts after them all,
 * by code point (Hangul syllables in code point order are in Korean order).
 * Letters written with two or three characters that the locale sorts as one
 * (Czech and Slovak "ch" after "h", Danish and Norwegian "aa" as "å",
 * Hungarian "cs", "dzs", Croatian "dž", "lj", "nj") are found by asking the
 * collator about a list of known ones, and weighed as one letter.
 *
 * Keys depend on the locale and on the ICU data of the runtime; the members
 * service stores which (SORT_KEY_VERSION, locale, ICU version) made them and
 * rebuilds them all when that changes.
 */

/** Bump when the key format or rule changes: every key is rebuilt at the next use. */
export const SORT_KEY_VERSION = 2

/** Scripts whose characters are weighed by the locale's collator. */
const RANGES: readonly (readonly [number, number])[] = [
  [0x0020, 0x007e], // ASCII
  [0x00a0, 0x024f], // Latin-1, Latin Extended A and B
  [0x0250, 0x02af], // IPA (Ɛ, Ɔ, Ŋ in African languages)
  [0x0300, 0x036f], // combining accents
  [0x0370, 0x03ff], // Greek
  [0x0400, 0x052f], // Cyrillic
  [0x0530, 0x058f], // Armenian
  [0x0590, 0x05ff], // Hebrew
  [0x0600, 0x06ff], // Arabic
  [0x0750, 0x077f], // Arabic supplement
  [0x0900, 0x0dff], // Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala
  [0x0e00, 0x0eff], // Thai, Lao
  [0x10a0, 0x10ff], // Georgian
  [0x1200, 0x139f], // Ethiopic
  [0x1e00, 0x1fff], // Latin Extended Additional (Vietnamese), Greek Extended
  [0x3040, 0x30ff] // Hiragana, Katakana
]

/** Characters some locales read as two letters. Used only where the locale's collator agrees. */
const EXPANSIONS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  þ: 'th',
  Þ: 'th'
}

/** Letters written with several characters in some locale. Used only where the locale's collator sorts them as one. */
const CONTRACTIONS = ['aa', 'ch', 'cs', 'dz', 'dzs', 'dž', 'gy', 'lj', 'll', 'ly', 'nj', 'ny', 'sz', 'ty', 'zs', 'rr', 'ng', 'dd', 'ff', 'ph', 'rh', 'th']

/** Level separator: below every weight, so "Ann" sorts before "Anna". */
const LEVEL = '\u0001'
/** Weights are characters from U+0021 up; a character outside the table is this mark followed by itself. */
const FIRST_WEIGHT = 0x21
const OUTSIDE = '\ue000'

const weightChar = (w: number): string => String.fromCharCode(FIRST_WEIGHT + w)
const ZERO = weightChar(0)
/** Level 3 offset of letters that came from an expansion: after any case variant of the letters themselves. */
const EXPANDED = 48
/** Trailing zero weights at levels 2 and 3 change no order: dropped, as ICU does. */
const trimZeros = (level: string): string => {
  let end = level.length
  while (end > 0 && level[end - 1] === ZERO) end--
  return level.slice(0, end)
}

export interface Collation {
  locale: string
  /** Identifies the keys this collation makes: stored beside them. */
  version: string
  key(name: string): string
}

interface Table {
  /** Per character: [primary (-1: ignorable), secondary, tertiary] weights. */
  weights: Map<string, readonly [number, number, number]>
  expansions: Map<string, string>
  /** Longest contraction of the locale (0 without any). */
  longest: number
}

function rank(chars: readonly string[], collator: Intl.Collator): Map<string, number> {
  const sorted = [...chars].sort(collator.compare)
  const ranks = new Map<string, number>()
  let r = 0
  let prev: string | null = null
  for (const c of sorted) {
    if (prev !== null && collator.compare(prev, c) !== 0) r++
    ranks.set(c, r)
    prev = c
  }
  return ranks
}

function buildTable(locale: string): Table {
  const chars: string[] = []
  const printable = /[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]/u
  for (const [from, to] of RANGES) {
    for (let cp = from; cp <= to; cp++) {
      const c = String.fromCodePoint(cp)
      if (printable.test(c) && c.normalize('NFKC') === c) chars.push(c)
    }
  }
  const base = new Intl.Collator(locale, { sensitivity: 'base', usage: 'sort' })
  let longest = 0
  for (const d of CONTRACTIONS) {
    // A contraction sorts after every word spelt with its first letter and anything after it.
    if (base.compare(d, `${d[0] ?? ''}zzzz`) <= 0) continue
    const title = (d[0] ?? '').toUpperCase() + d.slice(1)
    chars.push(d, title, d.toUpperCase())
    longest = Math.max(longest, d.length)
  }
  const accent = new Intl.Collator(locale, { sensitivity: 'accent', usage: 'sort' })
  const variant = new Intl.Collator(locale, { sensitivity: 'variant', usage: 'sort' })
  const primary = rank(chars, base)
  const secondary = rank(chars, accent)
  const tertiary = rank(chars, variant)
  // Levels 2 and 3 are kept as the offset within the character's class at the
  // level above (0 for a plain lower-case letter in most locales): short keys,
  // and trailing zeros can be dropped.
  const firstOf = (ranks: Map<string, number>, classOf: (c: string) => string): Map<string, number> => {
    const first = new Map<string, number>()
    for (const c of chars) {
      const k = classOf(c)
      const r = ranks.get(c) ?? 0
      if (!first.has(k) || r < (first.get(k) as number)) first.set(k, r)
    }
    return first
  }
  const primaryClass = (c: string): string => String(base.compare(c, '') === 0 ? -1 : (primary.get(c) ?? 0))
  const secondaryClass = (c: string): string => String(secondary.get(c) ?? 0)
  const firstSecondary = firstOf(secondary, primaryClass)
  const firstTertiary = firstOf(tertiary, secondaryClass)
  const weights = new Map<string, readonly [number, number, number]>()
  for (const c of chars) {
    const p = base.compare(c, '') === 0 ? -1 : (primary.get(c) ?? 0)
    const s = (secondary.get(c) ?? 0) - (firstSecondary.get(primaryClass(c)) ?? 0)
    const t = (tertiary.get(c) ?? 0) - (firstTertiary.get(secondaryClass(c)) ?? 0)
    weights.set(c, [p, s, t])
  }
  const expansions = new Map<string, string>()
  for (const [c, e] of Object.entries(EXPANSIONS)) if (base.compare(c, e) === 0) expansions.set(c, e)
  return { weights, expansions, longest }
}

const collations = new Map<string, Collation>()

/** The collation for a locale tag ("pl-PL", "sv", "en-KE"), built once per process. */
export function collationFor(locale: string): Collation {
  let c = collations.get(locale)
  if (!c) {
    c = makeCollation(locale)
    collations.set(locale, c)
  }
  return c
}

function makeCollation(locale: string): Collation {
  let table: Table | null = null
  const resolved = new Intl.Collator(locale).resolvedOptions().locale
  return {
    locale,
    version: `${SORT_KEY_VERSION}|${resolved}|icu ${process.versions.icu ?? 'none'}`,
    key(name: string): string {
      table ??= buildTable(locale)
      const { weights, expansions, longest } = table
      let p = ''
      let s = ''
      let t = ''
      const put = (w: readonly [number, number, number], tertiary = w[2]): void => {
        if (w[0] >= 0) p += weightChar(w[0])
        s += weightChar(w[1])
        t += weightChar(tertiary)
      }
      const chars = Array.from(name.normalize('NFKC').trim())
      for (let i = 0; i < chars.length; i++) {
        const c = chars[i] as string
        if (longest > 0) {
          let matched = 0
          for (let n = Math.min(longest, chars.length - i); n >= 2 && matched === 0; n--) {
            const w = weights.get(chars.slice(i, i + n).join(''))
            if (w) {
              put(w)
              matched = n
            }
          }
          if (matched > 0) {
            i += matched - 1
            continue
          }
        }
        const expanded = expansions.get(c)
        if (expanded) {
          // ß sorts as ss, after it when all else is equal (Strasse, Straße).
          const own = weights.get(c)
          for (const e of expanded) {
            const w = weights.get(e)
            if (w) put(w, EXPANDED + (own ? own[2] : 0))
          }
          continue
        }
        const w = weights.get(c)
        if (w) put(w)
        else {
          const lower = c.toLocaleLowerCase(locale)
          p += OUTSIDE + lower
          s += OUTSIDE + lower
          t += OUTSIDE + c
        }
      }
      return p + LEVEL + trimZeros(s) + LEVEL + trimZeros(t)
    }
  }
}
