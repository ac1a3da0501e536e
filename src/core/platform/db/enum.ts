/**
 * The values of a contract enum as the non-empty tuple drizzle's text({ enum })
 * wants: the column and the contract share one list.
 */
export function enumValues<T extends string>(e: { options: readonly T[] }): [T, ...T[]] {
  return [...e.options] as [T, ...T[]]
}
