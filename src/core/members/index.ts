/** Members: register, edit, deactivate, search, history of changes. */
import { defineModule } from '../platform/module'
import { MembersService, type DeactivationCheck } from './service'

export { members, memberEvents } from './schema'
export { MembersService, type DeactivationCheck }

declare module '../platform/module' {
  interface Areas {
    members: MembersService
  }
}

export const membersModule = defineModule({
  name: 'members',
  prefixes: ['members'],
  events: ['members.changed'],
  create: (env) => new MembersService(env.ctx, env.areas.profile),
  handlers: (members) => ({
    'members.list': (q) => members().list(q),
    'members.get': ({ id }) => members().get(id),
    'members.create': (values) => members().create(values),
    'members.update': ({ id, expectedVersion, values }) => members().update(id, expectedVersion, values),
    'members.setActive': ({ id, active, expectedVersion, reason, acknowledge }) =>
      members().setActive(id, active, expectedVersion, reason, acknowledge),
    'members.suggestNumber': () => members().suggestNumber()
  })
})
