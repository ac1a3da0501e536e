/**
 * Issue target: with 100,000 members, the first page of the list (sorted by
 * name) and a search by name prefix each answer through the contract in
 * under 20 ms median. Each is printed with the ratio to the raw SQL behind
 * it (same WHERE / ORDER BY / LIMIT and the count), measured in the same run.
 */
import { openBenchCore } from './bench-core'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { DATABASE_FILE, type Core } from '../../src/core'
import type { MemberListPage } from '../../src/shared/contract'
import { PROFILE, tempDir } from '../support/temp-core'
import { signedIn } from '../support/operators'
import { measurePair, timeIt, type CaseResult } from './harness'
import { seedMembers } from '../support/seed-members'

const MEMBERS = 100_000
const ITERATIONS = 200
const WARMUP = 20
const TARGET_MS = 20
const PAGE = 100
/** Name prefixes for the search case, varied across iterations. */
const PREFIXES = ['Wanj', 'Ot', 'Kam', 'Nya', 'Chep', 'Mül']

function open(dataDir: string): Core {
  // Signed in as the administrator: measured with the permission check and the audit trail on, as the app runs.
  return signedIn(openBenchCore(dataDir))
}

async function list(core: Core, input: Record<string, unknown>): Promise<MemberListPage> {
  const r = await core.invoke('members.list', input)
  if (!r.ok) throw new Error(`members.list failed: ${JSON.stringify(r.error)}`)
  return r.value as MemberListPage
}

// The SQL MembersService.list runs (src/core/members/service.ts), as plain prepared statements.
const COLUMNS = 'id, member_no, full_name, email, phone, joined_on, active'
const ORDER = 'ORDER BY sort_name ASC, id ASC LIMIT ? OFFSET ?'
const SEARCH = 'id IN (SELECT rowid FROM members_fts WHERE members_fts MATCH ?)'
const SQL = {
  activeRows: `SELECT ${COLUMNS} FROM members WHERE active = ? ${ORDER}`,
  // The service counts active members as all minus inactive (far fewer index entries to walk).
  activeCount: 'SELECT (SELECT count(*) FROM members) - (SELECT count(*) FROM members WHERE active = 0) AS n',
  searchRows: `SELECT ${COLUMNS} FROM members WHERE (active = ? AND ${SEARCH}) ${ORDER}`,
  searchCount: `SELECT count(*) AS n FROM members WHERE (active = ? AND ${SEARCH})`,
  allRows: `SELECT ${COLUMNS} FROM members ${ORDER}`,
  allCount: 'SELECT count(*) AS n FROM members'
}

/** The FTS5 query the service builds for a one-word search (ftsQuery). */
const ftsPrefix = (word: string): string => `"${word.normalize('NFKC').replaceAll('"', '""')}"*`

function sameAnswer(label: string, page: MemberListPage, rows: { id: number }[], total: number): void {
  const a = page.rows.map((r) => r.id).join(',')
  const b = rows.map((r) => r.id).join(',')
  if (a !== b || page.total !== total) {
    throw new Error(`${label}: the contract and the raw SQL disagree (total ${page.total} vs ${total})`)
  }
}

export default async function membersBench(): Promise<CaseResult[]> {
  const dataDir = tempDir('coffer-bench-')
  const file = path.join(dataDir, DATABASE_FILE)
  let core: Core | undefined
  let raw: Database.Database | undefined
  try {
    core = open(dataDir)
    const saved = await core.invoke('profile.save', PROFILE)
    if (!saved.ok) throw new Error(`profile.save failed: ${JSON.stringify(saved.error)}`)

    const seeding = await timeIt(() => seedMembers({ file, count: MEMBERS }))
    console.log(`seeded ${MEMBERS.toLocaleString('en')} members (+ FTS, ANALYZE) in ${(seeding.ms / 1000).toFixed(2)} s`)
    // Reopen, as the app would at its next launch, so core reads the fresh statistics.
    core.close()
    core = open(dataDir)
    const c = core
    // The first call makes the members' sort keys (the seeder leaves them empty), in one transaction
    // with an audit row each, then refreshes the statistics. The raw connection opens after it: one
    // opened before keeps the old statistics and skip-scans the sort-key index for a search (~3 s a query).
    const keyed = await timeIt(() => list(c, { sort: 'fullName', direction: 'asc', status: 'all', offset: 0, limit: 1 }))
    console.log(`first call (sort keys made, statistics refreshed) in ${(keyed.ms / 1000).toFixed(2)} s`)
    raw = new Database(file, { readonly: true })

    const st = Object.fromEntries(Object.entries(SQL).map(([k, v]) => [k, raw!.prepare(v)])) as {
      [K in keyof typeof SQL]: Database.Statement
    }
    const count = (s: Database.Statement, ...args: unknown[]): number => (s.get(...args) as { n: number }).n

    // Search prefixes: how many active members each matches.
    const matches = PREFIXES.map((p) => count(st.searchCount, 1, ftsPrefix(p)))
    console.log(`search prefixes (active matches): ${PREFIXES.map((p, i) => `${p}=${matches[i]}`).join(', ')}`)

    // Same answer both ways, before timing anything.
    const first = { sort: 'fullName', direction: 'asc', status: 'active', offset: 0, limit: PAGE }
    const last = { sort: 'fullName', direction: 'asc', status: 'all', offset: MEMBERS - PAGE, limit: PAGE }
    sameAnswer('first page', await list(c, first), st.activeRows.all(1, PAGE, 0) as { id: number }[], count(st.activeCount))
    sameAnswer('last page', await list(c, last), st.allRows.all(PAGE, MEMBERS - PAGE) as { id: number }[], count(st.allCount))
    for (const p of PREFIXES) {
      const q = ftsPrefix(p)
      sameAnswer(`search ${p}`, await list(c, { ...first, search: p }), st.searchRows.all(1, q, PAGE, 0) as { id: number }[], count(st.searchCount, 1, q))
    }

    const opts = { iterations: ITERATIONS, warmup: WARMUP }
    const results: CaseResult[] = []

    const firstPage = await measurePair(
      () => list(c, first),
      () => [st.activeRows.all(1, PAGE, 0), st.activeCount.get()],
      opts
    )
    results.push({ name: 'list: first page, active, by name', ...firstPage, targetMedianMs: TARGET_MS })

    const prefixAt = (i: number): string => PREFIXES[i % PREFIXES.length] as string
    const search = await measurePair(
      (i) => list(c, { ...first, search: prefixAt(i) }),
      (i) => {
        const q = ftsPrefix(prefixAt(i))
        return [st.searchRows.all(1, q, PAGE, 0), st.searchCount.get(1, q)]
      },
      opts
    )
    results.push({
      name: 'list: name prefix search, active',
      ...search,
      targetMedianMs: TARGET_MS,
      note: `prefixes ${PREFIXES.join(', ')} in turn, ${Math.min(...matches)}-${Math.max(...matches)} active matches each`
    })

    // A first letter typed: a broad prefix. "M" also matches every member number (M-000123 is "m" "000123").
    const letters = ['K', 'M']
    const letterMatches = letters.map((l) => count(st.searchCount, 1, ftsPrefix(l)))
    const letterAt = (i: number): string => letters[i % letters.length] as string
    const letter = await measurePair(
      (i) => list(c, { ...first, search: letterAt(i) }),
      (i) => {
        const q = ftsPrefix(letterAt(i))
        return [st.searchRows.all(1, q, PAGE, 0), st.searchCount.get(1, q)]
      },
      { iterations: 40, warmup: 4 }
    )
    results.push({
      name: 'list: one-letter search, active',
      ...letter,
      note: `information only; ${letters.map((l, i) => `${l}=${letterMatches[i]}`).join(', ')} active matches`
    })

    const lastPage = await measurePair(
      () => list(c, last),
      () => [st.allRows.all(PAGE, MEMBERS - PAGE), st.allCount.get()],
      opts
    )
    results.push({ name: 'list: last page, all, by name (offset 99,900)', ...lastPage, note: 'information only' })

    return results
  } finally {
    raw?.close()
    core?.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
