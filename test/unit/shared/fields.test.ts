import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { MemberInput, ProfileInput, SeriesInput } from '../../../src/shared/contract'
import { charCount, optionalText, requiredText, wholeNumber } from '../../../src/shared/contract/fields'
import { echo, labelFromPath, plainMessage } from '../../../src/shared/contract/messages'

const member = { memberNo: 'M-1', fullName: 'Jane Wanjiru', joinedOn: '2024-03-01' }

const fieldsOf = (r: { success: boolean; error?: z.ZodError }): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const i of r.error?.issues ?? []) {
    const k = i.path.join('.') || '_'
    if (!(k in out)) out[k] = i.message
  }
  return out
}

describe('text fields', () => {
  it.each([
    ['NUL', 'Jane\u0000Doe', /hidden control characters \(found U\+0000 at position 5\)/],
    ['escape', 'Jane\u001b[31m', /U\+001B/],
    ['C1 control', 'Jane\u0085', /one line/],
    ['DEL', 'Jane\u007f', /U\+007F/],
    ['tab', 'Jane\tDoe', /tab/],
    ['line break', 'Jane\nDoe', /must be on one line/],
    ['right-to-left override', '\u202eeoD enaJ', /change the text direction \(found U\+202E/],
    ['left-to-right embedding', 'Jane \u202aDoe', /U\+202A/],
    ['first strong isolate', 'Jane \u2068Doe\u2069', /U\+2068/],
    ['byte-order mark inside', 'Ja\ufeffne', /invisible formatting/],
    ['lone surrogate', 'Jane \ud800 Doe', /broken character/]
  ])('refuses a name with %s, and says so', (_what, fullName, message) => {
    const r = MemberInput.safeParse({ ...member, fullName })
    expect(r.success).toBe(false)
    expect(fieldsOf(r).fullName).toMatch(/^Name /)
    expect(fieldsOf(r).fullName).toMatch(message)
  })

  it('keeps the joiners scripts need, direction marks, and accents', () => {
    for (const fullName of [
      'क्‍ष त्रि', // Devanagari with ZWJ
      'می‌خواهم نام', // Persian with ZWNJ
      'שרה כהן\u200f', // Hebrew with RLM
      'Zoë Łukasz Øyvind Ñúñez',
      '李小龍',
      'ሰላም ወልደ'
    ]) {
      const r = MemberInput.safeParse({ ...member, fullName })
      expect(r.success, fullName).toBe(true)
      if (r.success) expect(r.data.fullName).toBe(fullName.trim())
    }
  })

  it('accepts line breaks only in multi-line fields', () => {
    const r = MemberInput.safeParse({ ...member, address: 'P.O. Box 1\r\nNairobi\nKenya', notes: 'a\nb' })
    expect(r.success).toBe(true)
    if (r.success) expect(r.data.address).toBe('P.O. Box 1\r\nNairobi\nKenya')
    expect(fieldsOf(MemberInput.safeParse({ ...member, nationalId: '12\n34' })).nationalId).toBe('National ID must be on one line')
    expect(fieldsOf(MemberInput.safeParse({ ...member, address: 'a\u2028b' })).address).toMatch(/unusual line break/)
    expect(fieldsOf(ProfileInput.safeParse({ name: 'Co\nop', currency: 'KES', timeZone: 'UTC', locale: 'en' })).name).toMatch(/one line/)
  })

  it('refuses over-long text with the limit shown, and never cuts it', () => {
    const name = 'x'.repeat(121)
    const r = SeriesInput.shape.name.safeParse(name)
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.message).toBe('Name can be at most 120 characters (this is 121)')
    expect(SeriesInput.shape.name.safeParse('x'.repeat(120)).data).toBe('x'.repeat(120))
    expect(fieldsOf(MemberInput.safeParse({ ...member, notes: 'n'.repeat(4001) })).notes).toBe(
      'Notes can be at most 4,000 characters (this is 4,001)'
    )
    const optional = optionalText('Reason', 5).safeParse('abcdef')
    expect(optional.success).toBe(false)
  })

  it('counts characters, not UTF-16 units', () => {
    expect(charCount('Zoë')).toBe(3)
    expect(charCount('👩🏽')).toBe(2)
    expect(requiredText('Name', 3).safeParse('😀😀😀').success).toBe(true)
    expect(requiredText('Name', 3).safeParse('😀😀😀😀').success).toBe(false)
  })

  it('never shortens what was typed except for the spaces around it', () => {
    expect(requiredText('Name', 10).parse('  Jane  ')).toBe('Jane')
    expect(optionalText('Notes', 10, { multiline: true }).parse('  a\nb  ')).toBe('a\nb')
    expect(optionalText('Notes', 10).parse('   ')).toBeNull()
  })
})

describe('messages in Coffer words', () => {
  const units = wholeNumber('Units', { min: 1, max: 1_000_000 })
  it.each([
    [undefined, 'Units is required'],
    ['3', 'Units must be a number'],
    [2.5, 'Units must be a whole number'],
    [0, 'Units must be at least 1'],
    [1_000_001, 'Units must be at most 1,000,000']
  ])('wholeNumber(%s)', (input, message) => {
    expect(units.safeParse(input).error?.issues[0]?.message).toBe(message)
  })

  it('names the field from its path for schemas without their own words', () => {
    const s = z.object({ faceValueMinor: z.number().int().positive(), values: z.object({ fullName: z.string() }) }).strict()
    const r = s.safeParse({ faceValueMinor: 1.5, values: {}, ['k'.repeat(10_000)]: 1 })
    const f = fieldsOf(r)
    expect(f.faceValueMinor).toBe('Face value must be a whole number')
    expect(f['values.fullName']).toBe('Full name is required')
    expect(f._).toMatch(/^Coffer does not know the field “k{40}…”$/)
    expect(labelFromPath(['paymentIds', 3])).toBe('Payment item 4')
  })

  it('echoes at most a few characters, with control and direction characters hidden', () => {
    expect(echo('a'.repeat(1_000_000))).toHaveLength(41)
    expect(echo('ab\u202ecd\u0000')).toBe('ab?cd?')
  })

  it('has a sentence for every kind of issue', () => {
    const r = z
      .object({ e: z.enum(['a', 'b']), t: z.literal(true), r: z.string().regex(/^a$/), u: z.union([z.string(), z.null()]) })
      .safeParse({ e: 'c', t: false, r: 'b', u: 3 })
    const f = fieldsOf(r)
    expect(f).toEqual({
      e: 'E must be one of "a" or "b"',
      t: 'T must be true',
      r: 'R is not in the right form',
      u: 'U must be text or empty'
    })
    expect(plainMessage({ code: 'custom', path: ['x'], input: 1 } as never)).toBe('X is not valid')
  })
})
