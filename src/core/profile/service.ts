import { eq } from 'drizzle-orm'
import { cooperativeProfile } from './schema'
import type { ParsedInput, Profile } from '../../shared/contract'
import { currencyMinorDigits } from '../../shared/money'
import { nowIso, type ServiceContext } from '../platform/context'

type ProfileValues = ParsedInput<'profile.save'>

const toProfile = (row: typeof cooperativeProfile.$inferSelect): Profile => ({
  name: row.name,
  address: row.address,
  phone: row.phone,
  email: row.email,
  registrationNo: row.registrationNo,
  currency: row.currency,
  minorDigits: currencyMinorDigits(row.currency),
  timeZone: row.timeZone,
  locale: row.locale,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt
})

export class ProfileService {
  constructor(private readonly ctx: ServiceContext) {}

  get(): Profile | null {
    const row = this.ctx.db.select().from(cooperativeProfile).where(eq(cooperativeProfile.id, 1)).get()
    return row ? toProfile(row) : null
  }

  /** Creates the profile at first launch, or updates it. */
  save(values: ProfileValues): Profile {
    const at = nowIso(this.ctx)
    const row = this.ctx.db
      .insert(cooperativeProfile)
      .values({ id: 1, ...values, createdAt: at, updatedAt: at })
      .onConflictDoUpdate({ target: cooperativeProfile.id, set: { ...values, updatedAt: at } })
      .returning()
      .get()
    return toProfile(row)
  }
}
