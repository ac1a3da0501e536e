import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { RunTrigger, RunStatus } from '../../../shared/contract/jobs'
import { enumValues } from '../db/enum'

/** A job's schedule as the treasurer set it. A row is made the first time the engine sees a job. */
export const jobSchedules = sqliteTable('job_schedules', {
  jobId: text('job_id').primaryKey(),
  cron: text('cron').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** UTC instant the engine first knew this job: slots before it are never "missed". */
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull()
})

export const RUN_TRIGGERS = enumValues(RunTrigger)
export const RUN_STATUSES = enumValues(RunStatus)

/** One attempt at running a job. Retries are new rows with attempt + 1 and the same slot. */
export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    jobId: text('job_id').notNull(),
    trigger: text('trigger', { enum: RUN_TRIGGERS }).notNull(),
    /** The schedule slot this run serves (UTC instant), null for manual and CLI runs. */
    scheduledFor: text('scheduled_for'),
    startedAt: text('started_at').notNull(),
    endedAt: text('ended_at'),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    attempt: integer('attempt').notNull().default(1),
    force: integer('force', { mode: 'boolean' }).notNull().default(false),
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total'),
    progressNote: text('progress_note'),
    /** JSON: what the run did, for a person ("3 backups kept, 1 removed"). */
    result: text('result'),
    error: text('error'),
    /** Which process ran it ("app:1234", "cli:5678"). */
    owner: text('owner').notNull()
  },
  (t) => [
    index('job_runs_job_idx').on(t.jobId, t.id),
    index('job_runs_status_idx').on(t.status, t.id),
    index('job_runs_slot_idx').on(t.jobId, t.scheduledFor),
    check('job_runs_attempt_positive', sql`${t.attempt} >= 1`)
  ]
)

/**
 * At most one holder per job, across processes (the app and the CLI). A
 * holder renews `expires_at` while it runs; an expired lease is free.
 */
export const jobLeases = sqliteTable('job_leases', {
  jobId: text('job_id').primaryKey(),
  owner: text('owner').notNull(),
  runId: integer('run_id'),
  acquiredAt: text('acquired_at').notNull(),
  expiresAt: text('expires_at').notNull()
})
