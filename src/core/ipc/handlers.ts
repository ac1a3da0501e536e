import type { CoreHandlers } from './dispatcher'
import type { AppStatus, SystemDefaults } from '../../shared/contract'
import type { ProfileService } from '../services/profile'
import type { MembersService } from '../services/members'

export interface HandlerDeps {
  status: () => AppStatus
  systemDefaults: () => SystemDefaults
  profile: ProfileService
  members: MembersService
}

/** One thin handler per core channel: the input is already validated; the service does the work. */
export function coreHandlers(d: HandlerDeps): CoreHandlers {
  return {
    'app.status': () => d.status(),
    'app.systemDefaults': () => d.systemDefaults(),
    'profile.get': () => d.profile.get(),
    'profile.save': (input) => d.profile.save(input),
    'members.list': (q) => d.members.list(q),
    'members.get': ({ id }) => d.members.get(id),
    'members.create': (values) => d.members.create(values),
    'members.update': ({ id, expectedVersion, values }) => d.members.update(id, expectedVersion, values),
    'members.setActive': ({ id, active, expectedVersion, reason }) =>
      d.members.setActive(id, active, expectedVersion, reason),
    'members.suggestNumber': () => d.members.suggestNumber()
  }
}
