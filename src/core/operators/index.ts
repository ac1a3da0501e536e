/**
 * Operators: the people who use Coffer, signing in and the screen lock, the
 * security settings (idle lock, lockout, maker-checker), and who may call
 * what (OperatorsService.authorize, which the dispatcher asks first).
 */
import { defineModule } from '../platform/module'
import { OperatorsService, DEFAULT_SECURITY } from './service'

export { operators } from './schema'
export { OperatorsService, DEFAULT_SECURITY }
export { hashPassword, verifyPassword, DEFAULT_COST } from './passwords'

declare module '../platform/module' {
  interface Areas {
    operators: OperatorsService
  }
}

export const operatorsModule = defineModule({
  name: 'operators',
  prefixes: ['auth', 'operators', 'security'],
  create: (env) => new OperatorsService(env.ctx, { hash: env.passwordHash, locale: env.locale, timeZone: env.timeZone }),
  handlers: (ops) => ({
    'auth.status': () => ops().status(),
    'auth.createAdministrator': (input) => ops().createAdministrator(input),
    'auth.signIn': (input) => ops().signIn(input),
    'auth.unlock': (input) => ops().unlock(input),
    'auth.signOut': () => ops().signOut(),
    'auth.lock': () => ops().lock(),
    'auth.touch': () => ops().touch(),
    'auth.changePassword': (input) => ops().changePassword(input),
    'operators.list': () => ops().list(),
    'operators.create': (input) => ops().create(input),
    'operators.update': (input) => ops().update(input),
    'operators.setActive': (input) => ops().setActive(input),
    'operators.resetPassword': (input) => ops().resetPassword(input),
    'security.get': () => ops().security(),
    'security.save': (input) => ops().saveSecurity(input)
  })
})
