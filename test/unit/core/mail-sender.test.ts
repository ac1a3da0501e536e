import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { EmailSender, classifySmtpError, sendSms } from '../../../src/core/mail/sender'

/** How a mail server's or gateway's answer (or silence) is read: the outcome, the server's own reply kept, the cause in Coffer's words. */
describe('reading what the mail server said', () => {
  it('sorts answers into auth, permanent and temporary, keeping only what the server itself said as its reply', () => {
    expect(classifySmtpError({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Authentication failed' })).toEqual({
      outcome: 'auth',
      reply: '535 5.7.8 Authentication failed',
      words: 'The mail server refused the user name or password.'
    })
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 No such user' })).toMatchObject({ outcome: 'permanent', reply: '550 5.1.1 No such user', words: 'The mail server refused the address.' })
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 451, response: '451 4.3.0 Try later' })).toMatchObject({ outcome: 'temporary', reply: '451 4.3.0 Try later' })
    // No server answer: no reply, and the cause in words, never the library's text.
    const refused = classifySmtpError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ESOCKET' }))
    expect(refused).toEqual({ outcome: 'temporary', reply: null, words: 'Coffer could not reach the mail server: it refused the connection (is the server name and port right?).' })
    expect(classifySmtpError(Object.assign(new Error('getaddrinfo ENOTFOUND mail.nowhere.invalid'), { code: 'EDNS' })).words).toBe(
      'Coffer could not reach the mail server: no server of that name was found.'
    )
    expect(classifySmtpError(new Error('something odd'))).toEqual({ outcome: 'temporary', reply: null, words: 'The mail server gave no usable answer.' })
  })

  it('a real refused connection: temporary, no reply, the cause in words', async () => {
    // A port nobody listens on: bind one, note it, close it.
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port
        s.close(() => resolve(p))
      })
    })
    const sender = new EmailSender({ host: '127.0.0.1', port, security: 'none', user: null, password: null, fromName: 'Coffer', fromAddress: 'a@example.org', replyTo: null }, { pooled: false })
    try {
      const r = await sender.send({ to: 'b@example.org', toName: null, subject: 'Hi', body: 'Hello', messageId: null, attachments: [] })
      expect(r).toEqual({ outcome: 'temporary', reply: null, words: 'Coffer could not reach the mail server: it refused the connection (is the server name and port right?).' })
    } finally {
      sender.close()
    }
    const sms = await sendSms({ url: `http://127.0.0.1:${port}/send`, method: 'POST', headers: [], contentType: 'application/json', bodyTemplate: '{"to":"{to}"}', token: null }, '+254700000001', 'Hi')
    expect(sms).toEqual({ outcome: 'temporary', reply: null, words: 'Coffer could not reach the SMS gateway: it refused the connection (is the server name and port right?).' })
  })
})
