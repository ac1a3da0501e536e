import { useCallback, useEffect, useRef, useState } from 'react'
import type { AppError, Job, JobRun } from '../../../shared/contract'
import { invoke } from '../api'
import { useEvent } from '../lib/useEvent'
import { isRunning } from './labels'

/**
 * A run's news applied to its job: a running run becomes the job's `running`,
 * an ended one its `lastRun`. News older than what the row shows is ignored
 * (a late progress event after the end, an older run finishing).
 */
export function applyRunToJob(job: Job, run: JobRun): Job {
  if (job.id !== run.jobId) return job
  if (isRunning(run)) {
    if (job.lastRun && job.lastRun.id >= run.id) return job
    if (job.running && job.running.id > run.id) return job
    return { ...job, running: run }
  }
  const running = job.running && job.running.id <= run.id ? null : job.running
  const lastRun = !job.lastRun || job.lastRun.id <= run.id ? run : job.lastRun
  return { ...job, running, lastRun }
}

/**
 * Every job from jobs.list, kept live: progress and status from
 * jobs.runUpdated straight into the row, and the list asked again when a run
 * ends (next runs, last run as the engine recorded it).
 */
export function useJobs() {
  const [jobs, setJobs] = useState<Job[] | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  // Bumped to ask again; the rows on screen stay while the answer comes.
  const [tick, setTick] = useState(0)
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | null>(null)

  useEffect(() => {
    let live = true
    void invoke('jobs.list', {}).then((r) => {
      if (!live) return
      if (r.ok) {
        setJobs(r.value)
        setError(null)
      } else {
        setError(r.error)
      }
    })
    return () => {
      live = false
    }
  }, [tick])

  useEffect(
    () => () => {
      if (reloadTimer.current) clearTimeout(reloadTimer.current)
    },
    []
  )

  const load = useCallback(() => setTick((t) => t + 1), [])

  const reloadSoon = useCallback(() => {
    if (reloadTimer.current) return
    reloadTimer.current = setTimeout(() => {
      reloadTimer.current = null
      load()
    }, 150)
  }, [load])

  const applyRun = useCallback((run: JobRun) => {
    setJobs((list) => (list ? list.map((j) => applyRunToJob(j, run)) : list))
  }, [])

  /** Puts a job as the app answered it (after setEnabled, updateSchedule). */
  const replaceJob = useCallback((job: Job) => {
    setJobs((list) => (list ? list.map((j) => (j.id === job.id ? job : j)) : list))
  }, [])

  useEvent('jobs.runUpdated', (run) => {
    applyRun(run)
    if (!isRunning(run)) reloadSoon()
  })

  return { jobs, error, reload: load, applyRun, replaceJob }
}
