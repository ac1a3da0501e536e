#!/usr/bin/env node
/**
 * The `coffer` command: runs the built command line, plain JavaScript
 * (out/cli/coffer.js, made by build/scripts/cli.mjs at `npm install`,
 * `npm run build`, `npm run build:cli`, and by `npm run coffer` when stale).
 *
 * Start-up is most of a command's time, and compiling the bundle is a good
 * part of it, so V8's compiled code is kept beside it (out/cli/cache/, the
 * same as Node 22's module.enableCompileCache does): the first run writes it,
 * later runs skip the compiling. It is keyed by the bundle file (inode, time,
 * size) and the Node version, so a rebuilt bundle or another Node never uses a stale one.
 * Where that folder cannot be written (a read-only install) the command runs
 * the same, only without the cache.
 */
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..', '..')
const built = path.join(root, 'out', 'cli', 'coffer.js')

let source
let stat
try {
  source = fs.readFileSync(built, 'utf8')
  stat = fs.statSync(built)
} catch (e) {
  const why = e && e.code === 'ENOENT' ? `${built} is missing` : `${built} cannot be read: ${e && e.message}`
  process.stderr.write(`coffer: the command line is not built (${why}); run npm run build:cli in ${root}.\n`)
  process.exit(3)
}
loadWithCodeCache(built, source, stat).run()

/** Requires the bundle as Node would, compiling it with V8's cached code when there is a valid one. */
function loadWithCodeCache(file, src, st) {
  const vm = require('node:vm')
  const Module = require('node:module')
  // The build renames a new file into place: a new inode and time. (V8 itself also refuses a cache made by another V8.)
  const key = `${st.ino}-${Math.round(st.mtimeMs)}-${st.size}-${process.version}-${process.arch}`
  const cacheDir = path.join(path.dirname(file), 'cache')
  const cacheFile = path.join(cacheDir, `coffer-${key}.v8`)
  let cachedData
  try {
    cachedData = fs.readFileSync(cacheFile)
  } catch {
    cachedData = undefined
  }
  const script = new vm.Script(Module.wrap(src), { filename: file, cachedData, importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER })
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the command ran, so the cache holds the functions it compiled on the way.
    process.once('exit', () => writeCache(script, cacheDir, cacheFile))
  }
  const mod = new Module(file, module)
  mod.filename = file
  mod.paths = Module._nodeModulePaths(path.dirname(file))
  const req = Module.createRequire(file)
  script.runInThisContext().call(mod.exports, mod.exports, req, mod, file, path.dirname(file))
  mod.loaded = true
  return mod.exports
}

function writeCache(script, dir, file) {
  try {
    fs.mkdirSync(dir, { recursive: true })
    // Older caches (an earlier build, another Node) are of no further use.
    for (const f of fs.readdirSync(dir)) if (f.startsWith('coffer-') && path.join(dir, f) !== file) fs.rmSync(path.join(dir, f), { force: true })
    const tmp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(tmp, script.createCachedData())
    fs.renameSync(tmp, file)
  } catch {
    // A cache is only a speed-up: a folder that cannot be written means compiling each time.
  }
}
