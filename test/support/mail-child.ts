/**
 * A process that runs the mail job once on a data file (the mail kill test,
 * test/integration/mail-kill.test.ts), as the mail module builds it: the
 * MailService on the connection (mailServices), a voucher renderer, the job's
 * run(ctx). It prints `READY`, then `RENDERED <n>` for each attachment it
 * makes, and `DONE <summary>` if it finishes before the test kills it.
 *
 *   mail-child.ts <dataDir> <instant>
 *
 * The email settings are in the data file (the test saved them); the server
 * on loopback takes mail without a password, so the secret store is empty.
 */
import path from 'node:path'
import { ManualClock } from '../../src/core'
import { MailService, mailJob, mailServices } from '../../src/core/mail'
import { openDatabase } from '../../src/core/platform/db/open'
import type { ServiceContext } from '../../src/core/platform/context'
import type { JobContext } from '../../src/core/platform/jobs/types'
import { MIGRATIONS } from './temp-core'

const say = (line: string) => process.stdout.write(`${line}\n`)

/** The voucher "PDF" the kill test's renderer makes: deterministic bytes from the frozen data. */
function testVoucherBytes(data: unknown): Buffer {
  return Buffer.from(`%PDF-1.7\n% voucher ${JSON.stringify(data)}\n%%EOF\n`, 'utf8')
}

async function main() {
  const [dataDir, instant] = process.argv.slice(2)
  if (!dataDir || !instant) throw new Error('usage: mail-child <dataDir> <instant>')
  const clock = new ManualClock(instant)
  const { db, sqlite } = openDatabase({ file: path.join(dataDir, 'coffer.sqlite'), migrationsFolder: MIGRATIONS, backupsDir: path.join(dataDir, 'backups'), clock })
  const ctx: ServiceContext = { db, sqlite, clock, emit: () => undefined }
  const mail = new MailService(ctx, {
    secrets: { where: 'no keychain (the kill test)', get: () => null, set: () => undefined, delete: () => false },
    dataDir,
    locale: () => 'en-KE',
    profileName: () => 'Umoja Savings Cooperative',
    alert: (n) => say(`ALERT ${n.title}`)
  })
  mailServices.set(sqlite, mail)
  let rendered = 0
  mail.registerRenderer('voucher', async (data) => {
    rendered++
    say(`RENDERED ${rendered}`)
    return testVoucherBytes(data)
  })
  say('READY')
  const jobCtx = { sqlite, db, clock, signal: new AbortController().signal, locale: 'en-KE', timeZone: 'Africa/Nairobi' } as unknown as JobContext
  const r = await mailJob.run(jobCtx)
  say(`DONE ${r.summary}`)
  sqlite.close()
}

main().catch((e: unknown) => {
  say(`ERROR ${e instanceof Error ? e.stack : String(e)}`)
  process.exit(2)
})
