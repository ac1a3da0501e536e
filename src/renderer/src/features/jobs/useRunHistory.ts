import { useCallback, useEffect, useRef, useState } from 'react'
import type { AppError, JobRun, RunStatus } from '../../../shared/contract'
import { invoke } from '../api'
import { useEvent } from '../lib/useEvent'
import { compareRunsNewestFirst } from './labels'

export const HISTORY_PAGE_SIZE = 50

export interface HistoryFilter {
  jobId: string | null
  status: RunStatus | null
}

interface HistoryState {
  key: string
  rows: JobRun[]
  total: number
  /** A page is being fetched. */
  loading: boolean
  error: AppError | null
  /** The first page has answered. */
  loaded: boolean
}

const filterKey = (f: HistoryFilter) => JSON.stringify([f.jobId, f.status])
const matches = (f: HistoryFilter, run: JobRun) =>
  (f.jobId === null || run.jobId === f.jobId) && (f.status === null || run.status === f.status)

/**
 * Run history from jobs.history, newest first, 50 at a time ("Load more"
 * asks for the next page). Runs that start, progress or end arrive through
 * jobs.runUpdated: a known row is replaced, a new run is put in its place at
 * the top, a row that no longer matches the status filter leaves.
 */
export function useRunHistory(filter: HistoryFilter) {
  const key = filterKey(filter)
  const [state, setState] = useState<HistoryState>({ key, rows: [], total: 0, loading: true, error: null, loaded: false })
  const filterRef = useRef(filter)
  const seq = useRef(0)
  useEffect(() => {
    filterRef.current = filter
  })

  const fetchPage = useCallback(async (forKey: string, offset: number) => {
    const mine = ++seq.current
    const f = filterRef.current
    const r = await invoke('jobs.history', {
      jobId: f.jobId ?? undefined,
      status: f.status ?? undefined,
      offset,
      limit: HISTORY_PAGE_SIZE
    })
    if (mine !== seq.current) return
    setState((s) => {
      if (s.key !== forKey) return s
      if (!r.ok) return { ...s, loading: false, error: r.error }
      const seen = new Set(offset === 0 ? [] : s.rows.map((x) => x.id))
      const incoming = r.value.rows.filter((x) => !seen.has(x.id))
      return {
        key: forKey,
        rows: offset === 0 ? incoming : [...s.rows, ...incoming],
        total: r.value.total,
        loading: false,
        error: null,
        loaded: true
      }
    })
  }, [])

  // A new filter starts from the first page. The state is reset while rendering (not in an effect) so
  // the old filter's rows never show under the new one.
  if (state.key !== key) setState({ key, rows: [], total: 0, loading: true, error: null, loaded: false })

  useEffect(() => {
    void fetchPage(key, 0)
  }, [key, fetchPage])

  const loadMore = useCallback(() => {
    setState((s) => (s.loading ? s : { ...s, loading: true }))
    void fetchPage(key, state.rows.length)
  }, [fetchPage, key, state.rows.length])

  const reload = useCallback(() => {
    setState((s) => ({ ...s, loading: true, error: null }))
    void fetchPage(key, 0)
  }, [fetchPage, key])

  useEvent('jobs.runUpdated', (run) => {
    setState((s) => {
      if (!s.loaded) return s
      const f = filterRef.current
      const at = s.rows.findIndex((x) => x.id === run.id)
      if (at >= 0) {
        if (!matches(f, run)) {
          const rows = s.rows.filter((x) => x.id !== run.id)
          return { ...s, rows, total: Math.max(rows.length, s.total - 1) }
        }
        const rows = s.rows.slice()
        rows[at] = run
        return { ...s, rows }
      }
      if (!matches(f, run)) return s
      // A run not on screen: show it only where it belongs among the rows already loaded.
      const last = s.rows[s.rows.length - 1]
      const allLoaded = s.rows.length >= s.total
      if (!allLoaded && last && compareRunsNewestFirst(run, last) > 0) return s
      const rows = [...s.rows, run].sort(compareRunsNewestFirst)
      return { ...s, rows, total: s.total + 1 }
    })
  })

  return {
    rows: state.key === key ? state.rows : [],
    total: state.key === key ? state.total : 0,
    loading: state.loading || state.key !== key,
    loaded: state.loaded && state.key === key,
    error: state.key === key ? state.error : null,
    hasMore: state.rows.length < state.total,
    loadMore,
    reload
  }
}
