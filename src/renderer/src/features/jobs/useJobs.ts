import { useCallback } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { Job, JobRun } from '../../../../shared/contract'
import { appError, call } from '../../platform/api'
import { jobKeys, patchRun } from './queries'

/**
 * Every job from jobs.list, kept live by app/invalidation.ts: progress and
 * status from jobs.runUpdated straight into the row, and the list asked again
 * when a run ends (next runs, last run as the engine recorded it).
 */
export function useJobs() {
  const client = useQueryClient()
  const query = useQuery({ queryKey: jobKeys.list(), queryFn: () => call('jobs.list', {}) })

  /** Puts a run the app answered (jobs.run) where it shows. */
  const applyRun = useCallback((run: JobRun) => void patchRun(client, run), [client])

  /** Puts a job as the app answered it (after setEnabled, updateSchedule). */
  const replaceJob = useCallback(
    (job: Job) => client.setQueryData<Job[]>(jobKeys.list(), (list) => list?.map((j) => (j.id === job.id ? job : j))),
    [client]
  )

  const error = appError(query.error)
  const { refetch } = query
  const reload = useCallback(() => void refetch(), [refetch])
  return { jobs: query.data ?? null, error, reload, applyRun, replaceJob }
}
