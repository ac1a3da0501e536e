import { defineConfig } from 'drizzle-kit'

/** Every table: each area's schema.ts, and the platform's own (jobs, settings). */
export default defineConfig({
  dialect: 'sqlite',
  schema: ['./src/core/*/schema.ts', './src/core/platform/jobs/schema.ts', './src/core/platform/settings.ts'],
  out: './drizzle'
})
