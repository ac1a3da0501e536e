/** ' WHERE a = ? AND b = ?' and its arguments, from the filters that are set (raw-SQL list queries). */
export function whereOf(filters: [string, string | number | undefined][]): [string, (string | number)[]] {
  const set = filters.filter((f): f is [string, string | number] => f[1] !== undefined && f[1] !== '')
  return [set.length ? ` WHERE ${set.map((f) => f[0]).join(' AND ')}` : '', set.map((f) => f[1])]
}
