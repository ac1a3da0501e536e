/**
 * The kill tests' harness: a seeded random (mulberry32, for the moments of
 * the kills) and a child process (node with tsx's hook, not the tsx CLI,
 * whose grandchild a kill would miss) killed once the data file shows it has
 * gone far enough.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { expect } from 'vitest'
import { rawDb } from './ledger'

const ROOT = path.resolve(__dirname, '../..')

/** mulberry32: the same numbers in [0, 1) for the same seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Starts `script` (a path from the repository's root) with `args` in a child
 * (pushed on `children`, for the test's afterEach to kill should it throw)
 * and kills it (SIGKILL) once `reached` answers true of the data file in
 * `dataDir`, read raw every few milliseconds while the child writes: the
 * kill lands mid-run. Expects no ERROR printed; answers whether the child
 * finished (printed DONE) first. Throws if it neither finishes nor gets far
 * enough within a minute.
 */
export async function runUntilKilled(
  children: ChildProcess[],
  script: string,
  args: string[],
  dataDir: string,
  reached: (db: ReturnType<typeof rawDb>) => boolean
): Promise<boolean> {
  const tsx = createRequire(path.join(ROOT, 'package.json')).resolve('tsx/cjs')
  const proc = spawn(process.execPath, ['--require', tsx, path.join(ROOT, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(proc)
  let out = ''
  let err = ''
  let exitedYet = false
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<void>((resolve) =>
    proc.on('exit', () => {
      exitedYet = true
      resolve()
    })
  )
  const db = rawDb(dataDir)
  try {
    const started = performance.now()
    while (!exitedYet) {
      if (performance.now() - started > 60_000) throw new Error(`the child did not finish: ${out} ${err}`)
      if (reached(db)) {
        proc.kill('SIGKILL')
        break
      }
      await new Promise((r) => setTimeout(r, 2))
    }
  } finally {
    db.close()
  }
  await exited
  children.splice(children.indexOf(proc), 1)
  expect(out).not.toContain('ERROR')
  return out.includes('DONE')
}
