/**
 * The built command line, as `coffer` runs it: tests and benches spawn
 * src/cli/bin.cjs, which runs out/cli/coffer.js. `npm test` runs vitest
 * before `npm run build`, so the build is brought up to date here first
 * (build/scripts/cli.mjs --if-stale: a few ms when nothing changed).
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'

export const ROOT = path.resolve(__dirname, '../..')
export const COFFER_BIN = path.join(ROOT, 'src/cli/bin.cjs')
export const COFFER_BUILT = path.join(ROOT, 'out/cli/coffer.js')

export function buildCli(): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'build/scripts/cli.mjs'), '--if-stale'], { encoding: 'utf8', timeout: 120_000 })
  if (r.status !== 0) throw new Error(`building the command line failed (exit ${r.status}): ${r.stderr || r.error?.message}`)
}

/** Runs the built command line on `dataDir`, no password given (COFFER_PASSWORD cleared); answers its exit code and output. */
export function coffer(dataDir: string, ...args: string[]): { code: number | null; out: string; err: string } {
  return cofferWith(dataDir, undefined, ...args)
}

/** The same, the operator's password (if any) in COFFER_PASSWORD as a script gives it; a run is stopped after 90 s. */
export function cofferWith(dataDir: string, password: string | undefined, ...args: string[]): { code: number | null; out: string; err: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, COFFER_DATA_DIR: dataDir }
  delete env.COFFER_PASSWORD
  if (password !== undefined) env.COFFER_PASSWORD = password
  const r = spawnSync(process.execPath, [COFFER_BIN, ...args], { env, encoding: 'utf8', timeout: 90_000 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}
