/**
 * Email and SMS (#14): the transactional outbox, the mail job that delivers
 * it (at least once: see deliver.ts), SMTP and SMS gateway settings with
 * their secrets in the keychain, test messages, the notices' templates and
 * members' channel preferences (notices.ts).
 */
import { conflict } from '../platform/errors'
import { defineModule, type ModuleEnv } from '../platform/module'
import { MailService } from './service'
import { NoticesService, jobFailureAlerts } from './notices'
import { mailJob, mailServices } from './jobs'

export { outboxMessages, outboxAttachments, outboxAttempts, noticeTemplates, memberContactPrefs } from './schema'
export { Outbox, type NewMessage, type NewAttachment, type AttachmentSource } from './outbox'
export { MailService, SMTP_PASSWORD, SMS_TOKEN } from './service'
export { mailJob, mailServices }
export * from './notices'

/** The mail area: the outbox's service (env.areas.mail.registerRenderer...), with the notices' templates and preferences beside it. */
export type Mail = MailService & { readonly notices: NoticesService }

declare module '../platform/module' {
  interface Areas {
    mail: Mail
  }
}

function profileOf(env: ModuleEnv) {
  const profile = env.areas.profile.get()
  if (!profile) throw conflict("Set up the cooperative's profile first: notices are written in its name and currency.")
  return profile
}

export const mailModule = defineModule({
  name: 'mail',
  prefixes: ['mail'],
  jobs: [mailJob],
  create: (env): Mail => {
    if (!env.secrets) throw new Error('The mail area needs the secret store (ModuleEnv.secrets).')
    const service = new MailService(env.ctx, {
      secrets: env.secrets,
      dataDir: env.dataDir,
      locale: env.locale,
      profileName: () => env.areas.profile.get()?.name ?? null,
      alert: (n) => {
        env.areas.notifications.create({ ...n, desktop: true })
      },
      deliveryRecorded: (id, d) => env.areas.notifications.recordOutboxDelivery(id, d),
      log: (line) => env.log?.warn(line),
      tlsCa: env.mailTlsCa
    })
    const notices = new NoticesService(env.ctx, {
      locale: env.locale,
      timeZone: env.timeZone,
      currency: () => profileOf(env).currency,
      profileName: () => profileOf(env).name
    })
    // A failed job's alert goes to the alert address and phone through the outbox (notices.ts).
    env.areas.notifications.addDeliveryHook(jobFailureAlerts(env.ctx.sqlite, () => env.ctx.clock.now(), env.timeZone))
    mailServices.set(env.ctx.sqlite, service)
    return Object.assign(service, { notices })
  },
  handlers: (mail) => ({
    'mail.outbox': (q) => mail().list(q),
    'mail.message': ({ id }) => mail().message(id),
    'mail.queue': () => mail().queue(),
    'mail.hold': ({ reason }) => mail().hold(reason),
    'mail.resume': () => mail().resume(),
    'mail.retry': ({ id, expectedVersion }) => mail().retry(id, expectedVersion),
    'mail.cancel': ({ id, expectedVersion, reason }) => mail().cancel(id, expectedVersion, reason),
    'mail.resend': ({ id }) => mail().resend(id),
    'mail.saveAttachment': ({ id }) => mail().saveAttachment(id),
    'mail.emailSettings': () => mail().emailSettings(),
    'mail.saveEmailSettings': (v) => mail().saveEmailSettings(v),
    'mail.testEmail': ({ to }) => mail().testEmail(to as string),
    'mail.smsSettings': () => mail().smsSettings(),
    'mail.saveSmsSettings': (v) => mail().saveSmsSettings(v),
    'mail.testSms': ({ to }) => mail().testSms(to),
    'mail.templates': () => mail().notices.templates(),
    'mail.saveTemplate': (v) => mail().notices.saveTemplate(v),
    'mail.resetTemplate': ({ kind, expectedVersion }) => mail().notices.resetTemplate(kind, expectedVersion),
    'mail.previewTemplate': (v) => mail().notices.previewTemplate(v),
    'mail.memberPrefs': ({ memberId }) => mail().notices.memberPrefs(memberId),
    'mail.saveMemberPrefs': (v) => mail().notices.saveMemberPrefs(v)
  })
})
