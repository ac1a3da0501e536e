#!/usr/bin/env node
/**
 * Builds the `coffer` command line to plain JavaScript, so the command runs
 * without TypeScript tooling at start-up:
 *
 *   out/cli/coffer.js        src/cli/index.ts and the core it uses, one CommonJS file
 *   out/cli/jobs-worker.js   src/core/jobs-worker.ts, the job worker thread's entry
 *
 * Packages stay in node_modules (required at run time, not bundled): the
 * built files find Node's better-sqlite3 build there (never Electron's, see
 * native.mjs), and exceljs and pdfkit load only when a command needs them.
 * The drizzle/ migrations and resources/ are read from the repository at run
 * time (src/cli/index.ts). Takes well under a second.
 *
 *   node build/scripts/cli.mjs              build
 *   node build/scripts/cli.mjs --if-stale   build only if a source file is newer than the build (npm run coffer)
 *   node build/scripts/cli.mjs postinstall  build; on failure say why and leave the install alone
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const outDir = path.join(root, 'out', 'cli')
const entries = {
  coffer: path.join(root, 'src', 'cli', 'index.ts'),
  'jobs-worker': path.join(root, 'src', 'core', 'jobs-worker.ts')
}
/** What the built files are made from: a newer file here means the build is stale. */
const sources = ['src/cli', 'src/core', 'src/shared', 'package.json', 'build/scripts/cli.mjs'].map((p) => path.join(root, p))
const log = (m) => console.error(`[coffer cli] ${m}`)

function newestMtime(p) {
  const st = fs.statSync(p, { throwIfNoEntry: false })
  if (!st) return 0
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)))
  return newest
}

function builtAt() {
  let oldest = Infinity
  for (const name of Object.keys(entries)) {
    const st = fs.statSync(path.join(outDir, `${name}.js`), { throwIfNoEntry: false })
    if (!st) return 0
    oldest = Math.min(oldest, st.mtimeMs)
  }
  return oldest
}

export async function buildCli() {
  const esbuild = await import('esbuild')
  const result = await esbuild.build({
    entryPoints: entries,
    outdir: outDir,
    write: false,
    define: { __COFFER_CLI_BUILD__: 'true' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Pure-JavaScript packages (zod, drizzle-orm, cron-parser...) are bundled: one
    // file parses faster than hundreds resolved one by one. Required from
    // node_modules at run time instead: better-sqlite3 (native; Node's build),
    // node-cron (forks its own files), and exceljs and pdfkit, which only a
    // command that writes a workbook or a voucher loads (dynamic imports).
    external: ['better-sqlite3', 'node-cron', 'exceljs', 'pdfkit', 'fontkit'],
    // Smaller to read at every start; the source map keeps it readable.
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    tsconfig: path.join(root, 'tsconfig.node.json')
  })
  // Each file written beside and renamed into place: a `coffer` started while
  // another build runs (tests, npm run build) reads the old file or the new, never half of one.
  fs.mkdirSync(outDir, { recursive: true })
  for (const f of result.outputFiles) {
    const tmp = `${f.path}.${process.pid}.tmp`
    fs.writeFileSync(tmp, f.contents)
    fs.renameSync(tmp, f.path)
  }
}

const mode = process.argv[2] ?? 'build'
if (!['build', '--if-stale', 'postinstall'].includes(mode)) {
  log(`unknown option ${mode}; use --if-stale or postinstall, or nothing to build.`)
  process.exit(2)
}
if (mode === '--if-stale' && builtAt() >= Math.max(...sources.map(newestMtime))) process.exit(0)
try {
  const t0 = performance.now()
  await buildCli()
  if (mode !== '--if-stale') log(`built out/cli/coffer.js in ${Math.round(performance.now() - t0)} ms`)
} catch (e) {
  if (mode === 'postinstall') {
    log(`warning: could not build the command line (${e.message}). Run \`npm run build:cli\` before \`coffer\`.`)
    process.exit(0)
  }
  log(`error: ${e.message}`)
  process.exit(1)
}
