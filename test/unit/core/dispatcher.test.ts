import { describe, expect, it } from 'vitest'
import { createDispatcher, type Logger } from '../../../src/core/platform/ipc/dispatcher'
import { DomainError } from '../../../src/core/platform/errors'
import { channels, contract, coreChannels, shellChannels } from '../../../src/shared/contract'

const silent: Logger & { errors: unknown[] } = {
  errors: [],
  error: (m: string, d?: unknown) => void silent.errors.push([m, d]),
  warn: () => undefined,
  info: () => undefined
}

describe('dispatcher', () => {
  it('refuses an unknown channel', async () => {
    const invoke = createDispatcher({}, silent)
    expect(await invoke('members.drop', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } })
    expect(await invoke('__proto__', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } })
    expect(await invoke(42, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } })
  })

  it('validates input before the handler runs, with a message per field', async () => {
    let called = false
    const invoke = createDispatcher({ 'members.get': () => ((called = true), undefined as never) }, silent)
    const r = await invoke('members.get', { id: 'seven' })
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { id: expect.any(String) } } })
    expect(called).toBe(false)
  })

  it('turns a DomainError into its code, message and fields', async () => {
    const invoke = createDispatcher(
      {
        'members.get': () => {
          throw new DomainError('NOT_FOUND', 'Member #9 was not found.')
        }
      },
      silent
    )
    expect(await invoke('members.get', { id: 9 })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Member #9 was not found.' }
    })
  })

  it('never leaks a stack trace from an unexpected error', async () => {
    const invoke = createDispatcher(
      {
        'members.get': () => {
          throw new TypeError("Cannot read properties of undefined (reading 'x') at /secret/path.ts:1")
        }
      },
      silent
    )
    const r = await invoke('members.get', { id: 1 })
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(r)).not.toMatch(/secret|TypeError|reading/)
  })

  it('checks what a handler returns against the contract', async () => {
    const invoke = createDispatcher({ 'members.suggestNumber': () => ({ memberNo: 42 }) as never }, silent)
    expect(await invoke('members.suggestNumber', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
  })

  it('answers a shell channel it has no handler for as UNAVAILABLE', async () => {
    const invoke = createDispatcher({}, silent)
    expect(await invoke('app.openExternal', { url: 'mailto:a@b.org' })).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' }
    })
  })

  it('names every channel area.verb, and splits them between core and shell', () => {
    for (const c of channels) expect(c).toMatch(/^[a-z]+\.[a-zA-Z]+$/)
    expect([...coreChannels, ...shellChannels].sort()).toEqual([...channels].sort())
    for (const c of shellChannels) expect(contract[c].host).toBe('shell')
  })
})
