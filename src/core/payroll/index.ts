/**
 * Payroll: staff and their pay structures, pay components with dated rates,
 * payroll calendars and periods with automation rules, the payroll job that
 * drafts due periods, review against the last period, approval by a second
 * operator, posting to the ledger, payslips, the register and the statutory
 * summary.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { conflict } from '../platform/errors'
import { currentActor } from '../platform/actor'
import { defineModule, type ModuleEnv } from '../platform/module'
import { lazyModule } from '../platform/lazy'
import { describeCharacter } from '../platform/pdf/fonts'
import { calendarDateInZone } from '../../shared/dates'
import type { PayrollRunReport } from '../../shared/contract/payroll'
import type { ParsedInput } from '../../shared/contract'
import { PayrollSetup } from './setup'
import { PayrollService } from './service'
import { payrollJob } from './jobs'

export {
  payrollStaff,
  payrollComponents,
  payrollComponentRates,
  payrollStructures,
  payrollStructureItems,
  payrollCalendars,
  payrollPeriods,
  payrollPeriodEvents,
  payrollPayslips,
  payrollPayslipLines
} from './schema'
export { PayrollSetup, PayrollService, payrollJob }
export { PayrollRunner, type PayslipSnapshot } from './run'
import type { PayslipSnapshot } from './run'

/** Payroll's two halves: set-up (staff, components, calendars, periods) and the pay itself (review, approval, posting). */
export interface Payroll {
  setup: PayrollSetup
  pay: PayrollService
}

declare module '../platform/module' {
  interface Areas {
    payroll: Payroll
  }
}

/** pdfkit and exceljs load when a document is first asked for. */
const loadPayslips = lazyModule(() => import('./payslip-pdf'), { from: __filename, path: './payslip-pdf' })
const loadStatutory = lazyModule(() => import('./statutory-pdf'), { from: __filename, path: './statutory-pdf' })
const loadRegister = lazyModule(() => import('./register-export'), { from: __filename, path: './register-export' })

function profileOf(env: ModuleEnv) {
  const profile = env.areas.profile.get()
  if (!profile) throw conflict("Set up the cooperative's profile first: amounts are in its currency.")
  return profile
}

/** A file name from a period's name: letters, digits, dots, dashes. */
const fileSafe = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'period'

function exportsFile(env: ModuleEnv, stem: string, ext: string): string {
  return path.join(env.dataDir, 'exports', `${stem}.${ext}`)
}

/** A real run goes through the job engine (its lease keeps the app and the command line apart, a worker thread keeps the window free); a dry run is done and rolled back here. */
async function run(env: ModuleEnv, p: Payroll, v: ParsedInput<'payroll.run'>): Promise<PayrollRunReport> {
  const req = { periodId: v.periodId, force: v.force, reason: v.reason }
  if (v.dryRun) return p.pay.dryRun(req)
  p.pay.checkRun(req)
  const me = currentActor()
  const started = env.jobs().start('payroll', {
    trigger: env.processKind === 'cli' ? 'cli' : 'manual',
    params: { periodId: v.periodId, force: v.force, reason: v.reason, operatorId: me.operatorId, operatorName: me.name }
  })
  const ended = await started.done
  if (ended.status !== 'succeeded') throw conflict(`The payroll run ended ${ended.status}: ${ended.error ?? 'see the run history'}`)
  return p.pay.reportOfRun(ended.result?.details, calendarDateInZone(new Date(ended.startedAt), env.timeZone()))
}

export const payrollModule = defineModule({
  name: 'payroll',
  prefixes: ['payroll'],
  jobs: [payrollJob],
  create: (env): Payroll => {
    const setup = new PayrollSetup(env.ctx, {
      timeZone: env.timeZone,
      locale: env.locale,
      currency: () => profileOf(env).currency,
      ledger: () => env.areas.ledger
    })
    const pay = new PayrollService(env.ctx, {
      timeZone: env.timeZone,
      locale: env.locale,
      currency: () => profileOf(env).currency,
      ledger: () => env.areas.ledger,
      makerChecker: () => env.areas.operators.makerChecker('payments'),
      periodDto: (id) => setup.periodDto(id)
    })
    // A payslip email's attachment: the PDF made once, by the mail job, from what posting froze (run.ts PayslipSnapshot).
    env.areas.mail.registerRenderer('payslip', async (data) => {
      const snap = data as PayslipSnapshot
      const { writePayslipsPdf } = await loadPayslips()
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'coffer-payslip-'))
      const file = path.join(dir, 'payslip.pdf')
      try {
        await writePayslipsPdf(file, snap.profile, snap.period, [snap.payslip], new Map([[snap.payslip.staffId, snap.staff]]), {
          fontsDir: path.join(env.resourcesDir, 'fonts'),
          now: env.ctx.clock.now()
        })
        return await fs.readFile(file)
      } finally {
        await fs.rm(dir, { recursive: true, force: true })
      }
    })
    return { setup, pay }
  },
  handlers: (p, env) => ({
    'payroll.staffList': (q) => p().setup.staffList(q),
    'payroll.staff': ({ id }) => p().setup.staff(id),
    'payroll.createStaff': (v) => p().setup.createStaff(v),
    'payroll.updateStaff': (v) => p().setup.updateStaff(v),
    'payroll.saveStructure': (v) => p().setup.saveStructure(v),
    'payroll.deleteStructure': ({ id }) => p().setup.deleteStructure(id),
    'payroll.components': ({ includeInactive }) => p().setup.components(includeInactive),
    'payroll.component': ({ id }) => p().setup.component(id),
    'payroll.createComponent': (v) => p().setup.createComponent(v),
    'payroll.updateComponent': (v) => p().setup.updateComponent(v),
    'payroll.saveRate': (v) => p().setup.saveRate(v),
    'payroll.deleteRate': ({ id }) => p().setup.deleteRate(id),
    'payroll.setComponentActive': ({ id, expectedVersion, active }) => p().setup.setComponentActive(id, expectedVersion, active),
    'payroll.calendars': () => p().setup.calendars(),
    'payroll.createCalendar': (v) => p().setup.createCalendar(v),
    'payroll.updateCalendar': (v) => p().setup.updateCalendar(v),
    'payroll.setCalendarActive': ({ id, expectedVersion, active }) => p().setup.setCalendarActive(id, expectedVersion, active),
    'payroll.periods': (q) => p().setup.periods(q),
    'payroll.period': ({ id }) => p().setup.period(id),
    'payroll.createPeriod': (v) => p().setup.createPeriod(v),
    'payroll.updatePeriod': (v) => p().setup.updatePeriod(v),
    'payroll.register': ({ periodId }) => p().pay.register(periodId),
    'payroll.payslip': ({ periodId, staffId }) => p().pay.payslip(periodId, staffId),
    'payroll.statutory': ({ periodId }) => p().pay.statutory(periodId),
    'payroll.run': (v) => run(env, p(), v),
    'payroll.approve': ({ id, expectedVersion }) => p().pay.approve(id, expectedVersion),
    'payroll.unapprove': ({ id, expectedVersion, reason }) => p().pay.unapprove(id, expectedVersion, reason),
    'payroll.post': ({ id, expectedVersion }) => p().pay.post(id, expectedVersion),
    'payroll.payslipsPdf': async ({ periodId, staffId, printWithMissingGlyphs }) => {
      const pay = p().pay
      const period = p().setup.periodDto(periodId)
      const slips = pay.payslips(periodId, staffId)
      if (slips.length === 0) throw conflict(`${period.name} has no payslip to print yet: draft it first.`)
      const failed = slips.filter((s) => s.status === 'failed')
      if (failed.length > 0) {
        const first = failed[0] as (typeof failed)[number]
        throw conflict(`${failed.length === 1 ? 'A payslip' : `${failed.length} payslips`} of ${period.name} could not be worked out (the first: ${first.staffNo} ${first.fullName}): mend and run the period again before printing.`)
      }
      const fontsDir = path.join(env.resourcesDir, 'fonts')
      const cards = pay.staffCards(periodId)
      const { writePayslipsPdf, payslipMissingGlyphs } = await loadPayslips()
      if (printWithMissingGlyphs !== true) {
        const missing = payslipMissingGlyphs(profileOf(env), slips.map((s) => cards.get(s.staffId)).filter((c) => c !== undefined), { fontsDir })
        if (missing.length > 0) {
          throw conflict(
            `${missing.length === 1 ? 'A payslip has' : `${missing.length} payslips have`} characters no installed font can print; they would print as \uFFFD. ` +
              `Install a font that covers them (see resources/fonts/README.md), or print anyway.\n` +
              missing.map((m) => `${m.staffNo} ${m.fullName}: ${m.characters.map(describeCharacter).join(' ')}`).join('\n'),
            { printWithMissingGlyphs: 'Print anyway, with \uFFFD for the missing characters' }
          )
        }
      }
      const one = staffId !== null ? slips[0] : undefined
      const file = exportsFile(env, `payslips-${fileSafe(period.name)}-${period.id}${one ? `-${fileSafe(one.staffNo)}` : ''}`, 'pdf')
      await writePayslipsPdf(file, profileOf(env), period, slips, cards, { fontsDir, now: env.ctx.clock.now() })
      return { file, payslips: slips.length }
    },
    'payroll.exportRegister': async ({ periodId }) => {
      const pay = p().pay
      const register = pay.register(periodId)
      const file = exportsFile(env, `payroll-register-${fileSafe(register.period.name)}-${periodId}`, 'xlsx')
      const { writeRegisterWorkbook } = await loadRegister()
      return { file, ...(await writeRegisterWorkbook(file, profileOf(env), register, pay.statutory(periodId), pay.payslips(periodId, null))) }
    },
    'payroll.statutoryPdf': async ({ periodId }) => {
      const summary = p().pay.statutory(periodId)
      const file = exportsFile(env, `statutory-${fileSafe(summary.period.name)}-${periodId}`, 'pdf')
      const { writeStatutoryPdf } = await loadStatutory()
      await writeStatutoryPdf(file, profileOf(env), summary, { fontsDir: path.join(env.resourcesDir, 'fonts'), now: env.ctx.clock.now() })
      return { file }
    },
    'payroll.settings': () => p().pay.settings(),
    'payroll.saveSettings': (v) => p().pay.saveSettings(v)
  })
})
