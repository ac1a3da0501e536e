/**
 * Issue target: **`coffer jobs list` answers in under 400 ms median**, timed
 * as a whole process (start Node, load the command, open the data file, ask
 * core, print, exit), against `node -e 0` started the same way in the same
 * run: the ratio is what Coffer adds to starting Node at all.
 *
 * Setup: the command line built (build/scripts/cli.mjs --if-stale), a data
 * folder with a saved profile (Africa/Nairobi, en-KE) and two runs in its
 * history (a backup and an integrity check through `coffer`), and one
 * untimed `coffer jobs list` so V8's code cache (out/cli/cache/) is there,
 * as it is from a user's second command on.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { COFFER_BIN, COFFER_BUILT, ROOT, buildCli } from '../support/cli'
import { PROFILE, tempCore, value } from '../support/temp-core'
import { measurePair, type CaseResult } from './harness'

const ITERATIONS = 20
const WARMUP = 3
const JOBS_LIST_TARGET_MS = 400
/** `coffer help` never opens core: it should cost little more than Node itself. */
const HELP_TARGET_MS = 300

export default async function cliBench(): Promise<CaseResult[]> {
  buildCli()
  const { core, dataDir } = tempCore()
  value(await core.invoke('profile.save', PROFILE))
  await core.shutdown()

  // The same environment for every process; NODE_OPTIONS (tsx's, a user's) would load more into one side.
  const env: NodeJS.ProcessEnv = { ...process.env, COFFER_DATA_DIR: dataDir }
  delete env.NODE_OPTIONS
  const spawn = (args: string[]) => {
    const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 60_000 })
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
    return r.stdout
  }
  const coffer = (...args: string[]) => () => spawn([COFFER_BIN, ...args])
  const nodeBare = () => spawn(['-e', '0'])

  spawn([COFFER_BIN, 'backup'])
  spawn([COFFER_BIN, 'jobs', 'run', 'integrity'])
  // Check once that the timed commands do their whole work (and warm the code cache).
  const list = spawn([COFFER_BIN, 'jobs', 'list'])
  if (!/^backup\s+Database backup\s+Yes/m.test(list) || !/Times are in Africa\/Nairobi\./.test(list)) throw new Error(`unexpected jobs list:\n${list}`)
  const history = spawn([COFFER_BIN, 'jobs', 'history'])
  if (!/2 runs in all\./.test(history)) throw new Error(`unexpected jobs history:\n${history}`)
  if (!spawn([COFFER_BIN, 'help']).startsWith('Usage:')) throw new Error('coffer help printed no usage')

  const results: CaseResult[] = []
  const pair = async (name: string, fn: () => unknown, target?: number, note?: string, iterations = ITERATIONS) => {
    const r = await measurePair(fn, nodeBare, { iterations, warmup: WARMUP })
    results.push({ name, ...r, targetMedianMs: target, note })
  }

  await pair('coffer jobs list', coffer('jobs', 'list'), JOBS_LIST_TARGET_MS, 'raw = node -e 0 in the same run; the ratio is Coffer on top of starting Node')
  await pair('coffer help', coffer('help'), HELP_TARGET_MS, 'does not open core')
  await pair('coffer jobs history', coffer('jobs', 'history'))
  await pair('coffer jobs list --json', coffer('jobs', 'list', '--json'))
  // The bundle required directly: no code cache, what the first command after a build costs.
  await pair('jobs list, no code cache', () => spawn([COFFER_BUILT, 'jobs', 'list']), undefined, 'out/cli/coffer.js run directly, compiled afresh')
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ')
  const last = results[0]
  if (last) last.note = `${last.note}; load average ${load}; cache ${fs.readdirSync(path.join(ROOT, 'out/cli/cache')).join(', ')}`
  return results
}
