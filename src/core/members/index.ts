/** Members: register, edit, deactivate, search, history of changes. */
import { defineModule } from '../platform/module'
import { MembersService } from './service'

export { members, memberEvents } from './schema'
export { MembersService }

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
    'members.setActive': ({ id, active, expectedVersion, reason }) => members().setActive(id, active, expectedVersion, reason),
    'members.suggestNumber': () => members().suggestNumber()
  })
})
