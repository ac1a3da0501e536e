import { generate } from 'selfsigned'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'

/**
 * A real SMTP server on loopback for tests (the smtp-server package):
 * STARTTLS with a certificate made here (selfsigned; tests trust it through
 * CoreOptions.mailTlsCa), AUTH PLAIN and LOGIN with one user, and failures
 * set per recipient and attempt (a 4xx or 5xx at RCPT TO or after DATA).
 * It records every message it accepted, parsed (headers, text, attachments
 * with their bytes): mailparser is not installed, so a small MIME reader
 * below reads what nodemailer writes (multipart/mixed, base64 or
 * quoted-printable parts).
 */

export interface Received {
  from: string
  to: string[]
  raw: string
  headers: Map<string, string>
  subject: string
  messageId: string
  text: string
  attachments: { filename: string; contentType: string; content: Buffer }[]
  /** Whether the session was on TLS (STARTTLS) and authenticated as the user. */
  secure: boolean
  user: string | null
}

export interface SmtpFailure {
  /** The recipient it applies to. */
  to: string
  /** Which attempts for this recipient fail (1 = the first); 'always' for every one. */
  attempts: number[] | 'always'
  code: number
  message: string
  /** Refused at RCPT TO (the default) or after the message's data. */
  at?: 'rcpt' | 'data'
}

export interface TestSmtp {
  port: number
  /** The certificate (PEM) to trust. */
  ca: string
  user: string
  password: string
  received: Received[]
  /** Recipients' attempts seen (RCPT TO), by address. */
  attempts: Map<string, number>
  /** Sign-ins refused (a bad user name or password). */
  authFailures: number
  failures: SmtpFailure[]
  /** The password the server accepts from now on. */
  setPassword(p: string): void
  stop(): Promise<void>
}

export async function startSmtp(opts: { user?: string; password?: string; failures?: SmtpFailure[]; requireAuth?: boolean } = {}): Promise<TestSmtp> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }
    ]
  })
  const state = {
    user: opts.user ?? 'treasurer@umoja.test',
    password: opts.password ?? 'correct horse battery',
    received: [] as Received[],
    attempts: new Map<string, number>(),
    authFailures: 0,
    failures: opts.failures ?? []
  }
  const failureFor = (to: string, at: 'rcpt' | 'data'): SmtpFailure | undefined => {
    const n = state.attempts.get(to.toLowerCase()) ?? 0
    return state.failures.find((f) => f.to.toLowerCase() === to.toLowerCase() && (f.at ?? 'rcpt') === at && (f.attempts === 'always' || f.attempts.includes(n)))
  }
  const smtpError = (f: SmtpFailure): Error => Object.assign(new Error(f.message), { responseCode: f.code })
  const options: SMTPServerOptions = {
    secure: false,
    key: pems.private,
    cert: pems.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: opts.requireAuth === false,
    logger: false,
    disabledCommands: [],
    onAuth(auth, session, cb) {
      if (!session.secure) return cb(Object.assign(new Error('Must issue a STARTTLS command first'), { responseCode: 538 }))
      if (auth.username === state.user && auth.password === state.password) return cb(null, { user: auth.username })
      state.authFailures++
      return cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }))
    },
    onRcptTo(address, _session, cb) {
      const to = address.address.toLowerCase()
      state.attempts.set(to, (state.attempts.get(to) ?? 0) + 1)
      const f = failureFor(to, 'rcpt')
      return f ? cb(smtpError(f)) : cb()
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase())
        const f = to.map((t) => failureFor(t, 'data')).find((x) => x !== undefined)
        if (f) return cb(smtpError(f))
        const raw = Buffer.concat(chunks).toString('utf8')
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
        state.received.push({ ...parseMessage(raw), from, to, raw, secure: session.secure, user: (session.user as string | undefined) ?? null })
        cb(null, `2.0.0 Ok: queued as T${state.received.length}`)
      })
    }
  }
  const server = new SMTPServer(options)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  server.on('error', () => undefined)
  const port = (server.server.address() as { port: number }).port
  return {
    port,
    ca: pems.cert,
    get user() {
      return state.user
    },
    get password() {
      return state.password
    },
    received: state.received,
    attempts: state.attempts,
    get authFailures() {
      return state.authFailures
    },
    failures: state.failures,
    setPassword(p) {
      state.password = p
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

// ---------------------------------------------------------------------------
// A small MIME reader (what nodemailer writes)
// ---------------------------------------------------------------------------

function splitHead(raw: string): { head: Map<string, string>; body: string } {
  const at = raw.indexOf('\r\n\r\n')
  const headText = at < 0 ? raw : raw.slice(0, at)
  const body = at < 0 ? '' : raw.slice(at + 4)
  const head = new Map<string, string>()
  for (const line of headText.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const c = line.indexOf(':')
    if (c > 0) head.set(line.slice(0, c).trim().toLowerCase(), line.slice(c + 1).trim())
  }
  return { head, body }
}

/** =?UTF-8?B?...?= and =?UTF-8?Q?...?= words. */
function decodeWords(v: string): string {
  return v.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g, (_, _cs: string, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQp(text.replace(/_/g, ' ')).toString('utf8')
  )
}

function decodeQp(s: string): Buffer {
  const soft = s.replace(/=\r?\n/g, '')
  const bytes: number[] = []
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16))
      i += 2
    } else bytes.push(...Buffer.from(soft[i] as string, 'utf8'))
  }
  return Buffer.from(bytes)
}

function decodeBody(body: string, encoding: string | undefined): Buffer {
  const e = (encoding ?? '7bit').toLowerCase()
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64')
  if (e === 'quoted-printable') return decodeQp(body)
  return Buffer.from(body, 'utf8')
}

const param = (header: string | undefined, name: string): string | null => {
  const m = header?.match(new RegExp(`${name}\\*?=("([^"]*)"|[^;\\s]+)`, 'i'))
  return m ? decodeWords(m[2] ?? m[1] ?? '') : null
}

export function parseMessage(raw: string): Pick<Received, 'headers' | 'subject' | 'messageId' | 'text' | 'attachments'> {
  const { head, body } = splitHead(raw)
  const out = { headers: head, subject: decodeWords(head.get('subject') ?? ''), messageId: head.get('message-id') ?? '', text: '', attachments: [] as Received['attachments'] }
  const walk = (h: Map<string, string>, b: string): void => {
    const type = h.get('content-type') ?? 'text/plain'
    const boundary = param(type, 'boundary')
    if (/^multipart\//i.test(type) && boundary) {
      const parts = b.split(`--${boundary}`).slice(1)
      for (const part of parts) {
        if (part.startsWith('--')) break
        const p = splitHead(part.replace(/^\r\n/, ''))
        walk(p.head, p.body.replace(/\r\n$/, ''))
      }
      return
    }
    const disposition = h.get('content-disposition')
    const content = decodeBody(b, h.get('content-transfer-encoding'))
    if (disposition && /attachment/i.test(disposition)) {
      out.attachments.push({ filename: param(disposition, 'filename') ?? param(type, 'name') ?? '', contentType: type.split(';')[0]?.trim() ?? '', content })
    } else if (/^text\/plain/i.test(type)) out.text += content.toString('utf8')
  }
  walk(head, body)
  return out
}
