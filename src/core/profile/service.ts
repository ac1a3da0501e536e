import { eq } from 'drizzle-orm'
import { cooperativeProfile } from './schema'
import type { ParsedInput, Profile } from '../../shared/contract'
import { currencyMinorDigits } from '../../shared/money'
import { nowIso, type ServiceContext } from '../platform/context'
import { conflict } from '../platform/errors'

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
    return this.ctx.sqlite.transaction(() => this.saveNow(values)).immediate()
  }

  /**
   * Amounts are integer minor units of the book's currency: once any amount is
   * recorded (a bond series' face value, a payment), changing the currency
   * would silently re-denominate every one of them, paid vouchers included.
   */
  private moneyRecorded(): boolean {
    return (
      this.ctx.sqlite.prepare('SELECT EXISTS (SELECT 1 FROM bond_series) OR EXISTS (SELECT 1 FROM bond_payments)').pluck().get() === 1
    )
  }

  private saveNow(values: ProfileValues): Profile {
    const current = this.get()
    if (current && current.currency !== values.currency && this.moneyRecorded()) {
      throw conflict(
        `The currency is fixed at ${current.currency} because amounts are already recorded in it; changing it would change every amount, paid vouchers included.`,
        { currency: `Fixed at ${current.currency} once amounts are recorded` }
      )
    }
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
