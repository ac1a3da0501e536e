/**
 * A process killed (SIGKILL) while it posts to the ledger leaves each entry
 * whole or absent: a child (test/support/ledger-child.ts) posts entries of up
 * to 120 lines, deposits, withdrawals and reversals in a loop on a book on
 * disk, and is killed at seeded random moments; after each kill the file is
 * read raw (every entry has exactly the lines it was posted with, balanced,
 * the summaries equal a rebuild), then opened by a core (the ledger's
 * invariants, the audit chain), and the next child posts on.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkSummaries } from '../../src/core/ledger'
import { ledgerBook, ledgerProblems, rawDb } from '../support/ledger'
import { random } from '../support/kill'
import { tempCore, value } from '../support/temp-core'

const ROOT = path.resolve(__dirname, '../..')
const KILLS = 8
const SEED = 20261122
const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

/** Starts a posting child, kills it `afterMs` after it is ready; answers what it printed. */
async function postAndKill(dataDir: string, seed: number, afterMs: number): Promise<string> {
  const tsx = createRequire(path.join(ROOT, 'package.json')).resolve('tsx/cjs')
  // Node itself with tsx's hook (not the tsx CLI, whose grandchild a kill would miss).
  const proc = spawn(process.execPath, ['--require', tsx, path.join(ROOT, 'test/support/ledger-child.ts'), dataDir, String(seed)], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  children.push(proc)
  let out = ''
  let err = ''
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the child did not start: ${out} ${err}`)), 60_000)
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('READY')) {
        clearTimeout(timer)
        resolve()
      }
      if (out.includes('ERROR')) reject(new Error(`the child failed: ${out}`))
    })
    proc.on('exit', () => reject(new Error(`the child ended before it was killed: ${out} ${err}`)))
  })
  await new Promise((r) => setTimeout(r, afterMs))
  proc.kill('SIGKILL')
  await exited
  children.splice(children.indexOf(proc), 1)
  expect(out).not.toContain('ERROR')
  return out
}

describe('a kill during a posting', () => {
  it('leaves every entry whole or absent, balanced, and the summaries equal to a rebuild', async () => {
    const book = await ledgerBook({ members: 3 })
    // Something to withdraw from.
    for (const m of book.members) {
      value(await book.core.invoke('ledger.deposit', { memberAccountId: m.savings.id, amountMinor: 5_000_000, valueDate: '2026-01-05', via: 'bank' }))
    }
    await book.core.shutdown()
    const rnd = random(SEED)
    let midPosting = 0
    let posted = 0
    for (let k = 0; k < KILLS; k++) {
      const before = rawDb(book.dataDir)
      const entriesBefore = before.prepare('SELECT count(*) FROM journal_entries').pluck().get() as number
      before.close()
      const out = await postAndKill(book.dataDir, SEED + k, 20 + Math.floor(rnd() * 400))
      const begun = [...out.matchAll(/^BEGIN (\d+)$/gm)].length
      const done = [...out.matchAll(/^DONE (\d+) (\d+)$/gm)].map((m) => Number(m[2]))
      // Killed between BEGIN and DONE: inside a posting (or just after its commit).
      if (begun > done.length) midPosting++

      // Read raw first, before any core opens the file.
      const db = rawDb(book.dataDir)
      try {
        const entries = db.prepare('SELECT id, description FROM journal_entries WHERE id > 0 ORDER BY id').all() as { id: number; description: string }[]
        const lineCount = db.prepare('SELECT count(*) FROM journal_lines WHERE entry_id = ?').pluck()
        const sums = db.prepare('SELECT sum(debit_minor) AS d, sum(credit_minor) AS c FROM journal_lines WHERE entry_id = ?')
        for (const e of entries) {
          const declared = /lines=(\d+)/.exec(e.description)
          if (declared) expect(lineCount.get(e.id), `entry #${e.id} (${e.description})`).toBe(Number(declared[1]))
          const s = sums.get(e.id) as { d: number; c: number }
          expect(s.d, `entry #${e.id}`).toBe(s.c)
        }
        // Every posting the child finished is there; at most the one it was in when killed is beyond them.
        const ids = new Set(entries.map((e) => e.id))
        for (const id of done.filter((x) => x > 0)) expect(ids.has(id), `entry #${id}`).toBe(true)
        const finished = done.filter((x) => x > 0).length
        expect(entries.length - entriesBefore).toBeGreaterThanOrEqual(finished)
        expect(entries.length - entriesBefore).toBeLessThanOrEqual(finished + 1)
        posted += entries.length - entriesBefore
        expect(checkSummaries(db).differences).toEqual([])
      } finally {
        db.close()
      }
    }
    // Most kills landed inside a posting (the child does little else).
    expect(midPosting).toBeGreaterThanOrEqual(KILLS / 2)
    console.info(`ledger kill test: ${KILLS} kills, ${midPosting} between BEGIN and DONE, ${posted} entries posted`)

    // A core opens the book: every invariant holds, the audit chain is whole.
    const { core } = tempCore({ dataDir: book.dataDir })
    const db = rawDb(book.dataDir)
    try {
      const dates = db.prepare('SELECT DISTINCT value_date FROM journal_entries ORDER BY 1').pluck().all() as string[]
      expect(await ledgerProblems(core, db, dates)).toEqual([])
      expect(value(await core.invoke('audit.verify', {}))).toMatchObject({ ok: true, brokenAt: null })
    } finally {
      db.close()
      await core.shutdown()
      fs.rmSync(book.dataDir, { recursive: true, force: true })
    }
  }, 180_000)
})
