import { z } from 'zod'
import { isCalendarDate } from '../dates'

/**
 * Field schemas shared by the contract and the renderer's forms. Forms send
 * '' for an empty optional box; these turn it into null so the database never
 * holds empty strings.
 */

export const requiredText = (label: string, max: number) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, { error: `${label} is required` })
    .max(max, { error: `${label} must be at most ${max} characters` })

export const optionalText = (label: string, max: number) =>
  z
    .union([z.string(), z.null()])
    .optional()
    .transform((v) => (v ?? '').trim())
    .pipe(z.string().max(max, { error: `${label} must be at most ${max} characters` }))
    .transform((v) => (v === '' ? null : v))

export const optionalEmail = (label = 'Email') =>
  z
    .union([z.string(), z.null()])
    .optional()
    .transform((v) => (v ?? '').trim())
    .pipe(
      z.union([
        z.literal(''),
        z
          .string()
          .max(254, { error: `${label} must be at most 254 characters` })
          .pipe(z.email({ error: 'Enter an email address like name@example.org' }))
      ])
    )
    .transform((v) => (v === '' ? null : v.toLowerCase()))

export const optionalPhone = (label = 'Phone') =>
  optionalText(label, 40).refine((v) => v === null || /^\+?[0-9 ()./-]{3,40}$/.test(v), {
    error: 'Use digits, spaces and + ( ) - . / only'
  })

export const calendarDate = (label = 'Date') =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .refine((v) => v.length > 0, { error: `${label} is required` })
    .refine((v) => v.length === 0 || isCalendarDate(v), { error: `${label} must be a real date (YYYY-MM-DD)` })

export const id = z.number({ error: 'An id is required' }).int().positive()
export const isoInstant = z.string()
