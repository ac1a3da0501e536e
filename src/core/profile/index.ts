/** The cooperative's profile: name, currency, locale, time zone. */
import { defineModule } from '../platform/module'
import { ProfileService } from './service'

export { cooperativeProfile } from './schema'
export { ProfileService }

declare module '../platform/module' {
  interface Areas {
    profile: ProfileService
  }
}

export const profileModule = defineModule({
  name: 'profile',
  prefixes: ['profile'],
  create: (env) => new ProfileService(env.ctx),
  handlers: (profile, env) => ({
    'profile.get': () => profile().get(),
    'profile.save': (input) => {
      const saved = profile().save(input)
      // Schedules run in the cooperative's time zone: the next run times move with it.
      env.jobs().timeZoneChanged()
      return saved
    }
  })
})
