/**
 * Issue target (#10): **the permission check and the audit row together add
 * at most 20% to the median of a write through the contract
 * (`members.update`), measured against the same write with both switched
 * off** (`CoreOptions.unguarded`: no permission check, no audit trail).
 *
 * Two books made the same way (a profile, 10,000 seeded members, the
 * administrator), each in its own data folder and core: one guarded (Ada
 * signed in; every write leaves its audit rows), one unguarded. The same
 * sequence of edits goes to both, alternating which goes first (harness
 * measurePair): the notes of one of 50 members, so each call updates the
 * member and appends a member event, and on the guarded side two audit rows,
 * hash-chained. Both commit with the app's pragmas (WAL, synchronous=FULL).
 *
 * Printed: the wall-time medians and their ratio against 1.20 (PASS/FAIL),
 * and the process CPU time per call each way, which moves less with the
 * load of this shared machine than wall time. Checked: both sides answered
 * the same members; the guarded side wrote exactly two audit rows per call
 * and its chain checks out; the unguarded side wrote none.
 */
import { callOk, openBenchCore } from './bench-core'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { DATABASE_FILE, type Core } from '../../src/core'
import type { AuditVerifyResult, Member, MemberDetail, MemberListPage } from '../../src/shared/contract'
import { installAuditTrail } from '../../src/core/platform/audit/trail'
import { ADMIN } from '../support/operators'
import { seedMembers } from '../support/seed-members'
import { PROFILE, tempDir } from '../support/temp-core'
import { measurePair, stats, type CaseResult, type Stats } from './harness'

const MEMBERS = 10_000
/** Members edited in turn. */
const EDITED = 50
const ITERATIONS = 600
const WARMUP = 60
/** The limit: guarded median / unguarded median. */
export const MAX_RATIO = 1.2

function open(dataDir: string, unguarded: boolean): Core {
  return openBenchCore(dataDir, { unguarded })
}

const call = callOk

export interface Book {
  core: Core
  dataDir: string
  /** The members edited, as last answered (their versions move with each edit). */
  members: Member[]
  /** Process CPU time (user + system) spent in each call, µs. */
  cpu: number[]
  /** Edits made so far: each writes notes no edit wrote before, so none is a no-op. */
  edits: number
}

/** A profile, the administrator (signed in), MEMBERS members; reopened, as at the app's next launch. */
export async function makeBook(unguarded: boolean): Promise<Book> {
  const dataDir = tempDir('coffer-bench-')
  let core = open(dataDir, unguarded)
  await call(core, 'profile.save', PROFILE)
  await call(core, 'auth.createAdministrator', ADMIN)
  core.close()
  seedMembers({ file: path.join(dataDir, DATABASE_FILE), count: MEMBERS })
  core = open(dataDir, unguarded)
  if (!unguarded) await call(core, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password })
  const page = await call<MemberListPage>(core, 'members.list', { status: 'all', sort: 'memberNo', offset: 0, limit: EDITED })
  const members = await Promise.all(page.rows.map(async (r) => (await call<MemberDetail>(core, 'members.get', { id: r.id })).member))
  return { core, dataDir, members, cpu: [], edits: 0 }
}

/** Audit rows in the book's file, read on a connection of its own (no call running). */
function countAudit(b: Book): number {
  const db = new Database(path.join(b.dataDir, DATABASE_FILE), { readonly: true })
  try {
    return db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number
  } finally {
    db.close()
  }
}

/** The book's next edit: the next of the EDITED members gets new notes; the answer replaces the one kept. */
export async function edit(b: Book): Promise<Member> {
  const i = b.edits++
  const slot = i % EDITED
  const m = b.members[slot] as Member
  const values = {
    memberNo: m.memberNo,
    fullName: m.fullName,
    email: m.email,
    phone: m.phone,
    address: m.address,
    nationalId: m.nationalId,
    joinedOn: m.joinedOn,
    notes: `Edited in the guard bench, edit ${i}.`
  }
  const c0 = process.cpuUsage()
  const updated = await call<Member>(b.core, 'members.update', { id: m.id, expectedVersion: m.version, values })
  const c = process.cpuUsage(c0)
  b.cpu.push(c.user + c.system)
  b.members[slot] = updated
  return updated
}

/**
 * How many times the audit trigger calls into JavaScript for each row it
 * writes (the clock is read once a call): the same edit as the bench's, on a
 * connection of its own with the trail installed, rolled back. More than
 * one call a row is work done twice (SQLite pushing a WHERE into the
 * trigger's subquery did that).
 */
function auditCallsPerRow(b: Book): number {
  const db = new Database(path.join(b.dataDir, DATABASE_FILE))
  try {
    let calls = 0
    installAuditTrail(db, { now: () => (calls++, new Date('2026-11-22T09:00:00Z')) })
    const m = b.members[0] as Member
    const count = db.prepare('SELECT count(*) FROM audit_log').pluck()
    db.exec('BEGIN IMMEDIATE')
    try {
      const before = count.get() as number
      db.prepare('UPDATE members SET notes = ? WHERE id = ?').run('Counting the audit calls.', m.id)
      db.prepare("INSERT INTO member_events (member_id, at, kind, changes) VALUES (?, '2026-11-22T09:00:00Z', 'updated', '{}')").run(m.id)
      // An update that changes nothing leaves no row and calls nothing.
      db.prepare('UPDATE members SET notes = notes WHERE id = ?').run(m.id)
      const rows = (count.get() as number) - before
      if (rows !== 2) throw new Error(`the audit trail wrote ${rows} rows for 2 changed rows`)
      return calls / rows
    } finally {
      db.exec('ROLLBACK')
    }
  } finally {
    db.close()
  }
}

const ms = (s: Stats): string => `${s.median.toFixed(3)} ms`

export default async function guardBench(): Promise<CaseResult[]> {
  const books: Book[] = []
  try {
    const guarded = await makeBook(false)
    books.push(guarded)
    const unguarded = await makeBook(true)
    books.push(unguarded)
    const auditBefore = [countAudit(guarded), countAudit(unguarded)]

    // The same answer both ways (ids, names, notes), before timing anything.
    const a = await edit(guarded)
    const b = await edit(unguarded)
    if (a.id !== b.id || a.fullName !== b.fullName || a.notes !== b.notes || a.version !== b.version) {
      throw new Error(`the two books answered differently: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`)
    }
    guarded.cpu = []
    unguarded.cpu = []

    const r = await measurePair(
      () => edit(guarded),
      () => edit(unguarded),
      { iterations: ITERATIONS, warmup: WARMUP }
    )
    const calls = guarded.edits
    if (calls !== ITERATIONS + WARMUP + 1 || unguarded.edits !== calls) throw new Error(`edits made: ${calls} and ${unguarded.edits}`)
    const written = [countAudit(guarded) - (auditBefore[0] as number), countAudit(unguarded) - (auditBefore[1] as number)]
    if (written[0] !== 2 * calls || written[1] !== 0) {
      throw new Error(`audit rows written: guarded ${written[0]} (expected ${2 * calls}), unguarded ${written[1]} (expected 0)`)
    }
    const verified = await call<AuditVerifyResult>(guarded.core, 'audit.verify')
    if (!verified.ok) throw new Error(`the guarded book's audit trail does not check out: ${JSON.stringify(verified.brokenAt)}`)
    const callsPerRow = auditCallsPerRow(guarded)
    if (callsPerRow !== 1) throw new Error(`the audit trigger calls JavaScript ${callsPerRow} times a row; once is enough`)

    const ratio = r.measured.median / r.baseline.median
    // The CPU time of the timed calls only (warm-up excluded), per call.
    const cpuG = stats(guarded.cpu.slice(WARMUP).map((us) => us / 1000))
    const cpuU = stats(unguarded.cpu.slice(WARMUP).map((us) => us / 1000))
    const cpuRatio = cpuG.median / cpuU.median
    const verdict = ratio <= MAX_RATIO ? 'PASS' : 'FAIL'
    console.log(
      `members.update guarded / unguarded: wall median ${ms(r.measured)} / ${ms(r.baseline)} = ${ratio.toFixed(3)}x ` +
        `(limit ${MAX_RATIO.toFixed(2)}x): ${verdict}; CPU median ${ms(cpuG)} / ${ms(cpuU)} = ${cpuRatio.toFixed(3)}x`
    )
    return [
      {
        name: 'members.update: guarded vs unguarded (wall)',
        ...r,
        // The limit as the harness states targets: guarded median < 1.20 x the unguarded median of this run.
        targetMedianMs: MAX_RATIO * r.baseline.median,
        note:
          `ratio ${ratio.toFixed(3)}x, limit ${MAX_RATIO.toFixed(2)}x: ${verdict}. Raw = the same edits with CoreOptions.unguarded. ` +
          `${MEMBERS.toLocaleString('en')} members, ${EDITED} edited in turn; ${written[0]} audit rows written and verified (${verified.checked} in the chain); ` +
          'one call into JavaScript per audit row (counted).'
      },
      {
        name: 'members.update: guarded vs unguarded (CPU per call)',
        measured: cpuG,
        baseline: cpuU,
        note: `information: process CPU time (user + system) of each timed call; ratio ${cpuRatio.toFixed(3)}x`
      }
    ]
  } finally {
    for (const b of books) {
      b.core.close()
      fs.rmSync(b.dataDir, { recursive: true, force: true })
    }
  }
}
