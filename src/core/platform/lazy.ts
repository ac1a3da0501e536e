import { createRequire } from 'node:module'

/**
 * A heavy part of core (the voucher PDF writer and its fonts, the portfolio
 * workbook), loaded on first use so that starting the app or a command does
 * not pay for it.
 *
 * `load` is an import(): the app's bundler (electron-vite) and the command
 * line's (esbuild) resolve it at build time and run the module only then.
 * (Also a worker thread run from source through tsx's require hook: Node's
 * ESM resolver finds no './xlsx' there, as it adds no '.ts'.)
 * `source` names the same module for require(), for the one host that
 * compiles core's TypeScript for require() but hands import() to Node, which
 * cannot read a .ts file: Playwright's test runner, where the end-to-end
 * tests' Chromium driver runs core from its source (and loads these modules
 * up front, while Playwright's compiler is in place). Only that failure (Node
 * refusing the file) switches to it; any other error, including one thrown by
 * the loaded module, reaches the caller as it is. The require goes through
 * createRequire so that no bundler follows it (a require() it could see would
 * pull the module, and pdfkit or exceljs, into the start-up chunk).
 */
export function lazyModule<T>(load: () => Promise<T>, source: { from: string; path: string }): () => Promise<T> {
  let loaded: Promise<T> | null = null
  return () => {
    loaded ??= load().catch((e: unknown) => {
      if (!nodeCannotReadTypeScript(e, source.from)) {
        loaded = null
        throw e
      }
      return createRequire(source.from)(source.path) as T
    })
    return loaded
  }
}

function nodeCannotReadTypeScript(e: unknown, from: string): boolean {
  const code = (e as { code?: unknown } | null)?.code
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION') return true
  // A worker thread running core from its source (tsx's require hook) hands import() of an extensionless
  // './xlsx' (or a folder's './defs') to Node's ESM resolver, which adds no '.ts' and no '/index'. require()
  // does; a module truly missing fails there too.
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT') && from.endsWith('.ts')) return true
  return e instanceof SyntaxError && /Cannot use import statement outside a module|Unexpected token 'export'/.test(e.message)
}
