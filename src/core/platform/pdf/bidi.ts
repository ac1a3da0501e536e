/**
 * Just enough bidirectional ordering to print right-to-left names (Arabic,
 * Hebrew...) inside a left-to-right voucher.
 *
 * pdfkit has no Unicode bidi algorithm. What it does: it lays text out word
 * by word (split at spaces) with fontkit, and fontkit reverses the glyphs of
 * any word whose first script-bearing character is right-to-left. So a
 * single Arabic word comes out right (joined and right-to-left), but
 * - the order of several right-to-left words is left-to-right (a two-word
 *   name reads backwards),
 * - digits and Latin letters inside such a word are reversed too
 *   (١٢٣ would print as ٣٢١), as are brackets, and
 * - the space after such a word ends up before it.
 *
 * `visualTokens` fixes those three things for one line on a left-to-right
 * page: a word-level version of the Unicode Bidirectional Algorithm (rules
 * W2/W7, N1/N2, I1/I2, L2 applied to whole words), plus pre-reversing the
 * left-to-right pieces and swapping brackets inside words fontkit will
 * reverse. Callers draw the tokens one by one, left to right, with a space
 * between them. Not handled: explicit embeddings/isolates (stripped before),
 * mixed-direction text inside a single word beyond digits and Latin pieces,
 * and right-to-left paragraphs (the voucher is left-to-right).
 */

/** Scripts written right to left (those that fontkit lays out RTL). */
const RTL_SCRIPT =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]/u
const NO_SCRIPT = /[\p{Script=Common}\p{Script=Inherited}]/u
const LETTER = /\p{L}/u
const DIGIT = /\p{Nd}/u

/** True if the text has any right-to-left character. */
export function hasRtl(text: string): boolean {
  return RTL_SCRIPT.test(text)
}

/** Does fontkit lay this word out right to left? (Its first character with a real script decides.) */
export function fontkitReversesWord(word: string): boolean {
  for (const ch of word) {
    if (NO_SCRIPT.test(ch)) continue
    return RTL_SCRIPT.test(ch)
  }
  return false
}

type Kind = 'L' | 'R' | 'AN' | 'EN' | 'N'

function kindOf(token: string): Kind {
  for (const ch of token) {
    if (LETTER.test(ch)) return RTL_SCRIPT.test(ch) ? 'R' : 'L'
  }
  for (const ch of token) {
    if (DIGIT.test(ch)) return RTL_SCRIPT.test(ch) ? 'AN' : 'EN'
  }
  return 'N'
}

const MIRROR: Readonly<Record<string, string>> = {
  '(': ')',
  ')': '(',
  '[': ']',
  ']': '[',
  '{': '}',
  '}': '{',
  '<': '>',
  '>': '<',
  '«': '»',
  '»': '«',
  '‹': '›',
  '›': '‹'
}

/** A character read left to right inside a right-to-left word: any digit (Arabic-Indic too), a non-RTL letter. */
const LTR_CHAR = `(?:\\p{Nd}|(?!${RTL_SCRIPT.source})\\p{L})`
/** A left-to-right piece: such characters, their marks, and separators between them ("1,234.50"). */
const LTR_PIECE = new RegExp(`${LTR_CHAR}(?:${LTR_CHAR}|\\p{M}|[.,:/\\-\\u066B\\u066C](?=${LTR_CHAR}))*`, 'gu')

/**
 * Prepare a word that fontkit will reverse: its left-to-right pieces are
 * reversed in advance (so they come out the right way round) and brackets
 * swapped (so they come out mirrored correctly).
 */
export function prepareReversedWord(word: string): string {
  const pieces = word.replace(LTR_PIECE, (piece) => [...piece].reverse().join(''))
  return [...pieces].map((ch) => MIRROR[ch] ?? ch).join('')
}

/**
 * The words of one line (already cleaned: single spaces, no controls) in
 * visual order, each ready for pdfkit. Lines without RTL characters come back
 * as their words unchanged.
 */
export function visualTokens(line: string): string[] {
  const tokens = line.split(' ').filter((t) => t !== '')
  if (!hasRtl(line)) return tokens
  const kinds = tokens.map(kindOf)

  // W7: a European number after left-to-right text (or at the start) is left-to-right.
  let lastStrong: 'L' | 'R' = 'L'
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i]
    if (k === 'L' || k === 'R') lastStrong = k
    else if (k === 'EN' && lastStrong === 'L') kinds[i] = 'L'
  }
  // R, AN and the remaining EN form right-to-left runs (numbers count as R for neutrals).
  const rtl = kinds.map((k) => k === 'R' || k === 'AN' || k === 'EN')
  // N1/N2: neutrals take the direction of their neighbours when both agree, else the page's (left to right).
  for (let i = 0; i < kinds.length; i++) {
    if (kinds[i] !== 'N') continue
    let j = i
    while (j < kinds.length && kinds[j] === 'N') j++
    const before = i > 0 ? rtl[i - 1] : false
    const after = j < kinds.length ? rtl[j] : false
    for (let k = i; k < j; k++) rtl[k] = before === true && after === true
    i = j - 1
  }
  // L2: reverse each right-to-left run.
  const out: string[] = []
  let i = 0
  while (i < tokens.length) {
    if (!rtl[i]) {
      out.push(tokens[i] ?? '')
      i++
      continue
    }
    let j = i
    while (j < tokens.length && rtl[j]) j++
    out.push(...tokens.slice(i, j).reverse())
    i = j
  }
  return out.map((t) => (fontkitReversesWord(t) ? prepareReversedWord(t) : t))
}
