/**
 * Runs the benches: every *.bench.ts in this folder, one after the other, in
 * name order. `npm run bench -- members` runs only those whose file name
 * contains "members". Each bench module's default export returns its results;
 * this prints them and exits 1 when a stated target was missed (or a bench
 * failed), 0 otherwise.
 */
import fs from 'node:fs'
import path from 'node:path'
import { printTable, type BenchFn } from './harness'

async function main(): Promise<number> {
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'))
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((q) => f.includes(q)))
    .sort()
  if (files.length === 0) {
    console.error(`No bench matches ${filters.join(', ') || '*.bench.ts'}.`)
    return 1
  }
  let misses = 0
  let failures = 0
  for (const file of files) {
    const title = file.replace(/\.bench\.ts$/, '')
    console.log(`\n=== ${title} ===`)
    try {
      const mod = (await import(path.join(__dirname, file))) as { default?: BenchFn | { default?: BenchFn } }
      // tsx may wrap an ES default export once more when loading it from CommonJS.
      const fn = typeof mod.default === 'function' ? mod.default : mod.default?.default
      if (typeof fn !== 'function') throw new Error(`${file} has no default export function`)
      misses += printTable(title, await fn())
    } catch (e) {
      failures++
      console.error(`BENCH FAILED: ${title}`, e)
    }
  }
  console.log(
    `\n${files.length} bench file(s), ${misses} target(s) missed${failures ? `, ${failures} failed` : ''}.`
  )
  return misses > 0 || failures > 0 ? 1 : 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (e) => {
    console.error(e)
    process.exitCode = 1
  }
)
