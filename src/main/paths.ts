import fs from 'node:fs'
import path from 'node:path'
import { app } from 'electron'

/** The drizzle/ migrations: shipped as a resource when packaged, the repo's folder in development. */
export function migrationsFolder(): string {
  return app.isPackaged ? path.join(process.resourcesPath, 'drizzle') : path.join(app.getAppPath(), 'drizzle')
}

/** The built renderer (out/renderer). */
export function rendererDir(): string {
  return path.join(__dirname, '../renderer')
}

/**
 * better-sqlite3 compiled for Electron's ABI. `npm install` keeps Node's
 * build in node_modules/better-sqlite3 (for tests and the CLI) and puts the
 * Electron build beside it (build/scripts/native.mjs), so neither run needs
 * a rebuild before the other. Packaged apps carry it in resources/native.
 */
export function nativeBinding(): string | undefined {
  const candidate = app.isPackaged
    ? path.join(process.resourcesPath, 'native', 'better_sqlite3.node')
    : path.join(app.getAppPath(), 'node_modules', '.coffer-native', 'electron', 'better_sqlite3.node')
  return fs.existsSync(candidate) ? candidate : undefined
}

/** resources/ (voucher fonts): shipped beside the app when packaged, the repo's folder in development. */
export function resourcesDir(): string {
  return app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(app.getAppPath(), 'resources')
}
