import { z } from 'zod'
import { channel } from './define'
import { Empty } from './app'
import { optionalEmail, optionalPhone, optionalText, requiredText } from './fields'
import { currencyMinorDigits, isSupportedCurrency } from '../money'
import { isValidTimeZone } from '../dates'

const isValidLocale = (tag: string): boolean => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1 && Intl.NumberFormat.supportedLocalesOf([tag]).length === 1
  } catch {
    return false
  }
}

/** The cooperative's profile, asked for at first launch, editable in Settings. */
export const ProfileInput = z
  .object({
    name: requiredText('Name', 160),
    address: optionalText('Address', 600, { multiline: true }),
    phone: optionalPhone('Phone'),
    email: optionalEmail('Email'),
    registrationNo: optionalText('Registration number', 60),
    currency: z
      .string({ error: (i) => (i.input === undefined ? 'Currency is required' : 'Currency must be text') })
      .max(100, { error: 'Currency can be at most 100 characters' })
      .trim()
      .toUpperCase()
      .refine((v) => /^[A-Z]{3}$/.test(v) && isSupportedCurrency(v), {
        error: 'Choose an ISO 4217 currency code, like USD, EUR or KES'
      }),
    timeZone: z
      .string({ error: (i) => (i.input === undefined ? 'Time zone is required' : 'Time zone must be text') })
      .max(100, { error: 'Time zone can be at most 100 characters' })
      .trim()
      .refine((v) => v.length > 0 && isValidTimeZone(v), { error: 'Choose a time zone, like Africa/Nairobi' }),
    locale: z
      .string({ error: (i) => (i.input === undefined ? 'Locale is required' : 'Locale must be text') })
      .max(100, { error: 'Locale can be at most 100 characters' })
      .trim()
      .refine((v) => v.length > 0 && isValidLocale(v), { error: 'Choose a locale, like en-KE or fr-FR' })
      .transform((v) => Intl.getCanonicalLocales(v)[0] ?? v)
  })
  .strict()
export type ProfileInput = z.input<typeof ProfileInput>

export const Profile = z.object({
  name: z.string(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  registrationNo: z.string().nullable(),
  currency: z.string(),
  /** ISO 4217 minor unit digits of the currency: 0, 2 or 3. */
  minorDigits: z.number().int(),
  timeZone: z.string(),
  locale: z.string(),
  createdAt: z.string(),
  updatedAt: z.string()
})
export type Profile = z.infer<typeof Profile>

export const profileContract = {
  'profile.get': channel(Empty, Profile.nullable()),
  'profile.save': channel(ProfileInput, Profile)
}

export { currencyMinorDigits }
