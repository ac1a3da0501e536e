/**
 * Aligned columns for a terminal: each column as wide as its widest cell
 * (header included), nothing cut. Width is what a terminal shows, not
 * string length: combining marks and invisible characters take no column,
 * East Asian wide characters two (a date in ja-JP, a member's name in Chinese).
 */

/** Terminal columns a text takes. */
export function displayWidth(text: string): number {
  let width = 0
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number
    if (ZERO_WIDTH.test(ch)) continue
    width += isWide(cp) ? 2 : 1
  }
  return width
}

/** Marks, format characters (direction marks, ZWJ/ZWNJ, soft hyphen) and control characters take no column. */
const ZERO_WIDTH = /^[\p{M}\p{Cf}\p{Cc}]$/u

/** East Asian Wide and Fullwidth ranges (Unicode 15, the blocks in use). */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xa960 && cp <= 0xa97f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe10 && cp <= 0xfe19) ||
    (cp >= 0xfe30 && cp <= 0xfe6f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
}

export interface Column<R> {
  header: string
  cell: (row: R) => string
  /** Numbers line up on the right. */
  align?: 'left' | 'right'
}

const GAP = '  '

/**
 * The header and one line per row, columns two spaces apart. A cell's line
 * breaks become spaces (a table row is one line); the last column is not
 * padded, so lines carry no trailing spaces.
 */
export function formatTable<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  const cells = [columns.map((c) => c.header), ...rows.map((r) => columns.map((c) => oneLine(c.cell(r))))]
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => displayWidth(line[i] as string))))
  const last = columns.length - 1
  return cells
    .map((line) =>
      line
        .map((text, i) => {
          const fill = ' '.repeat((widths[i] as number) - displayWidth(text))
          if (columns[i]?.align === 'right') return fill + text
          return i === last ? text : text + fill
        })
        .join(GAP)
        .trimEnd()
    )
    .join('\n')
}

/** Line breaks and tabs (with the spaces around them) as one space; other spaces, no-break ones included, stay. */
export const oneLine = (s: string): string => s.replace(/[ ]*[\r\n\t\v\f\u2028\u2029]+[ ]*/g, ' ').trim()
