/**
 * The mail job killed (SIGKILL) between handing a message to the mail server
 * and recording the answer, then run again: AT-LEAST-ONCE delivery.
 *
 * What Coffer does (src/core/mail/deliver.ts): before a message is handed
 * over, one transaction marks it 'sending' and opens its attempt; after the
 * server's answer, another records the outcome. A process killed in between
 * leaves the message 'sending' with an open attempt. The server may well have
 * accepted it (here it always has: it took the whole message and Coffer died
 * before reading the final 250), but Coffer cannot know. The next run records
 * that attempt as 'unknown' (not counted towards giving up) and sends the
 * message again at once, with the SAME Message-ID header (fixed when the
 * message was queued) and the same attachment bytes (frozen before the first
 * hand-over, never made again). So the member may receive it twice, and a
 * mail program, or the member, can tell the second for a duplicate. Coffer
 * never loses a message this way; it may duplicate the one in flight, and
 * only that one.
 *
 * How: a child process (test/support/mail-child.ts) runs the mail job on the
 * data file against an SMTP server (smtp-server) on loopback in this
 * process. When the server has received a message's data it tells the test,
 * which SIGKILLs the child before the server sends its final 250: the child
 * dies with the message handed over and nothing recorded. Then a second
 * child runs the job normally. Repeated for several messages, with others
 * sent normally in between, so "nothing else was sent twice" is checked too.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { SMTPServer } from 'smtp-server'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/core'
import { MailService } from '../../src/core/mail'
import { openDatabase } from '../../src/core/platform/db/open'
import type { ServiceContext } from '../../src/core/platform/context'
import { parseMessage, type Received } from '../support/smtp'
import { MIGRATIONS, tempDir } from '../support/temp-core'

const ROOT = path.resolve(__dirname, '../..')
const NOW = '2026-11-22T09:00:00.000Z'
const KILLS = 4
const cleanups: (() => unknown)[] = []
const children: ChildProcess[] = []
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
  for (const c of cleanups.splice(0).reverse()) await c()
})

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

interface KillServer {
  port: number
  received: Received[]
  /** While set, the next message's data makes the server call it and wait for it before answering 250. */
  onData: (() => Promise<void>) | null
  stop(): Promise<void>
}

/** A loopback SMTP server that accepts everything; when `onData` is set, it waits for it (the test killing the child) before its final 250. */
async function killServer(): Promise<KillServer> {
  const state: KillServer = { port: 0, received: [], onData: null, stop: async () => undefined }
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        state.received.push({
          ...parseMessage(raw),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw,
          secure: false,
          user: null
        })
        const hook = state.onData
        state.onData = null
        const answer = () => {
          try {
            cb(null, `2.0.0 Ok: queued as K${state.received.length}`)
          } catch {
            // The client is gone (killed): nobody reads the 250.
          }
        }
        if (hook) void hook().then(answer, answer)
        else answer()
      })
    }
  })
  server.on('error', () => undefined)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  state.port = (server.server.address() as { port: number }).port
  state.stop = () => new Promise<void>((resolve) => server.close(() => resolve()))
  return state
}

interface Child {
  proc: ChildProcess
  out: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function startChild(dataDir: string): Child {
  const tsx = createRequire(path.join(ROOT, 'package.json')).resolve('tsx/cjs')
  const proc = spawn(process.execPath, ['--require', tsx, path.join(ROOT, 'test/support/mail-child.ts'), dataDir, NOW], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(proc)
  let out = ''
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => {
      children.splice(children.indexOf(proc), 1)
      resolve({ code, signal })
    })
  )
  return { proc, out: () => out, exited }
}

/** A child run to its end: its output (DONE with the job's summary). */
async function runNormally(dataDir: string): Promise<string> {
  const c = startChild(dataDir)
  const r = await c.exited
  expect(r, c.out()).toEqual({ code: 0, signal: null })
  expect(c.out()).toMatch(/^DONE /m)
  return c.out()
}

/** A child killed when the server has a message's data and before it answers 250: its output. */
async function runAndKill(dataDir: string, server: KillServer): Promise<string> {
  const c = startChild(dataDir)
  let killedAt: number | null = null
  server.onData = async () => {
    killedAt = server.received.length
    c.proc.kill('SIGKILL')
    await c.exited
  }
  const r = await c.exited
  expect(r.signal, `the child finished before the kill: ${c.out()}`).toBe('SIGKILL')
  expect(killedAt).not.toBeNull()
  expect(c.out()).not.toContain('DONE')
  expect(c.out()).not.toContain('ERROR')
  return c.out()
}

describe('a kill between handing a message over and recording the answer', () => {
  it('sends the message again with the same Message-ID and bytes; attempts read unknown, sent; nothing else twice', async () => {
    const server = await killServer()
    cleanups.push(() => server.stop())
    const dir = tempDir('coffer-mail-kill-')
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
    const clock = new ManualClock(NOW)
    const { db, sqlite } = openDatabase({ file: path.join(dir, 'coffer.sqlite'), migrationsFolder: MIGRATIONS, backupsDir: path.join(dir, 'backups'), clock })
    cleanups.push(() => sqlite.close())
    const ctx: ServiceContext = { db, sqlite, clock, emit: () => undefined }
    const mail = new MailService(ctx, {
      secrets: { where: 'no keychain (the kill test)', get: () => null, set: () => undefined, delete: () => false },
      dataDir: dir,
      locale: () => 'en-KE',
      profileName: () => 'Umoja Savings Cooperative',
      alert: () => undefined
    })
    mail.saveEmailSettings({
      host: '127.0.0.1',
      port: server.port,
      security: 'none',
      user: null,
      fromName: 'Umoja Savings',
      fromAddress: 'treasurer@umoja.test',
      replyTo: null,
      alertAddress: null,
      alertPhone: null
    })
    const voucherEmail = (n: number): number =>
      mail.outbox.enqueue({
        kind: 'voucher',
        channel: 'email',
        eventKey: `payment:${n}:voucher`,
        to: `member${n}@members.test`,
        toName: `Member ${n}`,
        subject: `Your payment voucher PV-2026-${String(n).padStart(4, '0')}`,
        body: `Dear Member ${n},\n\nWe have paid you today. The voucher is attached.\n\nUmoja Savings`,
        attachments: [{ filename: `PV-2026-${String(n).padStart(4, '0')}.pdf`, contentType: 'application/pdf', source: { kind: 'voucher', data: { voucherNo: n, amountMinor: 1000 * n } } }]
      }) as number
    const row = (id: number) =>
      sqlite.prepare('SELECT status, attempts, message_id AS messageId, sent_at AS sentAt FROM outbox_messages WHERE id = ?').get(id) as {
        status: string
        attempts: number
        messageId: string
        sentAt: string | null
      }
    const outcomes = (id: number) => (sqlite.prepare('SELECT outcome FROM outbox_attempts WHERE message_id = ? ORDER BY id').pluck().all(id) as (string | null)[])
    const frozen = (id: number) => sqlite.prepare('SELECT sha256 FROM outbox_attachments WHERE message_id = ?').pluck().get(id) as string | null

    // A message sent normally first (a bystander: it must never go again).
    const bystanders = [voucherEmail(100)]
    expect(await runNormally(dir)).toContain('DONE Sent 1 message.')

    const killed: number[] = []
    for (let k = 0; k < KILLS; k++) {
      const id = voucherEmail(k + 1)
      killed.push(id)
      const before = server.received.length
      const out = await runAndKill(dir, server)
      // The child made the attachment (once) and handed the message over; the server has it; Coffer recorded nothing after.
      expect(out).toContain('RENDERED 1')
      expect(server.received).toHaveLength(before + 1)
      expect(server.received.at(-1)!.messageId).toBe(row(id).messageId)
      expect(row(id)).toMatchObject({ status: 'sending', attempts: 0, sentAt: null })
      expect(outcomes(id)).toEqual([null])
      const bytes = frozen(id)
      expect(bytes).toMatch(/^[0-9a-f]{64}$/)

      // Now and then another message is queued meanwhile: it goes once, in the same run as the resend.
      if (k % 2 === 1) bystanders.push(voucherEmail(200 + k))
      const again = await runNormally(dir)
      expect(again).toContain(k % 2 === 1 ? 'DONE Sent 2 messages, 1 found half-sent and queued again.' : 'DONE Sent 1 message, 1 found half-sent and queued again.')
      // The resend used the frozen bytes: nothing was made again (only a new bystander's attachment, if any).
      expect(again.match(/RENDERED/g) ?? []).toHaveLength(k % 2 === 1 ? 1 : 0)
      expect(row(id)).toMatchObject({ status: 'sent', attempts: 1, sentAt: NOW })
      expect(outcomes(id)).toEqual(['unknown', 'sent'])
      expect(frozen(id)).toBe(bytes)
      const copies = server.received.filter((m) => m.messageId === row(id).messageId)
      expect(copies).toHaveLength(2)
      // The two copies are the same message: Message-ID, recipient, subject, attachment bytes (the frozen file's).
      expect(copies[1]!.headers.get('message-id')).toBe(copies[0]!.headers.get('message-id'))
      expect(copies[1]!.to).toEqual(copies[0]!.to)
      expect(copies[1]!.subject).toBe(copies[0]!.subject)
      expect(copies.map((c) => sha(c.attachments[0]!.content))).toEqual([bytes, bytes])
    }

    // Every message sent; only the killed ones arrived twice, each bystander once.
    const counts = new Map<string, number>()
    for (const m of server.received) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1)
    expect(new Set(killed.map((id) => row(id).messageId)).size).toBe(KILLS)
    for (const id of killed) expect(counts.get(row(id).messageId)).toBe(2)
    for (const id of bystanders) {
      expect(counts.get(row(id).messageId)).toBe(1)
      expect(row(id)).toMatchObject({ status: 'sent', attempts: 1 })
      expect(outcomes(id)).toEqual(['sent'])
    }
    expect(server.received).toHaveLength(2 * KILLS + bystanders.length)
    expect(sqlite.prepare("SELECT count(*) FROM outbox_messages WHERE status <> 'sent'").pluck().get()).toBe(0)
    expect(sqlite.prepare('SELECT count(*) FROM outbox_attempts WHERE outcome IS NULL').pluck().get()).toBe(0)
    // One more run: nothing is due, nothing goes again.
    expect(await runNormally(dir)).toContain('DONE Nothing was due.')
    expect(server.received).toHaveLength(2 * KILLS + bystanders.length)
  }, 120_000)
})
