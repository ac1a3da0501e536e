/**
 * Issue #14's targets:
 * (a) paying 1,000 payments queues 1,000 voucher emails in the same
 *     transaction in at most 2x the time of paying 1,000 without email;
 * (b) the queue sends them to a loopback server at 50 messages a second or
 *     more.
 *
 * (a) One core (jobCore: Ada signed in, a profile), the bond tests' monthly
 * series, 2,000 members raw: the first 1,000 with an email address, the
 * other 1,000 with none (the voucher notice is on, email channel, as
 * shipped). Each member holds 10 units. Each iteration makes the next
 * month's coupon for every holding (generateCoupons on a second connection)
 * and approves them raw; then `payments.pay` through the contract, one call
 * of 1,000 ids, once for the members with an address (1,000 vouchers, 1,000
 * ledger entries and 1,000 voucher emails, each with its VoucherData
 * snapshot, in the paying transaction) and once for those without (the same
 * vouchers and entries; the notice finds no address and queues nothing),
 * alternating which goes first. Checked: each email pay queued exactly 1,000
 * messages with an attachment each, each no-email pay none.
 *
 * (b) The core closed, the data file opened as the mail module does
 * (MailService on the connection, the real voucher renderer of
 * payments/index.ts: pdfkit with the app's fonts), the loopback server of
 * test/support/smtp.ts (smtp-server, STARTTLS on a certificate made here,
 * AUTH; in this same process, so its parsing of every message shares the
 * CPU). A run is `deliver()` as the mail job calls it, over 1,000 queued
 * voucher emails from (a) (the others held back by next_attempt_at): the
 * attachments frozen (rendered once, stored with SHA-256) then sent through
 * the pooled transport. The baseline is send-only: the same 1,000 put back
 * to 'queued' with their frozen attachments and sent again. Checked: every
 * run sent 1,000 and the server received 1,000 more, with a PDF each.
 */
import os from 'node:os'
import path from 'node:path'
import fs from 'node:fs'
import { ManualClock } from '../../src/core'
import { generateCoupons } from '../../src/core/bonds/coupons'
import { MailService } from '../../src/core/mail'
import { renderVoucherAttachment } from '../../src/core/payments/vouchers'
import { openDatabase } from '../../src/core/platform/db/open'
import type { ServiceContext } from '../../src/core/platform/context'
import type { BondSeries } from '../../src/shared/contract'
import { jobCore } from '../support/job-core'
import { fastDir, rawDb } from '../support/ledger'
import { seedMembers } from '../support/seed-members'
import { SERIES } from '../support/series'
import { startSmtp } from '../support/smtp'
import { emailSettingsFor, memorySecrets } from '../support/mail'
import { MIGRATIONS } from '../support/temp-core'
import { BENCH_NOW, callOk } from './bench-core'
import { stats, type CaseResult } from './harness'

const N = 1_000
const PAIRS = 5
const SEND_RUNS = 3
const PAY_RATIO_MAX = 2
const RATE_MIN_PER_S = 50
const FONTS_DIR = path.resolve(__dirname, '../../resources/fonts')

const cpuMs = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from)
  return (d.user + d.system) / 1000
}
const med = (xs: number[]): number => stats(xs).median
const f0 = (x: number): string => Math.round(x).toLocaleString('en-GB')
const load = (): string => `load average ${os.loadavg().map((x) => x.toFixed(1)).join(', ')} (${os.availableParallelism()} CPUs)`

export default async function mailBench(): Promise<CaseResult[]> {
  const dataDir = fastDir('coffer-mail-bench-')
  try {
    return await run(dataDir)
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

async function run(dataDir: string): Promise<CaseResult[]> {
  const { core } = await jobCore({ dataDir, clock: new ManualClock(BENCH_NOW) })
  const file = path.join(dataDir, 'coffer.sqlite')
  const series = await callOk<BondSeries>(core, 'bonds.createSeries', SERIES)
  seedMembers({ file, count: 2 * N })
  const raw = rawDb(dataDir)
  const memberIds = raw.prepare('SELECT id FROM members ORDER BY id').pluck().all() as number[]
  const withEmail = new Set(memberIds.slice(0, N))
  raw.transaction(() => {
    const setEmail = raw.prepare('UPDATE members SET email = ?, active = 1, deactivated_at = NULL, deactivation_reason = NULL WHERE id = ?')
    const hold = raw.prepare(
      "INSERT INTO bond_holdings (member_id, series_id, units, purchase_date, status, created_at, updated_at) VALUES (?, ?, 10, '2026-01-01', 'active', ?, ?)"
    )
    for (const id of memberIds) {
      setEmail.run(withEmail.has(id) ? `member${id}@members.test` : null, id)
      hold.run(id, series.id, BENCH_NOW, BENCH_NOW)
    }
  })()

  /** The next month's coupons for all 2,000 holdings, approved: [ids of members with an address, ids of those without]. */
  const approvedMonth = (month: number): [number[], number[]] => {
    const before = raw.prepare('SELECT coalesce(max(id), 0) FROM bond_payments').pluck().get() as number
    const today = `2026-${String(month).padStart(2, '0')}-01`
    const r = generateCoupons(raw, { today, createdAt: BENCH_NOW, runId: null })
    if (r.created !== 2 * N) throw new Error(`the coupon run for ${today} made ${r.created} payments, not ${2 * N}`)
    raw.prepare("UPDATE bond_payments SET status = 'approved', approved_by = 'Tom Treasurer', approved_at = ?, version = version + 1 WHERE id > ?").run(BENCH_NOW, before)
    const rows = raw.prepare('SELECT id, member_id AS memberId FROM bond_payments WHERE id > ? ORDER BY id').all(before) as { id: number; memberId: number }[]
    return [rows.filter((p) => withEmail.has(p.memberId)).map((p) => p.id), rows.filter((p) => !withEmail.has(p.memberId)).map((p) => p.id)]
  }
  const queued = () => raw.prepare("SELECT count(*) FROM outbox_messages WHERE kind = 'voucher'").pluck().get() as number
  const pay = async (ids: number[], ref: string, expectQueued: number): Promise<{ ms: number; cpu: number }> => {
    const q0 = queued()
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    const r = await callOk<{ paid: unknown[] }>(core, 'payments.pay', { ids, paidOn: BENCH_NOW.slice(0, 10), method: 'bank-transfer', reference: ref })
    const ms = performance.now() - t0
    const cpu = cpuMs(c0)
    if (r.paid.length !== ids.length) throw new Error(`paid ${r.paid.length} of ${ids.length}`)
    const made = queued() - q0
    if (made !== expectQueued) throw new Error(`paying ${ids.length} queued ${made} voucher emails, not ${expectQueued}`)
    return { ms, cpu }
  }

  // (a) warm-up pair (February), then PAIRS pairs.
  const emailBatches: number[][] = []
  const emailMs: number[] = []
  const plainMs: number[] = []
  const emailCpu: number[] = []
  const plainCpu: number[] = []
  for (let i = 0; i <= PAIRS; i++) {
    const [mailIds, plainIds] = approvedMonth(2 + i)
    const a = async () => pay(mailIds, `TRF-${i}-E`, N)
    const b = async () => pay(plainIds, `TRF-${i}-P`, 0)
    const [e, p] = i % 2 === 0 ? [await a(), await b()] : await b().then(async (pb) => [await a(), pb] as const)
    const lastMessage = raw.prepare("SELECT max(id) FROM outbox_messages WHERE kind = 'voucher'").pluck().get() as number
    emailBatches.push(raw.prepare("SELECT id FROM outbox_messages WHERE kind = 'voucher' AND id > ? ORDER BY id").pluck().all(lastMessage - N) as number[])
    if (i === 0) continue
    emailMs.push(e.ms)
    plainMs.push(p.ms)
    emailCpu.push(e.cpu)
    plainCpu.push(p.cpu)
  }
  const attachments = raw.prepare("SELECT count(*) FROM outbox_attachments a JOIN outbox_messages m ON m.id = a.message_id WHERE m.kind = 'voucher'").pluck().get() as number
  if (attachments !== (PAIRS + 1) * N) throw new Error(`${attachments} voucher attachments for ${(PAIRS + 1) * N} messages`)
  const loadA = load()
  await core.shutdown()

  // (b) the queue to a loopback server.
  const smtp = await startSmtp()
  const clock = new ManualClock(BENCH_NOW)
  const { db, sqlite } = openDatabase({ file, migrationsFolder: MIGRATIONS, backupsDir: path.join(dataDir, 'backups'), clock })
  const ctx: ServiceContext = { db, sqlite, clock, emit: () => undefined }
  const mail = new MailService(ctx, {
    secrets: memorySecrets('the bench keychain'),
    dataDir,
    locale: () => 'en-KE',
    profileName: () => 'Umoja Savings Cooperative',
    alert: (n) => {
      throw new Error(`an alert while sending: ${n.title}: ${n.body}`)
    },
    tlsCa: smtp.ca
  })
  let renders = 0
  mail.registerRenderer('voucher', (data) => {
    renders++
    return renderVoucherAttachment(data, { fontsDir: FONTS_DIR, now: clock.now() })
  })
  mail.saveEmailSettings(emailSettingsFor(smtp))
  const FUTURE = '2099-01-01T00:00:00.000Z'
  /** Only this batch is due (all others wait), queued afresh: attempts 0. */
  const onlyDue = (ids: number[]) => {
    sqlite.transaction(() => {
      sqlite.prepare("UPDATE outbox_messages SET status = 'queued', next_attempt_at = ?, attempts = 0, sent_at = NULL WHERE channel = 'email'").run(FUTURE)
      const due = sqlite.prepare('UPDATE outbox_messages SET next_attempt_at = NULL WHERE id = ?')
      for (const id of ids) due.run(id)
    })()
  }
  const frozenCount = (ids: number[]) =>
    sqlite.prepare(`SELECT count(*) FROM outbox_attachments WHERE content IS NOT NULL AND message_id BETWEEN ? AND ?`).pluck().get(ids[0], ids.at(-1)) as number
  const deliver = async (ids: number[], renderExpected: boolean): Promise<{ ms: number; cpu: number }> => {
    onlyDue(ids)
    if (frozenCount(ids) !== (renderExpected ? 0 : N)) throw new Error('the batch is not in the state the run expects (frozen or not)')
    const received0 = smtp.received.length
    const renders0 = renders
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    const r = await mail.deliver(new AbortController().signal)
    const ms = performance.now() - t0
    const cpu = cpuMs(c0)
    if (r.sent !== N || r.failed !== 0 || r.retrying !== 0) throw new Error(`a run sent ${r.sent}, ${r.retrying} retrying, ${r.failed} failed`)
    if (smtp.received.length - received0 !== N) throw new Error(`the server received ${smtp.received.length - received0}, not ${N}`)
    if (renders - renders0 !== (renderExpected ? N : 0)) throw new Error(`${renders - renders0} renders in a run`)
    const last = smtp.received.at(-1)!
    if (last.attachments.length !== 1 || !last.attachments[0]!.content.subarray(0, 5).equals(Buffer.from('%PDF-'))) throw new Error('a message arrived without its PDF')
    smtp.received.splice(0)
    return { ms, cpu }
  }
  const batches = emailBatches.slice(0, SEND_RUNS)
  // Warm-up: a small run of the fifth batch (renders and sends 100).
  const warm = emailBatches[SEND_RUNS] as number[]
  onlyDue(warm.slice(0, 100))
  await mail.deliver(new AbortController().signal)
  smtp.received.splice(0)
  const renderSend: { ms: number; cpu: number }[] = []
  for (const ids of batches) renderSend.push(await deliver(ids, true))
  const sendOnly: { ms: number; cpu: number }[] = []
  for (const ids of batches) sendOnly.push(await deliver(ids, false))
  const att = sqlite.prepare('SELECT avg(size) FROM outbox_attachments WHERE content IS NOT NULL').pluck().get() as number
  const loadB = load()
  sqlite.close()
  await smtp.stop()
  raw.close()

  const perS = (ms: number) => (N / ms) * 1000
  const rs = stats(renderSend.map((r) => r.ms))
  const so = stats(sendOnly.map((r) => r.ms))
  return [
    {
      name: `(a) payments.pay ${N} with voucher emails / ${N} without`,
      measured: stats(emailMs),
      baseline: stats(plainMs),
      targetMedianMs: PAY_RATIO_MAX * med(plainMs),
      note:
        `target ${PAY_RATIO_MAX}x the no-email median; with email ${emailMs.map(f0).join(', ')} ms, without ${plainMs.map(f0).join(', ')} ms; ` +
        `CPU median ${f0(med(emailCpu))} / ${f0(med(plainCpu))} ms (${(med(emailCpu) / med(plainCpu)).toFixed(2)}x); ${loadA}`
    },
    {
      name: `(b) the queue: ${N} voucher emails rendered + sent / send-only`,
      measured: rs,
      baseline: so,
      targetMedianMs: (N / RATE_MIN_PER_S) * 1000,
      note:
        `rendered + sent ${renderSend.map((r) => f0(r.ms)).join(', ')} ms = ${f0(perS(rs.median))} messages/s (target >= ${RATE_MIN_PER_S}/s); ` +
        `send-only ${sendOnly.map((r) => f0(r.ms)).join(', ')} ms = ${f0(perS(so.median))} messages/s; ` +
        `CPU median ${f0(med(renderSend.map((r) => r.cpu)))} / ${f0(med(sendOnly.map((r) => r.cpu)))} ms; voucher PDF ~${f0(att / 1024)} KB; STARTTLS + AUTH, pooled; ${loadB}`
    },
    {
      name: `(b) send-only ${N} (attachments frozen)`,
      measured: so,
      note: `${f0(perS(so.median))} messages/s (information: the target is on rendered + sent)`
    }
  ]
}
