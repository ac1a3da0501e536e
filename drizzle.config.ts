import { defineConfig } from 'drizzle-kit'

/** Every table: each area's schema.ts, and the platform's own (jobs, settings, the audit trail). */
export default defineConfig({
  dialect: 'sqlite',
  schema: ['./src/core/*/schema.ts', './src/core/platform/jobs/schema.ts', './src/core/platform/settings.ts', './src/core/platform/audit/schema.ts'],
  out: './drizzle'
})
