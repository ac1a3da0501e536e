#!/usr/bin/env node
/**
 * better-sqlite3 for both runtimes, side by side, after one `npm install`.
 *
 * The package installed as `better-sqlite3` is SQLite3 Multiple Ciphers'
 * build of it (package.json: "better-sqlite3": "npm:better-sqlite3-multiple-ciphers@..."),
 * the same API with encryption at rest; every import stays `better-sqlite3`.
 * npm compiles it from source when its prebuilt binary cannot be downloaded.
 *
 * Node's build stays where npm puts it (node_modules/better-sqlite3/build),
 * used by the tests and the CLI. Electron's ABI differs, so its build goes to
 * node_modules/.coffer-native/electron/better_sqlite3.node, which the main
 * process passes to better-sqlite3 as `nativeBinding`. Neither run needs a
 * rebuild before the other, in either order.
 *
 *   node build/scripts/native.mjs postinstall   best effort; never fails the install
 *   node build/scripts/native.mjs electron      build it now; exit 1 with the reason if it cannot
 *   node build/scripts/native.mjs status        say what is there
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const nm = path.join(root, 'node_modules')
const outDir = path.join(nm, '.coffer-native', 'electron')
const outFile = path.join(outDir, 'better_sqlite3.node')
const stampFile = path.join(outDir, 'stamp.json')
const workDir = path.join(nm, '.coffer-native', 'work')

const readJson = (p) => JSON.parse(fs.readFileSync(p, 'utf8'))
const log = (m) => console.log(`[coffer native] ${m}`)

function versions() {
  const electron = readJson(path.join(nm, 'electron', 'package.json')).version
  const pkg = readJson(path.join(nm, 'better-sqlite3', 'package.json'))
  // The package's own name: a build of plain better-sqlite3 with the same version is not this one.
  return { electron, package: pkg.name, betterSqlite3: pkg.version, platform: process.platform, arch: process.arch }
}

function upToDate(v) {
  if (!fs.existsSync(outFile) || !fs.existsSync(stampFile)) return false
  const s = readJson(stampFile)
  return (
    s.electron === v.electron &&
    s.package === v.package &&
    s.betterSqlite3 === v.betterSqlite3 &&
    s.platform === v.platform &&
    s.arch === v.arch
  )
}

function run(cmd, args, cwd) {
  const env = { ...process.env }
  // A machine-wide `nodedir` points node-gyp at Node's headers: wrong for Electron.
  for (const k of Object.keys(env)) if (k.toLowerCase() === 'npm_config_nodedir') delete env[k]
  const r = spawnSync(cmd, args, { cwd, env, stdio: 'inherit', timeout: 15 * 60_000 })
  return r.status === 0
}

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(nm, 'node-gyp', 'bin', 'node-gyp.js')
  ]
  return candidates.find((c) => c && fs.existsSync(c))
}

/** Builds (or fetches) better-sqlite3 for Electron in a scratch copy, then keeps only the .node file. */
function buildForElectron(v) {
  fs.rmSync(workDir, { recursive: true, force: true })
  fs.cpSync(path.join(nm, 'better-sqlite3'), workDir, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}build${path.sep}`) && !src.endsWith(`${path.sep}build`)
  })
  const built = path.join(workDir, 'build', 'Release', 'better_sqlite3.node')
  const prebuild = path.join(nm, 'prebuild-install', 'bin.js')
  log(`getting ${v.package} ${v.betterSqlite3} for Electron ${v.electron} (${v.platform}-${v.arch})`)
  let ok =
    fs.existsSync(prebuild) &&
    run(process.execPath, [prebuild, '--runtime', 'electron', '--target', v.electron, '--arch', v.arch, '--platform', v.platform], workDir) &&
    fs.existsSync(built)
  if (!ok) {
    const gyp = nodeGyp()
    ok =
      !!gyp &&
      run(
        process.execPath,
        [gyp, 'rebuild', '--release', `--target=${v.electron}`, `--arch=${v.arch}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
        workDir
      ) &&
      fs.existsSync(built)
  }
  if (ok) {
    fs.mkdirSync(outDir, { recursive: true })
    fs.copyFileSync(built, outFile)
    fs.writeFileSync(stampFile, JSON.stringify(v, null, 2))
  }
  fs.rmSync(workDir, { recursive: true, force: true })
  return ok
}

const mode = process.argv[2] ?? 'status'
let v
try {
  v = versions()
} catch (e) {
  log(`electron or better-sqlite3 is not installed (${e.message}); nothing to do.`)
  process.exit(mode === 'electron' ? 1 : 0)
}

if (mode === 'status') {
  log(upToDate(v) ? `Electron build present: ${outFile}` : 'no Electron build of better-sqlite3 yet')
  process.exit(0)
}
if (upToDate(v)) {
  log(`Electron build of better-sqlite3 is up to date (${outFile}).`)
  process.exit(0)
}
if (mode === 'postinstall' && process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  log('ELECTRON_SKIP_BINARY_DOWNLOAD is set: no Electron here, so no Electron build of better-sqlite3. Tests use Node\'s build.')
  process.exit(0)
}
const ok = buildForElectron(v)
if (ok) {
  log(`ready: ${outFile}`)
  process.exit(0)
}
const reason =
  'could not fetch or build better-sqlite3 for Electron (this needs the Electron headers or a prebuilt binary from the internet).'
if (mode === 'postinstall') {
  log(`warning: ${reason} \`npm test\` is unaffected; run \`npm run native:electron\` before \`npm start\`.`)
  process.exit(0)
}
log(`error: ${reason}`)
process.exit(1)
