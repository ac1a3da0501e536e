import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../src/core'
import { PROFILE, tempCore, value } from '../support/temp-core'
import { SERIES } from '../support/series'

const cores: Core[] = []
afterEach(() => {
  for (const c of cores.splice(0)) c.close()
})


describe('the currency is fixed once money exists', () => {
  it('may change while nothing is recorded, and is refused with a field message once an amount is', async () => {
    const { core } = tempCore()
    cores.push(core)
    value(await core.invoke('profile.save', PROFILE))
    // No amounts yet: the treasurer may still correct the currency.
    expect(value<{ currency: string }>(await core.invoke('profile.save', { ...PROFILE, currency: 'UGX' })).currency).toBe('UGX')
    value(await core.invoke('profile.save', PROFILE))
    value(await core.invoke('bonds.createSeries', SERIES))

    const refused = await core.invoke('profile.save', { ...PROFILE, currency: 'USD' })
    expect(refused.ok).toBe(false)
    if (refused.ok) return
    expect(refused.error.code).toBe('CONFLICT')
    expect(refused.error.fields?.currency).toMatch(/Fixed at KES/)
    expect(refused.error.message).toMatch(/KES/)
    // Nothing changed; other fields still save.
    expect(value<{ currency: string }>(await core.invoke('profile.get', {})).currency).toBe('KES')
    expect(value<{ name: string }>(await core.invoke('profile.save', { ...PROFILE, name: 'Umoja SACCO' })).name).toBe('Umoja SACCO')
  })
})
