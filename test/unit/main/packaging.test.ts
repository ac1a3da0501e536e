import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import type { Configuration, FuseOptionsV1 } from 'app-builder-lib'

/**
 * The packaging config (package.json "build", read by electron-builder) flips
 * Electron's fuses in the packaged binary. Each fuse is asserted on its own,
 * so removing or turning one fails here; the whole block is also checked
 * against electron-builder's own schema and against the fuses that the
 * @electron/fuses electron-builder uses knows, so a fuse added by an upgrade
 * has to be decided rather than left at Electron's default.
 */
const root = path.resolve(__dirname, '../../..')
const build = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { build: Configuration }).build
const fuses: FuseOptionsV1 = build.electronFuses ?? {}

/** Every fuse decided (resetAdHocDarwinSignature is a signing step, not a fuse). */
const EXPECTED = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false
} as const satisfies Required<Omit<FuseOptionsV1, 'resetAdHocDarwinSignature'>>

// The electron-builder this project packages with, and the modules it loads itself.
const builderRequire = createRequire(require.resolve('app-builder-lib/package.json'))

describe('Electron fuses in the packaging config', () => {
  it('ELECTRON_RUN_AS_NODE cannot turn the app into a plain Node.js', () => {
    expect(fuses.runAsNode).toBe(false)
  })
  it('cookies on disk are encrypted with the OS keys', () => {
    expect(fuses.enableCookieEncryption).toBe(true)
  })
  it('NODE_OPTIONS and NODE_EXTRA_CA_CERTS are ignored', () => {
    expect(fuses.enableNodeOptionsEnvironmentVariable).toBe(false)
  })
  it('--inspect and friends (and SIGUSR1) do not open a debugger', () => {
    expect(fuses.enableNodeCliInspectArguments).toBe(false)
  })
  it('app.asar is checked against the hash embedded in the executable', () => {
    expect(fuses.enableEmbeddedAsarIntegrityValidation).toBe(true)
  })
  it('the app loads only from app.asar (no app/ folder beside it)', () => {
    expect(fuses.onlyLoadAppFromAsar).toBe(true)
    // Only meaningful, and only startable, when the app is packed into app.asar.
    expect(build.asar).toBe(true)
  })
  it('file:// pages get no privileges beyond a browser’s; the default V8 snapshot', () => {
    expect(fuses.grantFileProtocolExtraPrivileges).toBe(false)
    expect(fuses.loadBrowserProcessSpecificV8Snapshot).toBe(false)
  })
  it('sets exactly the decided fuses, nothing else', () => {
    expect(fuses).toEqual(EXPECTED)
  })

  it('decides every fuse the packager’s @electron/fuses can flip', () => {
    const { FuseV1Options } = builderRequire('@electron/fuses') as { FuseV1Options: Record<string, string | number> }
    // A TypeScript enum maps names to numbers and back: the names are the string keys of the numbers.
    const wires = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k)))
    const asOptions = wires.map((w) => w.charAt(0).toLowerCase() + w.slice(1)).sort()
    expect(asOptions).toEqual(Object.keys(EXPECTED).sort())
  })

  it('passes electron-builder’s own schema, which refuses a misspelled fuse', async () => {
    const { validateConfiguration } = builderRequire('./out/util/config/config.js') as {
      validateConfiguration(config: Configuration, logger: unknown): Promise<void>
    }
    const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }
    await expect(validateConfiguration(build, new DebugLogger(false))).resolves.toBeUndefined()
    const misspelled = { ...build, electronFuses: { ...fuses, runAsNod: false } } as Configuration
    await expect(validateConfiguration(misspelled, new DebugLogger(false))).rejects.toThrow(/electronFuses/)
  })
})
