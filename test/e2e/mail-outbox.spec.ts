import path from 'node:path'
import type { AddressInfo } from 'node:net'
import type { Page } from '@playwright/test'
import { SMTPServer } from 'smtp-server'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { prepareAndApprove } from '../support/operators'
import { SERIES_2025 } from '../support/series'
import type { Core } from '../../src/core'

const SHOTS = process.env.COFFER_SHOTS_DIR
const PROFILE = { name: 'Umoja Savings Cooperative', currency: 'KES', timeZone: 'Africa/Nairobi', locale: 'en-KE' }

async function ok<T>(core: Core, channel: string, input: unknown): Promise<T> {
  const r = await core.invoke(channel as never, input as never)
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`)
  return r.value as T
}

/**
 * A mail server on loopback (plain SMTP, no login: the outbox screens are
 * under test here, not the sender; test/integration/mail-outbox.test.ts has
 * STARTTLS and authentication). It refuses the address refused@ while
 * `refusing` is true, and keeps what it received.
 */
async function startSmtp() {
  const received: Array<{ to: string[]; raw: string }> = []
  const state = { refusing: true }
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (state.refusing && address.address.startsWith('refused@')) {
        const err = new Error('5.1.1 <refused@members.test>: Recipient address rejected: User unknown') as Error & { responseCode: number }
        err.responseCode = 550
        return callback(err)
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') })
        callback()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return { port, received, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/** Runs the mail job once on another connection to the book (as the CLI would) and waits for it to end. */
async function runMailJob(dataDir: string): Promise<void> {
  const core = openTestCore(dataDir)
  try {
    await ok(core, 'jobs.run', { jobId: 'mail' })
    await core.jobs?.activeRun('mail')
  } finally {
    await core.shutdown()
  }
}

async function openOutbox(page: Page) {
  await page.getByRole('link', { name: 'Jobs' }).click()
  await page.getByRole('link', { name: 'Outbox' }).click()
  await expect(page.getByRole('heading', { name: 'Outbox', level: 1 })).toBeVisible()
}

const rowTo = (page: Page, address: string) => page.getByRole('table', { name: 'Outbox' }).locator('[data-message-id]').filter({ hasText: address })

async function shoot(page: Page, name: string) {
  if (!SHOTS) return
  await page.screenshot({ path: path.join(SHOTS, `${name}-1280.png`), fullPage: false })
  const size = page.viewportSize()!
  await page.setViewportSize({ width: 1024, height: size.height })
  await page.screenshot({ path: path.join(SHOTS, `${name}-1024.png`), fullPage: false })
  await page.setViewportSize(size)
}

test('the outbox: a paid voucher emailed with the server’s reply; the queue held and resumed; a refused one retried; a sent one resent with the same attachment', async ({
  launch
}) => {
  test.setTimeout(180_000)
  const smtp = await startSmtp()
  try {
    const app = await launch({
      prepare: async (dir) => {
        const core = openTestCore(dir)
        try {
          await ok(core, 'profile.save', PROFILE)
          await ok(core, 'mail.saveEmailSettings', {
            host: '127.0.0.1',
            port: smtp.port,
            security: 'none',
            user: null,
            fromName: 'Umoja Savings',
            fromAddress: 'treasurer@umoja.test',
            replyTo: null,
            alertAddress: null,
            alertPhone: null
          })
          // Only the vouchers here: the coupon-ready notice (one per coupon the job creates) is switched off.
          const templates = (await ok<{ templates: Array<Record<string, unknown> & { kind: string; version: number }> }>(core, 'mail.templates', {})).templates
          const coupon = templates.find((t) => t.kind === 'coupon-ready')!
          await ok(core, 'mail.saveTemplate', {
            kind: coupon.kind,
            email: false,
            sms: false,
            subject: coupon.subject,
            body: coupon.body,
            smsBody: coupon.smsBody,
            daysBefore: coupon.daysBefore,
            expectedVersion: coupon.version
          })
          const series = await ok<{ id: number }>(core, 'bonds.createSeries', SERIES_2025)
          const jane = await ok<{ id: number }>(core, 'members.create', { memberNo: 'M-1', fullName: 'Jane Wanjiru', joinedOn: '2020-01-01', email: 'jane@members.test' })
          const rex = await ok<{ id: number }>(core, 'members.create', { memberNo: 'M-2', fullName: 'Rex Refused', joinedOn: '2020-01-01', email: 'refused@members.test' })
          for (const m of [jane, rex]) await ok(core, 'bonds.buyHolding', { memberId: m.id, seriesId: series.id, units: 10, purchaseDate: '2025-01-01' })
          await ok(core, 'jobs.run', { jobId: 'coupons' })
          await core.jobs?.activeRun('coupons')
          const rows = (await ok<{ rows: Array<{ id: number; memberId: number }> }>(core, 'payments.list', { limit: 500 })).rows
          const ids = [jane, rex].map((m) => rows.find((r) => r.memberId === m.id)!.id)
          await prepareAndApprove(core, ids)
          await ok(core, 'payments.pay', { ids, paidOn: '2025-02-03', method: 'cash', reference: 'Cash box 1' })
          // Two voucher emails queued with the payments; the job sends Jane's and the server refuses Rex's.
          await ok(core, 'jobs.run', { jobId: 'mail' })
          await core.jobs?.activeRun('mail')
        } finally {
          await core.shutdown()
        }
      }
    })
    const page = app.page
    const toJane = () => smtp.received.filter((r) => r.to.includes('jane@members.test'))
    expect(toJane()).toHaveLength(1)
    expect(smtp.received.some((r) => r.to.includes('refused@members.test'))).toBe(false)
    expect(toJane()[0]!.raw).toContain('Content-Type: application/pdf')

    await openOutbox(page)
    await expect(page.getByTestId('outbox-readiness')).toContainText('Email: set up')
    const jane = rowTo(page, 'jane@members.test')
    const rex = rowTo(page, 'refused@members.test')
    await expect(jane).toHaveAttribute('data-status', 'sent')
    await expect(jane).toContainText('Payment voucher')
    await expect(jane.getByRole('link', { name: 'Member M-1' })).toBeVisible()
    await expect(rex).toHaveAttribute('data-status', 'failed')
    await expect(rex).toContainText('550')
    await expect(page.getByRole('button', { name: /^Failed 1/ })).toHaveAttribute('aria-pressed', 'false')
    await shoot(page, 'outbox-list')

    // Counts are filters, kept in the address.
    await page.getByRole('button', { name: /^Failed 1/ }).click()
    await expect(page.getByRole('button', { name: /^Failed 1/ })).toHaveAttribute('aria-pressed', 'true')
    await expect(rex).toBeVisible()
    await expect(jane).toHaveCount(0)
    expect(page.url()).toContain('status=failed')
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await page.getByRole('searchbox', { name: 'Search' }).fill('M-1')
    await expect(rex).toHaveCount(0)
    await expect(jane).toBeVisible()
    expect(page.url()).toContain('q=M-1')
    await page.getByRole('button', { name: 'Clear filters' }).click()

    // Jane's voucher: sent, the server's own reply in its attempt, the PDF frozen with its SHA-256.
    await jane.getByRole('link').first().click()
    await expect(page.getByTestId('message-status')).toHaveText('Sent')
    await expect(page.getByTestId('message-id')).toHaveText(/^<.+@.+>$/)
    const attempt = page.getByRole('table', { name: 'Attempts' }).locator('[data-outcome]')
    await expect(attempt).toHaveCount(1)
    await expect(attempt).toHaveAttribute('data-outcome', 'sent')
    await expect(attempt).toContainText('250')
    const sha = (await page.getByTestId('attachment-sha').textContent())!
    expect(sha).toMatch(/^[0-9a-f]{64}$/)
    await expect(page.getByTestId('message-body')).toContainText('Jane')
    const messageId = (await page.getByTestId('message-id').textContent())!
    expect(toJane()[0]!.raw).toContain(messageId)
    await shoot(page, 'outbox-message-sent')

    // Hold the queue with a reason; everyone sees who held it and why; resume.
    await page.getByRole('link', { name: '← Outbox' }).click()
    await page.getByRole('button', { name: 'Hold the queue…' }).click()
    await page.getByRole('button', { name: 'Hold the queue', exact: true }).click()
    await expect(page.getByText('Reason is required')).toBeVisible()
    await page.getByRole('textbox', { name: 'Reason' }).fill('Changing the mail server')
    await page.getByRole('button', { name: 'Hold the queue', exact: true }).click()
    const held = page.getByTestId('outbox-held')
    await expect(held).toContainText('Changing the mail server')
    await expect(held).toContainText('Ada Admin')
    await shoot(page, 'outbox-held')
    await page.getByRole('button', { name: 'Resume sending' }).click()
    await expect(page.getByTestId('outbox-notice')).toContainText('sending again')
    await expect(held).toHaveCount(0)
    await expect(page.getByRole('button', { name: 'Hold the queue…' })).toBeVisible()

    // Rex's voucher: refused for good; the address is fixed at the server's end, then Retry queues it again and the job sends it.
    await rex.getByRole('link').first().click()
    await expect(page.getByTestId('message-status')).toHaveText('Failed')
    await expect(page.getByTestId('message-last-error')).toContainText('550')
    await expect(page.getByRole('table', { name: 'Attempts' }).locator('[data-outcome]')).toHaveAttribute('data-outcome', 'permanent')
    await shoot(page, 'outbox-message-failed')
    smtp.state.refusing = false
    await page.getByRole('button', { name: 'Retry' }).click()
    await expect(page.getByTestId('message-notice')).toContainText('Queued again')
    await expect(page.getByTestId('message-status')).toHaveText('Queued')
    await runMailJob(app.dataDir)
    await expect.poll(() => smtp.received.some((r) => r.to.includes('refused@members.test'))).toBe(true)
    await openOutbox(page)
    await expect(rex).toHaveAttribute('data-status', 'sent')

    // Resend Jane's: a new message linked to the original, the same attachment (the same SHA-256).
    await jane.getByRole('link').first().click()
    await page.getByRole('button', { name: 'Resend…' }).click()
    await page.getByRole('button', { name: 'Resend', exact: true }).click()
    await expect(page.getByTestId('message-notice')).toContainText('queued again as this new message')
    await expect(page.getByTestId('message-original')).toBeVisible()
    await expect(page.getByTestId('attachment-sha')).toHaveText(sha)
    await runMailJob(app.dataDir)
    await expect.poll(() => toJane().length).toBe(2)
    await page.getByTestId('message-original').click()
    await expect(page.getByTestId('message-resend')).toBeVisible()
    await page.getByTestId('message-resend').click()
    await expect(page.getByTestId('message-status')).toHaveText('Sent')
    await shoot(page, 'outbox-message-resent')
  } finally {
    await smtp.close()
  }
})
