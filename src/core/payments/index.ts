/**
 * Payments to members: prepare, approve (by another operator: maker-checker), pay, cancel, void and reinstate; gap-free voucher numbering in
 * the paying transaction; voucher PDFs. Other areas create payments through
 * `prepareInsertPayment` (the payments table is this area's).
 */
import path from 'node:path'
import { defineModule } from '../platform/module'
import { PaymentsService } from './service'
import { VouchersService, renderVoucherAttachment } from './vouchers'
import { memberIsOwed } from './warnings'

export { bondPayments, vouchers, voucherSequences } from './schema'
export { PaymentsService, prepareInsertPayment, DEFAULT_VOUCHER_PATTERN, VOUCHER_PATTERN_KEY, type NewPayment } from './service'
export { VouchersService } from './vouchers'
// Types only: voucher-pdf.ts loads pdfkit, which VouchersService.pdf imports when it prints.
export type { PaymentMethod, RenderVoucherOptions, VoucherCooperative, VoucherData } from './voucher-pdf'

declare module '../platform/module' {
  interface Areas {
    payments: PaymentsService
    vouchers: VouchersService
  }
}

export const paymentsModule = defineModule({
  name: 'payments',
  prefixes: ['payments'],
  create: (env) => {
    const payments = new PaymentsService(
      env.ctx,
      env.timeZone,
      () => env.areas.profile.get(),
      () => env.areas.operators.makerChecker('payments'),
      () => env.areas.ledger,
      () => env.areas.profile.get()
    )
    // The voucher email's attachment is made from its frozen figures by the mail job.
    const fontsDir = path.join(env.resourcesDir, 'fonts')
    env.areas.mail.registerRenderer('voucher', (data) => renderVoucherAttachment(data, { fontsDir, now: env.ctx.clock.now() }))
    env.areas.members.warnBeforeDeactivating((m) => {
      const owed = payments.unpaidForMember(m.id)
      return owed.count > 0 ? memberIsOwed(m, owed, env.areas.profile.get()) : null
    })
    return payments
  },
  handlers: (payments) => ({
    'payments.list': (q) => payments().listPayments(q),
    'payments.prepare': ({ ids }) => payments().prepare(ids),
    'payments.approve': ({ ids }) => payments().approve(ids),
    'payments.pay': ({ ids, paidOn, method, reference, acknowledge }) => payments().pay(ids, paidOn, method, reference, acknowledge),
    'payments.cancel': ({ id, reason }) => payments().cancel(id, reason),
    'payments.void': ({ id, reason }) => payments().void(id, reason),
    'payments.reinstate': ({ id }) => payments().reinstate(id)
  })
})

export const vouchersModule = defineModule({
  name: 'vouchers',
  prefixes: ['vouchers'],
  create: (env) =>
    new VouchersService(env.ctx, {
      vouchersDir: path.join(env.dataDir, 'vouchers'),
      fontsDir: path.join(env.resourcesDir, 'fonts'),
      profile: () => env.areas.profile.get()
    }),
  handlers: (vouchers) => ({
    'vouchers.pdf': ({ paymentIds, printWithMissingGlyphs }) => vouchers().pdf(paymentIds, { printWithMissingGlyphs })
  })
})
