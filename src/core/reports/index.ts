/**
 * Reports (#15): eleven reports on screen first, exported to Excel or PDF on
 * the report-export job (worker thread, progress, Cancel), every file listed
 * in Generated reports with its SHA-256 and data fingerprint, reopened or
 * emailed only while the file is as Coffer made it; the weekly and monthly
 * summaries made on a schedule and emailed to Settings → Reports' recipients.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { defineModule } from '../platform/module'
import { ReportsService, reportsDir } from './service'
import { reportJobs } from './jobs'

export { generatedReports } from './schema'
export { ReportsService, checkParams, REPORT_EXPORT_JOB } from './service'
export { makeReport, reportExportJob, weeklySummaryJob, monthlySummaryJob, reportJobs, WEEKLY_JOB_WORDS, MONTHLY_JOB_WORDS } from './jobs'
export { reportSource } from './source'

declare module '../platform/module' {
  interface Areas {
    reports: ReportsService
  }
}

/** What a 'report' attachment's source holds (reportEmail): the generated report and the file as it was made. */
interface ReportAttachment {
  generatedId: number
  fileName: string
  sha256: string
}

export const reportsModule = defineModule({
  name: 'reports',
  prefixes: ['reports'],
  jobs: reportJobs,
  create: (env) => {
    // A report email's attachment is the file itself, sent only while it is the one Coffer made.
    env.areas.mail.registerRenderer('report', async (data) => {
      const a = data as ReportAttachment
      const name = path.basename(String(a.fileName))
      const file = path.join(reportsDir(env.dataDir), name)
      let bytes: Buffer
      try {
        bytes = await fs.readFile(file)
      } catch {
        throw new Error(`The report file ${name} is no longer there; make the report again and email it from Generated reports.`)
      }
      if (createHash('sha256').update(bytes).digest('hex') !== a.sha256) {
        throw new Error(`The report file ${name} has changed since Coffer made it (its fingerprint differs); make the report again and email it from Generated reports.`)
      }
      return bytes
    })
    return new ReportsService(env.ctx, {
      dataDir: env.dataDir,
      timeZone: env.timeZone,
      locale: env.locale,
      jobs: env.jobs,
      openReader: env.openReader,
      processKind: env.processKind,
      mail: () => env.areas.mail
    })
  },
  handlers: (reports) => ({
    'reports.view': (q) => reports().view(q),
    'reports.export': (v) => reports().export(v),
    'reports.exportStatus': ({ runId }) => reports().exportStatus(runId),
    'reports.cancelExport': ({ runId }) => reports().cancelExport(runId),
    'reports.generated': (q) => reports().generated(q),
    'reports.file': ({ id }) => reports().file(id),
    'reports.email': ({ id, to, message }) => reports().email(id, to, message),
    'reports.settings': () => reports().settings(),
    'reports.saveSettings': (v) => reports().saveSettings(v)
  })
})
