/**
 * The job worker thread's entry (built to out/main/jobs-worker.js): every
 * job of every module, run by platform's worker loop.
 */
import { runJobWorker } from './platform/jobs/worker'
import { allJobs } from './modules'

runJobWorker(allJobs)
