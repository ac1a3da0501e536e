import nodemailer from 'nodemailer'
import type { Transporter } from 'nodemailer'
import type SMTPPool from 'nodemailer/lib/smtp-pool'
import type { AttemptOutcome, SmsSettings, SmtpSecurity } from '../../shared/contract/mail'

/**
 * Handing a message to the mail server (nodemailer over SMTP) or to the SMS
 * gateway (an HTTP request), and reading what came back as one of the
 * outcomes of an attempt: sent, temporary, permanent or auth. No database
 * here: deliver.ts records what this answers.
 */

/** What an attempt got back: how it ended, the server's own reply, and Coffer's words for it. */
export interface SendOutcome {
  outcome: Exclude<AttemptOutcome, 'unknown'>
  /** The server's reply ("250 2.0.0 Ok: queued as 4F2"), the gateway's status and body, or what went wrong. */
  reply: string | null
  /** In Coffer's words, for the outbox and for alerts. */
  words: string
}

export interface SmtpConfig {
  host: string
  port: number
  security: SmtpSecurity
  user: string | null
  password: string | null
  fromName: string
  fromAddress: string
  replyTo: string | null
  /**
   * Tests only: a certificate authority (PEM) trusted besides the system's,
   * for a loopback server's self-signed certificate. Never from a setting;
   * the app and the CLI leave it undefined (see CoreOptions.mailTlsCa).
   */
  tlsCa?: string
}

export interface OutgoingEmail {
  to: string
  toName: string | null
  subject: string
  body: string
  /** The Message-ID header, fixed when the message was queued: the same on every attempt. */
  messageId: string | null
  attachments: { filename: string; contentType: string; content: Buffer }[]
}

/** Long enough for a slow server; short enough that a run does not hang on one that never answers. */
const TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 }

/** nodemailer's options for the security chosen: STARTTLS required, TLS from the first byte, or plain text. */
function transportOptions(cfg: SmtpConfig, pooled: boolean): SMTPPool.Options {
  return {
    pool: pooled as true,
    maxConnections: pooled ? 4 : 1,
    maxMessages: 1000,
    host: cfg.host,
    port: cfg.port,
    secure: cfg.security === 'tls',
    requireTLS: cfg.security === 'starttls',
    ignoreTLS: cfg.security === 'none',
    auth: cfg.user ? { user: cfg.user, pass: cfg.password ?? '' } : undefined,
    tls: cfg.tlsCa ? { ca: [cfg.tlsCa] } : undefined,
    disableFileAccess: true,
    disableUrlAccess: true,
    ...TIMEOUTS
  }
}

/** One sender per run of the mail job (a pool of connections), or one for a test message. Close it when done. */
export class EmailSender {
  private readonly transport: Transporter

  constructor(
    private readonly cfg: SmtpConfig,
    opts: { pooled: boolean }
  ) {
    this.transport = nodemailer.createTransport(transportOptions(cfg, opts.pooled))
  }

  async send(m: OutgoingEmail): Promise<SendOutcome> {
    try {
      const info = (await this.transport.sendMail({
        from: { name: this.cfg.fromName, address: this.cfg.fromAddress },
        to: m.toName ? { name: m.toName, address: m.to } : m.to,
        replyTo: this.cfg.replyTo ?? undefined,
        subject: m.subject,
        text: m.body,
        messageId: m.messageId ?? undefined,
        attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
        disableFileAccess: true,
        disableUrlAccess: true
      })) as { response?: string; rejected?: unknown[] }
      const reply = typeof info.response === 'string' ? info.response : null
      if (Array.isArray(info.rejected) && info.rejected.length > 0) {
        return { outcome: 'permanent', reply, words: `The mail server refused the address ${m.to}.` }
      }
      return { outcome: 'sent', reply, words: 'The mail server accepted the message.' }
    } catch (e) {
      return classifySmtpError(e)
    }
  }

  close(): void {
    this.transport.close()
  }
}

const AUTH_CODES = new Set([530, 534, 535])
const NETWORK_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

/** What went wrong with a connection, in words. */
const NETWORK_WORDS: Readonly<Record<string, string>> = {
  ETIMEDOUT: 'it did not answer in time',
  ECONNREFUSED: 'it refused the connection (is the server name and port right?)',
  ECONNRESET: 'the connection was cut',
  EPIPE: 'the connection was cut',
  ENOTFOUND: 'no server of that name was found',
  EAI_AGAIN: 'the server name could not be looked up just now',
  EDNS: 'the server name could not be looked up',
  EHOSTUNREACH: 'the server cannot be reached from this PC',
  ENETUNREACH: 'this PC has no network',
  ECONNECTION: 'the connection failed',
  ESOCKET: 'the connection failed'
}

/** The system's own code under nodemailer's (ECONNECTION wraps ECONNREFUSED, say). */
function networkCause(e: unknown): string | null {
  const m = typeof (e as { message?: unknown })?.message === 'string' ? ((e as { message: string }).message.match(/\b(E[A-Z_]{3,})\b/g) ?? []) : []
  return m.find((c) => c !== 'ECONNECTION' && c !== 'ESOCKET' && Object.hasOwn(NETWORK_WORDS, c)) ?? null
}

/** nodemailer's error read as an outcome: bad credentials hold the queue, 5xx stops, anything else is tried again. */
export function classifySmtpError(e: unknown): SendOutcome {
  const err = (e ?? {}) as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown }
  const code = typeof err.code === 'string' ? err.code : null
  const responseCode = typeof err.responseCode === 'number' ? err.responseCode : null
  const response = typeof err.response === 'string' && err.response.trim() !== '' ? err.response.trim() : null
  // Only what the server itself said is its reply; a connection that failed has none (its cause is said in words below).
  const reply = response
  if (code === 'EAUTH' || (responseCode !== null && AUTH_CODES.has(responseCode))) {
    return { outcome: 'auth', reply, words: 'The mail server refused the user name or password.' }
  }
  if (responseCode !== null && responseCode >= 500) {
    return {
      outcome: 'permanent',
      reply,
      words: code === 'EENVELOPE' ? 'The mail server refused the address.' : 'The mail server refused the message.'
    }
  }
  if (responseCode !== null && responseCode >= 400) {
    return { outcome: 'temporary', reply, words: 'The mail server asked to try again later.' }
  }
  if (code === 'ETLS') {
    return { outcome: 'temporary', reply, words: 'A secure connection to the mail server could not be made (its certificate, or STARTTLS refused).' }
  }
  if (code !== null && NETWORK_CODES.has(code)) {
    return { outcome: 'temporary', reply, words: `Coffer could not reach the mail server: ${NETWORK_WORDS[networkCause(e) ?? code] ?? 'the connection failed'}.` }
  }
  return { outcome: 'temporary', reply, words: 'The mail server gave no usable answer.' }
}

// ---------------------------------------------------------------------------
// SMS through an HTTP gateway
// ---------------------------------------------------------------------------

export type SmsConfig = Pick<SmsSettings, 'url' | 'method' | 'headers' | 'contentType' | 'bodyTemplate'> & { url: string; token: string | null }

const PLACEHOLDER = /\{(to|message|token)\}/g

/** The template's {to}, {message} and {token}, each written with `escape`. */
export function fillTemplate(template: string, values: { to: string; message: string; token: string | null }, escape: (v: string) => string): string {
  return template.replace(PLACEHOLDER, (_, name: 'to' | 'message' | 'token') => escape(values[name] ?? ''))
}

/** Whether a gateway's settings use {token} anywhere. */
export function usesToken(s: Pick<SmsConfig, 'url' | 'headers' | 'bodyTemplate'>): boolean {
  return [s.url, s.bodyTemplate, ...s.headers.flatMap((h) => [h.name, h.value])].some((t) => t.includes('{token}'))
}

const jsonEscape = (v: string): string => JSON.stringify(v).slice(1, -1)

/** The request the gateway gets: placeholders URL-encoded in the URL and a form body, JSON-escaped in a JSON body, as they are in text and headers. */
export function smsRequest(cfg: SmsConfig, to: string, message: string): { url: string; init: RequestInit } {
  const values = { to, message, token: cfg.token }
  const url = fillTemplate(cfg.url, values, encodeURIComponent)
  const headers = new Headers()
  for (const h of cfg.headers) headers.set(h.name, fillTemplate(h.value, values, (v) => v))
  if (cfg.method === 'GET') return { url, init: { method: 'GET', headers, redirect: 'manual' } }
  if (!headers.has('content-type')) headers.set('content-type', cfg.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : cfg.contentType)
  const escape = cfg.contentType === 'application/json' ? jsonEscape : cfg.contentType === 'application/x-www-form-urlencoded' ? encodeURIComponent : (v: string) => v
  return { url, init: { method: 'POST', headers, body: fillTemplate(cfg.bodyTemplate, values, escape), redirect: 'manual' } }
}

/** Sends one SMS: 2xx is sent; 408, 429 and 5xx (and no answer) are tried again; any other answer is permanent. */
export async function sendSms(cfg: SmsConfig, to: string, message: string, opts: { timeoutMs?: number; fetch?: typeof fetch } = {}): Promise<SendOutcome> {
  const { url, init } = smsRequest(cfg, to, message)
  let res: Response
  try {
    res = await (opts.fetch ?? fetch)(url, { ...init, signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000) })
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')
    const cause = e instanceof Error && e.cause instanceof Error ? ((e.cause as { code?: unknown }).code as string | undefined) : undefined
    const why = cause !== undefined && Object.hasOwn(NETWORK_WORDS, cause) ? `: ${NETWORK_WORDS[cause]}` : ''
    // No answer came: there is no reply to keep, only what went wrong, in words.
    return { outcome: 'temporary', reply: null, words: timedOut ? 'The SMS gateway did not answer in time.' : `Coffer could not reach the SMS gateway${why}.` }
  }
  let body = ''
  try {
    body = await res.text()
  } catch {
    body = ''
  }
  // The gateway's body is kept up to 500 characters; a longer one is cut there, visibly.
  const text = body.trim()
  const shown = text.length > 500 ? `${text.slice(0, 500)} … (${text.length.toLocaleString('en')} characters in all)` : text
  const reply = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${shown ? `: ${shown}` : ''}`
  if (res.status >= 200 && res.status < 300) return { outcome: 'sent', reply, words: 'The SMS gateway accepted the message.' }
  if (res.status === 408 || res.status === 429 || res.status >= 500) {
    return { outcome: 'temporary', reply, words: `The SMS gateway answered ${res.status}: it is tried again later.` }
  }
  return { outcome: 'permanent', reply, words: `The SMS gateway refused the message (${res.status}).` }
}
