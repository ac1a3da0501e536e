import { defineConfig } from '@playwright/test'

/**
 * One set of specs, two drivers (test/e2e/support/driver.ts): the real
 * Electron app where its binary is installed, else the built renderer in
 * Debian's Chromium bridged to a core in this process through the contract.
 * COFFER_E2E_DRIVER=electron|chromium forces one.
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    { name: 'app', testIgnore: ['**/encryption.spec.ts', '**/mail-settings.spec.ts'] },
    // Each its own worker process: the keychain binding keeps the D-Bus connection it first made for the
    // life of the process, so a spec's private keychain must exist before anything loads it.
    { name: 'encryption', testMatch: '**/encryption.spec.ts' },
    { name: 'mail-keychain', testMatch: '**/mail-settings.spec.ts' }
  ]
})
