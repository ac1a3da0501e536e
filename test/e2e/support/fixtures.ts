import { test as base, expect } from '@playwright/test'
import { closeSharedBrowser, launchApp, type AppHandle, type LaunchOptions } from './driver'

export { expect }

/**
 * `launch()` starts Coffer on a fresh data folder with whichever driver this
 * machine has; everything launched is closed after the test.
 */
export const test = base.extend<{ launch: (opts?: LaunchOptions) => Promise<AppHandle> }>({
  // eslint-disable-next-line no-empty-pattern
  launch: async ({}, use) => {
    const launched: AppHandle[] = []
    await use(async (opts) => {
      const app = await launchApp(opts)
      launched.push(app)
      return app
    })
    for (const app of launched) await app.close().catch(() => undefined)
  }
})

test.afterAll(async () => {
  await closeSharedBrowser()
})
